//! Folio: a static documentation-site generator. Data flows one way: load -> model -> render -> write.

pub mod cli;
pub mod cmd;
pub mod config;
pub mod diag;
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
