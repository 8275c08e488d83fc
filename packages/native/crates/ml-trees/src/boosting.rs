//! scikit-learn 1.2's `GradientBoostingRegressor` (squared error; one target, several through
//! `wrap_multi_target`) and `GradientBoostingClassifier` (log loss: one tree per stage for two classes, one per
//! class on softmax gradients for more). Every stage fits regression trees (friedman_mse by default, depth 3) to
//! the negative gradient at the stage's start, on a `subsample` of rows drawn without replacement; classifier leaves
//! then take sklearn's Newton step, and all rows move by `learning_rate` × their leaf's value.
//!
//! Body (id 26 per target inside the multi-target wrapper, id 27): `u32 n_features, u32 link (0 identity,
//! 1 logistic, 2 softmax), u32 n_classes (0 for regression), u32 n_present, u32 classes[n_present],
//! f64 learning_rate, u32 n_raw, f64 init[n_raw], u32 n_trees` (stage-major, n_raw per stage), then the trees.

use pgml_ml_core::codec::{Reader, Writer};
use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::estimator::{AlgorithmDef, Fit, FitInfo, FitInput, Fitted, Task};
use pgml_ml_core::hyperparams::{Default, Kind, ParamSpec, Value};
use pgml_ml_core::labels::{encode_labels, scatter_class_probabilities};
use pgml_ml_core::matrix::MatrixView;
use pgml_ml_core::numeric::{argmax, sigmoid, softmax};
use pgml_ml_core::rng::Rng;
use pgml_ml_core::{read_multi_target, wrap_multi_target, ImportanceKind, Importances, WithImportances};

use crate::binning::BinnedMatrix;
use crate::builder::TreeGrower;
use crate::fit_trees::criterion;
use crate::importance::{boosting_importances, tree_impurity_decrease, NodeImpurity};
use crate::params::*;
use crate::predict::sum_leaf_values;
use crate::split::Splitter;
use crate::targets::Targets;
use crate::tree::{read_trees, Tree};

/// A sanity bound on a payload's declared class count, far above any real label set.
const MAX_CLASSES: usize = 1 << 16;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Link {
    Identity,
    Logistic,
    Softmax,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BoostedTrees {
    pub n_features: usize,
    pub link: Link,
    /// Declared classes (classification), else 0.
    pub n_classes: usize,
    /// Classes seen in training, ascending; raw column k scores classes[k] (logistic: classes[1]).
    pub classes: Vec<u32>,
    pub learning_rate: f64,
    pub init: Vec<f64>,
    pub trees: Vec<Tree>,
}


macro_rules! boosting_params {
    ($loss:expr, $classifier:expr $(, $alpha:expr)?) => {
        &[
            $loss,
            ParamSpec::new("learning_rate", Kind::Float { min: 0.0, exclusive: false }, Default::Number(0.1)),
            N_ESTIMATORS,
            ParamSpec::new("subsample", Kind::Float { min: 0.0, exclusive: true }, Default::Number(1.0)),
            ParamSpec::new("criterion", Kind::Choice(&["friedman_mse", "squared_error"]), Default::Str("friedman_mse")),
            MIN_SAMPLES_SPLIT,
            MIN_SAMPLES_LEAF,
            MIN_WEIGHT_FRACTION_LEAF,
            ParamSpec::new("max_depth", Kind::Int { min: 1 }, Default::Number(3.0)).nullable(),
            MIN_IMPURITY_DECREASE,
            ParamSpec::new("init", Kind::Choice(&["zero"]), Default::Null).nullable(),
            RANDOM_STATE,
            max_features(Default::Null),
            $($alpha,)?
            VERBOSE,
            MAX_LEAF_NODES,
            WARM_START,
            ParamSpec::new("validation_fraction", Kind::Float { min: 0.0, exclusive: true }, Default::Number(0.1)),
            // Early stopping is not implemented: only sklearn's default None is accepted.
            ParamSpec::new("n_iter_no_change", Kind::Int { min: 1 }, Default::Null).nullable(),
            ParamSpec::new("tol", Kind::Float { min: 0.0, exclusive: false }, Default::Number(1e-4)),
            CCP_ALPHA,
        ]
    };
}

pub const GRADIENT_BOOSTING_REGRESSOR_PARAMS: &[ParamSpec] = boosting_params!(
    ParamSpec::new("loss", Kind::Choice(&["squared_error"]), Default::Str("squared_error")),
    false,
    // Used by sklearn's huber and quantile losses only, which are not implemented; accepted for compatibility.
    ParamSpec::new("alpha", Kind::Float { min: 0.0, exclusive: true }, Default::Number(0.9))
);
pub const GRADIENT_BOOSTING_CLASSIFIER_PARAMS: &[ParamSpec] =
    boosting_params!(ParamSpec::new("loss", Kind::Choice(&["log_loss", "deviance"]), Default::Str("log_loss")), true);

pub const GRADIENT_BOOSTING_REGRESSOR: AlgorithmDef = AlgorithmDef {
    names: &["gradient_boosting_trees"],
    task: Task::Regression,
    estimator: "GradientBoostingRegressor",
    id: 26,
    params: GRADIENT_BOOSTING_REGRESSOR_PARAMS,
    predict_proba: false,
    multi_target: true,
    accepts_nan: false,
    fit: |input| wrap_multi_target(input, |one| fit(one, "GradientBoostingRegressor", false)),
    read: |r| read_multi_target(r, |r| Ok(Box::new(BoostedTrees::read(r)?))),
};

pub const GRADIENT_BOOSTING_CLASSIFIER: AlgorithmDef = AlgorithmDef {
    names: &["gradient_boosting_trees"],
    task: Task::Classification,
    estimator: "GradientBoostingClassifier",
    id: 27,
    params: GRADIENT_BOOSTING_CLASSIFIER_PARAMS,
    predict_proba: true,
    multi_target: false,
    accepts_nan: false,
    fit: |input| fit(input, "GradientBoostingClassifier", true),
    read: |r| Ok(Box::new(BoostedTrees::read(r)?)),
};

/// The loss as boosting needs it: starting scores, negative gradients, and the leaf value of a set of rows.
struct Loss<'a> {
    link: Link,
    /// Regression target, or one-hot position per row (classification).
    y: &'a [f64],
    positions: Vec<usize>,
    n_raw: usize,
}

