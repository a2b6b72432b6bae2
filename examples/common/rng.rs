//! The deterministic random streams the corpus generators draw from (`SplitMix64`), shared by
//! `gen_corpus` and `gen_book` through `#[path]` (a folder under `examples/` is not an example).
#![allow(dead_code)]

/// `SplitMix64`: tiny, fast and statistically fine for synthetic text.
pub struct Rng(u64);

impl Rng {
    /// An independent stream for item `index` of kind `stream`, under the generator's `seed`.
    pub fn stream(seed: u64, stream: u64, index: u64) -> Self {
        let mut seeder = Rng(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        let base = seeder.next_u64();
        let mut rng = Rng(base ^ index.wrapping_mul(0xE703_7ED1_A0B4_28DB));
        rng.next_u64();
        rng
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0); the modulo bias is irrelevant here.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `pct` percent.
    pub fn chance(&mut self, pct: usize) -> bool {
        self.below(100) < pct
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}
