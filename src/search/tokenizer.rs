//! Tokenising for search, shared by the tantivy index and (spec'd identically in
//! `theme/scripts/lib/tokenize.js`) by the static index. The rules, each pinned by a test:
//! - a word is a run of letters and digits of any script; Han, kana and Hangul characters are one
//!   token each (so CJK text is searchable without a dictionary);
//! - a compound is words joined by `_`, `-` or `.` with no space (`node_filesystem`,
//!   `api-gateway`, `127.0.0.1`); its words are split again at case changes, acronyms kept
//!   (`OVNKubernetesController` -> OVN, Kubernetes, Controller; `PVCs` stays one);
//! - a compound of two or more sub-words is indexed whole (at the position of its first
//!   sub-word) and as its sub-words (each stemmed, at consecutive positions), so
//!   `KubePodCrashLooping`, `kube pod crash looping` and `"pod crash"` all find it. A CamelCase
//!   whole is a word like any other (lowercased and stemmed: `pgbouncer` finds `PgBouncer`); a
//!   whole joined with `_`, `-` or `.` is kept as written, lowercased, behind a leading
//!   [`WHOLE_MARK`] (`!node_filesystem_space`). The mark keeps those apart in the dictionary: a
//!   plain word's type-ahead never expands into the thousands of config keys and file names that
//!   start with it, and the static index keeps them in chunks a plain query never downloads;
//! - terms are lowercased character by character, Latin, Greek and Cyrillic diacritics are
//!   folded (`résumé` is `resume`), and words are stemmed with Snowball English;
//! - a token longer than [`MAX_TOKEN_BYTES`] is left out but keeps its position (no cliff for
//!   real identifiers: the longest alert names are about 60 bytes).

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

pub const ANALYZER: &str = "folio";
/// The analyzer of the typo vocabulary: each word (and CamelCase whole) lowercased and folded, not
/// stemmed, no joined compounds (a typo is measured against words as people write them, not against stems).
pub const RAW_ANALYZER: &str = "folio_raw";

/// Starts every joined whole-compound term (`!node_filesystem_space`): no word term starts with it,
/// and it sorts before letters and digits.
pub const WHOLE_MARK: char = '!';

/// Longest token kept, in bytes (of the text as written).
pub const MAX_TOKEN_BYTES: usize = 255;

/// True for characters written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x2FFFF) // CJK Extensions B+
}

/// One token of a text, before analysis: the text it stands for, where, and whether it is a
/// whole compound (kept as written) or a word (stemmed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece<'a> {
    pub text: &'a str,
    /// Byte offset in the text.
    pub start: usize,
    pub position: u32,
    pub whole: bool,
    /// A whole compound joined with `_`, `-` or `.` (its term is marked, not stemmed).
    pub joined: bool,
}

impl Piece<'_> {
    /// Whether the typo vocabulary holds it: words and CamelCase wholes, as people type them.
    pub fn is_vocabulary(&self) -> bool {
        !self.joined
    }
}

/// Calls `f` with every token of `text`, in order (a compound's whole token before its
/// sub-words). Tokens over [`MAX_TOKEN_BYTES`] are skipped; positions still count them.
pub fn for_each_piece<'a>(text: &'a str, mut f: impl FnMut(Piece<'a>)) {
    let mut position = 0u32;
    let mut at = 0;
    let mut subs: Vec<(usize, usize)> = Vec::new();
    while let Some((start, end)) = next_compound(text, at) {
        subs.clear();
        if is_cjk(char_at(text, start)) {
            subs.push((start, end));
        } else {
            sub_words(text, start, end, &mut subs);
        }
        if subs.len() >= 2 && end - start <= MAX_TOKEN_BYTES {
            let joined = text[start..end].contains(['_', '-', '.']);
            f(Piece { text: &text[start..end], start, position, whole: true, joined });
        }
        for (k, &(s, e)) in subs.iter().enumerate() {
            if e - s <= MAX_TOKEN_BYTES {
                f(Piece { text: &text[s..e], start: s, position: position + k as u32, whole: false, joined: false });
            }
        }
        position += subs.len() as u32;
        at = end;
    }
}

