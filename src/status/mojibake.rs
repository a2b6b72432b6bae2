//! Mojibake: UTF-8 text that was decoded as Mac Roman, Windows-1252 or Windows-1254 and saved
//! again (`âœ…`, `‚úÖ`, `ğŸš€` for ✅ and 🚀). Finds such runs, repairs them exactly when every
//! byte survived, and otherwise offers a best guess without claiming it is exact.

use crate::diag::LineIndex;
use std::collections::HashMap;
use std::sync::OnceLock;

/// A run of mojibake in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mojibake {
    /// Byte range of the damaged run in the scanned text.
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub column: u32,
    pub original: String,
    pub repaired: String,
    /// True when re-encoding the repair gives back exactly the damaged run (no byte was lost).
    pub exact: bool,
    /// The code page the UTF-8 bytes were wrongly decoded with.
    pub encoding: &'static str,
}

struct CodePage {
    name: &'static str,
    to_byte: HashMap<char, u8>,
    from_byte: [char; 128],
    /// Bytes a careless decoder drops (undefined, control or private-use characters).
    droppable: Vec<u8>,
}

fn code_pages() -> &'static [CodePage] {
    static PAGES: OnceLock<Vec<CodePage>> = OnceLock::new();
    PAGES.get_or_init(|| {
        [
            ("Mac Roman", encoding_rs::MACINTOSH),
            ("Windows-1252", encoding_rs::WINDOWS_1252),
            ("Windows-1254", encoding_rs::WINDOWS_1254),
        ]
        .into_iter()
        .map(|(name, enc)| {
            let mut to_byte = HashMap::new();
            let mut from_byte = ['\u{FFFD}'; 128];
            let mut droppable = Vec::new();
            for b in 0x80u8..=0xFF {
                let byte = [b];
                let (s, _) = enc.decode_without_bom_handling(&byte);
                let c = s.chars().next().unwrap_or('\u{FFFD}');
                from_byte[(b - 0x80) as usize] = c;
                if c == '\u{FFFD}' || c.is_control() || ('\u{E000}'..='\u{F8FF}').contains(&c) {
                    droppable.push(b);
                }
                if c != '\u{FFFD}' {
                    to_byte.insert(c, b);
                }
            }
            CodePage { name, to_byte, from_byte, droppable }
        })
        .collect()
    })
}

/// Characters whose presence makes a guess more likely right: the markers status documents use.
const LIKELY: &[char] = &[
    '✅', '🔄', '⏳', '❌', '⚠', '🟢', '🟡', '🔴', '☐', '☑', '☒', '✔', '✓', '✗', '🚀', '📅', '📌', '🎯', '💡', '⭐',
    '→',
];

fn could_be_mojibake_char(c: char) -> bool {
    !c.is_ascii() && code_pages().iter().any(|p| p.to_byte.contains_key(&c))
}

/// Finds every mojibake run in `text`, in order.
pub fn scan(text: &str) -> Vec<Mojibake> {
    // Fast path: nothing but ASCII and characters no code page produces.
    if text.is_ascii() {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut lines: Option<LineIndex<'_>> = None;
    let mut run_start: Option<usize> = None;
    let mut run_chars = 0usize;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let suspicious = could_be_mojibake_char(c);
        if suspicious {
            if run_start.is_none() {
                run_start = Some(i);
                run_chars = 0;
            }
            run_chars += 1;
        }
        let run_ends = !suspicious || iter.peek().is_none();
        if run_ends {
            if let Some(start) = run_start.take() {
                let end = if suspicious { text.len() } else { i };
                if run_chars >= 2 {
                    if let Some(mut m) = analyze(&text[start..end]) {
                        let lines = lines.get_or_insert_with(|| LineIndex::new(text));
                        let (line, column) = lines.line_col(start);
                        m.start = start;
                        m.end = end;
                        m.line = line;
                        m.column = column;
                        found.push(m);
                    }
                }
            }
        }
    }
    found
}

/// Applies the exact repairs only; best guesses are never written into a text.
pub fn repair_exact(text: &str, found: &[Mojibake]) -> String {
    repair(text, found, false)
}

