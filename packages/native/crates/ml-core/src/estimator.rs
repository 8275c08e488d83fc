//! The estimator contract. An algorithm is one `AlgorithmDef` row (names, task, sklearn estimator, payload id,
//! hyperparameter spec, `fit` and `read`) plus a fitted type implementing `Fitted`. The cdylib's registry lists the
//! family tables and does everything generic — resolving hyperparameters, shape checks, payload header — so an
//! algorithm never touches a central `match`.

use std::fmt;

use crate::codec::{Reader, Writer};
use crate::error::{Error, ErrorKind, Result};
use crate::hyperparams::{ParamSpec, Params};
use crate::importance::Importances;
use crate::matrix::MatrixView;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Task {
    Regression,
    Classification,
    Clustering,
    Decomposition,
}

impl Task {
    pub const ALL: [Task; 4] = [Task::Regression, Task::Classification, Task::Clustering, Task::Decomposition];

    pub fn parse(name: &str) -> Result<Task> {
        Task::ALL.into_iter().find(|t| t.name() == name).ok_or_else(|| {
            Error::new(ErrorKind::AlgorithmUnavailable, format!("the native runtime has no {name:?} algorithms"))
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Task::Regression => "regression",
            Task::Classification => "classification",
            Task::Clustering => "clustering",
            Task::Decomposition => "decomposition",
        }
    }

    /// Regression and classification fit against y; clustering and decomposition take X alone.
    pub fn supervised(self) -> bool {
        matches!(self, Task::Regression | Task::Classification)
    }
}

/// Everything `fit` gets. The registry has already resolved `params` against the algorithm's spec, checked that X
/// is finite (NaN allowed where the def `accepts_nan`), that y (when present) is finite, has X's row count, and has
/// one column unless the algorithm is `multi_target`. Supervised tasks always get `Some(y)`.
#[derive(Clone, Copy)]
pub struct FitInput<'a> {
    pub x: &'a MatrixView<'a>,
    /// rows × targets for regression; rows × 1 class indices in 0..n_classes for classification; None when the
    /// caller passed no y (clustering, decomposition).
    pub y: Option<&'a MatrixView<'a>>,
    /// The label count the caller declared (classification), else 0.
    pub n_classes: usize,
    pub params: &'a Params,
    /// Polled between iterations of iterative solvers; `true` → return `Error::aborted()`.
    pub cancelled: &'a (dyn Fn() -> bool + Sync),
    /// Told how far a long fit has come (trees, boosting rounds, solver iterations), for the caller's progress display.
    pub progress: &'a dyn Progress,
}

/// Where a fit reports its progress; the N-API layer keeps the latest report for JS to poll.
pub trait Progress: Sync {
    /// `done` units of work so far, of `total` (0 when not known ahead, e.g. iterations until convergence).
    fn report(&self, done: usize, total: usize, unit: &'static str);
}

/// Progress nobody watches (tests, nested fits).
pub struct NoProgress;
impl Progress for NoProgress {
    fn report(&self, _done: usize, _total: usize, _unit: &'static str) {}
}
pub static NO_PROGRESS: NoProgress = NoProgress;

impl<'a> FitInput<'a> {
    /// y, or INVALID_ARGUMENT for a supervised algorithm called without one.
    pub fn y(&self) -> Result<&'a MatrixView<'a>> {
        self.y.ok_or_else(|| Error::invalid("y is required to fit this algorithm"))
    }

    /// The same input with another y (used to fit one model per target column).
    pub fn with_y(&self, y: &'a MatrixView<'a>) -> FitInput<'a> {
        FitInput { y: Some(y), ..*self }
    }

    /// Reports progress (see `Progress::report`).
    pub fn report(&self, done: usize, total: usize, unit: &'static str) {
        self.progress.report(done, total, unit);
    }

