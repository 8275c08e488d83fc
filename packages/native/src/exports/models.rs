//! The model exports: four generic operations (validate, fit, predict/predict_proba, serialize) over every
//! algorithm in the registry, so a new algorithm needs no FFI code. A fitted model lives in Rust behind a JS
//! external holding an `Arc`, which async work clones — the GC finalizer can never free a model mid-predict.
//! Sync calls read a Float64Array X and y in place; async calls copy them (`napi::async_work`), and fits run on a
//! thread of their own (`napi::thread_work`), off the libuv threadpool.

use std::ops::Deref;
use std::sync::Arc;

use pgml_ml_core::json::parse_hyperparams;
use pgml_ml_core::{FitInfo, Task};

use super::args::{bytes, cancel_flag, count, float64_array, handle, output_f64};
use super::model_inputs::{fit_args, matrix, string, FitArgs, Matrix, Values};
use crate::cancel::CancelFlag;
use crate::error::{Error, Result};
use crate::napi::async_work::spawn;
use crate::napi::thread_work::spawn_thread;
use crate::napi::{Args, Env, Handle, IntoJs, JsValue, TypeTag};
use crate::registry::{self, Model};

struct ModelHandle(Arc<Model>);

impl Handle for ModelHandle {
    const TAG: TypeTag = TypeTag { lower: 0x82c9_1fbf_9ec7_4f21, upper: 0x80ad_d011_1700_c3e1 };
}

fn model(args: &Args<'_>, i: usize) -> Result<Arc<Model>> {
    Ok(handle::<ModelHandle>(args, i, "native model")?.0.clone())
}

struct Fitted {
    model: Model,
    info: FitInfo,
}

fn run_fit<D: Deref<Target = [f64]>>(a: &FitArgs<D>, flag: Option<&CancelFlag>) -> Result<Fitted> {
    let cancelled = || flag.is_some_and(|f| f.is_cancelled());
    let x = a.x.features(registry::find(a.task, &a.algorithm)?)?;
    let y = a.y.as_ref().map(Matrix::targets).transpose()?;
    let progress: &dyn pgml_ml_core::Progress = match flag {
        Some(flag) => flag,
        None => &pgml_ml_core::NO_PROGRESS,
    };
    let (model, info) =
        registry::fit(a.task, &a.algorithm, &a.hyperparams, &x, y.as_ref(), a.num_classes, &cancelled, progress)?;
    Ok(Fitted { model, info })
}

fn model_value<'s>(env: Env<'s>, model: Arc<Model>) -> Result<JsValue<'s>> {
    env.external(ModelHandle(model))
}

impl IntoJs for Fitted {
    fn into_js<'s>(self, env: Env<'s>) -> Result<JsValue<'s>> {
        let out = env.object()?;
        env.set(out, "model", model_value(env, Arc::new(self.model))?)?;
        let n_iter = match self.info.n_iter {
            Some(n) => env.number_value(n as f64)?,
            None => env.undefined()?,
        };
        env.set(out, "nIter", n_iter)?;
        // The FFI layer has no boolean constructor; index.js turns this into `converged: boolean`.
        env.set(out, "status", env.string_value(if self.info.converged { "converged" } else { "max_iter" })?)?;
        Ok(out)
    }
}

pub fn algorithms<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    args.env.string_value(&registry::algorithms_json())
}

/// (task, algorithm, hyperparamsJson) → the resolved hyperparameters as JSON (defaults filled in).
pub fn validate<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let task = Task::parse(&string(args, 0, "task")?)?;
    let hyperparams = parse_hyperparams(&string(args, 2, "hyperparams")?)?;
    let params = registry::validate(task, &string(args, 1, "algorithm")?, &hyperparams)?;
    args.env.string_value(&params.to_json())
}

pub fn fit<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    run_fit(&fit_args(args)?, None)?.into_js(args.env)
}

pub fn fit_async<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let flag = cancel_flag(args, 6)?;
    let input = fit_args(args)?.into_owned();
    spawn_thread(args.env, args.name(), move || run_fit(&input, flag.as_ref()))
}

