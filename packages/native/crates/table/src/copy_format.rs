//! PostgreSQL's binary COPY framing (all integers big-endian): the 11-byte signature `PGCOPY\n\xff\r\n\0`, an i32
//! flags word, an i32 header-extension length and its bytes; then tuples — an i16 field count and per field an i32
//! byte length (-1 = NULL) and the value; then an i16 -1 trailer.
//!
//! A socket delivers the stream in chunks that cut tuples anywhere. `Framer` hands out every complete tuple of a
//! chunk in place and copies only the one tuple cut by a chunk boundary, so decoding keeps pace with the network
//! and holds at most one tuple besides the chunk it is given.

use pgml_ml_core::{Error, Result};

pub const SIGNATURE: &[u8; 11] = b"PGCOPY\n\xff\r\n\0";
const FLAG_HAS_OIDS: u32 = 1 << 16;
/// Signature, flags, extension length.
const FIXED_HEADER: usize = 11 + 4 + 4;

// One bounds check and one load each (indexing byte by byte would check and load four times).
#[inline(always)]
pub fn be_i16(b: &[u8]) -> i16 {
    i16::from_be_bytes(b[..2].try_into().expect("2 bytes"))
}
#[inline(always)]
pub fn be_i32(b: &[u8]) -> i32 {
    i32::from_be_bytes(b[..4].try_into().expect("4 bytes"))
}
#[inline(always)]
pub fn be_u32(b: &[u8]) -> u32 {
    u32::from_be_bytes(b[..4].try_into().expect("4 bytes"))
}

pub fn copy_error(message: impl std::fmt::Display) -> Error {
    Error::data(format!("binary COPY: {message}"))
}

/// One complete tuple: its field count, then per field an i32 length (-1 = NULL) and the value.
#[derive(Clone, Copy)]
pub struct Tuple<'a> {
    bytes: &'a [u8],
}

impl<'a> Tuple<'a> {
    /// The whole tuple, field count first.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The fields in order, each as it travels (`raw`: length prefix and bytes) and as a value (`None` for NULL).
    pub fn fields(&self) -> Fields<'a> {
        Fields { bytes: self.bytes, at: 2 }
    }
}

pub struct Fields<'a> {
    bytes: &'a [u8],
    at: usize,
}

/// A field of a complete tuple.
pub struct Field<'a> {
    pub raw: &'a [u8],
    pub value: Option<&'a [u8]>,
}

impl<'a> Iterator for Fields<'a> {
    type Item = Field<'a>;
    #[inline(always)]
    fn next(&mut self) -> Option<Field<'a>> {
        let len = be_i32(self.bytes.get(self.at..self.at + 4)?);
        let start = self.at + 4;
        let end = start + len.max(0) as usize;
        let raw = &self.bytes[self.at..end];
        self.at = end;
        Some(Field { raw, value: (len >= 0).then(|| &raw[4..]) })
    }
}

/// Bytes that may be split in two (a carried tail and the next chunk), read as one.
struct Joined<'a> {
    head: &'a [u8],
    tail: &'a [u8],
}

impl Joined<'_> {
    fn len(&self) -> usize {
        self.head.len() + self.tail.len()
    }
    fn byte(&self, i: usize) -> u8 {
        if i < self.head.len() {
            self.head[i]
        } else {
            self.tail[i - self.head.len()]
        }
    }
    fn array<const N: usize>(&self, at: usize) -> Option<[u8; N]> {
        (at + N <= self.len()).then(|| std::array::from_fn(|k| self.byte(at + k)))
    }
}

enum State {
    Header,
    Tuples,
    Done,
}

/// What a tuple's or the header's size is, once enough of it has arrived.
enum Extent {
    /// Needs more bytes.
    Partial,
    Header(usize),
    Tuple(usize),
    Trailer,
}

pub struct Framer {
    n_fields: usize,
    state: State,
    /// The start of a tuple (or the header) cut by the end of the previous chunk.
    carry: Vec<u8>,
    /// Tuples handed out so far (for messages).
    pub tuples: usize,
}

impl Framer {
    pub fn new(n_fields: usize) -> Self {
        Framer { n_fields, state: State::Header, carry: Vec::new(), tuples: 0 }
    }