    /// The `cancelled` check for a solver that polls it once every `every` units of work (boosting rounds, solver
    /// iterations): each poll also reports the units done so far, of `total` (0 when not known ahead).
    pub fn ticking(&self, unit: &'static str, total: usize, every: usize) -> impl Fn() -> bool + Sync + '_ {
        let polls = std::sync::atomic::AtomicUsize::new(0);
        move || {
            let done = polls.fetch_add(1, std::sync::atomic::Ordering::Relaxed) * every;
            self.progress.report(if total > 0 { done.min(total) } else { done }, total, unit);
            (self.cancelled)()
        }
    }

    /// `Err(ABORTED)` once the caller cancelled.
    pub fn check_cancelled(&self) -> Result<()> {
        if (self.cancelled)() {
            Err(Error::aborted())
        } else {
            Ok(())
        }
    }
}

/// What a fit reports besides the model (sklearn's `n_iter_` and whether it warned about convergence).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FitInfo {
    pub n_iter: Option<usize>,
    pub converged: bool,
}

impl FitInfo {
    /// A direct solve: no iterations to report, nothing to converge.
    pub const CLOSED_FORM: FitInfo = FitInfo { n_iter: None, converged: true };
}

/// What `AlgorithmDef::fit` returns.
pub type Fit = (Box<dyn Fitted>, FitInfo);

/// A fitted model: read-only, shareable across threads (predict runs on the libuv pool while JS holds the handle).
pub trait Fitted: Send + Sync + fmt::Debug {
    fn n_features(&self) -> usize;
    /// Columns of `predict`'s output: targets (regression), 1 (classification: class index, clustering: cluster),
    /// components (decomposition: `predict` is `transform`).
    fn n_outputs(&self) -> usize;
    /// Columns of `predict_proba`'s output, for classifiers.
    fn n_classes(&self) -> Option<usize>;
    /// rows × n_outputs, row-major. The registry has checked `x.cols() == n_features()` and finiteness (as for `fit`).
    fn predict(&self, x: &MatrixView) -> Result<Vec<f64>>;
    /// rows × n_classes. Only called when the def says `predict_proba: true`.
    fn predict_proba(&self, _x: &MatrixView) -> Result<Vec<f64>> {
        Err(Error::new(ErrorKind::AlgorithmUnavailable, "this model has no predict_proba"))
    }
    /// Whether predicting a few rows is cheap enough (microseconds) to run on the caller's thread: the SDK's
    /// single-row path then calls `predict` synchronously instead of through the thread pool. True for the
    /// estimators written in Rust; false where every call pays a large fixed cost outside this crate.
    fn inline_rows(&self) -> bool {
        true
    }

    /// scikit-learn's `coef_` / `feature_importances_` of this model, where the estimator has them (importance.rs).
    fn feature_importances(&self) -> Option<Importances> {
        None
    }
    /// The payload body (the registry writes the header with the def's id). `AlgorithmDef::read` must read exactly
    /// these bytes back; round trips are bit-exact.
    fn write(&self, w: &mut Writer);
}

/// One native algorithm: a PostgresML algorithm name (or several) for one task and the sklearn estimator it
/// reproduces.
#[derive(Clone, Copy)]
pub struct AlgorithmDef {
    /// PostgresML names for this task, first is canonical (logistic regression answers to "linear" and "logistic").
    pub names: &'static [&'static str],
    pub task: Task,
    /// sklearn's class name, used in messages and reported to JS.
    pub estimator: &'static str,
    /// Payload id, unique across all families and never reused (README.md lists the ranges per family).
    pub id: u16,
    /// sklearn's hyperparameters with names, types, ranges and defaults.
    pub params: &'static [ParamSpec],
    pub predict_proba: bool,
    /// Accepts y with several target columns (jointly, or through `wrap_multi_target`).
    pub multi_target: bool,
    /// Handles NaN in X as a missing value, in `fit` and `predict` (sklearn's HistGradientBoosting); X with NaN is
    /// a DATA_ERROR for every other row. ±Inf is a DATA_ERROR for every row.
    pub accepts_nan: bool,
    pub fit: fn(&FitInput) -> Result<Fit>,
    pub read: fn(&mut Reader) -> Result<Box<dyn Fitted>>,
}

impl fmt::Debug for AlgorithmDef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AlgorithmDef({} {:?} {} id {})", self.task.name(), self.names, self.estimator, self.id)
    }
}

/// INVALID_ARGUMENT unless X has the column count the model was fitted on.
pub fn check_features(n_features: usize, x: &MatrixView) -> Result<()> {
    if x.cols() != n_features {
        return Err(Error::invalid(format!("the model was fitted on {n_features} features, X has {}", x.cols())));
    }
    Ok(())
}
