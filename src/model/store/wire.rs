//! The page store's record encoding: LEB128 integers and length-prefixed strings, each record
//! LZ4-packed; every read is bounded by what is there, so damage reads as None.

/// A record as stored: its length, then its bytes LZ4-packed (or as they are, when packing
/// would not shrink them: a zero length flag).
pub(super) fn seal(plain: &[u8]) -> Vec<u8> {
    let mut e = Enc::default();
    match crate::model::body::pack(plain) {
        Some(packed) => {
            e.uint(plain.len() as u64);
            e.0.extend_from_slice(&packed);
        }
        None => {
            e.uint(0);
            e.0.extend_from_slice(plain);
        }
    }
    e.0
}

pub(super) fn unseal(sealed: &[u8]) -> Option<Vec<u8>> {
    let mut d = Dec { bytes: sealed, at: 0 };
    let len = d.usize()?;
    let rest = &sealed[d.at..];
    if len == 0 {
        return Some(rest.to_vec());
    }
    // A damaged length must not reserve more than packing could have made from what is here.
    if len > rest.len().saturating_mul(255) {
        return None;
    }
    let plain = crate::model::body::unpack(rest, len);
    (plain.len() == len).then_some(plain)
}

/// Bytes of a record, written field by field (LEB128 integers, length-prefixed strings).
#[derive(Default)]
pub(super) struct Enc(pub(super) Vec<u8>);

impl Enc {
    pub(super) fn uint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }
    pub(super) fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    pub(super) fn bytes(&mut self, b: &[u8]) {
        self.uint(b.len() as u64);
        self.0.extend_from_slice(b);
    }
    pub(super) fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.uint(0),
            Some(s) => {
                self.uint(1);
                self.str(s);
            }
        }
    }
    pub(super) fn bool(&mut self, b: bool) {
        self.uint(u64::from(b));
    }
}

/// Reads what [`Enc`] wrote; None at the first thing out of place.
pub(super) struct Dec<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) at: usize,
}

impl<'a> Dec<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Dec<'a> {
        Dec { bytes, at: 0 }
    }

    /// Whether every byte was read.
    pub(super) fn is_done(&self) -> bool {
        self.at == self.bytes.len()
    }

    pub(super) fn uint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.at)?;
            self.at += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }
    pub(super) fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.uint()?).ok()
    }
    pub(super) fn bytes(&mut self) -> Option<&'a [u8]> {
        let len = self.usize()?;
        let b = self.bytes.get(self.at..self.at.checked_add(len)?)?;
        self.at += len;
        Some(b)
    }
    pub(super) fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }
    pub(super) fn string(&mut self) -> Option<String> {
        self.str().map(str::to_string)
    }
    pub(super) fn opt_string(&mut self) -> Option<Option<String>> {
        match self.uint()? {
            0 => Some(None),
            1 => Some(Some(self.string()?)),
            _ => None,
        }
    }
    pub(super) fn bool(&mut self) -> Option<bool> {
        match self.uint()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
    /// A count of things to read, bounded by what is left (a damaged count cannot reserve more).
    pub(super) fn count(&mut self) -> Option<usize> {
        let n = self.usize()?;
        (n <= self.bytes.len() - self.at).then_some(n)
    }
}
