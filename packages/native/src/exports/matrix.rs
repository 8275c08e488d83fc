//! `NativeMatrix`: a row-major f32 matrix kept in Rust memory across queries (the warm path: no per-query copy
//! or conversion). JS holds it as an external; the class in index.js wraps these functions.
//!
//! The external owns a slot with an `Arc`: `free()` empties the slot (idempotent), the GC finalizer drops the slot,
//! and async work holds its own `Arc` clone, so freeing during a running query never frees memory under it.

use std::sync::{Arc, Mutex};

use super::args::{bytes, cancel_flag, count, f32_array, floats, handle, metric};
use super::batch::scan_top_k;
use crate::cancel::Cancel;
use crate::copy_binary::{parse_copy, CopyData};
use crate::error::{Error, Result};
use crate::napi::async_work::spawn;
use crate::napi::{Args, Handle, IntoJs, JsValue, TypeTag};
use crate::vector::scan::{matrix_rows, score_rows};

struct Matrix {
    data: Vec<f32>,
    rows: usize,
    dim: usize,
}

#[derive(Default)]
struct MatrixSlot(Mutex<Option<Arc<Matrix>>>);

impl Handle for MatrixSlot {
    const TAG: TypeTag = TypeTag { lower: 0x74da_dfe0_c428_4d1b, upper: 0x862f_be70_f66d_baa4 };
}

fn slot<'s>(args: &Args<'s>) -> Result<&'s MatrixSlot> {
    handle::<MatrixSlot>(args, 0, "NativeMatrix")
}

fn live(args: &Args<'_>) -> Result<Arc<Matrix>> {
    let slot = slot(args)?.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    slot.clone().ok_or_else(|| Error::invalid(format!("{}: the NativeMatrix was freed", args.name())))
}

fn wrap<'s>(args: &Args<'s>, data: Vec<f32>, dim: usize) -> Result<JsValue<'s>> {
    let rows = matrix_rows(args.name(), data.len(), dim)?;
    args.env.external(MatrixSlot(Mutex::new(Some(Arc::new(Matrix { data, rows, dim })))))
}

/// float8[] COPY data is narrowed to f32 here: the matrix kernels are f32-only.
pub fn from_copy<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let parsed = parse_copy(bytes(args, 0, "copy")?, Cancel::never(args.name()))?;
    let data = match parsed.data {
        CopyData::F32(v) => v,
        CopyData::F64(v) => v.into_iter().map(|x| x as f32).collect(),
    };
    if parsed.rows == 0 {
        return Err(Error::empty(format!("{}: the COPY stream has no rows", args.name())));
    }
    wrap(args, data, parsed.dim)
}

pub fn from_array<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let data = f32_array(args, 0, "data")?.to_vec();
    wrap(args, data, count(args, 1, "dim")?)
}

pub fn shape<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let m = live(args)?;
    let env = args.env;
    let object = env.object()?;
    env.set(object, "rows", env.number_value(m.rows as f64)?)?;
    env.set(object, "dim", env.number_value(m.dim as f64)?)?;
    Ok(object)
}

pub fn free<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    slot(args)?.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
    args.env.undefined()
}

fn query(args: &Args<'_>) -> Result<Vec<f32>> {
    let q = floats(args, 1, "query")?;
    crate::vector::ops::validate_one(args.name(), q.len())?;
    Ok(q.to_f32().into_owned())
}

pub fn scores<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let (m, q, metric) = (live(args)?, query(args)?, metric(args, 2)?);
    score_rows(&q, &m.data, m.dim, metric, Cancel::never(args.name()))?.into_js(args.env)
}

pub fn top_k<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let (m, q, k, metric) = (live(args)?, query(args)?, count(args, 2, "k")?, metric(args, 3)?);
    scan_top_k(&q, &m.data, m.dim, k, metric, None, args.name())?.into_js(args.env)
}

pub fn scores_async<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let (m, q, metric, flag) = (live(args)?, query(args)?, metric(args, 2)?, cancel_flag(args, 3)?);
    spawn(args.env, args.name(), move || {
        score_rows(&q, &m.data, m.dim, metric, Cancel::new(flag.as_ref(), "scoresAsync"))
    })
}

pub fn top_k_async<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let (m, q, k, metric, flag) =
        (live(args)?, query(args)?, count(args, 2, "k")?, metric(args, 3)?, cancel_flag(args, 4)?);
    spawn(args.env, args.name(), move || scan_top_k(&q, &m.data, m.dim, k, metric, flag.as_ref(), "topKAsync"))
}
