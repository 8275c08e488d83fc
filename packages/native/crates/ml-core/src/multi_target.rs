//! Multi-target regression for algorithms that fit one target: one model per column of y, fitted in parallel,
//! predictions side by side. An algorithm opts in by calling `wrap_multi_target` from its `fit` and
//! `read_multi_target` from its `read`, and setting `multi_target: true`.
//!
//! Payload body: `u32 n_targets`, then each target's model body in column order. The wrapper is used for a single
//! target too, so an algorithm's payload has one layout whatever y's width.

use rayon::prelude::*;

use crate::codec::{Reader, Writer};
use crate::error::{Error, Result};
use crate::estimator::{Fit, FitInfo, FitInput, Fitted};
use crate::importance::Importances;
use crate::matrix::MatrixView;

/// One single-target model per column of y.
#[derive(Debug)]
pub struct MultiTarget {
    models: Vec<Box<dyn Fitted>>,
}

/// Fits `fit_one` on each column of `input.y()` (as rows × 1) and returns the models as one `Fitted` with
/// `n_outputs = y.cols()`. `n_iter` is the largest of the per-target counts; `converged` holds if every fit did.
pub fn wrap_multi_target<F>(input: &FitInput, fit_one: F) -> Result<Fit>
where
    F: Fn(&FitInput) -> Result<Fit> + Sync,
{
    let y = input.y()?;
    let t = y.cols();
    let columns: Vec<Vec<f64>> = (0..t).map(|j| y.data().iter().skip(j).step_by(t).copied().collect()).collect();
    let fits: Vec<Fit> = columns
        .par_iter()
        .map(|column| {
            let yj = MatrixView::new("y", column, y.rows(), 1)?;
            fit_one(&input.with_y(&yj))
        })
        .collect::<Result<_>>()?;
    let info = FitInfo {
        n_iter: fits.iter().filter_map(|(_, info)| info.n_iter).max(),
        converged: fits.iter().all(|(_, info)| info.converged),
    };
    Ok((Box::new(MultiTarget { models: fits.into_iter().map(|(model, _)| model).collect() }), info))
}

/// Reads what `MultiTarget::write` wrote, each target's model with `read_one`.
pub fn read_multi_target(
    r: &mut Reader,
    read_one: fn(&mut Reader) -> Result<Box<dyn Fitted>>,
) -> Result<Box<dyn Fitted>> {
    let t = r.dim("n_targets")?;
    // Each body is at least one byte, so a huge count fails on the first truncated read rather than allocating.
    let mut models: Vec<Box<dyn Fitted>> = Vec::new();
    for _ in 0..t {
        let model = read_one(r)?;
        if model.n_outputs() != 1 {
            return Err(Error::corrupt(format!("a per-target model has {} outputs", model.n_outputs())));
        }
        if let Some(first) = models.first() {
            if model.n_features() != first.n_features() {
                return Err(Error::corrupt("per-target models disagree on the feature count"));
            }
        }
        models.push(model);
    }
    Ok(Box::new(MultiTarget { models }))
}

impl Fitted for MultiTarget {
    fn n_features(&self) -> usize {
        self.models[0].n_features()
    }
    fn n_outputs(&self) -> usize {
        self.models.len()
    }
    fn n_classes(&self) -> Option<usize> {
        None
    }
    fn inline_rows(&self) -> bool {
        self.models.iter().all(|m| m.inline_rows())
    }
    fn predict(&self, x: &MatrixView) -> Result<Vec<f64>> {
        let t = self.models.len();
        let columns: Vec<Vec<f64>> = self.models.par_iter().map(|m| m.predict(x)).collect::<Result<_>>()?;
        let mut out = vec![0.0; x.rows() * t];
        for (j, column) in columns.iter().enumerate() {
            out.iter_mut().skip(j).step_by(t).zip(column).for_each(|(o, v)| *o = *v);
        }
        Ok(out)
    }
    /// One row per target when every per-target model has importances of one kind.
    fn feature_importances(&self) -> Option<Importances> {
        Importances::stack(&self.models.iter().map(|m| m.feature_importances()).collect::<Vec<_>>())
    }
    fn write(&self, w: &mut Writer) {
        w.u32(self.models.len() as u32);
        self.models.iter().for_each(|m| m.write(w));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::Reader;
    use crate::estimator::{AlgorithmDef, Task};
    use crate::hyperparams::{resolve, Hyperparams};

    /// How an algorithm row opts in (the shape crates/ml-core/README.md shows).
    const MEAN: AlgorithmDef = AlgorithmDef {
        names: &["mean"],
        task: Task::Regression,
        estimator: "Mean",
        id: 65535,
        params: &[],
        predict_proba: false,
        multi_target: true,
        accepts_nan: false,
        fit: |input| wrap_multi_target(input, fit_mean),
        read: |r| read_multi_target(r, read_mean),
    };

    /// Predicts a constant: the mean of its target column.
    #[derive(Debug)]
    struct Mean {
        n_features: usize,
        mean: f64,
    }

    impl Fitted for Mean {
        fn n_features(&self) -> usize {
            self.n_features
        }
        fn n_outputs(&self) -> usize {
            1
        }
        fn n_classes(&self) -> Option<usize> {
            None
        }
        fn predict(&self, x: &MatrixView) -> Result<Vec<f64>> {
            Ok(vec![self.mean; x.rows()])
        }
        fn write(&self, w: &mut Writer) {
            w.u32(self.n_features as u32);
            w.f64s(&[self.mean]);
        }
    }

    fn fit_mean(input: &FitInput) -> Result<Fit> {
        let y = input.y()?;
        assert_eq!(y.cols(), 1);
        let mean = Mean { n_features: input.x.cols(), mean: y.column_means()[0] };
        Ok((Box::new(mean), FitInfo { n_iter: Some(y.data().len()), converged: true }))
    }

    fn read_mean(r: &mut Reader) -> Result<Box<dyn Fitted>> {
        let n_features = r.dim("n_features")?;
        Ok(Box::new(Mean { n_features, mean: r.f64s("mean", 1)?[0] }))
    }

    #[test]
    fn one_model_per_column_predictions_side_by_side_and_round_trip() {
        let x = MatrixView::new("X", &[0.0, 1.0, 2.0], 3, 1).unwrap();
        let y = MatrixView::new("y", &[1.0, 10.0, 2.0, 20.0, 3.0, 30.0], 3, 2).unwrap();
        let params = resolve("Mean", &[], &Hyperparams::default()).unwrap();
        let input = FitInput {
            x: &x,
            y: Some(&y),
            n_classes: 0,
            params: &params,
            cancelled: &|| false,
            progress: &crate::NO_PROGRESS,
        };
        let (model, info) = (MEAN.fit)(&input).unwrap();
        assert_eq!(info, FitInfo { n_iter: Some(3), converged: true });
        assert_eq!((model.n_outputs(), model.n_features()), (2, 1));
        assert_eq!(model.predict(&x).unwrap(), vec![2.0, 20.0, 2.0, 20.0, 2.0, 20.0]);

        let mut w = Writer::new(99);
        model.write(&mut w);
        let bytes = w.finish();
        let (mut r, _) = Reader::open(&bytes).unwrap();
        let back = (MEAN.read)(&mut r).unwrap();
        r.finish().unwrap();
        assert_eq!(back.predict(&x).unwrap(), model.predict(&x).unwrap());
        for len in 8..bytes.len() {
            let (mut r, _) = Reader::open(&bytes[..len]).unwrap();
            assert!(read_multi_target(&mut r, read_mean).is_err());
        }
    }
}
