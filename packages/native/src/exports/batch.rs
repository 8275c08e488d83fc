//! Batch scoring, top-k, COPY parsing, BLAS and the async twins.
//!
//! Async twins copy their typed-array inputs into Rust-owned memory before queuing the work (the input-lifetime
//! policy of `napi::async_work`); the copy of a 10k × 128 matrix (~5 MB) costs well under a millisecond. Warm paths
//! without the copy use `NativeMatrix`.

use super::args::{bytes, cancel_flag, count, f32_array, floats, floats_pair, metric};
use crate::blas;
use crate::cancel::{Cancel, CancelFlag};
use crate::copy_binary::parse_copy;
use crate::error::Result;
use crate::napi::async_work::spawn;
use crate::napi::{Args, IntoJs, JsValue};
use crate::vector::scan::{score_rows, top_k, Metric};
use crate::vector::simd_level;

/// (query, matrix, dim) as the scan kernels take them: query narrowed to f32 when given as f64/number[].
fn scan_inputs<'s>(args: &Args<'s>) -> Result<(Vec<f32>, &'s [f32], usize)> {
    let query = floats(args, 0, "query")?;
    crate::vector::ops::validate_one(args.name(), query.len())?;
    let matrix = f32_array(args, 1, "matrix")?;
    let dim = count(args, 2, "dim")?;
    Ok((query.to_f32().into_owned(), matrix, dim))
}

pub fn score_rows_sync<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let (query, matrix, dim) = scan_inputs(args)?;
    score_rows(&query, matrix, dim, metric(args, 3)?, Cancel::never(args.name()))?.into_js(args.env)
}

pub fn top_k_sync<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let (query, matrix, dim) = scan_inputs(args)?;
    let (k, metric) = (count(args, 3, "k")?, metric(args, 4)?);
    let scores = score_rows(&query, matrix, dim, metric, Cancel::never(args.name()))?;
    top_k(&scores, k, metric).into_js(args.env)
}

pub fn score_rows_async<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let (query, matrix, dim) = scan_inputs(args)?;
    let (metric, flag, matrix) = (metric(args, 3)?, cancel_flag(args, 4)?, pgml_table::owned_copy(matrix));
    spawn(args.env, args.name(), move || {
        score_rows(&query, &matrix, dim, metric, Cancel::new(flag.as_ref(), "scoreRowsAsync"))
    })
}

pub fn top_k_async<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let (query, matrix, dim) = scan_inputs(args)?;
    let (k, metric, flag, matrix) =
        (count(args, 3, "k")?, metric(args, 4)?, cancel_flag(args, 5)?, pgml_table::owned_copy(matrix));
    spawn(args.env, args.name(), move || scan_top_k(&query, &matrix, dim, k, metric, flag.as_ref(), "topKAsync"))
}

pub fn scan_top_k(
    query: &[f32],
    matrix: &[f32],
    dim: usize,
    k: usize,
    metric: Metric,
    flag: Option<&CancelFlag>,
    what: &'static str,
) -> Result<crate::vector::scan::TopK> {
    let cancel = Cancel::new(flag, what);
    let scores = score_rows(query, matrix, dim, metric, cancel)?;
    cancel.check()?;
    Ok(top_k(&scores, k, metric))
}

pub fn parse_copy_sync<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    parse_copy(bytes(args, 0, "copy")?, Cancel::never(args.name()))?.into_js(args.env)
}

pub fn parse_copy_async<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let (copy, flag) = (bytes(args, 0, "copy")?.to_vec(), cancel_flag(args, 1)?);
    spawn(args.env, args.name(), move || parse_copy(&copy, Cancel::new(flag.as_ref(), "parseCopyFloatArraysAsync")))
}

pub fn blas_sgemv<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    // The query may be a number[] (running JS), so it is read before the matrix is borrowed.
    let query = floats(args, 2, "query")?;
    let matrix = f32_array(args, 0, "matrix")?;
    let dim = count(args, 1, "dim")?;
    blas::sgemv(matrix, dim, &query.to_f32())?.into_js(args.env)
}

pub fn blas_sdot<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let (a, b) = floats_pair(args, (0, "a"), (1, "b"))?;
    (blas::sdot(&a.to_f32(), &b.to_f32())? as f64).into_js(args.env)
}

pub fn native_info<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let env = args.env;
    let info = env.object()?;
    env.set(info, "version", env.string_value(env!("CARGO_PKG_VERSION"))?)?;
    env.set(info, "simd", env.string_value(simd_level())?)?;
    env.set(info, "threads", env.number_value(rayon::current_num_threads() as f64)?)?;
    env.set(info, "blas", env.string_value(&blas::config())?)?;
    Ok(info)
}

pub fn create_cancel_token<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    args.env.external(CancelFlag::default())
}

/// (token) → `{ done, total, unit }`: the latest progress a fit reported into the token (unit '' before any).
pub fn work_progress<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let (done, total, unit) = cancel_flag(args, 0)?.map(|f| f.progress()).unwrap_or((0, 0, ""));
    let (env, out) = (args.env, args.env.object()?);
    env.set(out, "done", env.number_value(done as f64)?)?;
    env.set(out, "total", env.number_value(total as f64)?)?;
    env.set(out, "unit", env.string_value(unit)?)?;
    Ok(out)
}

pub fn cancel<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    if let Some(flag) = cancel_flag(args, 0)? {
        flag.cancel();
    }
    args.env.undefined()
}

/// Only in test builds (`--features test-exports`, see test/panic.test.ts): prove that a Rust panic surfaces as a
/// JS error instead of aborting Node, on the JS thread, the threadpool and a thread of its own.
#[cfg(feature = "test-exports")]
pub mod panics {
    use crate::error::Result;
    use crate::napi::async_work::spawn;
    use crate::napi::thread_work::spawn_thread;
    use crate::napi::{Args, JsValue};

    pub fn sync<'s>(_args: &Args<'s>) -> Result<JsValue<'s>> {
        panic!("deliberate panic for the panic-safety test")
    }

    pub fn pool<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
        spawn(args.env, args.name(), || -> Result<f64> { panic!("deliberate panic on a worker thread") })
    }

    pub fn thread<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
        spawn_thread(args.env, args.name(), || -> Result<f64> { panic!("deliberate panic on a thread of its own") })
    }
}
