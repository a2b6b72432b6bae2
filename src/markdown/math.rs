//! Math in markdown, rendered to MathML at build time (no JavaScript): pulldown-cmark's `$…$`
//! and `$$…$$` (GitHub's rules, plus a guard for shell variables and prices), and in mdBook books
//! with `[output.html] mathjax-support`, MathJax's `\(…\)` and `\[…\]` as mdBook writes them
//! (`\\(` in the source, a backslash escaped for markdown). TeX goes through `math-core`; TeX it
//! cannot read stays on the page as code and is reported where it was written.

use super::escape_html_into;
use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd, TextMergeWithOffset};
use std::collections::VecDeque;
use std::ops::Range;

/// TeX that could not be converted: where (a byte offset into the markdown body) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MathError {
    pub offset: usize,
    pub message: String,
}

thread_local! {
    // One converter per thread (it is not `Sync`); it holds no macros and no numbering state
    // that outlives a call (`convert_with_local_state`).
    static CONVERTER: math_core::LatexToMathML =
        math_core::LatexToMathML::new(math_core::MathCoreConfig::default()).expect("no custom macros to parse");
}

/// TeX to a `<math>` element (`display="block"` for display math), or the byte range in `tex`
/// of what could not be read and why.
pub fn to_mathml(tex: &str, display: bool) -> Result<String, (Range<usize>, String)> {
    let mode = if display { math_core::MathDisplay::Block } else { math_core::MathDisplay::Inline };
    CONVERTER
        .with(|c| c.convert_with_local_state(tex, mode))
        .map(|r| r.mathml)
        .map_err(|e| (e.0.clone(), e.to_string()))
}

/// True when pulldown-cmark's inline math at `range` (`$…$`) is better read as text: a closing
/// `$` followed by a letter or digit (`$HOME/$USER`, `$5-$10`), or an opening `$` right after
/// one (`USD$5 and USD$6`). GitHub's rules already keep `$5 and $10` as text (a closing `$`
/// may not follow a space); these cover what they let through.
pub fn is_dollar_text(body: &str, range: &Range<usize>) -> bool {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    body.get(range.clone()).is_some_and(|s| s.starts_with('$') && !s.starts_with("$$"))
        && (word(body[range.end..].chars().next()) || word(body[..range.start].chars().next_back()))
}

/// Passes events through, except inline math that [`is_dollar_text`]: that is read again as
/// the markdown it was (emphasis, line breaks, links and all, with math off), as if pulldown-cmark
/// had never paired its dollars.
pub struct DollarText<'a, I> {
    inner: I,
    body: &'a str,
    queue: VecDeque<(Event<'a>, Range<usize>)>,
}

impl<'a, I> DollarText<'a, I> {
    pub fn new(inner: I, body: &'a str) -> Self {
        DollarText { inner, body, queue: VecDeque::new() }
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for DollarText<'a, I> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(e) = self.queue.pop_front() {
            return Some(e);
        }
        match self.inner.next()? {
            (Event::InlineMath(tex), range) if is_dollar_text(self.body, &range) => {
                self.queue.extend(as_text(self.body, range, &tex));
                self.queue.pop_front()
            }
            other => Some(other),
        }
    }
}

