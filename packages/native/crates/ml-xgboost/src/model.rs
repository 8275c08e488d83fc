//! A fitted XGBoost model: XGBoost's own UBJSON model bytes plus the few facts predict needs (feature count,
//! targets, which classes were trained), and a booster loaded from exactly those bytes. A freshly fitted model is
//! also loaded back from its saved bytes, so a fitted and a deserialized model are the same thing. Several targets
//! are one booster per target (fit.rs, as python's MultiOutputRegressor), or — in payloads written before that, and
//! by the migration's converter — one booster with XGBoost's own multi-output trees.
//!
//! Payload body (ids 60–63, one layout):
//! ```text
//! u32 n_features
//! u32 n_targets            regression: columns of y; classification: 1
//! u32 n_classes            classification: the declared label count (predict_proba's columns); regression: 0
//! u32 n_trained            classes present in training (0 for regression), then u32 trained[n_trained] ascending
//! u32 format               1 = one UBJSON model (XGBoosterSaveModelToBuffer {"format":"ubj"}, XGBoost 1.7);
//!                          2 = n_targets UBJSON models, one per target (regression, n_targets ≥ 2)
//! then per model: u32 checksum_lo, checksum_hi (FNV-1a 64 of its bytes), u32 model_len, model_len bytes
//! ```
//! The checksum keeps damaged bytes away from XGBoost's parser (which trusts its input more than we do); a load
//! is then verified against the header by the feature count and the width of a one-row prediction.

use pgml_ml_core::codec::{Reader, Writer};
use pgml_ml_core::numeric::argmax;
use pgml_ml_core::{Error, Fitted, ImportanceKind, Importances, MatrixView, Result, Task};

use crate::handle::Booster;

const FORMAT_UBJSON: u32 = 1;
const FORMAT_UBJSON_PER_TARGET: u32 = 2;
/// More predict_proba columns than this is a damaged header, not a model (it would size allocations).
const MAX_CLASSES: usize = 1 << 24;

#[derive(Debug)]
pub struct Classes {
    /// Columns of predict_proba: the caller's label count.
    pub n_classes: usize,
    /// Labels present in training, ascending; XGBoost's class k is `trained[k]`.
    pub trained: Vec<u32>,
}

#[derive(Debug)]
pub struct XgbModel {
    /// One booster, or one per target; `models` are their UBJSON bytes.
    boosters: Vec<Booster>,
    models: Vec<Vec<u8>>,
    n_features: usize,
    n_targets: usize,
    classes: Option<Classes>,
}

fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3))
}

impl XgbModel {
    fn gain_row(&self, booster: &Booster) -> Option<Importances> {
        let gains = booster.gain_scores(self.n_features).ok()?;
        let total: f32 = gains.iter().sum();
        let values = gains.iter().map(|&g| f64::from(if total == 0.0 { g } else { g / total })).collect();
        Some(Importances::overall(ImportanceKind::Gain, values))
    }

    /// Loads `models` (UBJSON; one, or one per target) and checks that they predict what the header says; a
    /// mismatch → CORRUPT_MODEL.
    pub fn new(
        models: Vec<Vec<u8>>,
        n_features: usize,
        n_targets: usize,
        classes: Option<Classes>,
    ) -> Result<XgbModel> {
        if models.len() != 1 && (classes.is_some() || models.len() != n_targets) {
            return Err(Error::corrupt(format!("{} XGBoost models for {n_targets} targets", models.len())));
        }
        let boosters = models.iter().map(|m| Booster::load(m)).collect::<Result<Vec<_>>>()?;
        let fitted = XgbModel { boosters, models, n_features, n_targets, classes };
        let zeros = vec![0.0; n_features];
        for booster in &fitted.boosters {
            if booster.num_features()? != n_features {
                return Err(Error::corrupt(format!(
                    "the XGBoost model has {} features, the header {n_features}",
                    booster.num_features()?
                )));
            }
            let (_, width) = booster.predict(&MatrixView::new("X", &zeros, 1, n_features)?)?;
            if width != fitted.outputs_per_booster() {
                return Err(Error::corrupt(format!(
                    "the XGBoost model predicts {width} values per row, the header {}",
                    fitted.outputs_per_booster()
                )));
            }
        }
        Ok(fitted)
    }

    /// What each booster returns per row: one value per target it holds; for two classes binary:logistic's
    /// P(class 1), else one probability per trained class.
    fn outputs_per_booster(&self) -> usize {
        match &self.classes {
            None => self.n_targets / self.boosters.len(),
            Some(c) if c.trained.len() == 2 => 1,
            Some(c) => c.trained.len(),
        }
    }

    /// Probabilities over the trained classes, rows × n_trained, as XGBoost's f32 (binary expanded as python's
    /// `_cls_predict_proba` does: `1 - p` in f32, then `p`).
    fn trained_proba(&self, x: &MatrixView, classes: &Classes) -> Result<Vec<f32>> {
        let (values, _) = self.boosters[0].predict(x)?;
        if classes.trained.len() == 2 {
            Ok(values.iter().flat_map(|&p| [1.0f32 - p, p]).collect())
        } else {
            Ok(values)
        }
    }

