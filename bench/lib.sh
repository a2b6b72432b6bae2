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

# A Hugo site at $1 over the synthetic corpus at $2: a minimal theme (title, table of contents,
# content, a section's page list), highlighting with CSS classes as Folio does.
hugo_site() {
    local site=$1 corpus=$2
    mkdir -p "$site/layouts/_default"
    cat >"$site/hugo.toml" <<EOF
baseURL = "http://localhost/"
title = "Synthetic corpus"
contentDir = "$corpus/content"

[markup.highlight]
  codeFences = true
  # CSS classes rather than inline styles: Folio emits classes too.
  noClasses = false
EOF
    local page_tpl='<!doctype html>
<html><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body>
<nav>{{ .TableOfContents }}</nav>
<main><h1>{{ .Title }}</h1>
{{ .Content }}
LIST
</main>
</body></html>'
    local list_items='<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>'
    printf '%s\n' "${page_tpl/LIST/}" >"$site/layouts/_default/single.html"
    printf '%s\n' "${page_tpl/LIST/$list_items}" >"$site/layouts/_default/list.html"
    cp "$site/layouts/_default/list.html" "$site/layouts/index.html"
}