/// The inline events of `body[range]` read with math off, at their places in the body; the
/// dollars and TeX as plain text if that is not a run of inline content.
fn as_text<'a>(body: &'a str, range: Range<usize>, tex: &str) -> Vec<(Event<'a>, Range<usize>)> {
    let slice = &body[range.clone()];
    let parsed = super::autolink::with_autolinks(TextMergeWithOffset::new(
        Parser::new_ext(slice, super::parser_options()).into_offset_iter(),
    ));
    let mut events: Vec<(Event<'a>, Range<usize>)> = parsed.collect();
    let one_paragraph = matches!(events.first(), Some((Event::Start(Tag::Paragraph), _)))
        && matches!(events.last(), Some((Event::End(TagEnd::Paragraph), _)))
        && events[1..events.len() - 1].iter().all(|(e, _)| is_inline(e));
    if !one_paragraph || events.len() < 3 {
        return vec![(Event::Text(CowStr::from(format!("${tex}$"))), range)];
    }
    events.pop();
    events.remove(0);
    events.into_iter().map(|(e, r)| (e, r.start + range.start..r.end + range.start)).collect()
}

fn is_inline(e: &Event<'_>) -> bool {
    match e {
        Event::Start(t) => {
            matches!(t, Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. })
        }
        Event::End(t) => {
            matches!(t, TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image)
        }
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineHtml(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::FootnoteReference(_) => true,
        _ => false,
    }
}

/// The HTML for one piece of math written at `range` in `body` (the `$…$`, or for MathJax
/// delimiters a range starting at the opener): MathML, or the source in
/// `<code class="math-error">` with the problem recorded in `errors`.
pub fn math_html(tex: &str, display: bool, body: &str, range: &Range<usize>, errors: &mut Vec<MathError>) -> String {
    match to_mathml(tex, display) {
        // A display formula scrolls sideways when it is wider than the page, so a keyboard must
        // be able to reach it (WCAG 2.1.1); the formula itself is its accessible name.
        Ok(mathml) if display => {
            mathml.replacen("<math display=\"block\"", "<math display=\"block\" tabindex=\"0\"", 1)
        }
        Ok(mathml) => mathml,
        Err((at, message)) => {
            errors.push(MathError { offset: error_offset(tex, body, range, at.start), message: message.clone() });
            let written = body.get(range.clone()).filter(|s| s.starts_with('$'));
            let shown = match written {
                Some(s) => s.to_string(),
                None if display => format!("\\[{tex}\\]"),
                None => format!("\\({tex}\\)"),
            };
            let mut s = String::with_capacity(shown.len() + 80);
            s.push_str(if display {
                "<code class=\"math-error math-display\" title=\""
            } else {
                "<code class=\"math-error\" title=\""
            });
            escape_html_into(&mut s, &format!("TeX error: {message}"));
            s.push_str("\">");
            escape_html_into(&mut s, &shown);
            s.push_str("</code>");
            s
        }
    }
}

/// Keeps punctuation that follows inline math on the math's line (`$x$.` never leaves the `.`
/// alone at the start of the next line): the two are wrapped in a `nowrap` span.
pub fn keep_punctuation_with_math(events: &mut Vec<Event<'_>>) {
    let is_inline_math = |e: &Event<'_>| matches!(e, Event::InlineHtml(h) if h.starts_with("<math>") || h.starts_with("<code class=\"math-error\""));
    let mut i = 0;
    while i + 1 < events.len() {
        if is_inline_math(&events[i]) {
            if let Event::Text(t) = &events[i + 1] {
                let punct = t.len() - t.trim_start_matches(|c: char| ".,;:!?)]}\u{2019}\u{201D}".contains(c)).len();
                if punct > 0 {
                    let Event::InlineHtml(math) = &events[i] else { unreachable!() };
                    let mut glued = String::with_capacity(math.len() + punct + 32);
                    glued.push_str("<span class=\"math-nowrap\">");
                    glued.push_str(math);
                    escape_html_into(&mut glued, &t[..punct]);
                    glued.push_str("</span>");
                    let rest = t[punct..].to_string();
                    events[i] = Event::InlineHtml(CowStr::from(glued));
                    if rest.is_empty() {
                        events.remove(i + 1);
                    } else {
                        events[i + 1] = Event::Text(CowStr::from(rest));
                    }
                }
            }
        }
        i += 1;
    }
}

/// Where an error at byte `at` of `tex` stands in the body: exactly, when the TeX is the source
/// between `$` delimiters as written; otherwise (MathJax delimiters, whose TeX went through
/// markdown's backslash escapes, or math whose lines lost a quote marker) at the math's start.
fn error_offset(tex: &str, body: &str, range: &Range<usize>, at: usize) -> usize {
    let Some(written) = body.get(range.clone()) else { return range.start };
    let fence = if written.starts_with("$$") { 2 } else { 1 };
    let inner = written.strip_prefix(&"$$"[..fence]).and_then(|s| s.strip_suffix(&"$$"[..fence]));
    match inner {
        Some(inner) if inner == tex && written.starts_with('$') => range.start + fence + at.min(tex.len()),
        _ => range.start,
    }
}

/// mdBook's MathJax delimiters (`mathjax-support`): `\(…\)` and `\[…\]` in the text as markdown
/// leaves it (so `\\(` in the source), turned into pulldown-cmark's math events, which the
/// renderer then treats like `$` math. The TeX is what MathJax would see in mdBook's page:
/// markdown escapes already applied (`\\\\` is a TeX line break, as mdBook documents). Math may
/// run over soft line breaks; anything else between the delimiters (emphasis, code) leaves the
/// text as it is. Fenced code, code spans and HTML are never read.
pub fn mathjax<'a>(events: Vec<(Event<'a>, Range<usize>)>, body: &str) -> Vec<(Event<'a>, Range<usize>)> {
    let mut out = Vec::with_capacity(events.len());
    let mut open: Option<Open<'a>> = None;
    let mut in_code = false;
    for (event, range) in events {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            _ => {}
        }
        match (event, open.as_mut()) {
            (Event::Text(t), _) if in_code => out.push((Event::Text(t), range)),
            (Event::Text(t), None) => scan(t, range, body, &mut out, &mut open),
            (Event::Text(t), Some(o)) => match t.find(o.closer()) {
                Some(j) => {
                    let o = open.take().expect("open math");
                    let mut tex = o.tex;
                    tex.push_str(&t[..j]);
                    out.push((math_event(tex, o.display), o.at..range.end));
                    let rest = &t[j + 2..];
                    if !rest.is_empty() {
                        let rest_at = source_offset(body, &range, &t, j + 2);
                        scan(CowStr::from(rest.to_string()), rest_at..range.end, body, &mut out, &mut open);
                    }
                }
                None => {
                    o.tex.push_str(&t);
                    o.held.push((Event::Text(t), range));
                }
            },
            (e @ (Event::SoftBreak | Event::HardBreak), Some(o)) => {
                o.tex.push('\n');
                o.held.push((e, range));
            }
            (e, Some(_)) => {
                out.extend(open.take().expect("open math").held);
                out.push((e, range));
            }
            (e, None) => out.push((e, range)),
        }
    }
    if let Some(o) = open {
        out.extend(o.held);
    }
    out
}

