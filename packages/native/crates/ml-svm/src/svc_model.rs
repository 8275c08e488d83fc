//! A fitted SVC as libsvm stores it — support vectors grouped by class, one-vs-one dual coefficients, ρ per pair
//! and Platt's (A, B) per pair — predicting through one dgemm per block of rows instead of libsvm's row-by-row
//! kernel loop.
//!
//! Payload body (id 50): `u32 n_classes, u32 n_trained, u32 classes[n_trained]`, the kernel
//! (`Kernel::write`), `u32 n_features, u32 n_sv[n_trained]`, `f64 support_vectors[total_sv × n_features]`,
//! `f64 dual_coef[(n_trained − 1) × total_sv]` (libsvm's `sv_coef`), `f64 rho[pairs]`, `u32 has_probability`, then
//! if 1 `f64 prob_a[pairs], f64 prob_b[pairs]`. Pairs run (0,1), (0,2), …, (1,2), … over trained classes.

use pgml_ml_core::codec::{Reader, Writer};
use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::estimator::Fitted;
use pgml_ml_core::labels::{read_trained_classes, write_trained_classes};
use pgml_ml_core::lapack;
use pgml_ml_core::matrix::MatrixView;

use crate::kernel::{row_norms, Kernel};
use crate::platt::{multiclass_probability, sigmoid_predict};

/// libsvm clips pairwise probabilities to [min, 1 − min] before coupling.
const MIN_PAIR_PROBABILITY: f64 = 1e-7;

#[derive(Debug, Clone, PartialEq)]
pub struct SvcModel {
    pub n_classes: usize,
    pub classes: Vec<u32>,
    pub kernel: Kernel,
    pub n_features: usize,
    pub n_sv: Vec<usize>,
    pub support_vectors: Vec<f64>,
    pub dual_coef: Vec<f64>,
    pub rho: Vec<f64>,
    /// Platt's (A, B) per pair, when trained with `probability=True`.
    pub probability: Option<(Vec<f64>, Vec<f64>)>,
    /// Derived: squared norms of the support vectors, and the pair decision weights (total_sv × pairs) that turn
    /// a kernel row into every pair's decision value by one product.
    sv_norms: Vec<f64>,
    pair_weights: Vec<f64>,
}

/// The (i, j) class pairs in libsvm's order.
pub fn pairs(k: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..k).flat_map(move |i| (i + 1..k).map(move |j| (i, j)))
}

impl SvcModel {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        n_classes: usize,
        classes: Vec<u32>,
        kernel: Kernel,
        n_features: usize,
        n_sv: Vec<usize>,
        support_vectors: Vec<f64>,
        dual_coef: Vec<f64>,
        rho: Vec<f64>,
        probability: Option<(Vec<f64>, Vec<f64>)>,
    ) -> Self {
        let k = classes.len();
        let total: usize = n_sv.iter().sum();
        let n_pairs = k * (k - 1) / 2;
        let start: Vec<usize> = n_sv.iter().scan(0, |acc, &n| Some(std::mem::replace(acc, *acc + n))).collect();
        let mut pair_weights = vec![0.0; total * n_pairs];
        for (p, (i, j)) in pairs(k).enumerate() {
            // classifier (i, j): coefficients of class i's SVs are in row j − 1, class j's in row i.
            for s in start[i]..start[i] + n_sv[i] {
                pair_weights[s * n_pairs + p] = dual_coef[(j - 1) * total + s];
            }
            for s in start[j]..start[j] + n_sv[j] {
                pair_weights[s * n_pairs + p] = dual_coef[i * total + s];
            }
        }
        let sv_norms = row_norms(&kernel, &support_vectors, n_features);
        SvcModel {
            n_classes,
            classes,
            kernel,
            n_features,
            n_sv,
            support_vectors,
            dual_coef,
            rho,
            probability,
            sv_norms,
            pair_weights,
        }
    }

    fn n_pairs(&self) -> usize {
        self.rho.len()
    }

    /// libsvm's one-vs-one decision values, rows × pairs.
    pub fn decision_values(&self, x: &MatrixView) -> Result<Vec<f64>> {
        let (n_pairs, total) = (self.n_pairs(), self.sv_norms.len());
        let mut out = vec![0.0; x.rows() * n_pairs];
        self.kernel.for_blocks(x, &self.support_vectors, &self.sv_norms, &mut out, n_pairs, |k, block| {
            let rows = block.len() / n_pairs;
            if total > 0 {
                lapack::gemm(false, false, rows, n_pairs, total, 1.0, k, &self.pair_weights, 0.0, block)?;
            }
            for row in block.chunks_exact_mut(n_pairs) {
                row.iter_mut().zip(&self.rho).for_each(|(d, rho)| *d -= rho);
            }
            Ok(())
        })?;
        Ok(out)
    }
}

