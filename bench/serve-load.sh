#!/usr/bin/env bash
# Preview-server load figures (issue 18) on synthetic corpora (examples/gen_corpus.rs), all
# traffic to 127.0.0.1, every loop bounded. Targets in brackets; the summary says PASS or FAIL
# for each and the script exits 1 when one is missed.
#
#   1. load: wrk -t2 -c500 for DURATION over 1,000 page URLs of a PAGES-page site (taken evenly
#      from its sitemap), through bench/serve-load.lua, which counts every answer that is not 2xx;
#      requests/s, p50/p99 latency [no errors: non-2xx answers plus socket errors = 0].
#   2. slowloris: 1,000 connections held (half send nothing, half a partial request line or
#      headers, then stall) while 50 ordinary requests are timed [max < 100 ms]; then the server
#      must close the held connections itself (its header-read timeout) [all closed].
#   3. live reload: 300 WebSocket clients on one page, as a browser showing it connects (its Host
#      and Origin); the page's source saved LIVE_SAVES times; from each write to each socket's
#      reload message naming the page [every one within 200 ms].
#   4. memory: the server's VmRSS at the 1,000th and the SAVES-th save of one page (each save
#      waits for its reload), on an RSS_PAGES-page site [growth < 10%]. The default site is
#      smaller than the load test's: a save there costs about 180 ms (rebuild, listings,
#      search), so 10,000 saves would take half an hour; RSS_PAGES=10000 measures that one.
#
# Usage: bench/serve-load.sh
# Environment: PAGES=10000 DURATION=30s LIVE_SAVES=20 RSS_PAGES=1000 SAVES=10000
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PAGES=${PAGES:-10000}
DURATION=${DURATION:-30s}
LIVE_SAVES=${LIVE_SAVES:-20}
RSS_PAGES=${RSS_PAGES:-1000}
SAVES=${SAVES:-10000}

if ! command -v wrk >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
cargo build --release --quiet --bin folio --example gen_corpus --example serve_load
FOLIO=$PWD/target/release/folio
LOAD=$PWD/target/release/examples/serve_load
LUA=$PWD/bench/serve-load.lua
WORK=$(mktemp -d /tmp/folio-serve-load.XXXXXX)
SERVER=
stop_server() {
    if [[ -n $SERVER ]]; then
        kill "$SERVER" 2>/dev/null || true
        wait "$SERVER" 2>/dev/null || true
        SERVER=
    fi
}
cleanup() {
    stop_server
    rm -rf "$WORK"
}
trap cleanup EXIT

# 500 + 1,000 connections here, as many at the server (which raises its own limit).
hard=$(ulimit -Hn)
if [[ $hard == unlimited ]]; then ulimit -n 65536; else ulimit -n "$hard"; fi
if (($(ulimit -n) < 4096)); then
    echo "warning: only $(ulimit -n) file descriptors; the slowloris and load figures may show errors" >&2
fi

# Starts folio serve on the site at $1 (up to 5 minutes for the first build); sets SERVER and
# ADDR, then waits for the server to go quiet (the first search indexing runs after the build).
start_server() {
    "$FOLIO" serve --quiet --port 0 --root "$1" >"$WORK/url" 2>"$WORK/server.log" &
    SERVER=$!
    local t0=$SECONDS
    until grep -q http "$WORK/url" 2>/dev/null; do
        kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
        ((SECONDS - t0 < 300)) || { echo "folio serve did not start in 5 minutes" >&2; exit 1; }
        sleep 0.25
    done
    ADDR=$(grep -o 'http://[^/ ]*' "$WORK/url" | sed 's|^http://||')
    echo "server up in $((SECONDS - t0)) s at $ADDR"
    wait_quiet
}

# Waits (at most 3 minutes) until the server used under 5% of a core over one second.
wait_quiet() {
    local t0=$SECONDS before after
    while ((SECONDS - t0 < 180)); do
        before=$(cpu_ticks)
        sleep 1
        after=$(cpu_ticks)
        if (((after - before) * 100 < 5 * $(getconf CLK_TCK))); then
            echo "server quiet after $((SECONDS - t0)) s"
            return
        fi
    done
    echo "warning: the server was still busy after 3 minutes" >&2
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }

# The value of KEY in the `NAME: KEY VALUE` lines of file $1.
field() { awk -v k="$2: $3" 'index($0, k " ") == 1 {print $3; exit}' "$1"; }

# A page's source file and its URL: the first page of the site in path order.
pick_page() {
    local rel
    rel=$(cd "$1/content" && find . -name 'page-*.md' | sort | sed -n '1s|^\./||p')
    PAGE_FILE=$1/content/$rel
    PAGE_URL=/${rel%.md}/
}

