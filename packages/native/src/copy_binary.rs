//! Parser for PostgreSQL's binary COPY format restricted to what the vector path needs: exactly one column of
//! one-dimensional `float4[]` (element oid 700) or `float8[]` (oid 701), all rows the same length, no NULLs.
//!
//! Layout (all integers big-endian): signature `PGCOPY\n\xff\r\n\0`, i32 flags, i32 header-extension length +
//! bytes, then tuples of i16 field count (-1 = trailer) and per field i32 length (-1 = NULL) + payload. An array
//! payload is i32 ndim, i32 has-nulls flag, u32 element oid, per dimension (i32 size, i32 lower bound), then per
//! element i32 length + bytes. Every read is bounds-checked: garbage or truncated input is an error, not a panic.

use crate::cancel::Cancel;
use crate::error::{Error, Result};
use crate::vector::Float;

const SIGNATURE: &[u8; 11] = b"PGCOPY\n\xff\r\n\0";
const FLAG_HAS_OIDS: u32 = 1 << 16;
const OID_FLOAT4: u32 = 700;
const OID_FLOAT8: u32 = 701;
/// Rows between cancel-flag checks.
const CANCEL_EVERY_ROWS: usize = 4096;

/// Parsed matrix: float4[] stays f32; float8[] stays f64 so no precision is lost (callers may narrow it).
pub enum CopyData {
    F32(Vec<f32>),
    F64(Vec<f64>),
}

pub struct CopyMatrix {
    pub data: CopyData,
    pub rows: usize,
    pub dim: usize,
}

/// A big-endian float element of a COPY array.
trait Element: Float {
    const OID: u32;
    const SIZE: usize;
    fn from_be(bytes: &[u8]) -> Self;
}
impl Element for f32 {
    const OID: u32 = OID_FLOAT4;
    const SIZE: usize = 4;
    #[inline(always)]
    fn from_be(bytes: &[u8]) -> Self {
        f32::from_bits(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }
}
impl Element for f64 {
    const OID: u32 = OID_FLOAT8;
    const SIZE: usize = 8;
    #[inline(always)]
    fn from_be(bytes: &[u8]) -> Self {
        let mut b = [0u8; 8];
        b.copy_from_slice(&bytes[..8]);
        f64::from_bits(u64::from_be_bytes(b))
    }
}

struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&end| end <= self.buf.len());
        let Some(end) = end else {
            return Err(Error::invalid(format!(
                "parseCopyFloatArrays: truncated COPY data: needed {n} bytes for {what} at offset {}, {} left",
                self.pos,
                self.buf.len() - self.pos
            )));
        };
        let bytes = &self.buf[self.pos..end];
        self.pos = end;
        Ok(bytes)
    }
    fn u32(&mut self, what: &str) -> Result<u32> {
        let b = self.take(4, what)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn i32(&mut self, what: &str) -> Result<i32> {
        Ok(self.u32(what)? as i32)
    }
    fn i16(&mut self, what: &str) -> Result<i16> {
        let b = self.take(2, what)?;
        Ok(i16::from_be_bytes([b[0], b[1]]))
    }
}

fn bad(message: String) -> Error {
    Error::invalid(format!("parseCopyFloatArrays: {message}"))
}

pub fn parse_copy(buf: &[u8], cancel: Cancel<'_>) -> Result<CopyMatrix> {
    let mut cur = Cursor { buf, pos: 0 };
    if buf.len() < SIGNATURE.len() || &buf[..SIGNATURE.len()] != SIGNATURE {
        return Err(bad("not a PostgreSQL binary COPY stream (missing PGCOPY signature)".into()));
    }
    cur.pos = SIGNATURE.len();
    let flags = cur.u32("the header flags")?;
    if flags & FLAG_HAS_OIDS != 0 {
        return Err(bad("COPY ... WITH OIDS streams are not supported".into()));
    }
    let extension = cur.u32("the header extension length")? as usize;
    cur.take(extension, "the header extension")?;

    // The first row fixes the element type; each is parsed by the monomorphised loop for its type.
    let start = cur.pos;
    match first_row_oid(&mut cur)? {
        None => Ok(CopyMatrix { data: CopyData::F32(Vec::new()), rows: 0, dim: 0 }),
        Some(OID_FLOAT4) => parse_typed::<f32>(buf, start, cancel).map(|(v, r, d)| matrix(CopyData::F32(v), r, d)),
        Some(OID_FLOAT8) => parse_typed::<f64>(buf, start, cancel).map(|(v, r, d)| matrix(CopyData::F64(v), r, d)),
        Some(oid) => Err(bad(format!(
            "row 0: expected a float4[] (oid 700) or float8[] (oid 701) column, got element oid {oid}"
        ))),
    }
}

