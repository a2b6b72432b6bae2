//! A page's rendered HTML as the model holds it between the model and render stages: LZ4-compressed.
//!
//! Every page's body stays in memory until its page is written, and the bodies were the largest
//! thing the model held (129 MB of HTML at 10,000 pages, 1.3 GB at 100,000). HTML compresses
//! about twofold with LZ4 (129 MB to 69 MB at 10,000 pages), which is fast enough both ways (a few hundred MB/s to compress,
//! GB/s to expand) to cost the build well under its savings in memory. Small bodies are kept as
//! they are.

use std::sync::Arc;

/// Bodies shorter than this are not compressed: the saving would not pay for the work.
const COMPRESS_FROM: usize = 512;

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Body {
    stored: Stored,
}

#[derive(Clone, PartialEq, Eq)]
enum Stored {
    Plain(Arc<str>),
    /// `lz4_flex`'s block format, and the length of the HTML it expands to.
    Lz4 {
        packed: Arc<[u8]>,
        len: usize,
    },
}

/// A body as it is held: plain, or packed with the length it expands to.
pub(crate) enum BodyParts<'a> {
    Plain(&'a str),
    Lz4 { packed: &'a [u8], len: usize },
}

impl Default for Stored {
    fn default() -> Self {
        Stored::Plain(Arc::from(""))
    }
}

impl Body {
    pub fn new(html: &str) -> Body {
        match pack(html.as_bytes()) {
            Some(packed) => Body { stored: Stored::Lz4 { packed, len: html.len() } },
            None => Body { stored: Stored::Plain(Arc::from(html)) },
        }
    }

    /// The HTML, expanded.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match &self.stored {
            Stored::Plain(s) => std::borrow::Cow::Borrowed(s),
            Stored::Lz4 { packed, len } => {
                // `Body::new` makes this from valid UTF-8 and the page store reads back only
                // checksummed records, so neither step fails; were the bytes ever damaged, the page
                // would show replacement characters, not panic.
                match String::from_utf8(unpack(packed, *len)) {
                    Ok(s) => std::borrow::Cow::Owned(s),
                    Err(e) => std::borrow::Cow::Owned(String::from_utf8_lossy(e.as_bytes()).into_owned()),
                }
            }
        }
    }

    /// What is held, for [`super::store`] to write as it is.
    pub(crate) fn parts(&self) -> BodyParts<'_> {
        match &self.stored {
            Stored::Plain(s) => BodyParts::Plain(s),
            Stored::Lz4 { packed, len } => BodyParts::Lz4 { packed, len: *len },
        }
    }

    /// A body from what [`Body::parts`] gave.
    pub(crate) fn from_parts(parts: BodyParts<'_>) -> Body {
        match parts {
            BodyParts::Plain(s) => Body { stored: Stored::Plain(Arc::from(s)) },
            BodyParts::Lz4 { packed, len } => Body { stored: Stored::Lz4 { packed: Arc::from(packed), len } },
        }
    }

    /// Bytes held in memory.
    #[cfg(test)]
    fn stored_len(&self) -> usize {
        match &self.stored {
            Stored::Plain(s) => s.len(),
            Stored::Lz4 { packed, .. } => packed.len(),
        }
    }
}

/// `bytes` in `lz4_flex`'s block format, when they are long enough to be worth it and shrink;
/// None to keep them as they are. Shared (`Arc`): clones of a body, such as `folio serve`'s
/// memo and the model's page, hold one copy.
pub(crate) fn pack(bytes: &[u8]) -> Option<Arc<[u8]>> {
    if bytes.len() < COMPRESS_FROM {
        return None;
    }
    let mut packed = vec![0; lz4_flex::block::get_maximum_output_size(bytes.len())];
    match lz4_flex::block::compress_into(bytes, &mut packed) {
        Ok(n) if n < bytes.len() => Some(Arc::from(&packed[..n])),
        _ => None,
    }
}

/// What [`pack`] made from `len` bytes, expanded (shorter only if the packed bytes were damaged;
/// callers bound `len` by what the packed bytes could expand to).
pub(crate) fn unpack(packed: &[u8], len: usize) -> Vec<u8> {
    let mut bytes = vec![0; len];
    let n = lz4_flex::block::decompress_into(packed, &mut bytes).unwrap_or(0);
    bytes.truncate(n);
    bytes
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Body").field(&self.text()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_body_is_held_compressed_and_read_back_exactly() {
        let html = "<p>Restart the <code>ingest</code> workers, then check the lag.</p>\n".repeat(200);
        let body = Body::new(&html);
        assert!(body.stored_len() * 4 < html.len(), "held {} bytes for {}", body.stored_len(), html.len());
        assert_eq!(body.text(), html);
    }

    #[test]
    fn short_and_incompressible_bodies_are_kept_as_they_are() {
        assert_eq!(Body::new("<p>Hi</p>").stored_len(), "<p>Hi</p>".len());
        // Text with no repeats does not shrink: it is kept plain rather than grown.
        let noise: String = (0..2000u32).map(|i| char::from_u32(0x4e00 + (i * 7919) % 20000).unwrap()).collect();
        let body = Body::new(&noise);
        assert!(body.stored_len() <= noise.len());
        assert_eq!(body.text(), noise);
        assert_eq!(Body::default().text(), "");
    }
}
