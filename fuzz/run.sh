#!/usr/bin/env bash
# Runs Folio's fuzz targets under libFuzzer (cargo-fuzz, nightly toolchain) and reports
# executions and findings per target.
#
# Usage: fuzz/run.sh [SECONDS] [TARGET ...]   (default: 600 s each, every target)
#
# Each target starts from a corpus made of the inputs Folio is meant for: the seed documents in
# ../shared/seeds, the fixtures' pages, SUMMARY.md files, OpenAPI documents and book.toml files,
# fuzz/corpus/<target> (hand-written seeds) and fuzz/regressions/<target> (past findings). The
# working corpus grows in fuzz/corpus-work/<target> (not committed). A crash is saved by libFuzzer
# in fuzz/artifacts/<target>/; copy it to fuzz/regressions/<target>/ once fixed, where
# `cargo test` (tests/integration/fuzz.rs) replays it on stable.
#
# Needs: a nightly toolchain (`rustup toolchain install nightly`) and `cargo install cargo-fuzz`.
# Runs without a sanitizer (`-s none`): Folio has no unsafe code of its own, and the fuzzer then
# spends its time on inputs; debug assertions (overflow checks) stay on.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SECONDS_EACH=${1:-600}
shift || true
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=(front_matter markdown_status summary_include openapi book_toml search_query mojibake_fix)
SEEDS=../shared/seeds

seed() {
    local target=$1 dir=fuzz/corpus-work/$1
    mkdir -p "$dir"
    local files=() f
    case $target in
        front_matter | markdown_status | mojibake_fix)
            mapfile -t files < <(find "$SEEDS" tests/fixtures content -name '*.txt' -o -name '*.md' -size -64k)
            ;;
        summary_include)
            mapfile -t files < <(find tests/fixtures content -name 'SUMMARY.md' -o -path '*mdbook*' -name '*.md')
            ;;
        openapi)
            mapfile -t files < <(find tests/fixtures -path '*api*' \( -name '*.yaml' -o -name '*.json' \) -not -path '*/.folio/*')
            ;;
        book_toml)
            mapfile -t files < <(find tests/fixtures content . -maxdepth 3 -name 'book.toml')
            ;;
        search_query) ;;
    esac
    for f in "${files[@]}" fuzz/corpus/"$target"/* fuzz/regressions/"$target"/*; do
        if [[ -f $f ]]; then cp "$f" "$dir/seed-$(sha1sum "$f" | cut -c1-16)"; fi
    done
}

# One build of every target (skip it with FUZZ_NO_BUILD=1 when the binaries are current).
[[ ${FUZZ_NO_BUILD:-} == 1 ]] || cargo +nightly fuzz build -s none
BIN=${FUZZ_BIN:-fuzz/target/x86_64-unknown-linux-gnu/release}
mkdir -p fuzz/artifacts

printf '%-16s %12s %10s %8s %s\n' target executions exec/s corpus findings
for t in "${TARGETS[@]}"; do
    seed "$t"
    log=fuzz/corpus-work/$t.log
    # -max_len: large enough for a seed document, small enough to stay fast.
    set +e
    mkdir -p "fuzz/artifacts/$t"
    # Fork mode: a crash is saved and fuzzing goes on, so one finding does not end the run.
    "$BIN/$t" "fuzz/corpus-work/$t" -artifact_prefix="fuzz/artifacts/$t/" -fork=1 -ignore_crashes=1 \
        -ignore_timeouts=1 -ignore_ooms=1 -max_total_time="$SECONDS_EACH" -max_len=32768 -timeout=20 \
        -rss_limit_mb=2048 >"$log" 2>&1
    status=$?
    set -e
    # The fork-mode progress line: "#EXECS: cov: .. ft: .. corp: .. exec/s: RATE oom/timeout/crash: ..".
    last=$(grep -a '^#[0-9]*: cov:' "$log" | tail -1)
    execs=$(sed -E 's/^#([0-9]+):.*/\1/' <<<"$last")
    rate=$(grep -oE 'exec/s: [0-9]+' <<<"$last" | grep -oE '[0-9]+$' || true)
    corpus=$(find "fuzz/corpus-work/$t" -type f | wc -l)
    findings=$(find "fuzz/artifacts/$t" -type f 2>/dev/null | wc -l)
    printf '%-16s %12s %10s %8s %s\n' "$t" "${execs:-0}" "${rate:-0}" "$corpus" "$findings (exit $status)"
done
