//! Status model: work items, progress rollups and drift findings computed from documents.

pub mod mojibake;
