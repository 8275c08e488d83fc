//! Argument parsing shared by all exports: JS values → Rust inputs, with INVALID_ARGUMENT errors that name the
//! function and the argument.

use std::borrow::Cow;

use crate::cancel::CancelFlag;
use crate::error::{Error, ErrorCode, Result};
use crate::napi::{Args, JsType, JsValue, Pinned, TypedArray};
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
    match args.env.typed_array(value) {
        Some(TypedArray::U8(_)) => "a Uint8Array",
        Some(TypedArray::U32(_)) => "a Uint32Array",
        Some(TypedArray::Detached) => "a typed array whose ArrayBuffer was detached (transferred away)",
        Some(_) => "another kind of typed array",
        None => args.env.type_of(value).name(),
    }
}

pub fn floats_value<'s>(args: &Args<'s>, value: JsValue<'s>, what: &str) -> Result<Floats<'s>> {
    let env = args.env;
    match env.typed_array(value) {
        Some(TypedArray::F32(v)) => return Ok(Floats::F32(v)),
        Some(TypedArray::F64(v)) => return Ok(Floats::F64(v)),
        Some(TypedArray::Detached) => {
            return Err(Error::invalid(format!("{}: {what} is {}", args.name(), describe(args, value))));
        }
        _ => {}
    }
    if let Some(elements) = env.array_elements(value) {
        let mut out = Vec::with_capacity(elements.len());
        for (i, element) in elements.into_iter().enumerate() {
            let n = env.number(element).ok_or_else(|| {
                Error::invalid(format!("{}: {what}[{i}] must be a number, got {}", args.name(), describe(args, element)))
            })?;
            out.push(n);
        }
        return Ok(Floats::Owned(out));
    }
    Err(Error::invalid(format!(
        "{}: {what} must be a Float32Array, Float64Array or number[], got {}",
        args.name(),
        describe(args, value)
    )))
}

pub fn floats<'s>(args: &Args<'s>, i: usize, what: &str) -> Result<Floats<'s>> {
    floats_value(args, args.get(i)?, what)
}

/// f64 values held for async work: a Float64Array pinned in place (no copy, see `napi::Pinned`), anything else
/// `floats` accepts widened into a Vec.
pub enum HeldF64 {
    Pinned(Pinned<f64>),
    Owned(Vec<f64>),
}

impl std::ops::Deref for HeldF64 {
    type Target = [f64];

    fn deref(&self) -> &[f64] {
        match self {
            HeldF64::Pinned(v) => v,
            HeldF64::Owned(v) => v,
        }
    }
}

/// Argument `i` as f64 values for async work; INVALID_ARGUMENT for views of detached or resizable ArrayBuffers.
pub fn held_f64<'s>(args: &Args<'s>, i: usize, what: &str) -> Result<HeldF64> {
    let value = args.get(i)?;
    match args.env.pin::<f64>(value) {
        Ok(Some(pinned)) => Ok(HeldF64::Pinned(pinned)),
        Ok(None) => Ok(HeldF64::Owned(floats_value(args, value, what)?.into_f64().into_owned())),
        Err(refused) => Err(Error::invalid(format!("{}: {what} {}", args.name(), refused.reason()))),
    }
}

/// A Float32Array argument (matrices must already be f32: converting 5 MB per call would hide the real cost).
pub fn f32_array<'s>(args: &Args<'s>, i: usize, what: &str) -> Result<&'s [f32]> {
    let value = args.get(i)?;
    match args.env.typed_array(value) {
        Some(TypedArray::F32(v)) => Ok(v),
        _ => Err(Error::invalid(format!("{}: {what} must be a Float32Array, got {}", args.name(), describe(args, value)))),
    }
}

pub fn bytes<'s>(args: &Args<'s>, i: usize, what: &str) -> Result<&'s [u8]> {
    let value = args.get(i)?;
    match args.env.typed_array(value) {
        Some(TypedArray::U8(v)) => Ok(v),
        _ => Err(Error::invalid(format!("{}: {what} must be a Uint8Array (or Buffer), got {}", args.name(), describe(args, value)))),
    }
}

