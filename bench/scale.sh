#!/usr/bin/env bash
# Scale benchmark: Folio on the synthetic corpus (examples/gen_corpus.rs) at several sizes, with
# everything on (highlighting, status, search, runbooks, API pages), and Hugo on the same corpus.
#
# Usage: bench/scale.sh [N ...]        (default sizes: 1000 10000 100000)
# Environment:
#   RUNS=1      cold builds per tool and size (median reported)
#   QUERY=kubernetes   the one-word query whose first-query bytes are measured
#   HUGO=0      skip Hugo
#   KEEP=1      keep the temporary corpora and outputs under /tmp
#
# Prints one table: per size, Folio's cold build time and peak RSS (GNU time), the time and
# memory per 1,000 pages (flat when cost grows with the work), output MB (the bytes of its files,
# as a static host stores them: neither blocks nor directory entries, which add 4 KiB a folder),
# the static search index's MB, output bytes per page, the bytes (and gzipped bytes) a browser
# downloads for a first one-word query (headless Chromium over loopback: search script, index
# shards, typo layer and the first page of excerpts), the rebuild time after a one-page edit,
# Hugo's cold build time with its ratio to Folio's and its output MB (counted the same way), and whether `folio check --format json`
# reports exactly the diagnostics of the build (`folio build --format json`).
# Needs: GNU time, Node.js with tests/browser's playwright-core, Debian's chromium, hugo.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if (($#)); then SIZES=("$@"); else SIZES=(1000 10000 100000); fi
for n in "${SIZES[@]}"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "bench: size must be a positive integer, got '$n'" >&2; exit 2; }
done
RUNS=${RUNS:-1}
QUERY=${QUERY:-kubernetes}
say() { printf 'bench: %s\n' "$*" >&2; }
# shellcheck source=bench/lib.sh
source bench/lib.sh

cargo build --release --quiet --bin folio --example gen_corpus
FOLIO=$PWD/target/release/folio
GEN=$PWD/target/release/examples/gen_corpus
[[ -x /usr/bin/time ]] || { say "needs GNU time (apt-get install time)"; exit 1; }
with_hugo=1
if [[ ${HUGO:-1} == 0 ]] || ! command -v hugo >/dev/null; then
    with_hugo=0
    say "Hugo skipped (HUGO=0 or not installed; apt-get install hugo)"
fi

