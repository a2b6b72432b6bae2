#!/usr/bin/env bash
# Crash safety: `folio build` killed with SIGKILL at KILLS moments over its measured build time.
#
# Usage: bench/crash.sh [PAGES] [KILLS]     (default 2000 pages, 50 kills)
# Environment:
#   PROFILE=release|debug   which build of folio to kill (default release)
#   KEEP=1                  keep the work folder under /tmp
#
# A generated site (examples/gen_corpus.rs) is built once (the "old" output), then its pages are
# edited so the next build differs (the "new" output, built once into a separate folder for
# reference). Each round puts the old output back, starts `folio build` on the edited site,
# kills it with SIGKILL after a delay drawn over the measured build time (at least a fifth of
# the rounds from 95% to 135% of it, around where the staged folder is swapped in), then checks:
#   - the output folder exists and is, file for file, exactly the old output or the new one;
#   - the next build (run after every fifth round) removes every staging folder the kill left.
# It prints each round's delay and verdict, then `kills=N ok=N old=N new=N leftovers_removed=yes`.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PAGES=${1:-2000}
KILLS=${2:-50}
PROFILE=${PROFILE:-release}
say() { printf 'crash: %s\n' "$*" >&2; }

TARGET_DIR=${CARGO_TARGET_DIR:-target}
[[ $TARGET_DIR == /* ]] || TARGET_DIR=$PWD/$TARGET_DIR
if [[ $PROFILE == release ]]; then
    cargo build --release --quiet --bin folio --example gen_corpus
else
    cargo build --quiet --bin folio --example gen_corpus
fi
FOLIO=$TARGET_DIR/$PROFILE/folio
GEN=$TARGET_DIR/$PROFILE/examples/gen_corpus

WORK=$(mktemp -d /tmp/folio-crash.XXXXXX)
cleanup() { if [[ ${KEEP:-0} == 1 ]]; then say "kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
SITE=$WORK/site
"$GEN" "$PAGES" "$SITE" >/dev/null

manifest() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16; }
build() { "$FOLIO" build --quiet --today 2026-01-01 --root "$SITE" "$@" >/dev/null 2>&1; }

build
cp -a "$SITE/public" "$WORK/old"
OLD=$(manifest "$WORK/old")
# Edit every page so every page of the new output differs.
find "$SITE/content" -name '*.md' -print0 | xargs -0 sed -i '$a\
Edited for the crash test.'
t0=$EPOCHREALTIME
build --out "$WORK/new"
BUILD_S=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.3f", b-a}')
NEW=$(manifest "$WORK/new")
[[ $OLD != "$NEW" ]] || { say "the edit changed nothing"; exit 1; }
say "$PAGES pages, a build takes ${BUILD_S}s; old=$OLD new=$NEW"

ok=0 old=0 new=0 bad=0 late=0
for i in $(seq "$KILLS"); do
    rm -rf "$SITE/public"
    cp -a "$WORK/old" "$SITE/public"
    # Every fifth round, and the last rounds, around the end of the build (the swap): from 95%
    # of the reference time to 35% past it, since a build killed in the loop runs beside the
    # copying of the old output and is slower than the reference.
    if (( i % 5 == 0 || i > KILLS - KILLS / 5 )); then
        frac=$(awk -v i="$i" 'BEGIN {srand(i); printf "%.4f", 0.95 + rand() * 0.40}')
        late=$((late + 1))
    else
        frac=$(awk -v i="$i" 'BEGIN {srand(i); printf "%.4f", rand()}')
    fi
    delay=$(awk -v f="$frac" -v b="$BUILD_S" 'BEGIN {printf "%.3f", f * b}')
    "$FOLIO" build --quiet --today 2026-01-01 --root "$SITE" >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [[ ! -d $SITE/public ]]; then
        verdict="MISSING"
        bad=$((bad + 1))
    else
        m=$(manifest "$SITE/public")
        if [[ $m == "$OLD" ]]; then verdict=old; old=$((old + 1)); ok=$((ok + 1))
        elif [[ $m == "$NEW" ]]; then verdict=new; new=$((new + 1)); ok=$((ok + 1))
        else verdict="MIXED ($m)"; bad=$((bad + 1)); fi
    fi
    printf 'round %2d: killed after %ss (%s of the build): %s\n' "$i" "$delay" "$frac" "$verdict"
    if (( i % 5 == 0 )); then
        build
        left=$(find "$SITE" -maxdepth 1 -name '.public.*' | wc -l)
        [[ $left == 0 ]] || { say "round $i: $left staging folders left after the next build"; exit 1; }
    fi
done
leftover=$(find "$SITE" -maxdepth 1 -name '.public.*' | wc -l)
build
after=$(find "$SITE" -maxdepth 1 -name '.public.*' | wc -l)
echo "pages=$PAGES build=${BUILD_S}s kills=$KILLS late_kills=$late ok=$ok old=$old new=$new bad=$bad leftover_before_next_build=$leftover leftover_after=$after"
[[ $bad == 0 && $after == 0 ]]
