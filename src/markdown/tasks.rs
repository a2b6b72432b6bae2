//! Task-list checkboxes named by their item's text: a checkbox with no name is announced as
//! just "checkbox" (axe `label`), so each is labelled by a span around the words it ticks.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::HashSet;

/// An open label: where its checkbox is in the output, and whether any words followed it.
struct OpenLabel {
    at: usize,
    done: bool,
    has_text: bool,
}

/// Replaces each `TaskListMarker` in `events` with a disabled checkbox (checked or not, so
/// screen readers announce its state; disabled, as GitHub's, because the page cannot save a
/// tick) whose `aria-labelledby` names a span around the item's own text: up to its first
/// nested list or the end of its first paragraph. Ids are `task-N` in page order, skipping any
/// id in `taken` (heading anchors, footnotes). An item with no text of its own is named "Task".
pub(crate) fn label_checkboxes(events: &mut Vec<Event<'_>>, taken: &HashSet<&str>) {
    if !events.iter().any(|e| matches!(e, Event::TaskListMarker(_))) {
        return;
    }
    let mut out = Vec::with_capacity(events.len() + 16);
    let mut next_id = 0usize;
    let mut open: Option<OpenLabel> = None;
    for event in events.drain(..) {
        if open.is_some() && ends_item_text(&event) {
            close(&mut out, open.take(), &mut next_id, taken);
        }
        match event {
            Event::TaskListMarker(done) => {
                open = Some(OpenLabel { at: out.len(), done, has_text: false });
                out.push(Event::InlineHtml(CowStr::Borrowed("")));
            }
            other => {
                if let Some(label) = open.as_mut() {
                    // Words, code, math or an inline tag (an image's alt text is not counted:
                    // the label span would hold nothing a reader hears); a comment is not.
                    label.has_text |= matches!(&other, Event::Text(t) | Event::Code(t) if !t.trim().is_empty())
                        || matches!(&other, Event::InlineHtml(h) if !h.trim_start().starts_with("<!--"))
                        || matches!(other, Event::InlineMath(_));
                }
                out.push(other);
            }
        }
    }
    close(&mut out, open, &mut next_id, taken);
    *events = out;
}

/// Writes the checkbox of `label` at its place and closes its span (or, with no words to name
/// it, names it "Task").
fn close(out: &mut Vec<Event<'_>>, label: Option<OpenLabel>, next_id: &mut usize, taken: &HashSet<&str>) {
    let Some(label) = label else { return };
    let checked = if label.done { " checked=\"\"" } else { "" };
    let checkbox = if label.has_text {
        let id = loop {
            *next_id += 1;
            let id = format!("task-{next_id}");
            if !taken.contains(id.as_str()) {
                break id;
            }
        };
        out.push(Event::InlineHtml(CowStr::Borrowed("</span>")));
        format!("<input disabled=\"\" type=\"checkbox\"{checked} aria-labelledby=\"{id}\"/>\n<span id=\"{id}\">")
    } else {
        format!("<input disabled=\"\" type=\"checkbox\"{checked} aria-label=\"Task\"/>\n")
    };
    out[label.at] = Event::InlineHtml(CowStr::from(checkbox));
}

/// Where an item's own text stops: the block events that cannot sit inside inline content.
/// By the time this pass runs, `render` has turned code blocks, diagrams, headings, callouts and
/// table wrappers into block `Html` events, so any of those ends the text too.
fn ends_item_text(event: &Event<'_>) -> bool {
    matches!(
        event,
        Event::End(TagEnd::Paragraph | TagEnd::Item)
            | Event::Start(
                Tag::List(_) | Tag::Paragraph | Tag::CodeBlock(_) | Tag::BlockQuote(_) | Tag::Table(_) | Tag::HtmlBlock
            )
            | Event::Html(_)
            | Event::Rule
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    fn html(md: &str, taken: &[&str]) -> String {
        let mut events: Vec<Event<'_>> = Parser::new_ext(md, Options::ENABLE_TASKLISTS).collect();
        label_checkboxes(&mut events, &taken.iter().copied().collect());
        let mut s = String::new();
        pulldown_cmark::html::push_html(&mut s, events.into_iter());
        s
    }

    #[test]
    fn each_checkbox_is_named_by_its_own_words_and_keeps_its_state() {
        let h = html("- [x] Ship *it*\n- [ ] Parent\n  - [ ] Child\n", &[]);
        let d = scraper::Html::parse_fragment(&h);
        let boxes: Vec<_> = d.select(&scraper::Selector::parse("input[type=checkbox]").unwrap()).collect();
        assert_eq!(boxes.len(), 3);
        let name = |i: usize| {
            let id = boxes[i].value().attr("aria-labelledby").unwrap();
            let span = d.select(&scraper::Selector::parse(&format!("span#{id}")).unwrap()).next().unwrap();
            span.text().collect::<String>().trim().to_string()
        };
        assert_eq!((name(0), name(1), name(2)), ("Ship it".into(), "Parent".into(), "Child".into()));
        assert!(boxes[0].value().attr("checked").is_some() && boxes[1].value().attr("checked").is_none());
        assert!(boxes.iter().all(|b| b.value().attr("disabled").is_some()), "{h}");
    }

    #[test]
    fn loose_items_ids_taken_by_headings_and_wordless_items() {
        let h = html("- [ ] First\n\n  More text.\n\n- [x] \n  `code`\n", &["task-1"]);
        assert!(h.contains("aria-labelledby=\"task-2\"/>\n<span id=\"task-2\">First</span>"), "{h}");
        assert!(!h.contains("id=\"task-1\""), "{h}");
        let bare = html("- [x] ![](done.png)\n", &[]);
        assert!(bare.contains("<input disabled=\"\" type=\"checkbox\" checked=\"\" aria-label=\"Task\"/>"), "{bare}");
        assert!(!bare.contains("<span"), "{bare}");
    }
}
