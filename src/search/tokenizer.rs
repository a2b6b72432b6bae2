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
}