fn matrix(data: CopyData, rows: usize, dim: usize) -> CopyMatrix {
    CopyMatrix { data, rows, dim }
}

/// Element oid of the first row, or `None` when the stream has no rows.
fn first_row_oid(cur: &mut Cursor<'_>) -> Result<Option<u32>> {
    let fields = cur.i16("the field count of row 0")?;
    if fields == -1 {
        return Ok(None);
    }
    if fields != 1 {
        return Err(bad(format!("row 0 has {fields} columns; select exactly one float4[] or float8[] column")));
    }
    if cur.i32("the length of row 0")? < 0 {
        return Err(bad("row 0 is NULL".into()));
    }
    cur.take(8, "the array header of row 0")?;
    Ok(Some(cur.u32("the element oid of row 0")?))
}

/// Bytes of one tuple before its elements: field count, field length, ndim, null flag, oid, length, lower bound.
const ROW_HEADER: usize = 2 + 4 + 4 + 4 + 4 + 4 + 4;
/// Rows decoded per parallel task.
const ROWS_PER_TASK: usize = 1024;

/// Fast path for the common shape — every row the same byte size, as rows of equal length are — decoding rows
/// in parallel straight into a pre-sized buffer. Anything irregular falls back to the sequential walk, which
/// also produces the precise error message.
fn parse_typed<T: Element>(buf: &[u8], start: usize, cancel: Cancel<'_>) -> Result<(Vec<T>, usize, usize)> {
    if let Some(parsed) = parse_uniform::<T>(buf, start, cancel)? {
        return Ok(parsed);
    }
    parse_rows::<T>(Cursor { buf, pos: start }, cancel)
}

fn parse_uniform<T: Element>(buf: &[u8], start: usize, cancel: Cancel<'_>) -> Result<Option<(Vec<T>, usize, usize)>> {
    use rayon::prelude::*;
    let header = match buf.get(start..start + ROW_HEADER) {
        Some(h) => h,
        None => return Ok(None),
    };
    let dim = i32::from_be_bytes([header[18], header[19], header[20], header[21]]);
    if dim <= 0 || !buf.ends_with(&[0xff, 0xff]) {
        return Ok(None);
    }
    let dim = dim as usize;
    let row_bytes = ROW_HEADER + dim * (4 + T::SIZE);
    let body = &buf[start..buf.len() - 2];
    if !body.len().is_multiple_of(row_bytes) {
        return Ok(None);
    }
    let rows = body.len() / row_bytes;
    let mut out = vec![T::ZERO; rows * dim];
    let len_prefix = (T::SIZE as u32).to_be_bytes();
    let regular = out.par_chunks_mut(dim * ROWS_PER_TASK).zip(body.par_chunks(row_bytes * ROWS_PER_TASK)).try_for_each(
        // Err(None): an irregular row, so fall back; Err(Some(_)): cancelled.
        |(out_rows, in_rows)| -> std::result::Result<(), Option<Error>> {
            cancel.check().map_err(Some)?;
            for (dst, row) in out_rows.chunks_exact_mut(dim).zip(in_rows.chunks_exact(row_bytes)) {
                // Same field count, length, ndim, null flag, oid and element count as row 0 (lower bound may differ).
                if row[..22] != header[..22] {
                    return Err(None);
                }
                for (d, chunk) in dst.iter_mut().zip(row[ROW_HEADER..].chunks_exact(4 + T::SIZE)) {
                    if chunk[..4] != len_prefix {
                        return Err(None);
                    }
                    *d = T::from_be(&chunk[4..]);
                }
            }
            Ok(())
        },
    );
    match regular {
        Ok(()) => Ok(Some((out, rows, dim))),
        Err(None) => Ok(None),
        Err(Some(error)) => Err(error),
    }
}

