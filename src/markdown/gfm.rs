//! Where pulldown-cmark and GitHub (cmark-gfm) read the same markdown differently, the input is
//! normalised to read as GitHub reads it, keeping every byte offset so locations stay true.

/// Input normalised where pulldown-cmark and GitHub (cmark-gfm) read the same bytes differently,
/// keeping every byte offset (so diagnostics still point into the file as written):
/// a code fence followed by tabs closes the block on GitHub but not in pulldown-cmark, so the
/// tabs after a fence-only line become spaces.
pub fn gfm_compat(text: &str) -> std::borrow::Cow<'_, str> {
    let is_fence_then_tabs = |line: &str| {
        let body = line.strip_suffix('\r').unwrap_or(line);
        let indent = body.len() - body.trim_start_matches(' ').len();
        let rest = &body[indent..];
        let Some(fence_char) = rest.chars().next().filter(|c| *c == '`' || *c == '~') else { return false };
        let fence_len = rest.len() - rest.trim_start_matches(fence_char).len();
        let trailing = &rest[fence_len..];
        indent <= 3 && fence_len >= 3 && trailing.contains('\t') && trailing.chars().all(|c| c == ' ' || c == '\t')
    };
    if !text.contains('\t') || !text.lines().any(is_fence_then_tabs) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let content = line.strip_suffix('\n').unwrap_or(line);
        if is_fence_then_tabs(content) {
            out.push_str(&line.replace('\t', " "));
        } else {
            out.push_str(line);
        }
    }
    std::borrow::Cow::Owned(out)
}
