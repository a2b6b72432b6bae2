//! Tests for page status.
