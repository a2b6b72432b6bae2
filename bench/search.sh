#!/usr/bin/env bash
# Static-search benchmark on the synthetic corpus (examples/gen_corpus.rs), side by side with
# Pagefind indexing the same built site.
#
# Usage: bench/search.sh [N] [QUERY ...]   (default: 10000 pages; queries kubernetes failover rollback)
# Environment: RUNS=3 (builds per variant, median reported), KEEP=1 (keep /tmp files)
#
# Reports:
#   - the cost of the index: median cold `folio build` with search on minus with `[search]
#     enabled = false`, as a share of the build with search;
#   - index size on disk (bytes of _folio/search/) against Pagefind's (pagefind/ minus its UI);
#   - per query, in headless Chromium over loopback: bytes downloaded for a first query (script,
#     index, excerpts of the first page of results) and the query time once loaded, for both.
# Needs: Node.js, tests/browser's playwright-core (npm ci --prefix tests/browser), Debian's
# chromium; installs the `pagefind` npm package (it ships its binary) into a temporary folder.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."

N=${1:-10000}
shift || true
if (($#)); then QUERIES=("$@"); else QUERIES=(kubernetes failover rollback); fi
RUNS=${RUNS:-3}
say() { printf 'bench: %s\n' "$*" >&2; }

cargo build --release --quiet --bin folio --example gen_corpus
FOLIO=$PWD/target/release/folio
WORK=$(mktemp -d /tmp/folio-search-bench.XXXXXX)
[[ ${KEEP:-} == 1 ]] || trap 'rm -rf "$WORK"' EXIT

say "generating $N pages"
target/release/examples/gen_corpus "$N" "$WORK/on" >/dev/null
mkdir -p "$WORK/off"
cp "$WORK/on/book.toml" "$WORK/off/book.toml"
printf '\n[search]\nenabled = false\n' >>"$WORK/off/book.toml"
ln -s "$WORK/on/content" "$WORK/off/content"

source bench/lib.sh
say "timing $RUNS builds with search and $RUNS without (alternating is not needed: same machine, same corpus)"
with=$(build_time "$WORK/on")
without=$(build_time "$WORK/off")
share=$(echo "scale=1; 100 * ($with - $without) / $with" | bc)
folio_bytes=$(du -sb "$WORK/on/public/_folio/search" | cut -f1)
folio_files=$(find "$WORK/on/public/_folio/search" -type f | wc -l)
search_js=$(stat -c %s "$WORK/on/public/_folio/search.js")

say "indexing the same site with Pagefind"
mkdir -p "$WORK/pf" && (cd "$WORK/pf" && npm init -y >/dev/null 2>&1 && npm install --silent pagefind >/dev/null 2>&1)
pf_started=$(date +%s.%N)
"$WORK/pf/node_modules/.bin/pagefind" --site "$WORK/on/public" >/dev/null
pf_time=$(echo "$(date +%s.%N) - $pf_started" | bc)
pf_dir=$WORK/on/public/pagefind
pf_bytes=$(find "$pf_dir" -type f \( -path '*/fragment/*' -o -path '*/index/*' -o -name '*.pf_meta' -o -name 'wasm.*' -o -name 'pagefind-entry.json' -o -name 'pagefind.js' -o -name 'pagefind-worker.js' \) -printf '%s\n' | awk '{s+=$1} END {print s}')

echo "corpus: $N pages; builds: median of $RUNS"
echo "folio build with search: ${with}s, without: ${without}s, index share: ${share}%"
echo "index on disk: folio $folio_bytes bytes in $folio_files files (+ search.js $search_js); pagefind $pf_bytes bytes (index, fragments, meta, wasm, js); pagefind indexing ${pf_time}s"
node bench/search-bytes.mjs "$WORK/on/public" "${QUERIES[@]}"
