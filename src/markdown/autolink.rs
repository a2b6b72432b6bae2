//! GitHub's extended autolinks: bare `https://…`, `www.…` and e-mail addresses in text become
//! links, as they do on GitHub (pulldown-cmark has no such extension). The rules follow the GFM
//! spec's "Autolinks (extension)": where a link may start, what a domain is, and which trailing
//! punctuation is left out.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
use std::ops::Range;

/// A piece of a text run: plain text, or an autolink with the address it opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Link { text: &'a str, url: String },
}

/// Splits `text` into plain runs and autolinks; None when it holds none (the common case).
pub fn split(text: &str) -> Option<Vec<Piece<'_>>> {
    if !(text.contains("://") || text.contains("www.") || text.contains('@')) {
        return None;
    }
    let mut pieces = Vec::new();
    let mut plain_from = 0;
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < bytes.len() {
        let found = if may_start(text, i) { url_at(text, i).or_else(|| email_at(text, i)) } else { None };
        match found {
            Some((end, url)) => {
                if plain_from < i {
                    pieces.push(Piece::Text(&text[plain_from..i]));
                }
                pieces.push(Piece::Link { text: &text[i..end], url });
                i = end;
                plain_from = end;
            }
            None => i += text[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
    if pieces.is_empty() {
        return None;
    }
    if plain_from < text.len() {
        pieces.push(Piece::Text(&text[plain_from..]));
    }
    Some(pieces)
}

/// An autolink starts at the start of the text, after white space, or after `*`, `_`, `~`, `(`.
fn may_start(text: &str, i: usize) -> bool {
    match text[..i].chars().next_back() {
        None => true,
        Some(c) => c.is_whitespace() || matches!(c, '*' | '_' | '~' | '('),
    }
}

/// `https://host/path`, `http://…` or `www.host/path` at `i`: its end and the URL to open.
fn url_at(text: &str, i: usize) -> Option<(usize, String)> {
    let rest = &text[i..];
    let lower: String = rest.chars().take(8).collect::<String>().to_ascii_lowercase();
    let (scheme_len, prefix) = if lower.starts_with("https://") {
        (8, "")
    } else if lower.starts_with("http://") {
        (7, "")
    } else if lower.starts_with("www.") {
        (0, "http://")
    } else {
        return None;
    };
    let domain_end = scheme_len + domain_len(&rest[scheme_len..])?;
    let path_len = rest[domain_end..].find(|c: char| c.is_whitespace() || c == '<').unwrap_or(rest.len() - domain_end);
    let end = domain_end + trim_trailing(&rest[domain_end..domain_end + path_len]);
    let link = &rest[..end];
    Some((i + end, format!("{prefix}{link}")))
}

/// The length of a valid domain at the start of `s`: segments of letters, digits, `_` and `-`
/// separated by `.`, at least one `.`, and no `_` in the last two segments.
fn domain_len(s: &str) -> Option<usize> {
    let len = s.find(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))).unwrap_or(s.len());
    let domain = s[..len].trim_end_matches('.');
    let segments: Vec<&str> = domain.split('.').collect();
    if segments.len() < 2 || segments.iter().any(|seg| seg.is_empty()) {
        return None;
    }
    if segments[segments.len() - 2..].iter().any(|seg| seg.contains('_')) {
        return None;
    }
    Some(domain.len())
}

/// How much of a URL path to keep: trailing `?!.,:*_~` are punctuation, a trailing `)` without
/// its `(` is the text's, and a trailing `&name;` is an entity reference, not the URL's.
fn trim_trailing(path: &str) -> usize {
    let mut end = path.len();
    loop {
        let p = &path[..end];
        let punctuation = p.ends_with(['?', '!', '.', ',', ':', '*', '_', '~', '"', '\'']);
        let unbalanced = p.ends_with(')') && p.matches(')').count() > p.matches('(').count();
        if punctuation || unbalanced {
            end -= 1;
        } else if p.ends_with(';') {
            let amp = p.rfind('&');
            match amp {
                Some(a) if p[a + 1..end - 1].chars().all(|c| c.is_ascii_alphanumeric()) && a + 1 < end - 1 => end = a,
                _ => return end,
            }
        } else {
            return end;
        }
    }
}

