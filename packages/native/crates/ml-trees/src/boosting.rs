//! scikit-learn 1.2's `GradientBoostingRegressor` (squared error; one target, several through
//! `wrap_multi_target`, as sklearn's MultiOutputRegressor) and `GradientBoostingClassifier` (log loss: one tree per
//! stage for two classes, one per class for more), fitted in boosting_fit.rs. Predictions add
//! learning_rate × leaf value tree by tree to the initial scores; probabilities are expit (two classes) or
//! exp(score − logsumexp) with numpy's exp and log (more), as sklearn computes them.
//!
//! Body (id 26 per target inside the multi-target wrapper, id 27): `u32 n_features, u32 link (0 identity,
//! 1 logistic, 2 softmax; | FLOAT32_X for models comparing float32 X, ensemble.rs), u32 n_classes (0 for
//! regression), u32 n_present, u32 classes[n_present], f64 learning_rate, u32 n_raw, f64 init[n_raw], u32 n_trees`
//! (stage-major, n_raw per stage), then the trees.

use pgml_ml_core::codec::{Reader, Writer};
use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::estimator::{AlgorithmDef, Fitted, Task};
use pgml_ml_core::hyperparams::{Default, Kind, ParamSpec};
use pgml_ml_core::matrix::MatrixView;
use pgml_ml_core::numeric::{argmax, sigmoid};
use pgml_ml_core::{read_multi_target, wrap_multi_target};

use crate::boosting_fit::{fit, softmax_probabilities};
use crate::ensemble::FLOAT32_X;
use crate::params::*;
use crate::predict::{combine_leaf_values, Combine};
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
    /// Thresholds compare X rounded to float32 (false only for models fitted before the exact port).
    pub float32: bool,
}

macro_rules! boosting_params {
    ($loss:expr, $classifier:expr $(, $alpha:expr)?) => {
        &[
            $loss,
            ParamSpec::new("learning_rate", Kind::Float { min: 0.0, exclusive: false }, Default::Number(0.1)),
            N_ESTIMATORS,
            ParamSpec::new("subsample", Kind::Float { min: 0.0, exclusive: true }, Default::Number(1.0)).at_most(1.0),
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
            ParamSpec::new("validation_fraction", Kind::Float { min: 0.0, exclusive: true }, Default::Number(0.1)).below(1.0),
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
    ParamSpec::new("alpha", Kind::Float { min: 0.0, exclusive: true }, Default::Number(0.9)).below(1.0)
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

impl BoostedTrees {
    fn n_raw(&self) -> usize {
        self.init.len()
    }

    fn raw_scores(&self, x: &MatrixView) -> Vec<f64> {
        let m = self.n_raw();
        let combine = Combine::Boosted { init: &self.init, learning_rate: self.learning_rate };
        combine_leaf_values(x, &self.trees, m, |t| t % m, combine, self.float32)
    }

    /// rows × n_classes: expit of the one score (logistic) or the softmax of one score per trained class, spread
    /// over the declared classes.
    fn probabilities(&self, x: &MatrixView) -> Vec<f64> {
        let raw = self.raw_scores(x);
        let m = self.n_raw();
        let mut out = vec![0.0; x.rows() * self.n_classes];
        let mut trained = vec![0.0; self.classes.len()];
        for (row, dest) in raw.chunks_exact(m).zip(out.chunks_exact_mut(self.n_classes)) {
            if self.link == Link::Logistic {
                let p = sigmoid(row[0]);
                trained.copy_from_slice(&[1.0 - p, p]);
            } else {
                softmax_probabilities(row, &mut trained);
            }
            self.classes.iter().zip(&trained).for_each(|(&c, &p)| dest[c as usize] = p);
        }
        out
    }

    pub fn read(r: &mut Reader) -> Result<BoostedTrees> {
        let n_features = r.dim("n_features")?;
        let word = r.u32()?;
        let link = match word & !FLOAT32_X {
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
        let classes_ok =
            classes.windows(2).all(|w| w[0] < w[1]) && classes.last().is_none_or(|&c| (c as usize) < n_classes);
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
        Ok(BoostedTrees {
            n_features,
            link,
            n_classes,
            classes,
            learning_rate,
            init,
            trees,
            float32: word & FLOAT32_X != 0,
        })
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
        let link = match self.link {
            Link::Identity => 0,
            Link::Logistic => 1,
            Link::Softmax => 2,
        };
        w.u32(link | if self.float32 { FLOAT32_X } else { 0 });
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