impl Loss<'_> {
    /// Negative gradient of column k at every row, from the stage's starting scores.
    fn negative_gradient(&self, raw: &[f64], k: usize, out: &mut [f64]) {
        let m = self.n_raw;
        match self.link {
            Link::Identity => out.iter_mut().zip(self.y).zip(raw).for_each(|((g, y), r)| *g = y - r),
            Link::Logistic => out.iter_mut().zip(&self.positions).zip(raw).for_each(|((g, &p), r)| *g = p as f64 - sigmoid(*r)),
            Link::Softmax => {
                let mut probs = vec![0.0; m];
                for (i, g) in out.iter_mut().enumerate() {
                    probs.copy_from_slice(&raw[i * m..(i + 1) * m]);
                    softmax(&mut probs);
                    *g = f64::from(u8::from(self.positions[i] == k)) - probs[k];
                }
            }
        }
    }

    /// sklearn's `_update_terminal_regions` Newton step for the rows of one leaf of column k (log loss); regression
    /// keeps the tree's mean.
    fn leaf_value(&self, rows: &[u32], gradient: &[f64], k: usize, tree_mean: f64) -> f64 {
        if self.link == Link::Identity {
            return tree_mean;
        }
        let (mut numerator, mut denominator) = (0.0, 0.0);
        for &i in rows {
            let (r, position) = (gradient[i as usize], self.positions[i as usize]);
            // The column's 0/1 target: the positive class (logistic) or class k (softmax).
            let y = f64::from(u8::from(if self.link == Link::Logistic { position == 1 } else { position == k }));
            numerator += r;
            // (y − r)(1 − y + r) = p (1 − p).
            denominator += (y - r) * (1.0 - y + r);
        }
        if self.link == Link::Softmax {
            numerator *= (self.n_raw as f64 - 1.0) / self.n_raw as f64;
        }
        if denominator.abs() < 1e-150 {
            0.0
        } else {
            numerator / denominator
        }
    }
}