WORK=$(mktemp -d /tmp/folio-scale.XXXXXX)
cleanup() { if [[ ${KEEP:-0} == 1 ]]; then say "kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT

# timed LOG CMD...: runs CMD under GNU time; sets WALL (s) and RSS_KB.
timed() {
    local log=$1
    shift
    local t0=$EPOCHREALTIME
    /usr/bin/time -v -o "$WORK/time.txt" "$@" >"$log" 2>&1 || { tail -n 20 "$log" >&2; return 1; }
    local t1=$EPOCHREALTIME
    WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    RSS_KB=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time.txt")
}
med() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# file_bytes DIR: the bytes of the files under DIR.
# %.0f, not %d: mawk caps %d at 2^31 - 1 (2.1 GB).
file_bytes() { find "$1" -type f -printf '%s\n' 2>/dev/null | awk '{ s += $1 } END { printf "%.0f\n", s }'; }

ROWS=()
say "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); $RUNS cold run(s) per size"
for n in "${SIZES[@]}"; do
    corpus=$WORK/corpus-$n
    out=$WORK/out-$n
    say "N=$n: generating the corpus"
    "$GEN" "$n" "$corpus" >/dev/null

    walls=() rsss=()
    for ((i = 1; i <= RUNS; i++)); do
        rm -rf "$out" "$corpus/.folio"
        timed "$WORK/folio-$n.json" "$FOLIO" build --root "$corpus" --out "$out" --format json
        say "$(printf 'N=%-6s folio cold run %d: %7.2fs %8.1f MiB' "$n" "$i" "$WALL" "$(echo "$RSS_KB / 1024" | bc -l)")"
        walls+=("$WALL") rsss+=("$RSS_KB")
    done
    cold=$(med "${walls[@]}") rss=$(med "${rsss[@]}")
    out_bytes=$(file_bytes "$out")
    index_bytes=$(file_bytes "$out/_folio/search")

    # `folio check` must report what the build reported.
    "$FOLIO" check --root "$corpus" --format json >"$WORK/check-$n.json" 2>/dev/null || true
    same=$(node -e '
        const fs = require("fs");
        const diags = (f) => JSON.stringify(JSON.parse(fs.readFileSync(f, "utf8")).diagnostics);
        const [b, c] = process.argv.slice(1).map(diags);
        console.log(b === c ? "yes (" + JSON.parse(b).length + ")" : "NO");
    ' "$WORK/folio-$n.json" "$WORK/check-$n.json")
    say "N=$n: check reports the build's diagnostics: $same"

    # The first one-word query, as a browser fetches it.
    query=$(node bench/search-bytes.mjs "$out" "$QUERY" | sed -n 1p)
    q_kb=$(node -e 'const r = JSON.parse(process.argv[1]); console.log(r.kb, r.gzkb)' "$query")
    read -r first_kb first_gz_kb <<<"$q_kb"

    # One page edited, then built again with what the cold build left (caches included).
    page=$(find "$corpus/content" -name 'page-*.md' | sort | sed -n 1p)
    printf '\nEdited for the benchmark.\n' >>"$page"
    timed "$WORK/folio-warm-$n.log" "$FOLIO" build --root "$corpus" --out "$out" --quiet
    warm=$WALL
    say "N=$n: one-edit rebuild ${warm}s"

    hugo_wall="" hugo_bytes=0
    if ((with_hugo)); then
        site=$WORK/hugo-$n
        hugo_site "$site" "$corpus"
        hwalls=()
        for ((i = 1; i <= RUNS; i++)); do
            rm -rf "$WORK/hugo-out" "$WORK/hugo-cache" "$site/resources"
            if timed "$WORK/hugo-$n.log" hugo --quiet -s "$site" -d "$WORK/hugo-out" --cacheDir "$WORK/hugo-cache"; then
                hwalls+=("$WALL")
                say "$(printf 'N=%-6s hugo  cold run %d: %7.2fs' "$n" "$i" "$WALL")"
            else
                say "Hugo failed at N=$n"
                break
            fi
        done
        ((${#hwalls[@]})) && hugo_wall=$(med "${hwalls[@]}") && hugo_bytes=$(file_bytes "$WORK/hugo-out")
        rm -rf "$WORK/hugo-out" "$WORK/hugo-cache" "$site"
    fi
    ROWS+=("$n $cold $rss $out_bytes $index_bytes $first_kb $first_gz_kb $warm ${hugo_wall:-none} $hugo_bytes ${same// /_}")
    rm -rf "$out" "$corpus"
done

echo
echo "Folio $("$FOLIO" --version | awk '{print $2}'), synthetic corpus (gen_corpus), $(nproc) cores, median of $RUNS cold run(s); Hugo $( ((with_hugo)) && hugo version | awk '{print $2}' || echo skipped)."
echo
echo "| Pages | Cold (s) | Peak RSS (MB) | s per 1k pages | MB RSS per 1k pages | Output (MB) | Search index (MB) | Bytes per page | First query KB (gzip) | One-edit rebuild (s) | Hugo (s) | Folio/Hugo | Hugo output (MB) | check = build |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
for r in "${ROWS[@]}"; do
    read -r n cold rss ob ib fkb fgz warm hugo hb same <<<"$r"
    awk -v n="$n" -v c="$cold" -v r="$rss" -v ob="$ob" -v ib="$ib" -v fkb="$fkb" -v fgz="$fgz" -v w="$warm" -v h="$hugo" -v hb="$hb" -v same="${same//_/ }" 'BEGIN {
        hs = (h == "none") ? "n/a" : sprintf("%.2f", h)
        ratio = (h == "none") ? "n/a" : sprintf("%.2fx", c / h)
        hbs = (h == "none") ? "n/a" : sprintf("%.1f", hb / 1e6)
        printf "| %d | %.2f | %.0f | %.3f | %.1f | %.1f | %.1f | %.0f | %.1f (%.1f) | %.2f | %s | %s | %s | %s |\n",
            n, c, r / 1000, c / (n / 1000), r / 1000 / (n / 1000), ob / 1e6, ib / 1e6, ob / n, fkb, fgz, w, hs, ratio, hbs, same }'
done
