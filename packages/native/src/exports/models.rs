//! The model exports: four generic operations (validate, fit, predict/predict_proba, serialize) over every
//! algorithm in the registry, so a new algorithm needs no FFI code. A fitted model lives in Rust behind a JS
//! external holding an `Arc`, which async work clones — the GC finalizer can never free a model mid-predict.

use std::sync::Arc;

use pgml_ml_core::json::parse_hyperparams;
use pgml_ml_core::{ErrorKind, FitInfo, Hyperparams, MatrixView, Task};

use super::args::{bytes, cancel_flag, count, floats};
use crate::cancel::CancelFlag;
use crate::error::{Error, ErrorCode, Result};
use crate::napi::async_work::spawn;
use crate::napi::{Args, Env, IntoJs, JsType, JsValue};
use crate::registry::{self, Model};

impl From<pgml_ml_core::Error> for Error {
    fn from(e: pgml_ml_core::Error) -> Self {
        let code = match e.kind {
            ErrorKind::InvalidArgument => ErrorCode::InvalidArgument,
            ErrorKind::AlgorithmUnavailable => ErrorCode::AlgorithmUnavailable,
            ErrorKind::InvalidHyperparameter => ErrorCode::InvalidHyperparameter,
            ErrorKind::DataError => ErrorCode::DataError,
            ErrorKind::CorruptModel => ErrorCode::CorruptModel,
            ErrorKind::Aborted => ErrorCode::Aborted,
        };
        Error::new(code, e.message)
    }
}

struct ModelHandle(Arc<Model>);

fn model<'s>(args: &Args<'s>, i: usize) -> Result<Arc<Model>> {
    args.env
        .external_ref::<ModelHandle>(args.get(i)?)
        .map(|h| h.0.clone())
        .ok_or_else(|| Error::invalid(format!("{}: not a native model handle", args.name())))
}

fn string(args: &Args<'_>, i: usize, what: &str) -> Result<String> {
    args.env.string(args.get(i)?).ok_or_else(|| Error::invalid(format!("{}: {what} must be a string", args.name())))
}

/// An owned row-major matrix argument: values, then rows; columns follow from the length.
struct Owned {
    data: Vec<f64>,
    rows: usize,
    cols: usize,
}

impl Owned {
    fn view(&self, what: &str) -> pgml_ml_core::Result<MatrixView<'_>> {
        MatrixView::finite(what, &self.data, self.rows, self.cols)
    }
}

fn matrix(args: &Args<'_>, data_at: usize, rows_at: usize, cols: usize, what: &str) -> Result<Owned> {
    let data = floats(args, data_at, what)?.to_f64().into_owned();
    let rows = count(args, rows_at, &format!("{what} rows"))?;
    Ok(Owned { data, rows, cols })
}

struct FitArgs {
    task: Task,
    algorithm: String,
    hyperparams: Hyperparams,
    x: Owned,
    /// None when JS passed undefined/null (clustering, decomposition).
    y: Option<Owned>,
    num_classes: usize,
}

/// (task, algorithm, hyperparamsJson, x, y, [rows, cols, yCols, numClasses]) — the shape travels as one array
/// to stay within the FFI layer's argument limit. y may be undefined or null; the registry decides whether the
/// algorithm needs it.
fn fit_args(args: &Args<'_>) -> Result<FitArgs> {
    let task = Task::parse(&string(args, 0, "task")?)?;
    let algorithm = string(args, 1, "algorithm")?;
    let hyperparams = parse_hyperparams(&string(args, 2, "hyperparams")?)?;
    let shape = floats(args, 5, "shape")?.to_f64().into_owned();
    let dims: Vec<usize> = shape
        .iter()
        .filter(|&&v| v >= 0.0 && v.fract() == 0.0 && v <= u32::MAX as f64)
        .map(|&v| v as usize)
        .collect();
    let [rows, cols, y_cols, num_classes] = dims[..] else {
        return Err(Error::invalid(format!(
            "{}: shape must be [rows, cols, yCols, numClasses] as non-negative integers, got {shape:?}",
            args.name()
        )));
    };
    let x = Owned { data: floats(args, 3, "X")?.to_f64().into_owned(), rows, cols };
    let y = match args.env.type_of(args.get(4)?) {
        JsType::Undefined | JsType::Null => None,
        _ => Some(Owned { data: floats(args, 4, "y")?.to_f64().into_owned(), rows, cols: y_cols }),
    };
    Ok(FitArgs { task, algorithm, hyperparams, x, y, num_classes })
}

struct Fitted {
    model: Model,
    info: FitInfo,
}

fn run_fit(a: &FitArgs, flag: Option<&CancelFlag>) -> Result<Fitted> {
    let cancelled = || flag.is_some_and(|f| f.is_cancelled());
    let x = a.x.view("X")?;
    let y = a.y.as_ref().map(|y| y.view("y")).transpose()?;
    let (model, info) = registry::fit(a.task, &a.algorithm, &a.hyperparams, &x, y.as_ref(), a.num_classes, &cancelled)?;
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
    let (input, flag) = (fit_args(args)?, cancel_flag(args, 6)?);
    spawn(args.env, args.name(), move || run_fit(&input, flag.as_ref()))
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
    Ok(out)
}

#[derive(Clone, Copy)]
enum Output {
    Predict,
    Proba,
}

fn run_predict(m: &Model, x: &Owned, output: Output) -> Result<Vec<f64>> {
    let view = x.view("X")?;
    Ok(match output {
        Output::Predict => m.predict(&view)?,
        Output::Proba => m.predict_proba(&view)?,
    })
}

/// (model, x, rows): columns are the model's feature count.
fn predict_args(args: &Args<'_>) -> Result<(Arc<Model>, Owned)> {
    let m = model(args, 0)?;
    let x = matrix(args, 1, 2, m.n_features(), "X")?;
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

fn predict_async_with<'s>(args: &Args<'s>, output: Output) -> Result<JsValue<'s>> {
    let (m, x) = predict_args(args)?;
    let flag = cancel_flag(args, 3)?;
    spawn(args.env, args.name(), move || {
        if flag.as_ref().is_some_and(|f| f.is_cancelled()) {
            return Err(Error::aborted("predict"));
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

pub fn deserialize<'s>(args: &Args<'s>) -> Result<JsValue<'s>> {
    let m = Model::from_bytes(bytes(args, 0, "bytes")?)?;
    model_value(args.env, Arc::new(m))
}