/// `name@example.com` at `i`: its end and a `mailto:` URL.
fn email_at(text: &str, i: usize) -> Option<(usize, String)> {
    let rest = &text[i..];
    let local =
        rest.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+'))).unwrap_or(rest.len());
    if local == 0 || !rest[local..].starts_with('@') {
        return None;
    }
    let host = &rest[local + 1..];
    let host_len =
        host.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))).unwrap_or(host.len());
    let host = host[..host_len].trim_end_matches('.');
    if !host.contains('.') || host.ends_with(['-', '_']) || host.split('.').any(str::is_empty) {
        return None;
    }
    let end = local + 1 + host.len();
    Some((i + end, format!("mailto:{}", &rest[..end])))
}

/// The events of a document with autolinks made in its text: not inside links, images or code
/// (code spans are their own events, code blocks are skipped).
pub fn with_autolinks<'a>(
    events: impl Iterator<Item = (Event<'a>, Range<usize>)>,
) -> impl Iterator<Item = (Event<'a>, Range<usize>)> {
    let mut inside = 0usize;
    events.flat_map(move |(event, range)| {
        match &event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => inside += 1,
            Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => inside = inside.saturating_sub(1),
            _ => {}
        }
        let pieces = match &event {
            Event::Text(t) if inside == 0 => split(t).map(|pieces| {
                pieces
                    .into_iter()
                    .flat_map(|p| match p {
                        Piece::Text(t) => vec![Event::Text(CowStr::from(t.to_string()))],
                        Piece::Link { text, url } => vec![
                            Event::Start(Tag::Link {
                                link_type: LinkType::Autolink,
                                dest_url: CowStr::from(url),
                                title: CowStr::from(""),
                                id: CowStr::from(""),
                            }),
                            Event::Text(CowStr::from(text.to_string())),
                            Event::End(TagEnd::Link),
                        ],
                    })
                    .collect::<Vec<_>>()
            }),
            _ => None,
        };
        match pieces {
            Some(events) => events.into_iter().map(|e| (e, range.clone())).collect::<Vec<_>>(),
            None => vec![(event, range)],
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<(String, String)> {
        split(text)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| match p {
                Piece::Link { text, url } => Some((text.to_string(), url)),
                Piece::Text(_) => None,
            })
            .collect()
    }

    fn one(text: &str, url: &str) -> (String, String) {
        (text.to_string(), url.to_string())
    }

    #[test]
    fn bare_urls_www_and_emails_become_links() {
        assert_eq!(
            links("See https://example.com/a/b?x=1 now"),
            vec![one("https://example.com/a/b?x=1", "https://example.com/a/b?x=1")]
        );
        assert_eq!(
            links("Visit www.commonmark.org/help."),
            vec![one("www.commonmark.org/help", "http://www.commonmark.org/help")]
        );
        assert_eq!(links("Mail foo@bar.example.com."), vec![one("foo@bar.example.com", "mailto:foo@bar.example.com")]);
        assert_eq!(split("no links here, 5 @ 3"), None);
    }

    #[test]
    fn trailing_punctuation_parens_and_entities_stay_text() {
        assert_eq!(
            links("(www.google.com/search?q=Markup+(business))"),
            vec![one("www.google.com/search?q=Markup+(business)", "http://www.google.com/search?q=Markup+(business)")]
        );
        assert_eq!(
            links("www.google.com/search?q=commonmark&hl;"),
            vec![one("www.google.com/search?q=commonmark", "http://www.google.com/search?q=commonmark")]
        );
        assert_eq!(links("Is it https://x.org?"), vec![one("https://x.org", "https://x.org")]);
    }

    #[test]
    fn invalid_domains_and_mid_word_starts_are_not_links() {
        assert_eq!(links("www.a_b.c_d/x"), vec![]);
        assert_eq!(links("xhttps://example.com"), vec![]);
        assert_eq!(links("https://localhost"), vec![]);
        assert_eq!(links("user@host_"), vec![]);
    }

    #[test]
    fn pieces_keep_every_character() {
        let text = "a https://x.org/b, and b@c.de!";
        let joined: String = split(text)
            .unwrap()
            .iter()
            .map(|p| match p {
                Piece::Text(t) => *t,
                Piece::Link { text, .. } => text,
            })
            .collect();
        assert_eq!(joined, text);
    }
}
