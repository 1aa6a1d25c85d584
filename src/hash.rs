//! The hashes whose values are stored between runs (the cache's keys and checksums, the baseline's line hashes):
//! one owner, so that every place that stores one computes it alike. A leaf: it imports nothing of pyfix.

/// FNV-1a, 64 bits: a hash whose values may be stored and compared across runs and versions.
pub struct Fnv(pub u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// 128 bits of SipHash over what `feed` writes: two 64-bit hashes whose input starts with a different salt byte, so
/// two different inputs never share one in practice. The keys of the per-file cache (`cache::key`) and of a file's
/// words (`project::content_key`).
pub fn sip128(feed: impl Fn(&mut std::collections::hash_map::DefaultHasher)) -> u128 {
    use std::hash::{Hash, Hasher};
    let half = |salt: u8| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        salt.hash(&mut h);
        feed(&mut h);
        h.finish()
    };
    (u128::from(half(1)) << 64) | u128::from(half(2))
}
