//! Little-endian binary payloads for fitted models (core wraps them in its checksummed header,
//! docs/architecture.md#model-format).
//!
//! ```text
//! offset  size  field
//! 0       4     magic "PGNM"
//! 4       2     format version (u16), currently 1
//! 6       2     algorithm id (u16): the `AlgorithmDef::id` (1 LinearRegression, 2 Ridge, 3 LogisticRegression;
//!               the ranges per family are in README.md)
//! 8       …     the algorithm's body (`Fitted::write`), then nothing: trailing bytes are an error
//! ```
//! Bodies are sequences of u32 dimensions and f64 arrays (IEEE-754 bit patterns, so round trips are bit-exact);
//! each algorithm documents its own body next to its `write`. Ids are never reused and a body layout never changes
//! under an existing id and version: test/fixtures/ml/format-v*.bin must keep loading.
//! The reader checks every length against the bytes left before allocating, so no input can over-read or
//! request a huge allocation.

use crate::error::{Error, Result};

pub const MAGIC: &[u8; 4] = b"PGNM";
pub const FORMAT_VERSION: u16 = 1;

pub struct Writer(Vec<u8>);

impl Writer {
    pub fn new(algorithm_id: u16) -> Self {
        let mut w = Writer(Vec::with_capacity(64));
        w.0.extend_from_slice(MAGIC);
        w.0.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        w.0.extend_from_slice(&algorithm_id.to_le_bytes());
        w
    }
    pub fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn f64s(&mut self, values: &[f64]) {
        self.0.reserve(values.len() * 8);
        values.iter().for_each(|v| self.0.extend_from_slice(&v.to_le_bytes()));
    }
    /// Opaque bytes (a foreign library's own model format, say), written as they are: the body layout records
    /// their length before them.
    pub fn bytes(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }
    pub fn finish(self) -> Vec<u8> {
        self.0
    }
}

pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

/// The payload's header fields. (Version 1 is the only format so far; a reader for an older layout would branch
/// on the version here.)
pub struct Header {
    pub algorithm_id: u16,
}

impl<'a> Reader<'a> {
    pub fn open(bytes: &'a [u8]) -> Result<(Self, Header)> {
        if bytes.len() < 8 || &bytes[..4] != MAGIC {
            return Err(Error::corrupt("not a native model (missing PGNM magic)"));
        }
        let version = u16::from_le_bytes([bytes[4], bytes[5]]);
        if version == 0 || version > FORMAT_VERSION {
            return Err(Error::corrupt(format!(
                "format version {version} is not supported (newest is {FORMAT_VERSION})"
            )));
        }
        let algorithm_id = u16::from_le_bytes([bytes[6], bytes[7]]);
        Ok((Reader { bytes, pos: 8 }, Header { algorithm_id }))
    }

    fn take(&mut self, what: &str, n: usize) -> Result<&'a [u8]> {
        let left = self.bytes.len() - self.pos;
        if n > left {
            return Err(Error::corrupt(format!("truncated: {what} needs {n} bytes, {left} left")));
        }
        let out = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    pub fn u32(&mut self) -> Result<u32> {
        let b = self.take("u32", 4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A dimension: a u32 that must be at least 1.
    pub fn dim(&mut self, what: &str) -> Result<usize> {
        match self.u32()? {
            0 => Err(Error::corrupt(format!("{what} is 0"))),
            n => Ok(n as usize),
        }
    }

    pub fn f64s(&mut self, what: &str, n: usize) -> Result<Vec<f64>> {
        let bytes =
            self.take(what, n.checked_mul(8).ok_or_else(|| Error::corrupt(format!("{what} size overflows")))?)?;
        Ok(bytes.chunks_exact(8).map(|c| f64::from_le_bytes(c.try_into().expect("chunks of 8"))).collect())
    }

    /// `n` opaque bytes, borrowed from the payload (checked against the bytes left, like every read).
    pub fn bytes(&mut self, what: &str, n: usize) -> Result<&'a [u8]> {
        self.take(what, n)
    }

    pub fn finish(self) -> Result<()> {
        match self.bytes.len() - self.pos {
            0 => Ok(()),
            extra => Err(Error::corrupt(format!("{extra} unexpected trailing bytes"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opaque_bytes_round_trip_and_truncation_is_an_error() {
        let mut w = Writer::new(7);
        w.u32(3);
        w.bytes(b"abc");
        let payload = w.finish();
        let (mut r, header) = Reader::open(&payload).unwrap();
        assert_eq!(header.algorithm_id, 7);
        let n = r.u32().unwrap() as usize;
        assert_eq!(r.bytes("blob", n).unwrap(), b"abc");
        r.finish().unwrap();
        let (mut r, _) = Reader::open(&payload[..payload.len() - 1]).unwrap();
        let n = r.u32().unwrap() as usize;
        assert!(r.bytes("blob", n).is_err());
    }
}