    /// Calls `on_tuple` for every tuple completed by `chunk`, in stream order.
    pub fn push(&mut self, chunk: &[u8], on_tuple: &mut dyn FnMut(&Tuple) -> Result<()>) -> Result<()> {
        let mut pos = 0;
        if !self.carry.is_empty() {
            let joined = Joined { head: &self.carry, tail: chunk };
            let needed = match self.extent(&joined, 0)? {
                Extent::Partial => {
                    self.carry.extend_from_slice(chunk);
                    return Ok(());
                }
                Extent::Header(n) | Extent::Tuple(n) => n,
                Extent::Trailer => 2,
            };
            pos = needed - self.carry.len();
            self.carry.extend_from_slice(&chunk[..pos]);
            let carried = std::mem::take(&mut self.carry);
            self.consume(&carried, 0, on_tuple)?;
        }
        while pos < chunk.len() {
            match self.consume(chunk, pos, on_tuple)? {
                Some(next) => pos = next,
                None => {
                    self.carry.extend_from_slice(&chunk[pos..]);
                    break;
                }
            }
        }
        Ok(())
    }

    /// Checks that the stream ended with its trailer.
    pub fn finish(&self) -> Result<()> {
        match self.state {
            State::Done => Ok(()),
            State::Header => Err(copy_error("the stream ended before its header was complete")),
            State::Tuples => {
                Err(copy_error(format!("the stream ended after {} rows without its trailer (truncated)", self.tuples)))
            }
        }
    }

    /// Handles the unit (header, tuple, trailer) at `pos`; its end, or `None` when it is cut by the chunk's end.
    fn consume(
        &mut self,
        bytes: &[u8],
        pos: usize,
        on_tuple: &mut dyn FnMut(&Tuple) -> Result<()>,
    ) -> Result<Option<usize>> {
        match self.state {
            State::Tuples => {}
            _ => {
                return Ok(match self.extent(&Joined { head: &bytes[pos..], tail: &[] }, 0)? {
                    Extent::Partial => None,
                    Extent::Header(n) => {
                        self.state = State::Tuples;
                        Some(pos + n)
                    }
                    Extent::Trailer | Extent::Tuple(_) => unreachable!("only the header precedes tuples"),
                })
            }
        }
        // The hot path: one walk over the lengths finds the tuple's end; decoding walks it again, knowing it whole.
        let Some(count) = bytes.get(pos..pos + 2).map(be_i16) else { return Ok(None) };
        if count == -1 {
            self.state = State::Done;
            return Ok(Some(pos + 2));
        }
        if count < 0 || count as usize != self.n_fields {
            return Err(copy_error(format!("row {} has {count} fields, expected {}", self.tuples, self.n_fields)));
        }
        let tuple = &bytes[pos..];
        let mut at = 2;
        for field in 0..self.n_fields {
            let Some(len) = tuple.get(at..at + 4).map(be_i32) else { return Ok(None) };
            if len < -1 {
                return Err(copy_error(format!("row {}, field {field}: negative length {len}", self.tuples)));
            }
            at += 4 + len.max(0) as usize;
        }
        if at > tuple.len() {
            return Ok(None);
        }
        on_tuple(&Tuple { bytes: &tuple[..at] })?;
        self.tuples += 1;
        Ok(Some(pos + at))
    }

    fn extent(&self, v: &Joined, at: usize) -> Result<Extent> {
        match self.state {
            State::Done => Err(copy_error(format!("{} unexpected bytes after the trailer", v.len() - at))),
            State::Header => header_extent(v, at),
            State::Tuples => self.tuple_extent(v, at),
        }
    }

    /// The size of a tuple cut by a chunk boundary (read across the carried tail and the next chunk).
    fn tuple_extent(&self, v: &Joined, at: usize) -> Result<Extent> {
        let Some(count) = v.array::<2>(at).map(i16::from_be_bytes) else { return Ok(Extent::Partial) };
        if count == -1 {
            return Ok(Extent::Trailer);
        }
        if count < 0 || count as usize != self.n_fields {
            return Err(copy_error(format!("row {} has {count} fields, expected {}", self.tuples, self.n_fields)));
        }
        let mut end = at + 2;
        for field in 0..self.n_fields {
            let Some(len) = v.array::<4>(end).map(i32::from_be_bytes) else { return Ok(Extent::Partial) };
            if len < -1 {
                return Err(copy_error(format!("row {}, field {field}: negative length {len}", self.tuples)));
            }
            end += 4 + len.max(0) as usize;
        }
        Ok(if end <= v.len() { Extent::Tuple(end - at) } else { Extent::Partial })
    }
}

