//! A small, fast, non-cryptographic hasher (the FxHash mix used by rustc)
//! for maps keyed by the user's own texts and ids: the per-file duplicate-id
//! set of the scanner and the corpus maps of the checks. SipHash's flood
//! resistance buys nothing there and cost a third of the corpus checks' time.

use std::hash::{BuildHasherDefault, Hasher};

/// FxHash: rotate, xor, multiply, eight bytes at a time.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Builds [`FxHasher`]s for `HashMap` / `HashSet`.
pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;
