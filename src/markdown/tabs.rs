//! MkDocs Material content tabs (`pymdownx.tabbed`): `=== "Label"` followed by content indented
//! four columns; consecutive tabs (blank lines between them allowed) form one set, `===!` starts
//! a new set, `===+` selects a tab (else the first is selected).
//!
//! The HTML works without JavaScript: each tab is a radio input, its label and its block, so
//! the theme's `tabs.css` shows the checked tab's block, and the keyboard moves between the
//! radios of a set with the arrow keys. The theme's `tabs.js` turns each set into the WAI-ARIA
//! tabs pattern (`role="tablist"`, `tab`, `tabpanel`, roving focus). Both are linked only from
//! pages with tabs ([`in_html`]). Each block carries its label in `data-label`, so print (which
//! shows every block) can name them.
//!
//! Finding the tabs and rewriting their bodies is [`super::blocks`]'s job; this module reads the
//! marker lines and writes the HTML.

use super::admonitions::title_html;
use super::escape_html;

/// One `=== "Label"` line, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tab {
    pub label: String,
    /// `===!`: this tab starts a new set even right after another set.
    pub new_set: bool,
    /// `===+`: selected when the page opens.
    pub selected: bool,
}

/// `=== "Label"`, `===! "Label"`, `===+ "Label"`, `===!+ "Label"` (leading indentation already
/// removed): pymdownx.tabbed's pattern.
pub fn start(line: &str) -> Option<Tab> {
    let rest = line.trim_end().strip_prefix("===")?;
    let (new_set, rest) = match rest.strip_prefix('!') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let (selected, rest) = match rest.strip_prefix('+') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    let label = rest.strip_prefix('"')?.strip_suffix('"')?;
    Some(Tab { label: label.to_string(), new_set, selected })
}

/// The HTML lines of a tab set: one opening line per tab (the set's own opening before the
/// first), and the closing line after the last tab's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetHtml {
    pub opens: Vec<String>,
    pub close: String,
}

/// Whether rendered HTML holds a tab set (its page links the tabs' stylesheet and script).
pub fn in_html(html: &str) -> bool {
    html.contains("<div class=\"tabbed-set\"")
}

/// The HTML of a set of `tabs` whose radio group is named `id`.
pub fn html(id: &str, tabs: &[&Tab]) -> SetHtml {
    let selected = tabs.iter().rposition(|t| t.selected).unwrap_or(0);
    let id = escape_html(id);
    let opens = tabs
        .iter()
        .enumerate()
        .map(|(k, tab)| {
            let n = k + 1;
            let checked = if k == selected { " checked" } else { "" };
            let label = title_html(&tab.label);
            let before = if k == 0 { format!("<div class=\"tabbed-set\" data-tabs=\"{id}\">") } else { "</div>".to_string() };
            format!(
                "{before}<input class=\"tabbed-input\" type=\"radio\" name=\"{id}\" id=\"{id}-{n}\"{checked}><label class=\"tabbed-label\" for=\"{id}-{n}\">{label}</label><div class=\"tabbed-block\" data-label=\"{}\">",
                escape_html(&tab.label)
            )
        })
        .collect();
    SetHtml { opens, close: "</div></div>".to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_lines() {
        let tab = |label: &str, new_set, selected| Some(Tab { label: label.into(), new_set, selected });
        assert_eq!(start("=== \"C\""), tab("C", false, false));
        assert_eq!(start("===! \"New set\""), tab("New set", true, false));
        assert_eq!(start("===+ \"Picked\"  "), tab("Picked", false, true));
        assert_eq!(start("===!+ \"Both\""), tab("Both", true, true));
        assert_eq!(start("===\"Tight\""), tab("Tight", false, false));
        for not in ["=== Unquoted", "===", "==== \"x\"", "=== \"open"] {
            assert_eq!(start(not), None, "{not}");
        }
    }

    #[test]
    fn html_is_radio_inputs_labels_and_blocks() {
        let a = Tab { label: "Rust".into(), new_set: false, selected: false };
        let b = Tab { label: "`py` & co".into(), new_set: false, selected: true };
        let h = html("tabs-p-1", &[&a, &b]);
        assert_eq!(
            h.opens[0],
            "<div class=\"tabbed-set\" data-tabs=\"tabs-p-1\"><input class=\"tabbed-input\" type=\"radio\" name=\"tabs-p-1\" id=\"tabs-p-1-1\"><label class=\"tabbed-label\" for=\"tabs-p-1-1\">Rust</label><div class=\"tabbed-block\" data-label=\"Rust\">"
        );
        assert_eq!(
            h.opens[1],
            "</div><input class=\"tabbed-input\" type=\"radio\" name=\"tabs-p-1\" id=\"tabs-p-1-2\" checked><label class=\"tabbed-label\" for=\"tabs-p-1-2\"><code>py</code> &amp; co</label><div class=\"tabbed-block\" data-label=\"`py` &amp; co\">"
        );
        assert_eq!(h.close, "</div></div>");
    }
}
