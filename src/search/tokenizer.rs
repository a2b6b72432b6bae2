//! Tokenising for search, shared by the tantivy index and (spec'd identically) by the static
//! index: letters and digits of any script form words; Han, kana and Hangul characters are one
//! token each (so CJK text is searchable without a dictionary); then lowercase and English stems.

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};

pub const ANALYZER: &str = "folio";

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

#[derive(Clone, Default)]
pub struct FolioTokenizer {
    token: Token,
}

pub struct FolioTokenStream<'a> {
    text: &'a str,
    pos: usize,
    token: &'a mut Token,
}

impl Tokenizer for FolioTokenizer {
    type TokenStream<'a> = FolioTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> FolioTokenStream<'a> {
        self.token.reset();
        FolioTokenStream { text, pos: 0, token: &mut self.token }
    }
}

impl TokenStream for FolioTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        let Some((start, end)) = next_word(self.text, self.pos) else {
            self.pos = self.text.len();
            return false;
        };
        self.token.position = self.token.position.wrapping_add(1);
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.text.push_str(&self.text[start..end]);
        self.pos = end;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(FolioTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The next word of `text` at or after byte `from`, as a byte range: a run of letters and digits,
/// or one Han, kana or Hangul character. ASCII is checked byte by byte. The one definition of a
/// word, shared by the tantivy tokenizer and the static index.
fn next_word(text: &str, from: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let char_at = |i: usize| -> char {
        if bytes[i] < 128 {
            bytes[i] as char
        } else {
            text[i..].chars().next().unwrap_or(' ')
        }
    };
    let mut i = from;
    while i < bytes.len() {
        let first = char_at(i);
        if !first.is_alphanumeric() {
            i += first.len_utf8();
            continue;
        }
        let start = i;
        i += first.len_utf8();
        if !is_cjk(first) {
            while i < bytes.len() {
                let c = char_at(i);
                if !c.is_alphanumeric() || is_cjk(c) {
                    break;
                }
                i += c.len_utf8();
            }
        }
        return Some((start, i));
    }
    None
}

/// The words of `text` with their positions, as slices, without copying: the indexing fast path.
pub fn for_each_word<'a>(text: &'a str, mut f: impl FnMut(&'a str, u32)) {
    let mut position = 0u32;
    let mut at = 0;
    while let Some((start, end)) = next_word(text, at) {
        f(&text[start..end], position);
        position += 1;
        at = end;
    }
}

/// Lowercases `word` into `out` as tantivy's LowerCaser does (ASCII fast path, else per char).
pub fn lowercase_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
    } else {
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// Longest word kept: RemoveLongFilter::limit(48) keeps tokens shorter than 48 bytes.
pub const MAX_WORD_BYTES: usize = 47;

/// The Snowball English stemmer the analyzer uses, for indexing with stems cached by the caller.
pub fn english_stemmer() -> frostem::Stemmer {
    frostem::Stemmer::new(frostem::Algorithm::English)
}

/// The terms a text becomes, in order.
pub fn terms(text: &str) -> Vec<String> {
    let mut a = analyzer();
    let mut stream = a.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_stems_and_cjk() {
        assert_eq!(terms("Restarting the API-gateway pods"), vec!["restart", "the", "api", "gateway", "pod"]);
        assert_eq!(terms("数据库优化 v2"), vec!["数", "据", "库", "优", "化", "v2"]);
        assert_eq!(terms("ECONNREFUSED 127.0.0.1:5432"), vec!["econnrefus", "127", "0", "0", "1", "5432"]);
        assert_eq!(terms("Café naïve"), vec!["café", "naïv"]);
    }

    #[test]
    fn indexing_fast_path_matches_the_tantivy_pipeline() {
        let text = "Restarting the API-gateway: ÉCOLE naïve 数据库 ECONNREFUSED İstanbul generalization \
                    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa after-long dying skies Σίσυφος \
                    mixedé中文ab x²y ½ ⅷ e\u{301}cole 𝒜bc 1.5e10 ÅNGSTRÖM ǅemal";
        let stemmer = english_stemmer();
        let mut lowered = String::new();
        let mut got = Vec::new();
        for_each_word(text, |word, position| {
            if word.len() <= MAX_WORD_BYTES {
                lowercase_into(word, &mut lowered);
                got.push((stemmer.stem(&lowered).into_owned(), position));
            }
        });
        let mut expected = Vec::new();
        let mut a = analyzer();
        let mut stream = a.token_stream(text);
        while stream.advance() {
            expected.push((stream.token().text.clone(), stream.token().position as u32));
        }
        assert_eq!(got, expected);
    }
}
