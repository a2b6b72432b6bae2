//! Status model: work items, progress rollups and drift findings computed from documents.

mod classify;
pub mod conditions;
pub mod date;
mod drift;
pub mod extract;
pub mod item;
pub mod mojibake;
pub mod page;
pub mod rollup;
pub mod since;
pub mod timeline;
pub mod vocab;