impl Fitted for SvcModel {
    fn n_features(&self) -> usize {
        self.n_features
    }
    fn n_outputs(&self) -> usize {
        1
    }
    fn n_classes(&self) -> Option<usize> {
        Some(self.n_classes)
    }

    /// libsvm's vote: pair (i, j) votes i when its decision value is > 0; the most votes win, ties → the lowest class.
    fn predict(&self, x: &MatrixView) -> Result<Vec<f64>> {
        let k = self.classes.len();
        let decisions = self.decision_values(x)?;
        Ok(decisions
            .chunks_exact(self.n_pairs())
            .map(|row| {
                let mut votes = vec![0u32; k];
                for ((i, j), &d) in pairs(k).zip(row) {
                    votes[if d > 0.0 { i } else { j }] += 1;
                }
                let winner = (1..k).fold(0, |best, c| if votes[c] > votes[best] { c } else { best });
                self.classes[winner] as f64
            })
            .collect())
    }

    fn predict_proba(&self, x: &MatrixView) -> Result<Vec<f64>> {
        let Some((prob_a, prob_b)) = &self.probability else {
            return Err(Error::invalid(
                "predict_proba is not available for this SVC: train it with {\"probability\": true} (sklearn's SVC(probability=True))",
            ));
        };
        let k = self.classes.len();
        let decisions = self.decision_values(x)?;
        let mut out = vec![0.0; x.rows() * self.n_classes];
        let mut pairwise = vec![0.0; k * k];
        for (row, dest) in decisions.chunks_exact(self.n_pairs()).zip(out.chunks_exact_mut(self.n_classes)) {
            for (p, (i, j)) in pairs(k).enumerate() {
                let r = sigmoid_predict(row[p], prob_a[p], prob_b[p])
                    .clamp(MIN_PAIR_PROBABILITY, 1.0 - MIN_PAIR_PROBABILITY);
                pairwise[i * k + j] = r;
                pairwise[j * k + i] = 1.0 - r;
            }
            let probs = multiclass_probability(k, &pairwise);
            self.classes.iter().zip(&probs).for_each(|(&c, &pr)| dest[c as usize] = pr);
        }
        Ok(out)
    }

    fn write(&self, w: &mut Writer) {
        write_trained_classes(w, self.n_classes, &self.classes);
        self.kernel.write(w);
        w.u32(self.n_features as u32);
        self.n_sv.iter().for_each(|&n| w.u32(n as u32));
        w.f64s(&self.support_vectors);
        w.f64s(&self.dual_coef);
        w.f64s(&self.rho);
        match &self.probability {
            Some((a, b)) => {
                w.u32(1);
                w.f64s(a);
                w.f64s(b);
            }
            None => w.u32(0),
        }
    }
}

fn finite(values: Vec<f64>, what: &str) -> Result<Vec<f64>> {
    if values.iter().all(|v| v.is_finite()) {
        Ok(values)
    } else {
        Err(Error::corrupt(format!("{what} are not finite")))
    }
}

impl SvcModel {
    pub fn read(r: &mut Reader) -> Result<Self> {
        let (n_classes, classes) = read_trained_classes(r)?;
        let k = classes.len();
        let kernel = Kernel::read(r)?;
        let n_features = r.dim("n_features")?;
        let n_sv = (0..k).map(|_| r.u32().map(|n| n as usize)).collect::<Result<Vec<_>>>()?;
        let total = n_sv.iter().sum::<usize>();
        let sv_len = total.checked_mul(n_features).ok_or_else(|| Error::corrupt("support vector size overflows"))?;
        let support_vectors = finite(r.f64s("support vectors", sv_len)?, "support vectors")?;
        let coef_len = (k - 1).checked_mul(total).ok_or_else(|| Error::corrupt("dual coefficient size overflows"))?;
        let dual_coef = finite(r.f64s("dual coefficients", coef_len)?, "dual coefficients")?;
        let n_pairs = k * (k - 1) / 2;
        let rho = finite(r.f64s("rho", n_pairs)?, "intercepts")?;
        let probability = match r.u32()? {
            0 => None,
            1 => Some((
                finite(r.f64s("prob_a", n_pairs)?, "Platt slopes")?,
                finite(r.f64s("prob_b", n_pairs)?, "Platt offsets")?,
            )),
            other => return Err(Error::corrupt(format!("probability flag {other}"))),
        };
        Ok(SvcModel::new(n_classes, classes, kernel, n_features, n_sv, support_vectors, dual_coef, rho, probability))
    }
}