/// Math opened by `\(` or `\[` whose closer is in a later text event.
struct Open<'a> {
    display: bool,
    /// Byte offset of the opener in the body.
    at: usize,
    tex: String,
    /// The events taken so far, given back unchanged if the math never closes.
    held: Vec<(Event<'a>, Range<usize>)>,
}

impl Open<'_> {
    fn closer(&self) -> &'static str {
        if self.display {
            "\\]"
        } else {
            "\\)"
        }
    }
}

fn math_event<'a>(tex: String, display: bool) -> Event<'a> {
    if display {
        Event::DisplayMath(CowStr::from(tex))
    } else {
        Event::InlineMath(CowStr::from(tex))
    }
}

/// Splits one text event at its MathJax delimiters into text and math events; an opener with no
/// closer in this text starts `open`.
fn scan<'a>(
    t: CowStr<'a>,
    range: Range<usize>,
    body: &str,
    out: &mut Vec<(Event<'a>, Range<usize>)>,
    open: &mut Option<Open<'a>>,
) {
    if !(t.contains("\\(") || t.contains("\\[")) {
        out.push((Event::Text(t), range));
        return;
    }
    let text: &str = &t;
    let mut pos = 0;
    while let Some(i) = next_opener(text, pos) {
        let display = text.as_bytes()[i + 1] == b'[';
        let closer = if display { "\\]" } else { "\\)" };
        if i > pos {
            out.push((Event::Text(CowStr::from(text[pos..i].to_string())), range.clone()));
        }
        let at = source_offset(body, &range, text, i);
        match text[i + 2..].find(closer) {
            Some(k) => {
                let end = i + 2 + k;
                out.push((math_event(text[i + 2..end].to_string(), display), at..range.end));
                pos = end + 2;
            }
            None => {
                let rest = CowStr::from(text[i..].to_string());
                *open = Some(Open {
                    display,
                    at,
                    tex: text[i + 2..].to_string(),
                    held: vec![(Event::Text(rest), range.clone())],
                });
                return;
            }
        }
    }
    if pos < text.len() {
        out.push((Event::Text(CowStr::from(text[pos..].to_string())), range));
    }
}

