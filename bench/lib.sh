# Shared by the bench scripts (sourced): medians and timed cold builds.
# Needs FOLIO (the binary) and RUNS (builds per measurement) set by the caller.

# The median of the numbers on stdin, one per line.
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Median wall time in seconds of RUNS cold builds of the site at $1 (output and caches removed
# before each run).
build_time() {
    local root=$1 times=()
    for _ in $(seq "$RUNS"); do
        rm -rf "$root/public" "$root/.folio"
        local t0 t1
        t0=$(date +%s.%N)
        "$FOLIO" build --quiet --root "$root" 2>/dev/null
        t1=$(date +%s.%N)
        times+=("$(echo "$t1 - $t0" | bc)")
    done
    printf '%s\n' "${times[@]}" | median
}
