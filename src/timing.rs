//! Phase timings for benchmarks and profiling: printed to stderr only when `FOLIO_TIMINGS` is
//! set. A leaf utility, so any layer can time itself without importing the pipeline.

use std::time::Instant;

/// Prints how long a phase took when `FOLIO_TIMINGS` is set.
pub fn phase(name: &str, since: Instant) {
    if std::env::var_os("FOLIO_TIMINGS").is_some() {
        eprintln!("timing: {name}: {} ms", since.elapsed().as_millis());
    }
}
