#!/usr/bin/env bash
# Status history from git: `folio status --history` on a generated plan repository.
#
# Usage: bench/history.sh [PAGES] [COMMITS]     (default 1000 pages, 2000 commits)
# Environment:
#   RUNS=5    runs per measurement; medians are reported
#   KEEP=1    keep the repository under /tmp
#
# The repository is written by examples/gen_history.rs through `git fast-import` (every commit
# touches the content folder), then checked out. Three figures, each the median of RUNS runs of
# `folio status --history --format json` (output discarded):
#   cold        the caches (.folio/history.json, .folio/git-walk.json) removed before each run
#   warm        the caches from a previous run, no new commits
#   one commit  the caches as they were before one more commit was made (it walks and reads
#               only that commit)
# It also checks that the warm run prints the same JSON as the cold one.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PAGES=${1:-1000}
COMMITS=${2:-2000}
RUNS=${RUNS:-5}
for v in PAGES COMMITS RUNS; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "bench: $v must be a positive integer, got '${!v}'" >&2; exit 2; }
done
say() { printf 'bench: %s\n' "$*" >&2; }
source bench/lib.sh # median

TARGET_DIR=${CARGO_TARGET_DIR:-target}
[[ $TARGET_DIR == /* ]] || TARGET_DIR=$PWD/$TARGET_DIR
cargo build --release --quiet --bin folio --example gen_history
FOLIO=$TARGET_DIR/release/folio
GEN=$TARGET_DIR/release/examples/gen_history

WORK=$(mktemp -d /tmp/folio-history-bench.XXXXXX)
cleanup() { if [[ ${KEEP:-0} == 1 ]]; then say "kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
REPO=$WORK/repo
git init -q -b main "$REPO"
t0=$EPOCHREALTIME
"$GEN" "$PAGES" "$COMMITS" | git -C "$REPO" fast-import --quiet
git -C "$REPO" checkout -q main
say "repository: $PAGES pages, $(git -C "$REPO" rev-list --count HEAD) commits, $(du -sh "$REPO/.git" | cut -f1) of .git ($(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b-a}') s to make)"

history() { "$FOLIO" status --history --format json --today 2026-06-01 --root "$REPO" >"$WORK/out.json" 2>"$WORK/err.txt"; }
timed() { local t0=$EPOCHREALTIME; history; awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.3f\n", b-a}'; }

cold=$(for _ in $(seq "$RUNS"); do rm -rf "$REPO/.folio"; timed; done | median)
[[ -s $WORK/out.json ]] || { say "folio status --history failed: $(cat "$WORK/err.txt")"; exit 1; }
cp "$WORK/out.json" "$WORK/cold.json"
entries=$(grep -c '"commit":' "$WORK/cold.json" || true)
cache_size=$(du -h "$REPO/.folio/history.json" | cut -f1)

warm=$(for _ in $(seq "$RUNS"); do timed; done | median)
cmp -s "$WORK/cold.json" "$WORK/out.json" || { say "the warm run's JSON differs from the cold run's"; exit 1; }

# One more commit on top of warm caches (page contributions and the walk): the run walks and
# reads only that commit.
cp "$REPO/.folio/history.json" "$WORK/history.json"
cp "$REPO/.folio/git-walk.json" "$WORK/git-walk.json"
page=$(git -C "$REPO" ls-files content | awk 'NR == 1')
sed -i '0,/- \[ \]/s//- [x]/' "$REPO/$page"
GIT_AUTHOR_DATE=2026-06-01T09:00:00Z GIT_COMMITTER_DATE=2026-06-01T09:00:00Z \
    git -C "$REPO" -c user.name=Bench -c user.email=b@example.com commit -q -am "one more"
one=$(for _ in $(seq "$RUNS"); do
    cp "$WORK/history.json" "$WORK/git-walk.json" "$REPO/.folio/"
    timed
done | median)
grep -q '"one more"' "$WORK/out.json" || { say "the new commit is missing from the history"; exit 1; }

echo "pages=$PAGES commits=$COMMITS entries=$entries runs=$RUNS cold=${cold}s warm=${warm}s one_new_commit=${one}s cache=$cache_size cores=$(nproc)"
