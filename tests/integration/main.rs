//! Integration tests: fixture sites under `tests/fixtures/<case>/` built by the real `folio`
//! binary, checked by parsing the HTML (DOM queries) and the JSON it writes.

mod browser;
mod build;
mod cache;
mod check;
mod cli;
mod diagrams_math;
mod fuzz;
mod gfm;
mod git;
mod history;
#[cfg(target_os = "linux")]
mod hostile;
mod hugo;
mod markdown;
mod mdbook;
mod mkdocs;
mod nav;
mod openapi;
mod robustness;
mod runbooks;
mod search;
mod search_forgiving;
mod seeds;
mod serve;
mod static_search;
mod status;
mod support;
mod taxonomies;
mod theme;
mod timeline;
