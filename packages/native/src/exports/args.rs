//! Argument parsing shared by all exports: JS values → Rust inputs, with INVALID_ARGUMENT errors that name the
//! function and the argument (thrown as `TypeError`s when the argument has the wrong type).
//!
//! Order matters (see `napi`'s module docs): converting a `number[]` runs JS (element getters), which could detach a
//! typed array borrowed before it. Functions reading several vector arguments go through `read_floats`, which
//! converts every plain array first and borrows typed arrays last.

use std::borrow::Cow;

use crate::cancel::CancelFlag;
use crate::error::{Error, ErrorKind, Result};
use crate::napi::{Args, JsType, JsValue, TypedArray};
use crate::vector::scan::Metric;

/// A vector argument: typed arrays are borrowed zero-copy; `number[]` is converted to f64 (as JS numbers are).
pub enum Floats<'s> {
    F32(&'s [f32]),
    F64(&'s [f64]),
    Owned(Vec<f64>),
}

impl<'s> Floats<'s> {
    pub fn len(&self) -> usize {
        match self {
            Floats::F32(v) => v.len(),
            Floats::F64(v) => v.len(),
            Floats::Owned(v) => v.len(),
        }
    }

    pub fn is_f32(&self) -> bool {
        matches!(self, Floats::F32(_))
    }

    pub fn to_f64(&self) -> Cow<'_, [f64]> {
        match self {
            Floats::F32(v) => Cow::Owned(v.iter().map(|&x| x as f64).collect()),
            Floats::F64(v) => Cow::Borrowed(v),
            Floats::Owned(v) => Cow::Borrowed(v),
        }
    }

    /// As f64 for as long as the argument lives: a Float64Array stays borrowed, the rest is widened.
    pub fn into_f64(self) -> Cow<'s, [f64]> {
        match self {
            Floats::F32(v) => Cow::Owned(v.iter().map(|&x| x as f64).collect()),
            Floats::F64(v) => Cow::Borrowed(v),
            Floats::Owned(v) => Cow::Owned(v),
        }
    }

    pub fn to_f32(&self) -> Cow<'_, [f32]> {
        match self {
            Floats::F32(v) => Cow::Borrowed(v),
            Floats::F64(v) => Cow::Owned(v.iter().map(|&x| x as f32).collect()),
            Floats::Owned(v) => Cow::Owned(v.iter().map(|&x| x as f32).collect()),
        }
    }
}

fn describe(args: &Args<'_>, value: JsValue<'_>) -> &'static str {
    match args.typed_array(value) {
        Some(TypedArray::U8(_)) => "a Uint8Array",
        Some(TypedArray::U32(_)) => "a Uint32Array",
        Some(TypedArray::Detached) => "a typed array whose ArrayBuffer was detached (transferred away)",
        Some(TypedArray::Shared) => {
            "a view of a SharedArrayBuffer, which another thread may write while native code reads it; pass a copy \
             (x.slice())"
        }
        Some(_) => "another kind of typed array",
        None => args.env.type_of(value).name(),
    }
}

/// `what` is not `expected`: a TypeError, except for views of detached or shared buffers (the right type, unusable).
fn wrong(args: &Args<'_>, value: JsValue<'_>, what: &str, expected: &str) -> Error {
    let message = format!("{}: {what} must be {expected}, got {}", args.name(), describe(args, value));
    match args.typed_array(value) {
        Some(TypedArray::Detached | TypedArray::Shared) => Error::invalid(message),
        _ => Error::argument_type(message),
    }
}

/// A `number[]` converted to f64, `Ok(None)` for anything that is not a plain array. Runs JS (element getters).
fn plain_floats(args: &Args<'_>, value: JsValue<'_>, what: &str) -> Result<Option<Vec<f64>>> {
    let Some(elements) = args.array_elements(value)? else { return Ok(None) };
    let mut out = Vec::with_capacity(elements.len());
    for (i, element) in elements.into_iter().enumerate() {
        let n = args.env.number(element).ok_or_else(|| {
            Error::argument_type(format!(
                "{}: {what}[{i}] must be a number, got {}",
                args.name(),
                describe(args, element)
            ))
        })?;
        out.push(n);
    }
    Ok(Some(out))
}

const FLOATS: &str = "a Float32Array, Float64Array or number[]";

/// One vector argument. Borrows a typed array, so read every other array argument first (or use `read_floats`).
pub fn floats_value<'s>(args: &Args<'s>, value: JsValue<'s>, what: &str) -> Result<Floats<'s>> {
    match args.typed_array(value) {
        Some(TypedArray::F32(v)) => return Ok(Floats::F32(v)),
        Some(TypedArray::F64(v)) => return Ok(Floats::F64(v)),
        Some(_) => return Err(wrong(args, value, what, FLOATS)),
        None => {}
    }
    match plain_floats(args, value, what)? {
        Some(owned) => Ok(Floats::Owned(owned)),
        None => Err(wrong(args, value, what, FLOATS)),
    }
}

pub fn floats<'s>(args: &Args<'s>, i: usize, what: &str) -> Result<Floats<'s>> {
    floats_value(args, args.get(i)?, what)
}