/// A Uint32Array argument (row indices), borrowed for the call.
pub fn u32_array<'s>(args: &Args<'s>, i: usize, what: &str) -> Result<&'s [u32]> {
    let value = args.get(i)?;
    match args.env.typed_array(value) {
        Some(TypedArray::U32(v)) => Ok(v),
        _ => Err(Error::invalid(format!("{}: {what} must be a Uint32Array, got {}", args.name(), describe(args, value)))),
    }
}

/// A Float64Array argument borrowed for the call (the allocation-free paths take no other input type).
pub fn float64_array<'s>(args: &Args<'s>, i: usize, what: &str) -> Result<&'s [f64]> {
    let value = args.get(i)?;
    match args.env.typed_array(value) {
        Some(TypedArray::F64(v)) => Ok(v),
        _ => Err(Error::invalid(format!("{}: {what} must be a Float64Array, got {}", args.name(), describe(args, value)))),
    }
}

/// The Float64Array an `…Into` function writes its `len` results to; it may not share memory with `input`.
pub fn output_f64<'s>(args: &Args<'s>, i: usize, len: usize, input: &[f64]) -> Result<&'s mut [f64]> {
    let value = args.get(i)?;
    let out = args.env.f64_array_mut(value, input).map_err(|e| Error::invalid(format!("{}: {}", args.name(), e.message)))?;
    match out {
        Some(out) if out.len() == len => Ok(out),
        Some(out) => Err(Error::new(
            ErrorCode::DimensionMismatch,
            format!("{}: the output Float64Array has {} elements, the result {len}", args.name(), out.len()),
        )),
        None => Err(Error::invalid(format!("{}: out must be a Float64Array, got {}", args.name(), describe(args, value)))),
    }
}

/// A non-negative integer argument (`dim`, `k`).
pub fn count(args: &Args<'_>, i: usize, what: &str) -> Result<usize> {
    let value = args.get(i)?;
    match args.env.number(value) {
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= u32::MAX as f64 => Ok(n as usize),
        Some(n) => Err(Error::invalid(format!("{}: {what} must be a non-negative integer, got {n}", args.name()))),
        None => Err(Error::invalid(format!("{}: {what} must be a number, got {}", args.name(), describe(args, value)))),
    }
}

/// The metric name; omitted (undefined) means `'dot'`.
pub fn metric(args: &Args<'_>, i: usize) -> Result<Metric> {
    let value = args.get(i)?;
    if args.env.type_of(value) == JsType::Undefined {
        return Ok(Metric::Dot);
    }
    let name = args.env.string(value).ok_or_else(|| {
        Error::invalid(format!("{}: metric must be 'dot', 'cosine' or 'l2', got {}", args.name(), describe(args, value)))
    })?;
    Metric::parse(args.name(), &name)
}

/// The optional cancel token (an external made by `createCancelToken`) passed to async twins.
pub fn cancel_flag(args: &Args<'_>, i: usize) -> Result<Option<CancelFlag>> {
    let value = args.get(i)?;
    if matches!(args.env.type_of(value), JsType::Undefined | JsType::Null) {
        return Ok(None);
    }
    args.env
        .external_ref::<CancelFlag>(value)
        .map(|flag| Some(flag.clone()))
        .ok_or_else(|| Error::invalid(format!("{}: the cancel token is not one made by createCancelToken()", args.name())))
}

/// The array-of-vectors argument of the aggregates.
pub fn vector_list<'s>(args: &Args<'s>, i: usize) -> Result<Vec<Floats<'s>>> {
    let value = args.get(i)?;
    let elements = args.env.array_elements(value).ok_or_else(|| {
        Error::invalid(format!("{}: vectors must be an array of vectors, got {}", args.name(), describe(args, value)))
    })?;
    elements.into_iter().enumerate().map(|(k, v)| floats_value(args, v, &format!("vectors[{k}]"))).collect()
}
