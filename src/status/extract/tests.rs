//! Tests for evidence extraction: each source on its own, from `&str`.

use super::*;

fn outline(body: &str) -> Outline {
    extract(body, &ExtractOptions::default())
}

#[test]
fn efforts() {
    for (text, want) in [
        ("Task 1: Database Optimization (16 hours)", Some(16.0)),
        ("Pre-Week 1: Critical Fixes (3 days)", Some(24.0)),
        ("Enable pooling (PgBouncer) (4 hours)", Some(4.0)),
        ("Quick fix (1.5h)", Some(1.5)),
        ("Review: 8 hours", Some(8.0)),
        ("Docs - 2 hrs", Some(2.0)),
        ("All critical issues fixed within 2 hours", None),
        ("2-3 engineers × 5 days", None),
        ("Weeks 33-34", None),
        ("Range (2-3 hours)", None),
    ] {
        assert_eq!(parse_effort(text, 8.0), want, "{text}");
    }
}

#[test]
fn progress_claims() {
    for (text, want) in [
        ("50% Complete (6 of 12 weeks)", Some(50.0)),
        ("COMPLETE (100%)", Some(100.0)),
        ("Completed (50%)", Some(50.0)),
        ("75% done", Some(75.0)),
        ("Cache hit rate > 90%", None),
        ("Response time improvement: 20-30%", None),
        ("进度50% complete", Some(50.0)),
        ("é5% done", Some(5.0)),
    ] {
        assert_eq!(parse_progress(text), want, "{text}");
    }
}

#[test]
fn numbers_in_table_cells() {
    assert_eq!(parse_number("**$42,000**"), Some(42000.0));
    assert_eq!(parse_number("-$9,000"), Some(-9000.0));
    assert_eq!(parse_number("+$8,400"), Some(8400.0));
    assert_eq!(parse_number("12 h"), Some(12.0));
    assert_eq!(parse_number("80+"), None);
    assert_eq!(parse_number("n/a"), None);
}

#[test]
fn inline_fields_in_paragraphs_and_list_items() {
    let o = outline("## M1\n**Status**: Pending  \n**Owner:** Backend Lead\n\n- **Priority**: Critical\n- **Timeline:** Weeks 33-34\n");
    let fields: Vec<(&str, &str, u32)> =
        o.headings[0].block.fields.iter().map(|f| (f.key.as_str(), f.value.as_str(), f.line)).collect();
    assert_eq!(
        fields,
        vec![
            ("Status", "Pending", 2),
            ("Owner", "Backend Lead", 3),
            ("Priority", "Critical", 5),
            ("Timeline", "Weeks 33-34", 6)
        ]
    );
}

#[test]
fn bold_text_mid_line_is_not_a_field() {
    let o = outline("Some **bold**: not a field.\n");
    assert!(o.preamble.fields.is_empty());
}

#[test]
fn tasks_at_any_depth_never_in_code_or_html() {
    let o = outline(
        "- [x] a\n  - [ ] b\n    1. [X] c\n* [ ] d\n\n```md\n- [ ] code\n```\n\n<div>\n- [ ] html\n</div>\n\n    - [ ] indented code\n",
    );
    let tasks: Vec<(&str, bool)> = o.preamble.tasks.iter().map(|t| (t.text.as_str(), t.done)).collect();
    assert_eq!(tasks, vec![("a", true), ("b", false), ("c", true), ("d", false)]);
}

#[test]
fn markers_in_headings_list_items_table_cells_and_lines() {
    let o = outline(concat!(
        "## Build ✅\n- ⏳ later\n\n",
        "| a | Status |\n|---|---|\n| x | 🔄 going |\n\n",
        "| Feature | Free | Pro |\n|---|---|---|\n| SSO | ❌ | ✅ |\n\n",
        "❌ first line\n✅ second line\n\n",
        "> ⚠️ Do not run in production\n",
    ));
    let h = &o.headings[0];
    assert_eq!(h.marker, Some(Status::Done));
    let marked: Vec<(u32, Status)> = h.block.marked.iter().map(|m| (m.line, m.status)).collect();
    assert_eq!(marked, vec![(2, Status::Planned), (6, Status::InProgress), (12, Status::Blocked), (13, Status::Done)]);
    assert_eq!(h.block.marked[1].text, "x", "a table entry is titled by its first other cell");
}

#[test]
fn totals() {
    let o = outline(
        "## Week 8 Estimated Hours: 52 hours\n\n| Phase | Cost |\n|---|---|\n| a | 1 |\n| b | 2 |\n| Total | 4 |\n",
    );
    assert_eq!(o.headings[0].stated_total.as_ref().map(|c| c.value), Some(52.0));
    assert_eq!(o.headings[0].effort, None);
    let t = &o.headings[0].block.table_totals[0];
    assert_eq!((t.stated, t.computed, t.column.as_str(), t.line), (4.0, 3.0, "Cost", 7));
}
