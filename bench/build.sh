#!/usr/bin/env bash
# Cold-build benchmark of Folio against Hugo on the synthetic corpus made by
# examples/gen_corpus.rs.
#
# Usage: bench/build.sh [N ...]        (default sizes: 1000 10000)
# Environment:
#   RUNS=3   builds per tool and size; the median is reported
#   KEEP=1   keep the temporary corpora and outputs under /tmp
#
# For each size N it generates the corpus into a temporary directory, then
# times RUNS cold builds of each tool (output directory and caches removed
# before every run): wall time, peak RSS (GNU time's "Maximum resident set
# size") and output size (du -sb). Folio is skipped with a message when it
# does not build or `folio build` fails, so the Hugo half still runs.
set -euo pipefail
export LC_ALL=C

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if (($#)); then SIZES=("$@"); else SIZES=(1000 10000); fi
for n in "${SIZES[@]}"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "bench: size must be a positive integer, got '$n'" >&2; exit 2; }
done
RUNS=${RUNS:-3}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "bench: RUNS must be a positive integer" >&2; exit 2; }
TARGET_DIR=${CARGO_TARGET_DIR:-target}

say() { printf 'bench: %s\n' "$*" >&2; }

# --- Tools ------------------------------------------------------------------
missing=()
command -v hugo >/dev/null || missing+=(hugo)
[[ -x /usr/bin/time ]] || missing+=(time)
if ((${#missing[@]})); then
    sudo=()
    if ((EUID != 0)); then
        command -v sudo >/dev/null || { say "need root or sudo to install: ${missing[*]}"; exit 1; }
        sudo=(sudo)
    fi
    say "installing ${missing[*]} from Debian"
    export DEBIAN_FRONTEND=noninteractive
    if ! "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null; then
        "${sudo[@]}" apt-get update -qq
        "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
fi
HUGO_VERSION=$(hugo version | awk '{print $2}')

WORK=$(mktemp -d /tmp/folio-bench.XXXXXX)
cleanup() {
    if [[ ${KEEP:-0} == 1 ]]; then say "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# shellcheck source=bench/lib.sh
source bench/lib.sh

# --- Build ------------------------------------------------------------------
FOLIO="$TARGET_DIR/release/folio"
GEN="$TARGET_DIR/release/examples/gen_corpus"
folio_ok=1
if ! cargo build --release --bin folio --example gen_corpus; then
    folio_ok=0
    say "SKIPPING FOLIO: 'cargo build --release --bin folio' failed; benchmarking Hugo only"
    if ! cargo build --release --example gen_corpus; then
        # The example uses only std, so it can be compiled on its own.
        say "cargo cannot build the example either; compiling examples/gen_corpus.rs with rustc"
        GEN="$WORK/gen_corpus"
        rustc --edition 2021 -C opt-level=3 examples/gen_corpus.rs -o "$GEN"
    fi
fi

# --- Measurement helpers ----------------------------------------------------
# measure LOG CMD...: runs CMD under GNU time; sets WALL (s) and RSS_KB.
measure() {
    local log=$1
    shift
    local t0=$EPOCHREALTIME rc=0
    /usr/bin/time -v -o "$WORK/time.txt" "$@" >"$log" 2>&1 || rc=$?
    local t1=$EPOCHREALTIME
    WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    RSS_KB=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time.txt")
    return "$rc"
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# RESULTS lines: N TOOL WALL_S RSS_KB OUT_BYTES OUT_FILES
RESULTS=()

# run_tool N TOOL OUT -- CMD...: RUNS cold runs (caller's PREP function cleans first).
run_tool() {
    local n=$1 tool=$2 out=$3 prep=$4
    shift 4
    local walls=() rsss=() i
    for ((i = 1; i <= RUNS; i++)); do
        "$prep"
        if ! measure "$WORK/$tool-$n.log" "$@"; then
            say "$tool build failed (run $i, N=$n); last lines of its output:"
            tail -n 15 "$WORK/$tool-$n.log" >&2
            return 1
        fi
        if [[ -z $(find "$out" -name '*.html' -print -quit 2>/dev/null) ]]; then
            say "$tool exited 0 but wrote no HTML into $out"
            return 1
        fi
        say "$(printf '%-5s N=%-6s run %d: %6.2fs  %7.1f MiB' "$tool" "$n" "$i" "$WALL" "$(awk -v k="$RSS_KB" 'BEGIN { print k / 1024 }')")"
        walls+=("$WALL")
        rsss+=("$RSS_KB")
    done
    local bytes files
    bytes=$(du -sb "$out" | cut -f1)
    files=$(find "$out" -type f | wc -l)
    RESULTS+=("$n $tool $(median "${walls[@]}") $(median "${rsss[@]}") $bytes $files")
}

# --- Benchmark --------------------------------------------------------------
say "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); Hugo $HUGO_VERSION; $RUNS runs per tool"
for n in "${SIZES[@]}"; do
    corpus="$WORK/corpus-$n"
    say "generating $n pages into $corpus"
    "$GEN" "$n" "$corpus"

    if ((folio_ok)); then
        folio_out="$WORK/folio-out-$n"
        prep_folio() { rm -rf "$folio_out" "$corpus/.folio"; }
        if ! run_tool "$n" folio "$folio_out" prep_folio \
            "$FOLIO" build --root "$corpus" --out "$folio_out" --quiet; then
            say "SKIPPING FOLIO from here on: 'folio build' did not produce a site"
            folio_ok=0
        fi
        rm -rf "$folio_out" "$corpus/.folio"
    fi

    site="$WORK/hugo-site-$n"
    hugo_out="$WORK/hugo-out-$n"
    hugo_site "$site" "$corpus"
    prep_hugo() { rm -rf "$hugo_out" "$site/resources" "$WORK/hugo-cache"; }
    run_tool "$n" hugo "$hugo_out" prep_hugo \
        hugo --quiet -s "$site" -d "$hugo_out" --cacheDir "$WORK/hugo-cache" ||
        { say "Hugo failed; aborting"; exit 1; }
    rm -rf "$hugo_out" "$WORK/hugo-cache" "$corpus"
done

# --- Report -----------------------------------------------------------------
row() { # N TOOL WALL RSS_KB BYTES FILES
    awk -v n="$1" -v t="$2" -v w="$3" -v r="$4" -v b="$5" -v f="$6" 'BEGIN {
        printf "| %s | %s | %.2f | %.0f | %.0f | %.1f | %d |\n", n, t, w, n / w, r / 1024, b / 1e6, f }'
}
echo
echo "Cold builds, median of $RUNS runs; $(nproc) cores; Hugo $HUGO_VERSION (Debian package)."
echo
echo "| Pages | Tool | Wall (s) | Pages/s | Peak RSS (MiB) | Output (MB) | Output files |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"
for n in "${SIZES[@]}"; do
    f_res="" h_res=""
    for r in "${RESULTS[@]}"; do
        read -r rn rt rest <<<"$r"
        [[ $rn == "$n" ]] || continue
        # shellcheck disable=SC2086 # word splitting of the numeric fields is intended
        row $rn $rt $rest
        [[ $rt == folio ]] && f_res=$rest
        [[ $rt == hugo ]] && h_res=$rest
    done
    if [[ -n $f_res && -n $h_res ]]; then
        read -r fw fr fb ff <<<"$f_res"
        read -r hw hr hb hf <<<"$h_res"
        awk -v n="$n" -v fw="$fw" -v hw="$hw" -v fr="$fr" -v hr="$hr" -v fb="$fb" -v hb="$hb" -v ff="$ff" -v hf="$hf" 'BEGIN {
            printf "| %s | Folio/Hugo | %.2fx | %.2fx | %.2fx | %.2fx | %.2fx |\n", n, fw / hw, hw / fw, fr / hr, fb / hb, ff / hf }'
    else
        echo "| $n | Folio/Hugo | n/a | n/a | n/a | n/a | n/a |"
    fi
done
((folio_ok)) || { echo; echo "Folio was skipped: it did not build or 'folio build' failed (see messages above)."; }