/// Applies every repair, best guesses included: for reading status markers, never for writing.
pub fn repair_with_guesses(text: &str, found: &[Mojibake]) -> String {
    repair(text, found, true)
}

fn repair(text: &str, found: &[Mojibake], with_guesses: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for m in found.iter().filter(|m| m.exact || with_guesses) {
        out.push_str(&text[pos..m.start]);
        out.push_str(&m.repaired);
        pos = m.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// Characters a repair may produce. Two-byte results are limited to Latin-1 letters and symbols
/// (é, ×): wider ranges (Swedish ”PÅ” would become ”PŔ) or would turn real text such as “École” (Mac Roman bytes D2 83) into
/// Cyrillic. Three- and four-byte results are the symbols, box drawing, CJK and emoji that status
/// documents are full of.
fn plausible(c: char) -> bool {
    matches!(c as u32,
        0xA0..=0xFF
        | 0x2000..=0x2BFF
        | 0x2E80..=0x9FFF
        | 0xAC00..=0xD7AF
        | 0xFE00..=0xFE0F
        | 0xFF00..=0xFFEF
        | 0x1F000..=0x1FAFF)
}

/// Greedy UTF-8 decoding of the bytes a run stood for. Returns the text (undecodable bytes keep
/// their original characters), how many characters were repaired, and whether a sequence was cut
/// short (a byte was lost).
fn decode(bytes: &[u8], originals: &[char]) -> (String, usize, bool) {
    let mut out = String::new();
    let (mut i, mut repaired, mut broken) = (0, 0, false);
    while i < bytes.len() {
        let len = match bytes[i] {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => 0,
        };
        if len > 0 && i + len <= bytes.len() {
            if let Ok(s) = std::str::from_utf8(&bytes[i..i + len]) {
                if s.chars().all(plausible) {
                    out.push_str(s);
                    repaired += 1;
                    i += len;
                    continue;
                }
            }
        }
        let is_cont = |b: u8| (0x80..=0xBF).contains(&b);
        // A lead byte followed by part of its sequence, or two orphaned continuation bytes,
        // means a byte of the original went missing.
        if (len > 0 && bytes.get(i + 1).copied().is_some_and(is_cont))
            || (is_cont(bytes[i]) && bytes.get(i + 1).copied().is_some_and(is_cont))
        {
            broken = true;
        }
        out.push(originals[i]);
        i += 1;
    }
    (out, repaired, broken)
}

fn analyze(run: &str) -> Option<Mojibake> {
    let chars: Vec<char> = run.chars().collect();
    let mut best: Option<(u8, usize, Mojibake)> = None; // (quality, repaired chars, finding)
    for page in code_pages() {
        let Some(bytes) = chars.iter().map(|c| page.to_byte.get(c).copied()).collect::<Option<Vec<u8>>>() else {
            continue;
        };
        let (text, repaired, broken) = decode(&bytes, &chars);
        let candidate = if repaired > 0 && !broken {
            let round_trip: String =
                text.bytes().map(|b| if b < 0x80 { b as char } else { page.from_byte[(b - 0x80) as usize] }).collect();
            let exact = round_trip == run;
            Some((if exact { 2 } else { 1 }, repaired, finding(run, text, exact, page.name)))
        } else if broken && chars.len() <= 16 {
            // Guessing is only worth it (and only cheap) for short runs, and only a guess that
            // yields a status marker is believable: otherwise “„Übersicht“” would be "repaired".
            guess(&bytes, &chars, page)
                .filter(|(text, _)| text.chars().any(|c| LIKELY.contains(&c)))
                .map(|(text, repaired)| (1, repaired, finding(run, text, false, page.name)))
        } else {
            None
        };
        if let Some(c) = candidate {
            if best.as_ref().is_none_or(|b| (c.0, c.1) > (b.0, b.1)) {
                best = Some(c);
            }
        }
    }
    best.map(|b| b.2)
}

/// Best guess for a run that lost a byte: try putting each byte the code page may have dropped
/// back at each position, preferring results that hold a status marker.
fn guess(bytes: &[u8], chars: &[char], page: &CodePage) -> Option<(String, usize)> {
    let mut best: Option<((bool, bool, usize), String, usize)> = None;
    let candidates: Vec<u8> = page.droppable.iter().copied().chain(0x80..=0xBF).collect();
    for pos in 0..=bytes.len() {
        for &b in &candidates {
            let mut trial = bytes.to_vec();
            trial.insert(pos, b);
            let mut originals = chars.to_vec();
            originals.insert(pos, '\u{FFFD}');
            let (text, repaired, broken) = decode(&trial, &originals);
            if broken || repaired == 0 || text.contains('\u{FFFD}') {
                continue;
            }
            let rank = (text.chars().any(|c| LIKELY.contains(&c)), page.droppable.contains(&b), repaired);
            if best.as_ref().is_none_or(|(r, _, _)| rank > *r) {
                best = Some((rank, text, repaired));
            }
        }
    }
    best.map(|(_, t, r)| (t, r))
}

fn finding(run: &str, repaired: String, exact: bool, encoding: &'static str) -> Mojibake {
    Mojibake { start: 0, end: 0, line: 0, column: 0, original: run.to_string(), repaired, exact, encoding }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Mojibake {
        let found = scan(text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        found.into_iter().next().unwrap()
    }

    #[test]
    fn exact_repairs_for_each_code_page_seen_in_the_seeds() {
        for (damaged, repaired, encoding) in [
            ("‚úÖ", "✅", "Mac Roman"),
            ("âœ…", "✅", "Windows-1252"),
            ("ðŸ“…", "📅", "Windows-1252"),
            ("ğŸš€", "🚀", "Windows-1254"),
            ("\u{f8ff}üîÑ", "🔄", "Mac Roman"),
            ("\u{f8ff}üü¢", "🟢", "Mac Roman"),
            ("‚ö†Ô∏è", "⚠️", "Mac Roman"),
            ("√ó", "×", "Mac Roman"),
            ("‚îú‚îÄ‚îÄ", "├──", "Mac Roman"),
            ("â”œâ”€â”€", "├──", "Windows-1252"),
        ] {
            let m = one(&format!("- {damaged} Week 1"));
            assert_eq!((m.repaired.as_str(), m.exact, m.encoding), (repaired, true, encoding), "{damaged}");
            assert_eq!(m.original, damaged);
        }
    }

    #[test]
    fn lost_bytes_get_a_best_guess_that_is_not_exact() {
        let m = one("- â³ Week 8");
        assert_eq!((m.repaired.as_str(), m.exact), ("⏳", false));
        let m = one("üü¢ ON SCHEDULE");
        assert_eq!((m.repaired.as_str(), m.exact), ("🟢", false));
        let m = one("â˜ Task");
        assert!(!m.exact);
        assert_eq!(m.repaired, "☐");
    }

    #[test]
    fn accented_text_is_never_touched() {
        for text in [
            "café",
            "Müller",
            "naïve",
            "Ærøskøbing — “quoted” … déjà vu",
            "数据库 优化",
            "Ελληνικά",
            "«ça»",
            "“École”",
            "lui—épris",
            "½ ¼",
            "„Übersicht“ und „Änderungen“",
            "”PÅ” och Ä“",
            "±5 °C",
        ] {
            assert!(scan(text).is_empty(), "{text}: {:?}", scan(text));
        }
    }

    #[test]
    fn positions_and_exact_repair_of_a_whole_text() {
        let text = "# Plan\n\n- âœ… done\n- â³ later\n";
        let found = scan(text);
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].line, found[0].column), (3, 3));
        assert_eq!((found[1].line, found[1].column), (4, 3));
        assert_eq!(repair_exact(text, &found), "# Plan\n\n- ✅ done\n- â³ later\n");
    }

    #[test]
    fn repairs_the_seed_documents() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
        let mut exact = 0;
        let mut lossy = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for m in scan(&text) {
                if m.exact {
                    exact += 1;
                } else {
                    lossy += 1;
                }
            }
        }
        assert!(exact > 100, "{exact}");
        assert_eq!(lossy, 30, "6 + 18 `â³` and 6 `â˜` runs lost a byte");
    }
}
