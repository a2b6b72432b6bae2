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

/// The terms of [`analyzer`] for indexing many texts: the same tokens, length limit, lowercase
/// and stems, with each distinct word stemmed once (stemming is most of the analysis cost).
pub struct CachedAnalyzer {
    tokenizer: FolioTokenizer,
    stemmer: frostem::Stemmer,
    stems: std::collections::HashMap<String, String>,
    lowered: String,
}

impl Default for CachedAnalyzer {
    fn default() -> Self {
        CachedAnalyzer {
            tokenizer: FolioTokenizer::default(),
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
        let mut stream = self.tokenizer.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            // RemoveLongFilter::limit(48) keeps tokens shorter than 48 bytes.
            if token.text.len() >= 48 {
                continue;
            }
            self.lowered.clear();
            if token.text.is_ascii() {
                self.lowered.push_str(&token.text);
                self.lowered.make_ascii_lowercase();
            } else {
                self.lowered.extend(token.text.chars().flat_map(char::to_lowercase));
            }
            if !self.stems.contains_key(self.lowered.as_str()) {
                let stem = self.stemmer.stem(&self.lowered).into_owned();
                self.stems.insert(self.lowered.clone(), stem);
            }
            f(&self.stems[self.lowered.as_str()], token.position as u32);
            count += 1;
        }
        count
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
                    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa after-long dying skies Σίσυφος";
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
