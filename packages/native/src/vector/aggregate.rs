//! Elementwise aggregates over many vectors, like PostgresML's `pgml.sum/min/max/min_abs/max_abs` aggregates.
//!
//! As in PostgresML, `min_abs`/`max_abs` return the absolute values (|x| of the element with the smallest/largest
//! magnitude), not the signed element. Unlike PostgresML (whose `v > cur` test silently skips NaN), a NaN in any
//! input makes that output element NaN — the IEEE "NaN propagates" rule used everywhere else in this crate.

use super::Float;
use crate::error::{check_same_len, Error, Result};

#[derive(Clone, Copy, Debug)]
pub enum Aggregate {
    Sum,
    Min,
    Max,
    MinAbs,
    MaxAbs,
}

/// Checks the batch is non-empty and rectangular; returns the common length.
pub fn validate(what: &str, lengths: impl IntoIterator<Item = usize>) -> Result<usize> {
    let mut lengths = lengths.into_iter().enumerate();
    let Some((_, dim)) = lengths.next() else {
        return Err(Error::empty(format!("{what}: no vectors given")));
    };
    if dim == 0 {
        return Err(Error::empty(format!("{what}: vector 0 is empty")));
    }
    for (i, len) in lengths {
        check_same_len(what, "vector 0", dim, &format!("vector {i}"), len)?;
    }
    Ok(dim)
}

pub fn aggregate<'a, T: Float>(op: Aggregate, vectors: impl IntoIterator<Item = &'a [T]>) -> Vec<T> {
    let mut vectors = vectors.into_iter();
    let first = vectors.next().unwrap_or(&[]);
    let magnitude = matches!(op, Aggregate::MinAbs | Aggregate::MaxAbs);
    let mut acc: Vec<T> = if magnitude { first.iter().map(|x| x.abs()).collect() } else { first.to_vec() };
    for v in vectors {
        let step: fn(T, T) -> T = match op {
            Aggregate::Sum => |cur, x| cur + x,
            Aggregate::Min => |cur, x| pick(cur, x, x < cur),
            Aggregate::Max => |cur, x| pick(cur, x, x > cur),
            Aggregate::MinAbs => |cur, x| pick(cur, x.abs(), x.abs() < cur),
            Aggregate::MaxAbs => |cur, x| pick(cur, x.abs(), x.abs() > cur),
        };
        for (cur, &x) in acc.iter_mut().zip(v) {
            *cur = step(*cur, x);
        }
    }
    acc
}

/// Takes `candidate` when it wins or is NaN; a NaN already in `cur` never loses (no comparison with NaN is true).
#[inline(always)]
fn pick<T: Float>(cur: T, candidate: T, wins: bool) -> T {
    if wins || candidate.is_nan() {
        candidate
    } else {
        cur
    }
}
