//! Search: one document per heading section, the query language, and the tantivy index behind
//! `folio search`.

pub mod doc;
pub mod index;
pub mod query;
pub mod tokenizer;
