//! The PostgresML vector functions as JS exports: parse → validate → kernel → result.
//!
//! Precision rule: when every vector argument is a Float32Array the kernel runs in f32; any Float64Array or
//! number[] among them makes it run in f64 (f32 inputs widened exactly). Vector results take the first argument's
//! type: Float32Array → Float32Array, anything else → Float64Array. Scalar results are JS numbers.

use super::args::{floats, floats_pair, vector_list, Floats};
use super::results::FloatVec;
use crate::error::Result;
use crate::napi::{Args, IntoJs, JsValue};
use crate::vector::aggregate::{self, Aggregate};
use crate::vector::ops::{self, Elementwise, Norm};
use crate::vector::Float;

/// Evaluates `$body` with `$x`/`$y` bound to same-typed slices (f32 or f64 per the precision rule). A macro
/// because a closure cannot be generic over the element type; the body is written once and instantiated twice.
macro_rules! with_pair {
    ($a:expr, $b:expr, |$x:ident, $y:ident| $body:expr) => {
        match (&$a, &$b) {
            (Floats::F32($x), Floats::F32($y)) => {
                let ($x, $y): (&[f32], &[f32]) = ($x, $y);
                Computed::F32($body)
            }
            _ => {
                let (left, right) = ($a.to_f64(), $b.to_f64());
                let ($x, $y): (&[f64], &[f64]) = (&left, &right);
                Computed::F64($body)
            }
        }
    };
}

macro_rules! with_one {
    ($a:expr, |$x:ident| $body:expr) => {
        match &$a {
            Floats::F32($x) => {
                let $x: &[f32] = $x;
                Computed::F32($body)
            }
            other => {
                let wide = other.to_f64();
                let $x: &[f64] = &wide;
                Computed::F64($body)
            }
        }
    };
}

/// A kernel result in whichever precision it was computed in.
enum Computed<S, D> {
    F32(S),
    F64(D),
}

impl<T: Float, U: Float> Computed<Vec<T>, Vec<U>> {
    fn into_vector(self, f32_out: bool) -> FloatVec {
        match self {
            Computed::F32(v) => FloatVec::shaped_like(v, f32_out),
            Computed::F64(v) => FloatVec::shaped_like(v, f32_out),
        }
    }
}

impl<T: Float, U: Float> Computed<T, U> {
    fn into_number(self) -> f64 {
        match self {
            Computed::F32(v) => v.to_f64(),
            Computed::F64(v) => v.to_f64(),
        }
    }
}

fn pair<'s>(args: &Args<'s>) -> Result<(Floats<'s>, Floats<'s>)> {
    let (a, b) = floats_pair(args, (0, "a"), (1, "b"))?;
    ops::validate_pair(args.name(), a.len(), b.len())?;
    Ok((a, b))
}

fn one<'s>(args: &Args<'s>) -> Result<Floats<'s>> {
    let a = floats(args, 0, "a")?;
    ops::validate_one(args.name(), a.len())?;
    Ok(a)
}

/// `b` may be a vector (elementwise) or a number (PostgresML's scalar overloads, e.g. `pgml.add(vector, 3)`). A
/// scalar takes the vector's precision: f32 for a Float32Array, as `pgml.add(real[], real)`.
pub fn elementwise<'s>(args: &Args<'s>, op: Elementwise) -> Result<JsValue<'s>> {
    if let Some(scalar) = args.env.number(args.get(1)?) {
        let a = one(args)?;
        return with_one!(a, |x| ops::elementwise_scalar(op, x, Float::from_f64(scalar)))
            .into_vector(a.is_f32())
            .into_js(args.env);
    }
    let (a, b) = pair(args)?;
    with_pair!(a, b, |x, y| ops::elementwise(op, x, y)).into_vector(a.is_f32()).into_js(args.env)
}

pub fn norm<'s>(args: &Args<'s>, kind: Norm) -> Result<JsValue<'s>> {
    let a = one(args)?;
    with_one!(a, |x| ops::norm(kind, x)).into_number().into_js(args.env)
}

pub fn normalize<'s>(args: &Args<'s>, kind: Norm) -> Result<JsValue<'s>> {
    let a = one(args)?;
    with_one!(a, |x| ops::normalize(kind, x)).into_vector(a.is_f32()).into_js(args.env)
}

#[derive(Clone, Copy)]
pub enum PairScalar {
    DistanceL1,
    DistanceL2,
    DotProduct,
    CosineSimilarity,
}

pub fn pair_scalar<'s>(args: &Args<'s>, kind: PairScalar) -> Result<JsValue<'s>> {
    let (a, b) = pair(args)?;
    let result = match kind {
        PairScalar::DistanceL1 => with_pair!(a, b, |x, y| ops::distance_l1(x, y)),
        PairScalar::DistanceL2 => with_pair!(a, b, |x, y| ops::distance_l2(x, y)),
        PairScalar::DotProduct => with_pair!(a, b, |x, y| ops::dot_product(x, y)),
        PairScalar::CosineSimilarity => with_pair!(a, b, |x, y| ops::cosine_similarity(x, y)),
    };
    result.into_number().into_js(args.env)
}

pub fn aggregate<'s>(args: &Args<'s>, op: Aggregate) -> Result<JsValue<'s>> {
    let vectors = vector_list(args, 0)?;
    aggregate::validate(args.name(), vectors.iter().map(Floats::len))?;
    let f32_out = vectors[0].is_f32();
    let all_f32: Option<Vec<&[f32]>> =
        vectors.iter().map(|v| if let Floats::F32(s) = v { Some(*s) } else { None }).collect();
    let result = if let Some(slices) = all_f32 {
        Computed::F32(aggregate::aggregate(op, slices))
    } else {
        let wide: Vec<_> = vectors.iter().map(Floats::to_f64).collect();
        Computed::F64(aggregate::aggregate(op, wide.iter().map(|v| &**v)))
    };
    result.into_vector(f32_out).into_js(args.env)
}
