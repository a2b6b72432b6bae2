//! The page store's markdown records: a page's `CachedMarkdown`, every field named so a field
//! added to these types does not compile until it is stored.

use super::wire::{Dec, Enc};
use crate::markdown::math::MathError;
use crate::markdown::{Heading, LinkKind, LinkRef, Rendered, SectionText};
use crate::model::body::{Body, BodyParts};
use crate::model::cache::{CachedMarkdown, LinkRewrite};

pub(super) fn encode_markdown(m: &CachedMarkdown) -> Vec<u8> {
    // Every field named, so a field added to these types does not compile until it is stored.
    let CachedMarkdown { rendered, body, has_tabs, rewrites } = m;
    let Rendered { html, headings, leading_h1, links, extra_anchor_ids, summary, sections, has_diagrams, math_errors } =
        rendered;
    let mut e = Enc::default();
    e.str(html);
    e.uint(headings.len() as u64);
    for h in headings {
        heading(&mut e, h);
    }
    match leading_h1 {
        None => e.uint(0),
        Some(h) => {
            e.uint(1);
            heading(&mut e, h);
        }
    }
    e.uint(links.len() as u64);
    for LinkRef { dest, offset, is_image } in links {
        e.str(dest);
        e.uint(*offset as u64);
        e.bool(*is_image);
    }
    e.uint(extra_anchor_ids.len() as u64);
    for id in extra_anchor_ids {
        e.str(id);
    }
    e.str(summary);
    e.uint(sections.len() as u64);
    for SectionText { heading, text } in sections {
        e.uint(heading.map_or(0, |h| h as u64 + 1));
        e.str(text);
    }
    e.bool(*has_diagrams);
    e.uint(math_errors.len() as u64);
    for MathError { offset, message } in math_errors {
        e.uint(*offset as u64);
        e.str(message);
    }
    match body.parts() {
        BodyParts::Plain(s) => {
            e.uint(0);
            e.str(s);
        }
        BodyParts::Lz4 { packed, len } => {
            e.uint(1);
            e.uint(len as u64);
            e.bytes(packed);
        }
    }
    e.bool(*has_tabs);
    e.uint(rewrites.len() as u64);
    for LinkRewrite { dest, kind, href } in rewrites {
        e.str(dest);
        e.uint(match kind {
            LinkKind::Link => 0,
            LinkKind::Image => 1,
        });
        e.opt_str(href.as_deref());
    }
    e.0
}

pub(super) fn decode_markdown(bytes: &[u8]) -> Option<CachedMarkdown> {
    let mut d = Dec::new(bytes);
    let html = d.string()?;
    let n = d.count()?;
    let headings = (0..n).map(|_| read_heading(&mut d)).collect::<Option<Vec<_>>>()?;
    let leading_h1 = match d.uint()? {
        0 => None,
        1 => Some(read_heading(&mut d)?),
        _ => return None,
    };
    let n = d.count()?;
    let links = (0..n)
        .map(|_| Some(LinkRef { dest: d.string()?, offset: d.usize()?, is_image: d.bool()? }))
        .collect::<Option<Vec<_>>>()?;
    let n = d.count()?;
    let extra_anchor_ids = (0..n).map(|_| d.string()).collect::<Option<Vec<_>>>()?;
    let summary = d.string()?;
    let n = d.count()?;
    let sections = (0..n)
        .map(|_| {
            let heading = d.usize()?.checked_sub(1);
            Some(SectionText { heading, text: std::sync::Arc::from(d.str()?) })
        })
        .collect::<Option<Vec<_>>>()?;
    let has_diagrams = d.bool()?;
    let n = d.count()?;
    let math_errors =
        (0..n).map(|_| Some(MathError { offset: d.usize()?, message: d.string()? })).collect::<Option<Vec<_>>>()?;
    let body = match d.uint()? {
        0 => Body::from_parts(BodyParts::Plain(d.str()?)),
        1 => {
            let len = d.usize()?;
            let packed = d.bytes()?;
            // LZ4 expands a byte to at most 255: a length past that is damage, and would have
            // the body reserve it when expanded.
            if len > packed.len().saturating_mul(255) {
                return None;
            }
            Body::from_parts(BodyParts::Lz4 { packed, len })
        }
        _ => return None,
    };
    let has_tabs = d.bool()?;
    let n = d.count()?;
    let rewrites = (0..n)
        .map(|_| {
            let dest = d.string()?;
            let kind = match d.uint()? {
                0 => LinkKind::Link,
                1 => LinkKind::Image,
                _ => return None,
            };
            Some(LinkRewrite { dest, kind, href: d.opt_string()? })
        })
        .collect::<Option<Vec<_>>>()?;
    d.is_done().then_some(())?;
    Some(CachedMarkdown {
        rendered: Rendered {
            html,
            headings,
            leading_h1,
            links,
            extra_anchor_ids,
            summary,
            sections,
            has_diagrams,
            math_errors,
        },
        body,
        has_tabs,
        rewrites,
    })
}

fn heading(e: &mut Enc, h: &Heading) {
    let Heading { level, id, alias, text, offset } = h;
    e.uint(u64::from(*level));
    e.str(id);
    e.opt_str(alias.as_deref());
    e.str(text);
    e.uint(*offset as u64);
}

fn read_heading(d: &mut Dec<'_>) -> Option<Heading> {
    Some(Heading {
        level: u8::try_from(d.uint()?).ok()?,
        id: d.string()?,
        alias: d.opt_string()?,
        text: d.string()?,
        offset: d.usize()?,
    })
}