fn char_at(text: &str, i: usize) -> char {
    let b = text.as_bytes()[i];
    if b < 128 {
        b as char
    } else {
        text[i..].chars().next().unwrap_or(' ')
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// The next compound at or after byte `from`: words joined by `_`, `-` or `.`, or one CJK
/// character.
fn next_compound(text: &str, from: usize) -> Option<(usize, usize)> {
    let len = text.len();
    let mut i = from;
    while i < len {
        let c = char_at(text, i);
        if !c.is_alphanumeric() {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        i += c.len_utf8();
        if is_cjk(c) {
            return Some((start, i));
        }
        loop {
            while i < len {
                let c = char_at(text, i);
                if !is_word_char(c) {
                    break;
                }
                i += c.len_utf8();
            }
            // A connector joins only when a word follows it at once.
            if i + 1 < len && matches!(text.as_bytes()[i], b'_' | b'-' | b'.') && is_word_char(char_at(text, i + 1)) {
                i += 1;
                continue;
            }
            break;
        }
        return Some((start, i));
    }
    None
}

/// The sub-words of the compound `text[start..end]`: its words, each split where the case
/// changes (`fooBar`, `K8sPod`, `HTTP2Errors`) or an acronym ends (`OVNKubernetes`; not before
/// a lone plural `s`: `PVCs`).
fn sub_words(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let mut i = start;
    while i < end {
        let c = char_at(text, i);
        if !is_word_char(c) {
            i += c.len_utf8();
            continue;
        }
        let word_start = i;
        while i < end && is_word_char(char_at(text, i)) {
            i += char_at(text, i).len_utf8();
        }
        split_case(text, word_start, i, out);
    }
}

fn split_case(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let word = &text[start..end];
    if word.bytes().all(|b| !b.is_ascii_uppercase()) && word.is_ascii() {
        out.push((start, end));
        return;
    }
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut from = 0;
    for j in 1..chars.len() {
        let (prev, cur) = (chars[j - 1].1, chars[j].1);
        if !cur.is_uppercase() {
            continue;
        }
        let after_lower_or_digit = prev.is_lowercase() || prev.is_numeric();
        let acronym_ends = prev.is_uppercase() && {
            // The lowercase run after `cur`: at least two letters (`Kubernetes`), not a plural.
            let run = chars[j + 1..].iter().take_while(|(_, c)| c.is_lowercase()).count();
            run >= 2
        };
        if after_lower_or_digit || acronym_ends {
            out.push((start + chars[from].0, start + chars[j].0));
            from = j;
        }
    }
    out.push((start + chars[from].0, end));
}

/// Lowercases `word` into `out` character by character (ASCII fast path), then folds Latin,
/// Greek and Cyrillic diacritics.
pub fn lowercase_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
        return;
    }
    for c in word.chars().flat_map(char::to_lowercase) {
        fold_into(c, out);
    }
}

/// A character without its diacritics: canonical decomposition less the combining marks
/// U+0300-U+036F, for Latin, Greek and Cyrillic letters (other scripts are left as they are, so
/// Hangul syllables are never split into jamo).
fn fold_into(c: char, out: &mut String) {
    let code = c as u32;
    if (0xC0..=0x52F).contains(&code) || (0x1E00..=0x1FFF).contains(&code) {
        unicode_normalization::char::decompose_canonical(c, |d| {
            if !(0x300..=0x36F).contains(&(d as u32)) {
                out.push(d);
            }
        });
    } else {
        out.push(c);
    }
}

/// The Snowball English stemmer the analyzer uses.
pub fn english_stemmer() -> frostem::Stemmer {
    frostem::Stemmer::new(frostem::Algorithm::English)
}

/// The term a piece becomes: lowercased and folded; a word is also stemmed.
pub fn term_of(piece: &Piece<'_>, stemmer: &frostem::Stemmer, buf: &mut String) -> String {
    lowercase_into(piece.text, buf);
    if piece.joined {
        format!("{WHOLE_MARK}{buf}")
    } else {
        stemmer.stem(buf).into_owned()
    }
}

/// A term with its position, as the analyzer emits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    pub position: u32,
    pub whole: bool,
    /// Byte range in the analysed text.
    pub start: usize,
    pub end: usize,
}