fn header_extent(v: &Joined, at: usize) -> Result<Extent> {
    if v.len() - at < FIXED_HEADER {
        // Reject a foreign stream as soon as its first bytes disagree, not only once 19 bytes arrived.
        if (at..v.len()).any(|i| v.byte(i) != SIGNATURE[(i - at).min(10)] && i - at < SIGNATURE.len()) {
            return Err(copy_error("not a PostgreSQL binary COPY stream (bad signature)"));
        }
        return Ok(Extent::Partial);
    }
    if (0..SIGNATURE.len()).any(|i| v.byte(at + i) != SIGNATURE[i]) {
        return Err(copy_error("not a PostgreSQL binary COPY stream (bad signature)"));
    }
    let flags = u32::from_be_bytes(v.array::<4>(at + 11).expect("length checked"));
    if flags & FLAG_HAS_OIDS != 0 {
        return Err(copy_error("COPY ... WITH OIDS streams are not supported"));
    }
    let extension = i32::from_be_bytes(v.array::<4>(at + 15).expect("length checked"));
    if extension < 0 {
        return Err(copy_error(format!("negative header extension length {extension}")));
    }
    let n = FIXED_HEADER + extension as usize;
    Ok(if at + n <= v.len() { Extent::Header(n) } else { Extent::Partial })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A binary COPY stream of rows whose fields are given as raw values (None = NULL).
    pub fn stream(rows: &[Vec<Option<Vec<u8>>>]) -> Vec<u8> {
        let mut out = SIGNATURE.to_vec();
        out.extend_from_slice(&0u32.to_be_bytes());
        out.extend_from_slice(&0u32.to_be_bytes());
        for row in rows {
            out.extend_from_slice(&(row.len() as i16).to_be_bytes());
            for field in row {
                match field {
                    None => out.extend_from_slice(&(-1i32).to_be_bytes()),
                    Some(bytes) => {
                        out.extend_from_slice(&(bytes.len() as i32).to_be_bytes());
                        out.extend_from_slice(bytes);
                    }
                }
            }
        }
        out.extend_from_slice(&(-1i16).to_be_bytes());
        out
    }

    fn frame(bytes: &[u8], chunk: usize, n_fields: usize) -> Result<Vec<Vec<Option<Vec<u8>>>>> {
        let mut framer = Framer::new(n_fields);
        let mut rows = Vec::new();
        for piece in bytes.chunks(chunk.max(1)) {
            framer.push(piece, &mut |t| {
                rows.push(t.fields().map(|f| f.value.map(<[u8]>::to_vec)).collect());
                Ok(())
            })?;
        }
        framer.finish()?;
        Ok(rows)
    }

    #[test]
    fn every_chunking_yields_the_same_tuples() {
        let rows: Vec<Vec<Option<Vec<u8>>>> =
            (0..20).map(|r| vec![Some(vec![r as u8; r % 7]), None, Some(1.5f64.to_be_bytes().to_vec())]).collect();
        let bytes = stream(&rows);
        for chunk in [1, 2, 3, 5, 17, 64, bytes.len()] {
            assert_eq!(frame(&bytes, chunk, 3).unwrap(), rows, "chunk {chunk}");
        }
    }

    #[test]
    fn truncated_foreign_and_trailing_input_are_errors() {
        let bytes = stream(&[vec![Some(vec![1, 2])]]);
        assert!(frame(&bytes[..bytes.len() - 1], 4, 1).unwrap_err().message.contains("truncated"));
        assert!(frame(&bytes[..5], 4, 1).unwrap_err().message.contains("header"));
        assert!(frame(b"PGCOPX\n\xff\r\n\0", 3, 1).unwrap_err().message.contains("signature"));
        let mut extra = bytes.clone();
        extra.push(0);
        assert!(frame(&extra, 3, 1).unwrap_err().message.contains("unexpected bytes"));
        assert!(frame(&bytes, 3, 2).unwrap_err().message.contains("expected 2"));
    }
}