fn parse_rows<T: Element>(mut cur: Cursor<'_>, cancel: Cancel<'_>) -> Result<(Vec<T>, usize, usize)> {
    let mut out: Vec<T> = Vec::new();
    let mut dim = None;
    let mut row = 0usize;
    loop {
        if row.is_multiple_of(CANCEL_EVERY_ROWS) {
            cancel.check()?;
        }
        let fields = cur.i16("a field count")?;
        if fields == -1 {
            break;
        }
        if fields != 1 {
            return Err(bad(format!("row {row} has {fields} columns; select exactly one float4[] or float8[] column")));
        }
        let len = cur.i32("a field length")?;
        if len < 0 {
            return Err(bad(format!("row {row} is NULL")));
        }
        let payload = cur.take(len as usize, "an array value")?;
        let n = parse_array::<T>(payload, row, &mut out)?;
        match dim {
            None => {
                dim = Some(n);
                // Pre-size from the first row: the whole stream is then decoded without reallocation.
                let per_row = 4 + 2 + 4 + payload.len();
                out.reserve((cur.buf.len() - cur.pos) / per_row * n);
            }
            Some(d) if d != n => {
                return Err(Error::new(
                    crate::error::ErrorKind::DimensionMismatch,
                    format!("parseCopyFloatArrays: dimension mismatch: row 0 has {d} elements, row {row} has {n}"),
                ))
            }
            Some(_) => {}
        }
        row += 1;
    }
    if cur.pos != cur.buf.len() {
        return Err(bad(format!("{} unexpected bytes after the COPY trailer", cur.buf.len() - cur.pos)));
    }
    Ok((out, row, dim.unwrap_or(0)))
}

/// Explains why a row's elements do not have the regular `n × (length, value)` layout.
fn irregular_elements(mut bytes: &[u8], n: usize, size: usize, row: usize) -> Error {
    for i in 0..n {
        let Some(prefix) = bytes.get(..4) else { break };
        match i32::from_be_bytes([prefix[0], prefix[1], prefix[2], prefix[3]]) {
            -1 => return bad(format!("row {row}: element {i} is NULL")),
            len if len as usize != size => {
                return bad(format!("row {row}: element {i} has length {len}, expected {size}"))
            }
            _ => bytes = bytes.get(4 + size..).unwrap_or(&[]),
        }
    }
    bad(format!("row {row}: the array value is truncated or has trailing bytes"))
}

/// Decodes one array value, appending its elements to `out`; returns the element count.
fn parse_array<T: Element>(payload: &[u8], row: usize, out: &mut Vec<T>) -> Result<usize> {
    let mut cur = Cursor { buf: payload, pos: 0 };
    let ndim = cur.i32("the array dimensions")?;
    let _has_nulls = cur.i32("the array null flag")?;
    let oid = cur.u32("the element oid")?;
    if oid != T::OID {
        return Err(bad(format!("row {row}: element oid {oid} differs from row 0's {}", T::OID)));
    }
    if ndim == 0 {
        return Err(bad(format!("row {row} is an empty array")));
    }
    if ndim != 1 {
        return Err(bad(format!("row {row}: expected a one-dimensional array, got {ndim} dimensions")));
    }
    let n = cur.i32("the array length")?;
    cur.i32("the array lower bound")?;
    if n <= 0 {
        return Err(bad(format!("row {row} is an empty array")));
    }
    let n = n as usize;
    let elements = &payload[cur.pos..];
    if elements.len() != n * (4 + T::SIZE) {
        return Err(irregular_elements(elements, n, T::SIZE, row));
    }
    // Hot loop: the size check above is the only bounds check; fixed-size chunks let the compiler unroll.
    for chunk in elements.chunks_exact(4 + T::SIZE) {
        if chunk[..4] != (T::SIZE as u32).to_be_bytes() {
            return Err(irregular_elements(elements, n, T::SIZE, row));
        }
        out.push(T::from_be(&chunk[4..]));
    }
    Ok(n)
}
