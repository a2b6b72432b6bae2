//! Search: one document per heading section, the query language, and the tantivy index behind
//! `folio search`, and the static index the published site searches in the browser.

pub mod doc;
pub mod index;
pub mod plan;
pub mod query;
pub mod tokenizer;
pub mod web;
