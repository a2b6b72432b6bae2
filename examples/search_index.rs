//! Static search index build time on its own: loads and models a site once, then builds the
//! index `RUNS` times from its search documents and prints each run's time and the index's
//! size. For profiling the index without the rest of the build (`perf record` this binary).
//!
//! Usage: search_index SITE_DIR [RUNS]

use folio::pipeline::{self, BuildOptions, Project};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(site) = args.get(1) else {
        eprintln!("usage: search_index SITE_DIR [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    let opts = BuildOptions::for_root(site.into());
    let project = Project::open(&opts).unwrap_or_else(|e| {
        eprintln!("{}", e.to_diagnostic().message);
        std::process::exit(2);
    });
    let built = pipeline::load_and_model(&project, &opts);
    let started = Instant::now();
    let docs = folio::search::doc::documents(&built.site);
    println!("documents: {} in {:.0} ms", docs.len(), started.elapsed().as_secs_f64() * 1e3);
    for run in 1..=runs {
        let started = Instant::now();
        let index = folio::search::web::build(&docs, &Default::default());
        println!(
            "run {run}: {:.0} ms, {} files, {} bytes",
            started.elapsed().as_secs_f64() * 1e3,
            index.stats.files,
            index.stats.bytes
        );
    }
}
