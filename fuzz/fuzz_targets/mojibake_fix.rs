//! Fuzz target: `folio::fuzzing::mojibake_fix` on any UTF-8 input (other bytes are skipped: every caller
//! decodes files to text first, with its own tested handling of invalid UTF-8).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        folio::fuzzing::mojibake_fix(text);
    }
});