/// The terms of `text`, in order (a compound's whole term first, then its sub-words).
pub fn analyse(text: &str) -> Vec<Term> {
    let stemmer = english_stemmer();
    let mut buf = String::new();
    let mut out = Vec::new();
    for_each_piece(text, |p| {
        out.push(Term {
            text: term_of(&p, &stemmer, &mut buf),
            position: p.position,
            whole: p.whole,
            start: p.start,
            end: p.start + p.text.len(),
        })
    });
    out
}

/// The terms of `text`, in order.
pub fn terms(text: &str) -> Vec<String> {
    analyse(text).into_iter().map(|t| t.text).collect()
}

/// How a query word searches: one term, or a run of sub-words (a phrase) that may also match as
/// one whole compound term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordTerms {
    /// One term per position, the sub-words (or words) in order.
    pub words: Vec<String>,
    /// The whole term when the text is one compound of several sub-words.
    pub whole: Option<String>,
}

/// A query word's terms.
pub fn word_terms(text: &str) -> WordTerms {
    let terms = analyse(text);
    let wholes: Vec<&Term> = terms.iter().filter(|t| t.whole).collect();
    let mut words: Vec<(u32, String)> =
        terms.iter().filter(|t| !t.whole).map(|t| (t.position, t.text.clone())).collect();
    words.dedup_by_key(|(p, _)| *p);
    // One compound, and nothing else, has a whole term to match.
    let single =
        wholes.len() == 1 && terms.iter().all(|t| t.whole || (t.start >= wholes[0].start && t.end <= wholes[0].end));
    WordTerms { words: words.into_iter().map(|(_, t)| t).collect(), whole: single.then(|| wholes[0].text.clone()) }
}

#[derive(Clone, Default)]
pub struct FolioTokenizer {
    tokens: Vec<Token>,
    /// Words as written (lowercased and folded) instead of terms: [`RAW_ANALYZER`].
    raw: bool,
}

pub struct FolioTokenStream<'a> {
    tokens: &'a [Token],
    next: usize,
}

impl Tokenizer for FolioTokenizer {
    type TokenStream<'a> = FolioTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> FolioTokenStream<'a> {
        self.tokens.clear();
        if self.raw {
            let mut buf = String::new();
            let tokens = &mut self.tokens;
            for_each_piece(text, |p| {
                if p.is_vocabulary() {
                    lowercase_into(p.text, &mut buf);
                    tokens.push(Token {
                        offset_from: p.start,
                        offset_to: p.start + p.text.len(),
                        position: p.position as usize,
                        text: buf.clone(),
                        position_length: 1,
                    });
                }
            });
        } else {
            for t in analyse(text) {
                self.tokens.push(Token {
                    offset_from: t.start,
                    offset_to: t.end,
                    position: t.position as usize,
                    text: t.text,
                    position_length: 1,
                });
            }
        }
        FolioTokenStream { tokens: &self.tokens, next: 0 }
    }
}

impl TokenStream for FolioTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        unreachable!("the analyzer has no filters that change tokens")
    }
}

/// The analyzer both the index and queries use: all analysis is in the tokenizer.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(FolioTokenizer::default()).build()
}

/// The analyzer of [`RAW_ANALYZER`].
pub fn raw_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(FolioTokenizer { raw: true, ..Default::default() }).build()
}