fn fit(input: &FitInput, estimator: &str, classifier: bool) -> Result<Fit> {
    let (x, params) = (input.x, input.params);
    let y = input.y()?.data();
    reject_flag(estimator, params, "warm_start", "a native fit always starts from scratch")?;
    if !matches!(params.value("n_iter_no_change"), Value::Null) {
        return Err(invalid(estimator, "n_iter_no_change", "must be null: early stopping is not implemented natively"));
    }
    let subsample = params.f64("subsample");
    if subsample > 1.0 {
        return Err(invalid(estimator, "subsample", format!("must be in (0, 1], got {subsample}")));
    }
    let n = x.rows();
    let (classes, positions) = if classifier { encode_labels(y, input.n_classes)? } else { (Vec::new(), Vec::new()) };
    let (link, n_raw) = match classes.len() {
        0 => (Link::Identity, 1),
        2 => (Link::Logistic, 1),
        k => (Link::Softmax, k),
    };
    let loss = Loss { link, y, positions, n_raw };
    let init = initial_scores(&loss, classes.len(), params.value("init") == &Value::Str("zero".into()));
    let rules = grow_rules(estimator, params, n, x.cols(), classifier, Splitter::Best)?;
    let criterion = criterion(params.str("criterion"), 1);
    let binned = BinnedMatrix::new(x);
    let learning_rate = params.f64("learning_rate");
    let n_inbag = ((subsample * n as f64) as usize).max(1);
    let mut rng = Rng::from_random_state(random_state(params));
    let mut raw: Vec<f64> = (0..n).flat_map(|_| init.iter().copied()).collect();
    let mut gradient = vec![0.0; n];
    let mut trees = Vec::with_capacity(params.usize("n_estimators") * n_raw);
    let mut decreases = Vec::with_capacity(trees.capacity());
    for _ in 0..params.usize("n_estimators") {
        input.check_cancelled()?;
        let weights = inbag_weights(n, n_inbag, &mut rng);
        let stage_raw = raw.clone();
        for k in 0..n_raw {
            loss.negative_gradient(&stage_raw, k, &mut gradient);
            let grower = TreeGrower {
                binned: &binned,
                targets: Targets::Values { y: &gradient, n_outputs: 1 },
                criterion: criterion.as_ref(),
                rules: rules.with_total_weight(n_inbag as f64),
                cancelled: input.cancelled,
            };
            let grown = grower.grow(&weights, &mut rng)?;
            let mut tree = grown.tree;
            decreases.push(tree_impurity_decrease(&tree, x, &weights, NodeImpurity::Variance { y: &gradient, n_outputs: 1 }));
            for (leaf, range) in grown.leaf_ranges.iter().enumerate() {
                let rows = &grown.samples[range.clone()];
                let value = loss.leaf_value(rows, &gradient, k, tree.values[leaf]);
                tree.values[leaf] = value;
                rows.iter().for_each(|&i| raw[i as usize * n_raw + k] += learning_rate * value);
            }
            if n_inbag < n {
                for i in (0..n).filter(|&i| weights[i] == 0.0) {
                    raw[i * n_raw + k] += learning_rate * tree.values[tree.leaf(&x.data()[i * x.cols()..(i + 1) * x.cols()])];
                }
            }
            trees.push(tree);
        }
    }
    let importances = Importances::overall(ImportanceKind::Impurity, boosting_importances(&trees, decreases, x.cols()));
    let model = BoostedTrees { n_features: x.cols(), link, n_classes: input.n_classes, classes, learning_rate, init, trees };
    let model = WithImportances { model: Box::new(model), importances };
    Ok((Box::new(model), FitInfo { n_iter: Some(params.usize("n_estimators")), converged: true }))
}

/// sklearn's init estimators: the target mean (DummyRegressor), log-odds or log-priors of the classes
/// (DummyClassifier "prior", probabilities clipped to float32's eps); `init="zero"` starts from 0.
fn initial_scores(loss: &Loss, n_present: usize, zero: bool) -> Vec<f64> {
    if zero {
        return vec![0.0; loss.n_raw];
    }
    let n = loss.y.len() as f64;
    let eps = f32::EPSILON as f64;
    let prior = |k: usize| (loss.positions.iter().filter(|&&p| p == k).count() as f64 / n).clamp(eps, 1.0 - eps);
    match loss.link {
        Link::Identity => vec![loss.y.iter().sum::<f64>() / n],
        Link::Logistic => vec![(prior(1) / (1.0 - prior(1))).ln()],
        Link::Softmax => (0..n_present).map(|k| prior(k).ln()).collect(),
    }
}

/// 1 for the `n_inbag` rows of this stage (all when subsample is 1), 0 for the others.
fn inbag_weights(n: usize, n_inbag: usize, rng: &mut Rng) -> Vec<f64> {
    if n_inbag >= n {
        return vec![1.0; n];
    }
    let mut order: Vec<usize> = (0..n).collect();
    let mut weights = vec![0.0; n];
    for i in 0..n_inbag {
        order.swap(i, i + rng.below(n - i));
        weights[order[i]] = 1.0;
    }
    weights
}