pub fn info<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let m = model(args, 0)?;
    let env = args.env;
    let out = env.object()?;
    env.set(out, "task", env.string_value(m.task().name())?)?;
    env.set(out, "estimator", env.string_value(m.estimator())?)?;
    env.set(out, "numFeatures", env.number_value(m.n_features() as f64)?)?;
    env.set(out, "numOutputs", env.number_value(m.n_outputs() as f64)?)?;
    let classes = match m.n_classes() {
        Some(k) => env.number_value(k as f64)?,
        None => env.undefined()?,
    };
    env.set(out, "numClasses", classes)?;
    // The FFI layer has no boolean constructor; index.js turns this into `inlineRows: boolean`.
    env.set(out, "rowPath", env.string_value(if m.inline_rows() { "inline" } else { "threadpool" })?)?;
    Ok(out)
}

#[derive(Clone, Copy)]
enum Output {
    Predict,
    Proba,
}

fn run_predict<D: Deref<Target = [f64]>>(m: &Model, x: &Matrix<D>, output: Output) -> Result<Vec<f64>> {
    let view = x.features(m.def)?;
    Ok(match output {
        Output::Predict => m.predict(&view)?,
        Output::Proba => m.predict_proba(&view)?,
    })
}

/// (model, x, rows): columns are the model's feature count.
fn predict_args<'s>(args: &Args<'s>) -> Result<(Arc<Model>, Matrix<Values<'s>>)> {
    let m = model(args, 0)?;
    let x = matrix(args, 1, 2, m.n_features())?;
    Ok((m, x))
}

fn predict_with(args: &Args<'_>, output: Output) -> Result<Vec<f64>> {
    let (m, x) = predict_args(args)?;
    run_predict(&m, &x, output)
}

pub fn predict<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    predict_with(args, Output::Predict)?.into_js(args.env)
}

pub fn predict_proba<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    predict_with(args, Output::Proba)?.into_js(args.env)
}

/// (model, x: Float64Array, rows, out: Float64Array) → undefined: the result written into `out`, which must hold
/// exactly rows × outputs (predict) or rows × classes (proba). The single-row predict path: no JS value is made.
fn predict_into_with<'s>(args: &Args<'s>, output: Output) -> Result<JsValue<'s>> {
    let m = model(args, 0)?;
    let x = Matrix { data: float64_array(args, 1, "X")?, rows: count(args, 2, "X rows")?, cols: m.n_features() };
    let width = match output {
        Output::Predict => m.n_outputs(),
        Output::Proba => m.n_classes().unwrap_or(0),
    };
    let out = output_f64(args, 3, x.rows * width, x.data)?;
    out.copy_from_slice(&run_predict(&m, &x, output)?);
    args.env.undefined()
}

pub fn predict_into<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    predict_into_with(args, Output::Predict)
}

pub fn predict_proba_into<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    predict_into_with(args, Output::Proba)
}

fn predict_async_with<'s>(args: &Args<'s>, output: Output) -> Result<JsValue<'s>> {
    let flag = cancel_flag(args, 3)?;
    let (m, x) = predict_args(args)?;
    let x = x.into_owned();
    spawn(args.env, args.name(), move || {
        if flag.as_ref().is_some_and(|f| f.is_cancelled()) {
            return Err(Error::aborted_in("predict"));
        }
        run_predict(&m, &x, output)
    })
}

pub fn predict_async<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    predict_async_with(args, Output::Predict)
}

pub fn predict_proba_async<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    predict_async_with(args, Output::Proba)
}

pub fn serialize<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    args.env.typed_array_from_vec(model(args, 0)?.to_bytes())
}

/// XGBoost model bytes in any format libxgboost reads, as UBJSON (migration of PostgresML 2.x rust models).
pub fn xgboost_to_ubjson<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    args.env.typed_array_from_vec(pgml_ml_xgboost::model_to_ubjson(bytes(args, 0, "model")?)?)
}

pub fn deserialize<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let m = Model::from_bytes(bytes(args, 0, "bytes")?)?;
    model_value(args.env, Arc::new(m))
}

/// (model) → `{ kind, values, outputs }` (values: outputs × features; an output of −1 explains the whole model), or
/// undefined when the estimator has neither coefficients nor importances.
pub fn feature_importances<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let env = args.env;
    let Some(importances) = model(args, 0)?.feature_importances() else {
        return env.undefined();
    };
    let out = env.object()?;
    env.set(out, "kind", env.string_value(importances.kind.name())?)?;
    env.set(out, "values", env.typed_array_from_vec(importances.values)?)?;
    let outputs: Vec<f64> = importances.outputs.iter().map(|o| o.map_or(-1.0, f64::from)).collect();
    env.set(out, "outputs", env.typed_array_from_vec(outputs)?)?;
    Ok(out)
}
