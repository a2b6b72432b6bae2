#!/usr/bin/env bash
# Preview-server benchmark on the synthetic corpus (examples/gen_corpus.rs).
#
# Usage: bench/serve.sh [N ...]   (default: 1000 10000 pages)   Environment: RUNS=30 edits per kind
#
# For each corpus size, reports:
#   - the time from saving a file to the reload message on the WebSocket (examples/serve_latency.rs),
#     median and p95, for a one-page body edit, a stylesheet edit and a front-matter edit that
#     moves a page in the nav (debounce, rebuild and message included);
#   - the server's peak resident memory over the whole run (start, edits; GNU time);
#   - requests per second for one static page under wrk (Debian package; installed if missing)
#     with 100 connections on 2 threads for 10 s, over loopback.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SIZES=("$@")
((${#SIZES[@]})) || SIZES=(1000 10000)
RUNS=${RUNS:-30}

if ! command -v wrk >/dev/null 2>&1 || [[ ! -x /usr/bin/time ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk time >/dev/null
fi
cargo build --release --quiet --bin folio --example gen_corpus --example serve_latency
FOLIO=$PWD/target/release/folio
WORK=$(mktemp -d /tmp/folio-serve-bench.XXXXXX)
SERVER=
cleanup() { [[ -n $SERVER ]] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

for n in "${SIZES[@]}"; do
    site=$WORK/site-$n
    target/release/examples/gen_corpus "$n" "$site" >/dev/null
    mkdir -p "$site/theme/static"
    cp theme/static/folio.css "$site/theme/static/folio.css"
    echo "== $n pages"
    /usr/bin/time -f "%M" -o "$WORK/rss" target/release/examples/serve_latency "$FOLIO" "$site" "$RUNS"
    echo "peak RSS of the server (MB): $(( $(cat "$WORK/rss") / 1024 ))"

    "$FOLIO" serve --quiet --port 0 --root "$site" >"$WORK/url" &
    SERVER=$!
    # A 100,000-page site takes over a minute to build before it serves.
    for _ in $(seq 3000); do grep -q http "$WORK/url" 2>/dev/null && break; sleep 0.1; done
    url=$(grep -o 'http://[^ ]*' "$WORK/url")
    # sed reads to the end: `head -1` would make sort fail with SIGPIPE, and pipefail end the script.
    page=$(cd "$site/content" && find . -name 'page-*.md' | sort | sed -n '1{s|^\./||; s|\.md$|/|; p}')
    curl -fsS -o /dev/null "$url$page"
    wrk -t2 -c100 -d10s "$url$page" | grep -E 'Requests/sec|Latency|requests in'
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
done
