#!/usr/bin/env bash
# Search quality on runbook alerts (issue 19): does a search find the runbook the way on-call
# engineers type an alert? On a generated corpus (examples/gen_corpus.rs: runbooks answering 1-2
# alerts each, names like KubeDeploymentReplicasMismatch or
# OVNKubernetesControllerDisconnectedSouthboundDatabase, no name on two runbooks), three queries
# per alert, made deterministically (SEED):
#   exact  the alert name as written;
#   words  its words in lower case (CamelCase split with acronyms, snake_case, kebab-case, dots:
#          OVNKubernetesController... -> "ovn kubernetes controller ...");
#   typo   those words with one edit in one seeded word of 5+ letters: a deletion (only in a word
#          of 6+, so the typed word keeps 5+), an insertion or substitution of a neighbouring key,
#          or an adjacent transposition.
# Every query runs through `folio search --format json --limit 10` (a process each, JOBS at a
# time) and through the browser engine under Node (tests/browser/engine.mjs, one process). A hit
# is a result whose URL without its #fragment is the alert's runbook page. Reported per engine
# and set: hit@1, hit@3, MRR over the top 10, queries with no results; whether both engines
# return the same top-10 URLs in the same order for every query; latency (folio search: process
# wall time of LATENCY_RUNS calls made one at a time; the engine: the `ms` it reports);
# first-query bytes of the browser engine (BYTES_QUERIES one-word queries from the alert words, a
# fresh engine each: the search script plus the index files it fetched, uncompressed and gzipped
# file by file, median and max) and the index's size on disk.
# Goals [the summary says PASS or FAIL; exit 1 when one is missed]: exact at rank 1 = 100%,
# words in the top 3 >= 95%, typo in the top 3 >= 90%, for both engines; the engines agree on
# every query. With BASELINE=summary.json of an earlier run on as many pages, also: first-query
# bytes (median and max) within the baseline + 10%, index within the baseline + 25%.
#
# Usage: bench/search-quality.sh [N]   (default 1,000 pages: 282 runbooks, 431 alerts,
#        1,293 queries; folio search takes about a second a query there, so JOBS matters)
# Environment: FOLIO=/path/to/folio and ENGINE=/path/to/engine.mjs measure another build (an
# older checkout's binary and its own tests/browser/engine.mjs; the site is built with FOLIO, so
# the two must match); JOBS=$(nproc) SEED=folio-search-quality LATENCY_RUNS=50
# BYTES_QUERIES=50; SUMMARY=file.json keeps the figures; BASELINE=file.json (see above);
# KEEP=1 keeps the work folder.
# Needs: Node.js 20+ (no browser).
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."

N=${1:-1000}
say() { printf 'bench: %s\n' "$*" >&2; }

WORK=$(mktemp -d /tmp/folio-search-quality.XXXXXX)
cleanup() {
    if [[ ${KEEP:-0} == 1 ]]; then say "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

GEN=$PWD/target/release/examples/gen_corpus
if [[ -z ${FOLIO:-} ]]; then
    cargo build --release --quiet --bin folio --example gen_corpus
    FOLIO=$PWD/target/release/folio
elif ! cargo build --release --quiet --example gen_corpus 2>"$WORK/cargo.log"; then
    # The example uses only std: it builds on its own while the library does not.
    say "cargo cannot build gen_corpus (the library does not compile); compiling examples/gen_corpus.rs with rustc"
    GEN=$WORK/gen_corpus
    rustc --edition 2021 -C opt-level=3 examples/gen_corpus.rs -o "$GEN"
fi
FOLIO=$(realpath "$FOLIO")
ENGINE=$(realpath "${ENGINE:-tests/browser/engine.mjs}")

say "generating $N pages"
"$GEN" "$N" "$WORK/site" >/dev/null 2>&1
say "building them with $FOLIO"
"$FOLIO" build --quiet --root "$WORK/site" >/dev/null 2>&1 || {
    "$FOLIO" build --root "$WORK/site" | tail -20 >&2
    exit 1
}

FOLIO=$FOLIO ENGINE=$ENGINE JOBS=${JOBS:-$(nproc)} SEED=${SEED:-folio-search-quality} \
    LATENCY_RUNS=${LATENCY_RUNS:-50} BYTES_QUERIES=${BYTES_QUERIES:-50} \
    SUMMARY=${SUMMARY:+$(realpath -m "$SUMMARY")} BASELINE=${BASELINE:+$(realpath "$BASELINE")} \
    node bench/search-quality.mjs "$WORK/site" "$WORK/site/public"
