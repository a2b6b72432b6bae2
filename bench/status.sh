#!/usr/bin/env bash
# Cost of status extraction: cold builds of the synthetic corpus with `[status] enabled = true`
# (the default) and `false`, RUNS times each, median wall time and the difference.
# Usage: bench/status.sh [N]   (default 10000 pages)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
N=${1:-10000}
RUNS=${RUNS:-5}
cargo build --release --bin folio --example gen_corpus >&2
WORK=$(mktemp -d /tmp/folio-status-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
target/release/examples/gen_corpus "$N" "$WORK/on" >&2
cp -r "$WORK/on" "$WORK/off"
printf '\n[status]\nenabled = false\n' >> "$WORK/off/book.toml"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
run() {
    local site=$1
    for _ in $(seq "$RUNS"); do
        rm -rf "$WORK/out"
        /usr/bin/time -f "%e" target/release/folio build --root "$site" --out "$WORK/out" --quiet --today 2026-01-01 2>&1 >/dev/null | tail -1
    done | median
}
# Interleave nothing: run each configuration back to back after one warm-up of the page cache.
target/release/folio build --root "$WORK/on" --out "$WORK/out" --quiet >/dev/null 2>&1 || true
on=$(run "$WORK/on")
off=$(run "$WORK/off")
echo "pages=$N runs=$RUNS status_on=${on}s status_off=${off}s overhead=$(awk -v a="$on" -v b="$off" 'BEGIN {printf "%.1f%%", (a-b)/b*100}')"
