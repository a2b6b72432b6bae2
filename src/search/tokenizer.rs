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
        let rest = &self.text[self.pos..];
        let Some((start_rel, first)) = rest.char_indices().find(|(_, c)| c.is_alphanumeric()) else {
            self.pos = self.text.len();
            return false;
        };
        let start = self.pos + start_rel;
        let end = if is_cjk(first) {
            start + first.len_utf8()
        } else {
            self.text[start..]
                .char_indices()
                .find(|(_, c)| !c.is_alphanumeric() || is_cjk(*c))
                .map(|(i, _)| start + i)
                .unwrap_or(self.text.len())
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

/// The words [`FolioTokenizer`] splits `text` into, as slices with their positions, without
/// copying: the fast path for indexing (ASCII is checked byte by byte).
pub fn for_each_word(text: &str, mut f: impl FnMut(&str, u32)) {
    let bytes = text.as_bytes();
    let continues = |c: char| c.is_alphanumeric() && !is_cjk(c);
    let mut i = 0;
    let mut position = 0u32;
    while i < bytes.len() {
        let b = bytes[i];
        let (first, len) = if b < 128 {
            (b as char, 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (c, c.len_utf8())
        };
        if !first.is_alphanumeric() {
            i += len;
            continue;
        }
        let start = i;
        i += len;
        if !is_cjk(first) {
            while i < bytes.len() {
                let b = bytes[i];
                if b < 128 {
                    if b.is_ascii_alphanumeric() {
                        i += 1;
                        continue;
                    }
                    break;
                }
                let c = text[i..].chars().next().unwrap_or(' ');
                if !continues(c) {
                    break;
                }
                i += c.len_utf8();
            }
        }
        f(&text[start..i], position);
        position += 1;
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

/// The terms of [`analyzer`] for indexing many texts: the same tokens, length limit, lowercase
/// and stems, with each distinct word stemmed once (stemming is most of the analysis cost).
pub struct CachedAnalyzer {
    stemmer: frostem::Stemmer,
    stems: std::collections::HashMap<String, String, xxhash_rust::xxh3::Xxh3DefaultBuilder>,
    lowered: String,
}

impl Default for CachedAnalyzer {
    fn default() -> Self {
        CachedAnalyzer {
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
            stems: Default::default(),
            lowered: String::new(),
        }
    }
}

impl CachedAnalyzer {
    /// Calls `f(term, position)` for every term of `text`; returns how many there were.
    pub fn for_each_term(&mut self, text: &str, mut f: impl FnMut(&str, u32)) -> u64 {
        let mut count = 0;
        let CachedAnalyzer { stemmer, stems, lowered } = self;
        for_each_word(text, |word, position| {
            if word.len() > MAX_WORD_BYTES {
                return;
            }
            lowercase_into(word, lowered);
            if !stems.contains_key(lowered.as_str()) {
                let stem = stemmer.stem(lowered).into_owned();
                stems.insert(lowered.clone(), stem);
            }
            f(&stems[lowered.as_str()], position);
            count += 1;
        });
        count
    }

    /// The stem of one lowercased word.
    pub fn stem(&mut self, lowered: &str) -> String {
        self.stemmer.stem(lowered).into_owned()
    }
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
    fn cached_analyzer_matches_the_tantivy_pipeline() {
        let text = "Restarting the API-gateway: ÉCOLE naïve 数据库 ECONNREFUSED İstanbul generalization \
                    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa after-long dying skies Σίσυφος \
                    mixedé中文ab x²y ½ ⅷ e\u{301}cole 𝒜bc 1.5e10 ÅNGSTRÖM ǅemal";
        let mut cached = CachedAnalyzer::default();
        let mut got = Vec::new();
        cached.for_each_term(text, |t, p| got.push((t.to_string(), p)));
        let mut expected = Vec::new();
        let mut a = analyzer();
        let mut stream = a.token_stream(text);
        while stream.advance() {
            expected.push((stream.token().text.clone(), stream.token().position as u32));
        }
        assert_eq!(got, expected);
    }
}
