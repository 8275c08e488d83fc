//! One field's bytes → f64 values, exactly: float4 widens losslessly, integers up to 2^53 are exact (int8 beyond
//! rounds to the nearest double, as `::float8` would), booleans are 0/1. Arrays of any dimension are flattened in
//! PostgreSQL's element order; NULL elements become NaN, which preprocessing imputes or reports.

use crate::columns::WireType;
use crate::copy_format::{be_i32, be_u32};

/// Why a field could not be decoded; the caller adds the column and row.
#[derive(Debug, PartialEq)]
pub enum FieldError {
    /// An array with another element count than the column's (ragged arrays).
    Ragged {
        got: usize,
        expected: usize,
    },
    Malformed(String),
}

/// A non-NULL scalar of a numeric or boolean `wire` type.
#[inline]
pub fn scalar(wire: WireType, b: &[u8]) -> Result<f64, FieldError> {
    if b.len() != wire.size() {
        return Err(FieldError::Malformed(format!("{} bytes is not a {}", b.len(), wire.name())));
    }
    Ok(scalar_unchecked(wire, b))
}

/// A scalar whose length the caller checked against `wire.size()`.
#[inline(always)]
pub fn scalar_unchecked(wire: WireType, b: &[u8]) -> f64 {
    match wire {
        WireType::Float8 => f64::from_bits(u64::from_be_bytes(b[..8].try_into().expect("8 bytes"))),
        WireType::Float4 => f32::from_bits(be_u32(b)) as f64,
        WireType::Int4 => be_i32(b) as f64,
        WireType::Int8 => i64::from_be_bytes(b[..8].try_into().expect("8 bytes")) as f64,
        WireType::Int2 => i16::from_be_bytes(b[..2].try_into().expect("2 bytes")) as f64,
        WireType::Bool => (b[0] != 0) as u8 as f64,
        WireType::Text => unreachable!("text is dictionary-encoded, not decoded as a number"),
    }
}

/// An array of `wire` elements into `out`, which must receive exactly `out.len()` elements.
pub fn array_into(wire: WireType, b: &[u8], out: &mut [f64]) -> Result<(), FieldError> {
    let malformed = |what: &str| FieldError::Malformed(format!("malformed array: {what}"));
    if b.len() < 12 {
        return Err(malformed("shorter than its header"));
    }
    let ndim = be_i32(b);
    let oid = be_u32(&b[8..]);
    if !(0..=6).contains(&ndim) {
        return Err(malformed(&format!("{ndim} dimensions")));
    }
    if oid != wire.element_oid() {
        return Err(FieldError::Malformed(format!(
            "array elements have type oid {oid}, expected {} ({})",
            wire.element_oid(),
            wire.name()
        )));
    }
    let dims_end = 12 + 8 * ndim as usize;
    if b.len() < dims_end {
        return Err(malformed("truncated dimensions"));
    }
    let mut count: usize = if ndim == 0 { 0 } else { 1 };
    for d in 0..ndim as usize {
        let size = be_i32(&b[12 + 8 * d..]);
        if size < 0 {
            return Err(malformed("negative dimension"));
        }
        count = count.saturating_mul(size as usize);
    }
    if count != out.len() {
        return Err(FieldError::Ragged { got: count, expected: out.len() });
    }
    let size = wire.size();
    let mut at = dims_end;
    let elements = &b[dims_end..];
    // The common case — no NULL elements — is exactly count × (length, value): one check, then a tight loop.
    if elements.len() == count * (4 + size) {
        let prefix = (size as i32).to_be_bytes();
        for (slot, element) in out.iter_mut().zip(elements.chunks_exact(4 + size)) {
            if element[..4] != prefix {
                return Err(malformed("bad element length"));
            }
            *slot = scalar_unchecked(wire, &element[4..]);
        }
        return Ok(());
    }
    for slot in out.iter_mut() {
        if at + 4 > b.len() {
            return Err(malformed("truncated elements"));
        }
        let len = be_i32(&b[at..]);
        at += 4;
        if len == -1 {
            *slot = f64::NAN;
            continue;
        }
        if len as usize != size || at + size > b.len() {
            return Err(malformed("bad element length"));
        }
        *slot = scalar_unchecked(wire, &b[at..at + size]);
        at += size;
    }
    if at != b.len() {
        return Err(malformed("trailing bytes"));
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The binary form of an array with the given dimensions; `None` elements are NULL.
    pub fn array(wire: WireType, dims: &[i32], elements: &[Option<Vec<u8>>]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&(dims.len() as i32).to_be_bytes());
        out.extend_from_slice(&(elements.iter().any(Option::is_none) as i32).to_be_bytes());
        out.extend_from_slice(&wire.element_oid().to_be_bytes());
        for &d in dims {
            out.extend_from_slice(&d.to_be_bytes());
            out.extend_from_slice(&1i32.to_be_bytes());
        }
        for e in elements {
            match e {
                None => out.extend_from_slice(&(-1i32).to_be_bytes()),
                Some(v) => {
                    out.extend_from_slice(&(v.len() as i32).to_be_bytes());
                    out.extend_from_slice(v);
                }
            }
        }
        out
    }

    #[test]
    fn scalars_are_exact() {
        assert_eq!(scalar(WireType::Float4, &0.1f32.to_be_bytes()), Ok(0.1f32 as f64));
        assert_eq!(scalar(WireType::Float8, &(-2.5f64).to_be_bytes()), Ok(-2.5));
        assert_eq!(scalar(WireType::Int8, &(1i64 << 53).to_be_bytes()), Ok(9007199254740992.0));
        assert_eq!(scalar(WireType::Int2, &(-7i16).to_be_bytes()), Ok(-7.0));
        assert_eq!(scalar(WireType::Bool, &[1]), Ok(1.0));
        assert!(matches!(scalar(WireType::Int4, &[0, 1]), Err(FieldError::Malformed(_))));
    }

    #[test]
    fn arrays_of_any_dimension_flatten_and_nulls_become_nan() {
        let two_by_two: Vec<Option<Vec<u8>>> = [1i32, 2, 3, 4].iter().map(|v| Some(v.to_be_bytes().to_vec())).collect();
        let mut out = [0.0; 4];
        array_into(WireType::Int4, &array(WireType::Int4, &[2, 2], &two_by_two), &mut out).unwrap();
        assert_eq!(out, [1.0, 2.0, 3.0, 4.0]);
        let with_null = vec![Some(1.5f32.to_be_bytes().to_vec()), None];
        let mut out = [0.0; 2];
        array_into(WireType::Float4, &array(WireType::Float4, &[2], &with_null), &mut out).unwrap();
        assert_eq!(out[0], 1.5);
        assert!(out[1].is_nan());
        let mut three = [0.0; 3];
        assert_eq!(
            array_into(WireType::Float4, &array(WireType::Float4, &[2], &with_null), &mut three),
            Err(FieldError::Ragged { got: 2, expected: 3 })
        );
        assert_eq!(
            array_into(WireType::Float4, &array(WireType::Float4, &[], &[]), &mut three),
            Err(FieldError::Ragged { got: 0, expected: 3 })
        );
        assert!(matches!(
            array_into(WireType::Float8, &array(WireType::Float4, &[2], &with_null), &mut out),
            Err(FieldError::Malformed(_))
        ));
    }
}