impl BoostedTrees {
    fn n_raw(&self) -> usize {
        self.init.len()
    }

    fn raw_scores(&self, x: &MatrixView) -> Vec<f64> {
        let m = self.n_raw();
        sum_leaf_values(x, &self.trees, m, |t| t % m, &self.init, self.learning_rate)
    }

    fn probabilities(&self, x: &MatrixView) -> Vec<f64> {
        let raw = self.raw_scores(x);
        let m = self.n_raw();
        let mut out = vec![0.0; x.rows() * self.n_classes];
        for (row, dest) in raw.chunks_exact(m).zip(out.chunks_exact_mut(self.n_classes)) {
            // Logistic has the one raw column (checked on read), softmax one per trained class.
            scatter_class_probabilities(row, &self.classes, dest);
        }
        out
    }

    pub fn read(r: &mut Reader) -> Result<BoostedTrees> {
        let n_features = r.dim("n_features")?;
        let link = match r.u32()? {
            0 => Link::Identity,
            1 => Link::Logistic,
            2 => Link::Softmax,
            other => return Err(Error::corrupt(format!("unknown boosting link {other}"))),
        };
        let n_classes = r.u32()? as usize;
        // predict_proba allocates rows × n_classes, and nothing else in the body is sized by it: bound it so a
        // corrupt count cannot request terabytes.
        if n_classes > MAX_CLASSES {
            return Err(Error::corrupt(format!("{n_classes} classes")));
        }
        let n_present = r.u32()? as usize;
        let mut classes = Vec::new();
        for _ in 0..n_present {
            classes.push(r.u32()?);
        }
        let classes_ok = classes.windows(2).all(|w| w[0] < w[1]) && classes.last().is_none_or(|&c| (c as usize) < n_classes);
        let learning_rate = r.f64s("learning_rate", 1)?[0];
        let n_raw = r.dim("n_raw")?;
        let expected_raw = match link {
            Link::Identity => n_present == 0 && n_classes == 0,
            Link::Logistic => n_present == 2 && n_raw == 1,
            Link::Softmax => n_present >= 3 && n_raw == n_present,
        };
        if !classes_ok || !expected_raw || (link == Link::Identity && n_raw != 1) {
            return Err(Error::corrupt("boosting classes, link and score columns disagree"));
        }
        let init = r.f64s("init", n_raw)?;
        let n_trees = r.dim("n_trees")?;
        if n_trees % n_raw != 0 {
            return Err(Error::corrupt(format!("{n_trees} trees is not a whole number of stages of {n_raw}")));
        }
        let trees = read_trees(r, n_trees, n_features, 1)?;
        Ok(BoostedTrees { n_features, link, n_classes, classes, learning_rate, init, trees })
    }
}

impl Fitted for BoostedTrees {
    fn n_features(&self) -> usize {
        self.n_features
    }
    fn n_outputs(&self) -> usize {
        1
    }
    fn n_classes(&self) -> Option<usize> {
        (self.link != Link::Identity).then_some(self.n_classes)
    }
    fn predict(&self, x: &MatrixView) -> Result<Vec<f64>> {
        if self.link == Link::Identity {
            return Ok(self.raw_scores(x));
        }
        Ok(self.probabilities(x).chunks_exact(self.n_classes).map(|p| argmax(p) as f64).collect())
    }
    fn predict_proba(&self, x: &MatrixView) -> Result<Vec<f64>> {
        if self.link == Link::Identity {
            return Err(Error::invalid("a regressor has no predict_proba"));
        }
        Ok(self.probabilities(x))
    }
    fn write(&self, w: &mut Writer) {
        w.u32(self.n_features as u32);
        w.u32(match self.link {
            Link::Identity => 0,
            Link::Logistic => 1,
            Link::Softmax => 2,
        });
        w.u32(self.n_classes as u32);
        w.u32(self.classes.len() as u32);
        self.classes.iter().for_each(|&c| w.u32(c));
        w.f64s(&[self.learning_rate]);
        w.u32(self.n_raw() as u32);
        w.f64s(&self.init);
        w.u32(self.trees.len() as u32);
        self.trees.iter().for_each(|t| t.write(w));
    }
}
