//! Phase timings for benchmarks and profiling: printed to stderr only when `FOLIO_TIMINGS` is
//! set. A leaf utility, so any layer can time itself without importing the pipeline.

use std::time::Instant;

/// Prints how long a phase took when `FOLIO_TIMINGS` is set.
pub fn phase(name: &str, since: Instant) {
    if std::env::var_os("FOLIO_TIMINGS").is_some() {
        eprintln!("timing: {name}: {} ms{}", since.elapsed().as_millis(), memory());
    }
}

/// The process's resident memory now and at its peak so far, for the timing lines (Linux).
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status.lines().find_map(|l| l.strip_prefix(name)).map(|v| v.trim().to_string()).unwrap_or_default()
    };
    if status.is_empty() {
        String::new()
    } else {
        format!(" (RSS {}, peak {})", field("VmRSS:"), field("VmHWM:"))
    }
}