/// Several vector arguments, in order: every `number[]` is converted (running its getters) before any typed array
/// is borrowed, so no getter can detach or shrink a buffer Rust already holds.
pub fn read_floats<'s>(args: &Args<'s>, items: &[(JsValue<'s>, &str)]) -> Result<Vec<Floats<'s>>> {
    let plain: Vec<Option<Vec<f64>>> =
        items.iter().map(|&(value, what)| plain_floats(args, value, what)).collect::<Result<_>>()?;
    items
        .iter()
        .zip(plain)
        .map(|(&(value, what), plain)| match plain {
            Some(owned) => Ok(Floats::Owned(owned)),
            None => floats_value(args, value, what),
        })
        .collect()
}

/// Two vector arguments (see `read_floats`).
pub fn floats_pair<'s>(
    args: &Args<'s>,
    (i, a): (usize, &str),
    (j, b): (usize, &str),
) -> Result<(Floats<'s>, Floats<'s>)> {
    let read = read_floats(args, &[(args.get(i)?, a), (args.get(j)?, b)])?;
    match <[Floats<'s>; 2]>::try_from(read) {
        Ok([a, b]) => Ok((a, b)),
        Err(_) => unreachable!("read_floats returns one value per item"),
    }
}

/// A Float32Array argument (matrices must already be f32: converting 5 MB per call would hide the real cost).
pub fn f32_array<'s>(args: &Args<'s>, i: usize, what: &str) -> Result<&'s [f32]> {
    let value = args.get(i)?;
    match args.typed_array(value) {
        Some(TypedArray::F32(v)) => Ok(v),
        _ => Err(wrong(args, value, what, "a Float32Array")),
    }
}

pub fn bytes<'s>(args: &Args<'s>, i: usize, what: &str) -> Result<&'s [u8]> {
    let value = args.get(i)?;
    match args.typed_array(value) {
        Some(TypedArray::U8(v)) => Ok(v),
        _ => Err(wrong(args, value, what, "a Uint8Array (or Buffer)")),
    }
}

/// A Uint32Array argument (row indices), borrowed for the call.
pub fn u32_array<'s>(args: &Args<'s>, i: usize, what: &str) -> Result<&'s [u32]> {
    let value = args.get(i)?;
    match args.typed_array(value) {
        Some(TypedArray::U32(v)) => Ok(v),
        _ => Err(wrong(args, value, what, "a Uint32Array")),
    }
}

/// A Float64Array argument borrowed for the call (the allocation-free paths take no other input type).
pub fn float64_array<'s>(args: &Args<'s>, i: usize, what: &str) -> Result<&'s [f64]> {
    let value = args.get(i)?;
    match args.typed_array(value) {
        Some(TypedArray::F64(v)) => Ok(v),
        _ => Err(wrong(args, value, what, "a Float64Array")),
    }
}

/// The Float64Array an `…Into` function writes its `len` results to; it may not share memory with `input`.
pub fn output_f64<'s>(args: &Args<'s>, i: usize, len: usize, input: &[f64]) -> Result<&'s mut [f64]> {
    let value = args.get(i)?;
    match args.f64_array_mut(value, input)? {
        Some(out) if out.len() == len => Ok(out),
        Some(out) => Err(Error::new(
            ErrorKind::DimensionMismatch,
            format!("{}: the output Float64Array has {} elements, the result {len}", args.name(), out.len()),
        )),
        None => Err(wrong(args, value, "out", "a Float64Array")),
    }
}

/// A non-negative integer argument (`dim`, `k`).
pub fn count(args: &Args<'_>, i: usize, what: &str) -> Result<usize> {
    let value = args.get(i)?;
    match args.env.number(value) {
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= u32::MAX as f64 => Ok(n as usize),
        Some(n) => Err(Error::invalid(format!("{}: {what} must be a non-negative integer, got {n}", args.name()))),
        None => Err(Error::argument_type(format!(
            "{}: {what} must be a number, got {}",
            args.name(),
            describe(args, value)
        ))),
    }
}

/// The metric name; omitted (undefined) means `'dot'`.
pub fn metric(args: &Args<'_>, i: usize) -> Result<Metric> {
    let value = args.get(i)?;
    if args.env.type_of(value) == JsType::Undefined {
        return Ok(Metric::Dot);
    }
    let name = args.env.string(value).ok_or_else(|| {
        Error::argument_type(format!(
            "{}: metric must be 'dot', 'cosine' or 'l2', got {}",
            args.name(),
            describe(args, value)
        ))
    })?;
    Metric::parse(args.name(), &name)
}

/// The optional cancel token (an external made by `createCancelToken`) passed to async twins.
pub fn cancel_flag(args: &Args<'_>, i: usize) -> Result<Option<CancelFlag>> {
    let value = args.get(i)?;
    if matches!(args.env.type_of(value), JsType::Undefined | JsType::Null) {
        return Ok(None);
    }
    args.env.external_ref::<CancelFlag>(value).map(|flag| Some(flag.clone())).ok_or_else(|| {
        Error::argument_type(format!("{}: the cancel token is not one made by createCancelToken()", args.name()))
    })
}

/// A native handle argument (an external of type `T`), or a TypeError naming what was expected.
pub fn handle<'s, T: crate::napi::Handle>(args: &Args<'s>, i: usize, what: &str) -> Result<&'s T> {
    args.env
        .external_ref::<T>(args.get(i)?)
        .ok_or_else(|| Error::argument_type(format!("{}: not a {what} handle", args.name())))
}

/// The array-of-vectors argument of the aggregates (every `number[]` among them converted before any typed array is
/// borrowed, see `read_floats`).
pub fn vector_list<'s>(args: &Args<'s>, i: usize) -> Result<Vec<Floats<'s>>> {
    let value = args.get(i)?;
    let elements = args.array_elements(value)?.ok_or_else(|| {
        Error::argument_type(format!(
            "{}: vectors must be an array of vectors, got {}",
            args.name(),
            describe(args, value)
        ))
    })?;
    let names: Vec<String> = (0..elements.len()).map(|k| format!("vectors[{k}]")).collect();
    let items: Vec<(JsValue<'s>, &str)> =
        elements.into_iter().zip(&names).map(|(v, name)| (v, name.as_str())).collect();
    read_floats(args, &items)
}
