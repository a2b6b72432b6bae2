//! Folio: a static documentation-site generator. Data flows one way: load -> model -> render -> write.
//! The modules' order, bottom to top, is the Layers list in ARCHITECTURE.md (checked by
//! `tests/architecture.rs`): a module imports only modules below it.

pub mod app;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod diag;
pub mod frontmatter;
#[doc(hidden)]
pub mod fuzzing;
pub mod git;
pub mod markdown;
pub mod model;
pub mod openapi;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod search;
pub mod serve;
pub mod source;
pub mod status;
pub mod timing;
pub mod urls;