/// The words of `text` as the typo vocabulary holds them.
pub fn raw_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut buf = String::new();
    for_each_piece(text, |p| {
        if p.is_vocabulary() {
            lowercase_into(p.text, &mut buf);
            out.push(buf.clone());
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_positions(text: &str) -> Vec<(String, u32)> {
        analyse(text).into_iter().map(|t| (t.text, t.position)).collect()
    }

    fn owned(v: &[(&str, u32)]) -> Vec<(String, u32)> {
        v.iter().map(|(t, p)| (t.to_string(), *p)).collect()
    }

    #[test]
    fn words_stems_and_cjk() {
        assert_eq!(terms("Restarting the API gateway pods"), vec!["restart", "the", "api", "gateway", "pod"]);
        assert_eq!(terms("数据库优化 v2"), vec!["数", "据", "库", "优", "化", "v2"]);
        assert_eq!(terms("k8s 5xx ECONNREFUSED"), vec!["k8s", "5xx", "econnrefus"]);
    }

    #[test]
    fn camel_and_pascal_case_with_acronyms_split_and_stay_whole() {
        assert_eq!(
            with_positions("OVNKubernetesControllerDisconnectedSouthboundDatabase fired"),
            owned(&[
                ("ovnkubernetescontrollerdisconnectedsouthbounddatabas", 0),
                ("ovn", 0),
                ("kubernet", 1),
                ("control", 2),
                ("disconnect", 3),
                ("southbound", 4),
                ("databas", 5),
                ("fire", 6),
            ])
        );
        assert_eq!(terms("ACMMetricsCollector"), vec!["acmmetricscollector", "acm", "metric", "collector"]);
        assert_eq!(
            terms("etcdHighNumberOfFailedGRPCRequests")[1..],
            ["etcd", "high", "number", "of", "fail", "grpc", "request"]
        );
        assert_eq!(terms("K8sPod HTTP2Errors"), vec!["k8spod", "k8s", "pod", "http2error", "http2", "error"]);
        // A plural acronym is one word; a lone capital or digit run is not split off a word.
        assert_eq!(terms("PVCs"), vec!["pvcs"]);
        assert_eq!(terms("KubePVCsPending"), vec!["kubepvcspend", "kube", "pvcs", "pend"]);
        assert_eq!(terms("Kubernetes NASA ipv6"), vec!["kubernet", "nasa", "ipv6"]);
        // A CamelCase whole is a word: typed in lower case, it is found.
        assert_eq!(terms("PgBouncer"), vec!["pgbouncer", "pg", "bouncer"]);
        assert_eq!(terms("PgBouncer"), [terms("pgbouncer"), terms("pg bouncer")].concat());
    }

    #[test]
    fn snake_kebab_and_dotted_names_split_and_stay_whole() {
        assert_eq!(
            with_positions("node_filesystem_space api-gateway 127.0.0.1"),
            owned(&[
                ("!node_filesystem_space", 0),
                ("node", 0),
                ("filesystem", 1),
                ("space", 2),
                ("!api-gateway", 3),
                ("api", 3),
                ("gateway", 4),
                ("!127.0.0.1", 5),
                ("127", 5),
                ("0", 6),
                ("0", 7),
                ("1", 8),
            ])
        );
        // A connector joins only words: not at the start, the end, or before a space.
        assert_eq!(
            terms("--dry-run /var/log. end. _private"),
            vec!["!dry-run", "dri", "run", "var", "log", "end", "privat"]
        );
    }

    #[test]
    fn diacritics_fold_and_long_identifiers_are_kept() {
        assert_eq!(terms("Résumé CAFÉ naïve Ångström"), vec!["resum", "cafe", "naiv", "angstrom"]);
        assert_eq!(terms("Σίσυφος"), vec!["σισυφος"]);
        // Hangul is never decomposed.
        assert_eq!(terms("한국"), vec!["한", "국"]);
        let long = "VeryLongAlertNameThatKeepsGoingWellPastFortyEightBytesOfText";
        assert_eq!(terms(long)[0], long.to_lowercase());
        let too_long = "a".repeat(MAX_TOKEN_BYTES + 1);
        assert_eq!(with_positions(&format!("{too_long} after")), owned(&[("after", 1)]));
    }

    #[test]
    fn query_words_are_a_phrase_of_sub_words_with_the_whole_term() {
        assert_eq!(
            word_terms("KubePodCrashLooping"),
            WordTerms {
                words: vec!["kube".into(), "pod".into(), "crash".into(), "loop".into()],
                whole: Some("kubepodcrashloop".into())
            }
        );
        assert_eq!(word_terms("Restarting"), WordTerms { words: vec!["restart".into()], whole: None });
        // Two compounds in one word (`a_b/c_d`): a phrase of all four, no single whole term.
        assert_eq!(word_terms("a_b/c_d").whole, None);
        assert_eq!(word_terms("a_b/c_d").words.len(), 4);
    }

    #[test]
    fn the_tantivy_analyzer_emits_the_same_terms_and_positions() {
        let text = "Restarting the API-gateway: ÉCOLE naïve 数据库 ECONNREFUSED İstanbul OVNKubernetesController";
        let mut expected = Vec::new();
        let mut a = analyzer();
        let mut stream = a.token_stream(text);
        while stream.advance() {
            expected.push((stream.token().text.clone(), stream.token().position as u32));
        }
        assert_eq!(with_positions(text), expected);
    }
}
