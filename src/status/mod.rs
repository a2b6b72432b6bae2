//! Status model: work items, progress rollups and drift findings computed from documents.

pub mod date;
pub mod extract;
pub mod mojibake;
pub mod page;
pub mod report;
pub mod rollup;
pub mod vocab;
