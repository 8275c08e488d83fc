//! PostgresML's per-vector functions (pgml.add … pgml.cosine_similarity). Inputs are validated by the caller
//! (`validate_one` / `validate_pair`); NaN and ±Inf flow through the arithmetic exactly as IEEE 754 says.

use super::{fold2, Float, Mac, Separate};
use crate::error::{check_same_len, Error, Result};

pub fn validate_one(what: &str, len: usize) -> Result<()> {
    if len == 0 {
        return Err(Error::empty(format!("{what}: the vector is empty")));
    }
    Ok(())
}

pub fn validate_pair(what: &str, a: usize, b: usize) -> Result<()> {
    check_same_len(what, "a", a, "b", b)?;
    validate_one(what, a)
}

#[derive(Clone, Copy, Debug)]
pub enum Elementwise {
    Add,
    Subtract,
    Multiply,
    Divide,
}

pub fn elementwise<T: Float>(op: Elementwise, a: &[T], b: &[T]) -> Vec<T> {
    // One loop per operator, so each stays a straight vectorisable map.
    let zip = a.iter().zip(b);
    match op {
        Elementwise::Add => zip.map(|(&x, &y)| x + y).collect(),
        Elementwise::Subtract => zip.map(|(&x, &y)| x - y).collect(),
        Elementwise::Multiply => zip.map(|(&x, &y)| x * y).collect(),
        Elementwise::Divide => zip.map(|(&x, &y)| x / y).collect(),
    }
}

/// `a op scalar` for every element: PostgresML's scalar overloads (`pgml.add(vector, real)` …).
pub fn elementwise_scalar<T: Float>(op: Elementwise, a: &[T], scalar: T) -> Vec<T> {
    let it = a.iter();
    match op {
        Elementwise::Add => it.map(|&x| x + scalar).collect(),
        Elementwise::Subtract => it.map(|&x| x - scalar).collect(),
        Elementwise::Multiply => it.map(|&x| x * scalar).collect(),
        Elementwise::Divide => it.map(|&x| x / scalar).collect(),
    }
}

#[derive(Clone, Copy, Debug)]
pub enum Norm {
    /// Number of non-zero elements (NaN counts as non-zero, as in PostgresML).
    L0,
    L1,
    L2,
    /// Largest absolute value; NaN if any element is NaN.
    Max,
}

pub fn norm<T: Float>(kind: Norm, a: &[T]) -> T {
    match kind {
        Norm::L0 => fold2(a, a, |acc, x, _| if x == T::ZERO { acc } else { acc + T::ONE }),
        Norm::L1 => fold2(a, a, |acc, x, _| acc + x.abs()),
        Norm::L2 => fold2(a, a, |acc, x, _| Separate::mac(acc, x, x)).sqrt(),
        Norm::Max => a.iter().fold(T::ZERO, |m, &x| if x.is_nan() || x.abs() > m { x.abs() } else { m }),
    }
}

/// `a / norm(a)`. A zero vector has no direction: it normalises to zeros (not NaN from 0/0).
pub fn normalize<T: Float>(kind: Norm, a: &[T]) -> Vec<T> {
    let n = norm(kind, a);
    if n == T::ZERO {
        return vec![T::ZERO; a.len()];
    }
    a.iter().map(|&x| x / n).collect()
}

pub fn distance_l1<T: Float>(a: &[T], b: &[T]) -> T {
    fold2(a, b, |acc, x, y| acc + (x - y).abs())
}

pub fn squared_l2<T: Float, M: Mac>(a: &[T], b: &[T]) -> T {
    fold2(a, b, |acc, x, y| {
        let d = x - y;
        M::mac(acc, d, d)
    })
}

pub fn distance_l2<T: Float>(a: &[T], b: &[T]) -> T {
    squared_l2::<T, Separate>(a, b).sqrt()
}

#[inline(always)]
pub fn dot<T: Float, M: Mac>(a: &[T], b: &[T]) -> T {
    fold2(a, b, |acc, x, y| M::mac(acc, x, y))
}

pub fn dot_product<T: Float>(a: &[T], b: &[T]) -> T {
    dot::<T, Separate>(a, b)
}

/// Cosine similarity from a dot product and the two squared norms. Similarity with a zero vector is defined as 0
/// (scikit-learn's `cosine_similarity` normalises zero rows to zero); NaN inputs still give NaN.
#[inline(always)]
pub fn cosine_from_parts<T: Float>(dot: T, sq_norm_a: T, sq_norm_b: T) -> T {
    if sq_norm_a == T::ZERO || sq_norm_b == T::ZERO {
        return T::ZERO;
    }
    dot / (sq_norm_a.sqrt() * sq_norm_b.sqrt())
}

pub fn cosine_similarity<T: Float>(a: &[T], b: &[T]) -> T {
    cosine_from_parts(dot_product(a, b), dot_product(a, a), dot_product(b, b))
}
