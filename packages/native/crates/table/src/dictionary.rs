//! Text values → codes 0, 1, 2… in first-seen order, as the rows stream. The matrix holds the code; the strings are
//! kept once per distinct value, so a categorical column costs one f64 per row however long its values are.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FxHash (rustc's hasher): a multiply-rotate per word. Category strings are short and not attacker-chosen keys
/// of a long-lived table, so SipHash's flooding resistance buys nothing here and costs most of the lookup.
#[derive(Default)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(chunk.try_into().expect("8 bytes"))).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(K);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

#[derive(Default)]
pub struct Dictionary {
    codes: HashMap<Box<[u8]>, u32, BuildHasherDefault<FxHasher>>,
    values: Vec<String>,
}

impl Dictionary {
    /// The code of `bytes`, adding it when new; `Err` when the bytes are not UTF-8.
    #[inline]
    pub fn code(&mut self, bytes: &[u8]) -> Result<u32, std::str::Utf8Error> {
        if let Some(&code) = self.codes.get(bytes) {
            return Ok(code);
        }
        let value = std::str::from_utf8(bytes)?.to_owned();
        let code = self.values.len() as u32;
        self.codes.insert(bytes.into(), code);
        self.values.push(value);
        Ok(code)
    }

    /// Every distinct value, indexed by code.
    pub fn values(&self) -> &[String] {
        &self.values
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// JavaScript's string order (UTF-16 code units), so categories sort exactly as they always have in TypeScript.
pub fn js_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_first_appearance() {
        let mut d = Dictionary::default();
        let codes: Vec<u32> = ["b", "a", "b", "c", "a"].iter().map(|s| d.code(s.as_bytes()).unwrap()).collect();
        assert_eq!(codes, [0, 1, 0, 2, 1]);
        assert_eq!(d.values(), ["b", "a", "c"]);
        assert!(d.code(&[0xff, 0xfe]).is_err());
    }

    #[test]
    fn javascript_order_differs_from_byte_order_above_the_bmp() {
        // U+1F600 is the surrogate pair D83D DE00 in UTF-16, below U+FF61; in UTF-8 its lead byte F0 is above EF.
        let (emoji, halfwidth) = ("\u{1F600}", "\u{FF61}");
        assert_eq!(js_order(emoji, halfwidth), std::cmp::Ordering::Less);
        assert_eq!(emoji.cmp(halfwidth), std::cmp::Ordering::Greater);
    }
}
