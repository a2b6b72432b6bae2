//! Tests for evidence extraction.