    /// Reads the body `write` wrote, for a model of `task`.
    pub fn read(r: &mut Reader, task: Task) -> Result<Box<dyn Fitted>> {
        let n_features = r.dim("n_features")?;
        let n_targets = r.dim("n_targets")?;
        let n_classes = r.u32()? as usize;
        let n_trained = r.u32()? as usize;
        let classes = match task {
            Task::Classification => {
                if n_targets != 1 || n_classes > MAX_CLASSES || n_trained < 2 || n_trained > n_classes {
                    return Err(Error::corrupt(format!(
                        "classifier with {n_targets} targets, {n_trained} of {n_classes} classes"
                    )));
                }
                let mut trained = Vec::with_capacity(n_trained);
                for _ in 0..n_trained {
                    let k = r.u32()?;
                    if k as usize >= n_classes || trained.last().is_some_and(|&prev| prev >= k) {
                        return Err(Error::corrupt("trained classes are not ascending class indices"));
                    }
                    trained.push(k);
                }
                Some(Classes { n_classes, trained })
            }
            _ if n_classes != 0 || n_trained != 0 => return Err(Error::corrupt("a regressor with classes")),
            _ => None,
        };
        let n_models = match r.u32()? {
            FORMAT_UBJSON => 1,
            FORMAT_UBJSON_PER_TARGET if classes.is_none() && n_targets >= 2 => n_targets,
            format => {
                return Err(Error::corrupt(format!("unknown XGBoost model format {format} for {n_targets} targets")))
            }
        };
        let mut models = Vec::new();
        for _ in 0..n_models {
            let checksum = r.u32()? as u64 | (r.u32()? as u64) << 32;
            let len = r.dim("XGBoost model length")?;
            let model = r.bytes("XGBoost model", len)?;
            if fnv1a64(model) != checksum {
                return Err(Error::corrupt("XGBoost model bytes fail their checksum"));
            }
            models.push(model.to_vec());
        }
        Ok(Box::new(XgbModel::new(models, n_features, n_targets, classes)?))
    }
}

impl Fitted for XgbModel {
    fn n_features(&self) -> usize {
        self.n_features
    }
    fn n_outputs(&self) -> usize {
        self.n_targets
    }
    fn n_classes(&self) -> Option<usize> {
        self.classes.as_ref().map(|c| c.n_classes)
    }
    /// libxgboost's inplace predict costs ~80 µs per call whatever the rows (config parsing, a proxy DMatrix) and
    /// runs an OpenMP region: even one row belongs on the thread pool, not on the JS thread.
    fn inline_rows(&self) -> bool {
        false
    }

    /// Regression: XGBoost's values. Classification: python's XGBClassifier.predict — argmax of the
    /// probabilities (first on ties), binary: class 1 when p > 0.5 — mapped back to the caller's labels.
    fn predict(&self, x: &MatrixView) -> Result<Vec<f64>> {
        let Some(classes) = &self.classes else {
            if let [joint] = &self.boosters[..] {
                return Ok(joint.predict(x)?.0.into_iter().map(f64::from).collect());
            }
            // One booster per target: column t of the rows × n_targets output.
            let mut out = vec![0.0; x.rows() * self.n_targets];
            for (t, booster) in self.boosters.iter().enumerate() {
                let (column, _) = booster.predict(x)?;
                out.iter_mut().skip(t).step_by(self.n_targets).zip(column).for_each(|(o, v)| *o = f64::from(v));
            }
            return Ok(out);
        };
        let k = classes.trained.len();
        let proba = self.trained_proba(x, classes)?;
        Ok(proba
            .chunks(k)
            .map(|row| {
                let best = if k == 2 { usize::from(row[1] > 0.5) } else { argmax(row) };
                classes.trained[best] as f64
            })
            .collect())
    }

    /// rows × n_classes; classes absent from training get probability 0.
    fn predict_proba(&self, x: &MatrixView) -> Result<Vec<f64>> {
        let Some(classes) = &self.classes else {
            return Err(Error::invalid("a regressor has no predict_proba"));
        };
        let k = classes.trained.len();
        let proba = self.trained_proba(x, classes)?;
        let mut out = vec![0.0; x.rows() * classes.n_classes];
        for (row, dest) in proba.chunks(k).zip(out.chunks_mut(classes.n_classes)) {
            classes.trained.iter().zip(row).for_each(|(&label, &p)| dest[label as usize] = p as f64);
        }
        Ok(out)
    }

    /// python-xgboost's `feature_importances_` (importance_type "gain"): the gains normalized in f32 to sum 1, all
    /// zeros when no tree splits; one row per target for the per-target boosters (as MultiOutputRegressor's
    /// estimators report theirs). None for a linear booster, which has no gain.
    fn feature_importances(&self) -> Option<Importances> {
        let rows: Vec<Option<Importances>> = self.boosters.iter().map(|booster| self.gain_row(booster)).collect();
        match &rows[..] {
            [single] => single.clone(),
            _ => Importances::stack(&rows),
        }
    }

    fn write(&self, w: &mut Writer) {
        w.u32(self.n_features as u32);
        w.u32(self.n_targets as u32);
        let (n_classes, trained) = self.classes.as_ref().map_or((0, &[][..]), |c| (c.n_classes, &c.trained[..]));
        w.u32(n_classes as u32);
        w.u32(trained.len() as u32);
        trained.iter().for_each(|&k| w.u32(k));
        w.u32(if self.models.len() == 1 { FORMAT_UBJSON } else { FORMAT_UBJSON_PER_TARGET });
        for model in &self.models {
            let checksum = fnv1a64(model);
            w.u32(checksum as u32);
            w.u32((checksum >> 32) as u32);
            w.u32(model.len() as u32);
            w.bytes(model);
        }
    }
}
