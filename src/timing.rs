//! Phase timings for benchmarks and profiling: printed to stderr only when `FOLIO_TIMINGS` is
//! set. A leaf utility, so any layer can time itself without importing the pipeline.

use std::time::Instant;

/// Prints how long a phase took when `FOLIO_TIMINGS` is set.
pub fn phase(name: &str, since: Instant) {
    if std::env::var_os("FOLIO_TIMINGS").is_some() {
        eprintln!("timing: {name}: {} ms{}", since.elapsed().as_millis(), memory());
    }
}

/// The heap in use and the process's resident memory, for the timing lines (Linux with glibc).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn memory() -> String {
    // SAFETY: mallinfo2 only reads the allocator's counters.
    let info = unsafe { libc::mallinfo2() };
    let rss = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(|l| l[6..].trim().to_string()))
        .unwrap_or_default();
    format!(" (heap in use {} MB, RSS {rss})", (info.uordblks + info.hblkhd) / 1_000_000)
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn memory() -> String {
    String::new()
}