fn next_opener(text: &str, from: usize) -> Option<usize> {
    let a = text[from..].find("\\(").map(|i| i + from);
    let b = text[from..].find("\\[").map(|i| i + from);
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The body offset of byte `index` of `text`, a text event read from `body[range]`: the two
/// are walked together, a markdown escape (`\\`, `\_`) or an entity (`&amp;`) in the source
/// standing for one character of the text.
fn source_offset(body: &str, range: &Range<usize>, text: &str, index: usize) -> usize {
    let Some(src) = body.get(range.clone()) else { return range.start };
    let (sb, tb) = (src.as_bytes(), text.as_bytes());
    let (mut s, mut t) = (0, 0);
    while t < index && s < sb.len() {
        if sb[s] == tb[t] {
            s += 1;
            t += 1;
        } else if sb[s] == b'\\' && sb.get(s + 1) == Some(&tb[t]) {
            s += 2;
            t += 1;
        } else if sb[s] == b'&' {
            s += src[s..].find(';').map_or(1, |k| k + 1);
            t += text[t..].chars().next().map_or(1, char::len_utf8);
        } else {
            s += 1;
        }
    }
    range.start + s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tex_becomes_mathml_and_bad_tex_says_where() {
        let m = to_mathml(r"\frac{a}{b}", true).unwrap();
        assert!(m.starts_with("<math display=\"block\">") && m.contains("<mfrac>"), "{m}");
        assert!(!to_mathml("x^2", false).unwrap().contains("display"));
        let (at, message) = to_mathml(r"a + \foo", false).unwrap_err();
        assert_eq!(at.start, 4);
        assert!(message.contains("\\foo"), "{message}");
    }

    #[test]
    fn dollars_before_or_after_a_word_are_text() {
        let at = |s: &str, m: &str| {
            let i = s.find(m).unwrap();
            is_dollar_text(s, &(i..i + m.len()))
        };
        assert!(at("$HOME/$USER", "$HOME/$"));
        assert!(at("from $5-$10 a day", "$5-$"));
        assert!(at("USD$5 and USD$6", "$5 and USD$"));
        assert!(!at("a $x$ b", "$x$"));
        assert!(!at("($x$)", "$x$"));
        assert!(!at("$$x$$y", "$$x$$"), "display math is left to pulldown-cmark");
    }

    #[test]
    fn errors_inside_dollar_math_point_at_the_command() {
        let body = "Text $a + \\foo$ end";
        let start = body.find('$').unwrap();
        let range = start..body.rfind('$').unwrap() + 1;
        let mut errors = Vec::new();
        let html = math_html("a + \\foo", false, body, &range, &mut errors);
        assert!(html.starts_with("<code class=\"math-error\""), "{html}");
        assert!(html.ends_with(">$a + \\foo$</code>"), "{html}");
        assert_eq!(errors[0].offset, body.find("\\foo").unwrap());
    }

    fn page(body: &str, mathjax: bool) -> crate::markdown::Rendered {
        let no_rewrite = |_: &str, _: crate::markdown::LinkKind| None;
        crate::markdown::render(
            body,
            &crate::markdown::RenderOptions {
                rewrite: &no_rewrite,
                front_title: None,
                mathjax,
                raw_html: Default::default(),
                trusted_html: &[],
            },
        )
    }

    #[test]
    fn prices_and_shell_variables_are_never_math() {
        for text in ["It costs $5 and $10.", "Set $HOME/$USER first.", "It costs $5", "From $5-$10 a day."] {
            let r = page(text, false);
            assert!(!r.html.contains("<math"), "{text}: {}", r.html);
            let shown = r.html.trim().trim_start_matches("<p>").trim_end_matches("</p>");
            assert_eq!(shown, text, "the text stays as written");
        }
    }

    #[test]
    fn dollars_read_as_text_keep_their_markdown() {
        let body = "**Budget:** 9 weeks ($42,000)  \n**Revised:** 11 weeks ($50,400), see [plan](plan.md)\n";
        let r = page(body, false);
        assert!(!r.html.contains("<math"), "{}", r.html);
        assert_eq!(
            r.html,
            "<p><strong>Budget:</strong> 9 weeks ($42,000)<br />\n<strong>Revised:</strong> 11 weeks ($50,400), see <a href=\"plan.md\">plan</a></p>\n"
        );
        assert_eq!(r.links.len(), 1);
        assert_eq!(r.links[0].offset, body.find("[plan]").unwrap(), "links keep their place in the body");
    }

    #[test]
    fn dollar_math_renders_inline_and_as_blocks() {
        let r = page("a $x$ b\n\n$$\n\\int_0^1 x\\,dx\n$$\n\nand `$y$` in code\n", false);
        assert_eq!(r.html.matches("<math").count(), 2, "{}", r.html);
        assert!(r.html.contains("<p>a <math><mi>x</mi></math> b</p>"), "{}", r.html);
        assert!(r.html.contains("<math display=\"block\" tabindex=\"0\"><msubsup>"), "{}", r.html);
        assert!(r.html.contains("<code>$y$</code>"), "math in a code span stays code: {}", r.html);
        // Search reads the TeX, not MathML.
        let text = &r.sections[0].text;
        assert!(text.contains("\\int_0^1 x\\,dx") && !text.contains("msubsup"), "{text}");
    }

    #[test]
    fn punctuation_after_inline_math_stays_on_its_line() {
        let r = page("share $x$. Then $y$, and $z$ end.\n", false);
        assert!(r.html.contains("<span class=\"math-nowrap\"><math><mi>x</mi></math>.</span> Then"), "{}", r.html);
        assert!(r.html.contains("<span class=\"math-nowrap\"><math><mi>y</mi></math>,</span> and"), "{}", r.html);
        assert!(r.html.contains("<math><mi>z</mi></math> end."), "{}", r.html);
    }

    #[test]
    fn unreadable_tex_is_shown_and_located() {
        let body = "Fine $x$.\n\nBroken $a + \\sqr{b}$ here.\n";
        let r = page(body, false);
        assert!(r.html.contains("<code class=\"math-error\" title=\"TeX error: "), "{}", r.html);
        assert!(r.html.contains(">$a + \\sqr{b}$</code>"), "{}", r.html);
        assert_eq!(r.math_errors.len(), 1);
        // At the unknown command, not just the math.
        assert_eq!(r.math_errors[0].offset, body.find("\\sqr").unwrap());
    }

    #[test]
    fn mdbook_mathjax_delimiters_are_math_only_when_turned_on() {
        let body = "Inline \\\\( \\int x dx \\\\) here.\n\n\\\\[\n\\mu = \\frac{1}{N} \\\\\\\\ x\n\\\\]\n\n`\\\\( code \\\\)`\n";
        let on = page(body, true);
        assert_eq!(on.html.matches("<math").count(), 2, "{}", on.html);
        assert!(on.html.contains("<math display=\"block\" tabindex=\"0\">"), "{}", on.html);
        assert!(on.html.contains("<mfrac>"), "{}", on.html);
        assert!(on.html.contains("<code>\\\\( code \\\\)</code>"), "code spans stay code: {}", on.html);
        assert!(on.math_errors.is_empty(), "{:?}", on.math_errors);
        let off = page(body, false);
        assert!(!off.html.contains("<math"), "{}", off.html);
        assert!(off.html.contains("Inline \\( \\int x dx \\) here."), "{}", off.html);
    }

    #[test]
    fn mdbook_math_errors_point_at_the_opener() {
        let body = "Text \\\\( \\foo \\\\) end\n";
        let r = page(body, true);
        assert_eq!(r.math_errors.len(), 1, "{}", r.html);
        assert_eq!(r.math_errors[0].offset, body.find("\\\\(").unwrap());
        assert!(r.html.contains(">\\( \\foo \\)</code>"), "{}", r.html);
    }

    #[test]
    fn mermaid_blocks_become_diagram_containers_holding_their_source() {
        let r = page("```mermaid\ngraph TD\n  A-->B\n```\n", false);
        assert!(r.has_diagrams);
        assert_eq!(
            r.html,
            "<div class=\"diagram\" data-diagram=\"mermaid\"><pre class=\"diagram-source\"><code class=\"language-mermaid\">graph TD\n  A--&gt;B\n</code></pre></div>\n"
        );
        assert!(!page("```rust\nfn main() {}\n```\n", false).has_diagrams);
    }

    #[test]
    fn source_offsets_step_over_escapes_and_entities() {
        let body = "x &amp; \\\\( y";
        // The text pulldown-cmark reads: "x & \( y".
        assert_eq!(source_offset(body, &(0..body.len()), "x & \\( y", 4), body.find("\\\\(").unwrap());
    }
}
