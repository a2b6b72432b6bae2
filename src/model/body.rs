//! A page's rendered HTML as the model holds it between the model and render stages: LZ4-compressed.
//!
//! Every page's body stays in memory until its page is written, and the bodies were the largest
//! thing the model held (129 MB of HTML at 10,000 pages, 1.3 GB at 100,000). HTML compresses
//! about twofold with LZ4 (129 MB to 69 MB at 10,000 pages), which is fast enough both ways (a few hundred MB/s to compress,
//! GB/s to expand) to cost the build well under its savings in memory. Small bodies are kept as
//! they are.

/// Bodies shorter than this are not compressed: the saving would not pay for the work.
const COMPRESS_FROM: usize = 512;

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Body {
    stored: Stored,
}

#[derive(Clone, PartialEq, Eq)]
enum Stored {
    Plain(Box<str>),
    /// `lz4_flex`'s block format, and the length of the HTML it expands to.
    Lz4 {
        packed: Box<[u8]>,
        len: usize,
    },
}

impl Default for Stored {
    fn default() -> Self {
        Stored::Plain(Box::from(""))
    }
}

impl Body {
    pub fn new(html: &str) -> Body {
        if html.len() < COMPRESS_FROM {
            return Body { stored: Stored::Plain(Box::from(html)) };
        }
        let mut packed = vec![0; lz4_flex::block::get_maximum_output_size(html.len())];
        match lz4_flex::block::compress_into(html.as_bytes(), &mut packed) {
            Ok(n) if n < html.len() => {
                packed.truncate(n);
                Body { stored: Stored::Lz4 { packed: packed.into_boxed_slice(), len: html.len() } }
            }
            _ => Body { stored: Stored::Plain(Box::from(html)) },
        }
    }

    /// The HTML, expanded.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match &self.stored {
            Stored::Plain(s) => std::borrow::Cow::Borrowed(s),
            Stored::Lz4 { packed, len } => {
                // Only `Body::new` makes this, from valid UTF-8, so neither step can fail; were the
                // bytes ever damaged, the page would show replacement characters, not panic.
                let mut bytes = vec![0; *len];
                let n = lz4_flex::block::decompress_into(packed, &mut bytes).unwrap_or(0);
                bytes.truncate(n);
                match String::from_utf8(bytes) {
                    Ok(s) => std::borrow::Cow::Owned(s),
                    Err(e) => std::borrow::Cow::Owned(String::from_utf8_lossy(e.as_bytes()).into_owned()),
                }
            }
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