echo "== corpus: $PAGES pages"
target/release/examples/gen_corpus "$PAGES" "$WORK/site" >/dev/null
start_server "$WORK/site"
curl -fsS "http://$ADDR/sitemap.xml" | grep -o '<loc>[^<]*</loc>' | sed -E 's|<loc>https?://[^/]*||; s|</loc>||' >"$WORK/all"
awk -v n="$(wc -l <"$WORK/all")" 'BEGIN {step = n / 1000} NR == int(c * step) + 1 && c < 1000 {print; c++}' \
    "$WORK/all" >"$WORK/urls"
echo "$(wc -l <"$WORK/urls") URLs of $(wc -l <"$WORK/all") in the sitemap"

echo "== 1. load: wrk -t2 -c500 -d$DURATION"
URLS=$WORK/urls wrk -t2 -c500 -d"$DURATION" -s "$LUA" "http://$ADDR/" | tee "$WORK/load"
load_errors=$(($(field "$WORK/load" load non2xx) + $(field "$WORK/load" load socket_errors)))

echo "== 2. slowloris: 1,000 held connections"
pick_page "$WORK/site"
"$LOAD" slowloris "$ADDR" "$PAGE_URL" --conns 1000 --requests 50 --watch-secs 30 | tee "$WORK/slow"
slow_held=$(awk '/^slowloris: held/ {print $3}' "$WORK/slow")
slow_open=$((slow_held - $(field "$WORK/slow" slowloris closed_by_server)))

echo "== 3. live reload: 300 sockets on $PAGE_URL, $LIVE_SAVES saves"
wait_quiet
"$LOAD" live "$ADDR" "$PAGE_FILE" "$PAGE_URL" --sockets 300 --saves "$LIVE_SAVES" | tee "$WORK/live"
stop_server

echo "== 4. memory: $SAVES saves on a $RSS_PAGES-page site"
target/release/examples/gen_corpus "$RSS_PAGES" "$WORK/rss-site" >/dev/null
start_server "$WORK/rss-site"
pick_page "$WORK/rss-site"
"$LOAD" rss "$ADDR" "$SERVER" "$PAGE_FILE" "$PAGE_URL" --saves "$SAVES" --first 1000 | tee "$WORK/rss"
stop_server

FAILED=0
# One summary line: what, the figure, the comparison that passes, the target.
verdict() {
    local what=$1 value=$2 op=$3 target=$4 unit=${5:-}
    local result=PASS
    awk -v v="$value" -v t="$target" "BEGIN {exit !(v $op t)}" || { result=FAIL; FAILED=1; }
    printf '  %-52s %12s %-3s  target %s %s %s  %s\n' "$what" "$value" "$unit" "$op" "$target" "$unit" "$result"
}
echo
echo "== summary ($PAGES-page site for 1-3, $RSS_PAGES-page site for 4; $(nproc) cores; $SECONDS s in all)"
printf '  %-52s %12s %s\n' "load: requests/s" "$(field "$WORK/load" load rps)" ""
printf '  %-52s %12s %s\n' "load: latency p50" "$(field "$WORK/load" load p50_ms)" "ms"
printf '  %-52s %12s %s\n' "load: latency p99" "$(field "$WORK/load" load p99_ms)" "ms"
verdict "load: errors (non-2xx + socket errors)" "$load_errors" "==" 0
verdict "slowloris: normal request max" "$(field "$WORK/slow" slowloris max_ms)" "<" 100 ms
printf '  %-52s %12s %s\n' "slowloris: normal request p99" "$(field "$WORK/slow" slowloris p99_ms)" "ms"
verdict "slowloris: normal requests failed" "$(field "$WORK/slow" slowloris failed)" "==" 0
verdict "slowloris: held connections the server left open" "$slow_open" "==" 0
verdict "live: sockets connected" "$(field "$WORK/live" live sockets)" "==" 300
printf '  %-52s %12s %s\n' "live: save to reload p50" "$(field "$WORK/live" live p50_ms)" "ms"
printf '  %-52s %12s %s\n' "live: save to reload p99" "$(field "$WORK/live" live p99_ms)" "ms"
verdict "live: save to reload max (every socket, every save)" "$(field "$WORK/live" live max_ms)" "<" 200 ms
verdict "live: reloads missed" "$(field "$WORK/live" live missed)" "==" 0
printf '  %-52s %12s %s\n' "rss: VmRSS at save 1,000" "$(field "$WORK/rss" rss first_kb)" "kB"
printf '  %-52s %12s %s\n' "rss: VmRSS at save $SAVES" "$(field "$WORK/rss" rss last_kb)" "kB"
verdict "rss: growth" "$(field "$WORK/rss" rss growth_pct)" "<" 10 %
verdict "rss: saves without a reload" "$(field "$WORK/rss" rss missed)" "==" 0
exit "$FAILED"
