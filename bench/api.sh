#!/usr/bin/env bash
# API reference benchmark: cold release builds of the corpus's OpenAPI document
# (content/api/platform.yaml, 70 operations) on its own, and of the whole N-page corpus with it,
# median of RUNS.
#
# Usage: bench/api.sh [N]   (default 10000)   Environment: RUNS=3, KEEP=1 (keep /tmp files)
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."

N=${1:-10000}
RUNS=${RUNS:-3}
cargo build --release --quiet --bin folio --example gen_corpus
FOLIO=$PWD/target/release/folio
WORK=$(mktemp -d /tmp/folio-api-bench.XXXXXX)
[[ ${KEEP:-} == 1 ]] || trap 'rm -rf "$WORK"' EXIT

target/release/examples/gen_corpus "$N" "$WORK/corpus" >/dev/null 2>&1
mkdir -p "$WORK/spec/content/api"
cp "$WORK/corpus/book.toml" "$WORK/spec/book.toml"
cp "$WORK/corpus/content/api/platform.yaml" "$WORK/spec/content/api/"
ops=$(grep -c 'operationId:' "$WORK/spec/content/api/platform.yaml")

source bench/lib.sh
spec=$(build_time "$WORK/spec")
pages=$(find "$WORK/spec/public/api" -name index.html | wc -l)
whole=$(build_time "$WORK/corpus")
echo "OpenAPI document: $ops operations -> $pages pages; build of the document alone: ${spec}s (median of $RUNS)"
echo "corpus of $N pages with the document: ${whole}s (median of $RUNS)"
