//! The early-stopping split exactly as sklearn draws it: `train_test_split(X, y, test_size=validation_fraction,
//! stratify=y if classifier, random_state=seed)` — `ShuffleSplit` for regression, `StratifiedShuffleSplit` (with its
//! `_approximate_mode` class allocation) for classification — on numpy's legacy `RandomState(seed)`, so the same
//! `random_state` holds out the same rows as scikit-learn.

use pgml_ml_core::error::{Error, Result};
use pgml_ml_core::mt19937::NumpyRandomState;

/// Held-out size: a fraction in (0, 1) or an absolute row count ≥ 1 (sklearn's `validation_fraction`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ValidationSize {
    Fraction(f64),
    Rows(usize),
}

/// (train rows, validation rows) in sklearn's order.
pub fn validation_split(
    n: usize,
    size: ValidationSize,
    classes: Option<&[usize]>,
    seed: u32,
) -> Result<(Vec<usize>, Vec<usize>)> {
    let n_test = match size {
        ValidationSize::Fraction(f) => (f * n as f64).ceil() as usize,
        ValidationSize::Rows(r) => r,
    };
    if n_test == 0 || n_test >= n {
        return Err(Error::data(format!(
            "validation_fraction leaves {n_test} of {n} rows for validation; early stopping needs both sets non-empty"
        )));
    }
    let n_train = n - n_test;
    let mut rng = NumpyRandomState::new(seed);
    let Some(classes) = classes else {
        let permutation = rng.permutation(n);
        return Ok((permutation[n_test..].to_vec(), permutation[..n_test].to_vec()));
    };
    let n_classes = classes.iter().max().map_or(0, |m| m + 1);
    let mut counts = vec![0usize; n_classes];
    classes.iter().for_each(|&c| counts[c] += 1);
    if counts.iter().any(|&c| c < 2) {
        return Err(Error::data(
            "early stopping holds out a stratified validation set, which needs at least 2 rows of every class",
        ));
    }
    if n_train < n_classes || n_test < n_classes {
        return Err(Error::data(format!("the validation split ({n_train} train / {n_test} validation rows) cannot hold every one of {n_classes} classes")));
    }
    // Rows of each class in ascending order (a stable argsort by class).
    let mut by_class: Vec<Vec<usize>> = counts.iter().map(|&c| Vec::with_capacity(c)).collect();
    classes.iter().enumerate().for_each(|(i, &c)| by_class[c].push(i));
    let train_counts = approximate_mode(&counts, n_train, &mut rng);
    let remaining: Vec<usize> = counts.iter().zip(&train_counts).map(|(c, t)| c - t).collect();
    let test_counts = approximate_mode(&remaining, n_test, &mut rng);
    let (mut train, mut test) = (Vec::with_capacity(n_train), Vec::with_capacity(n_test));
    for (k, rows) in by_class.iter().enumerate() {
        let shuffled: Vec<usize> = rng.permutation(rows.len()).into_iter().map(|j| rows[j]).collect();
        train.extend_from_slice(&shuffled[..train_counts[k]]);
        test.extend_from_slice(&shuffled[train_counts[k]..train_counts[k] + test_counts[k]]);
    }
    Ok((shuffle(train, &mut rng), shuffle(test, &mut rng)))
}

/// `rng.permutation(items)`: numpy shuffles a copy with the same swaps that `permutation(len)` applies to 0..len.
fn shuffle(items: Vec<usize>, rng: &mut NumpyRandomState) -> Vec<usize> {
    rng.permutation(items.len()).into_iter().map(|j| items[j]).collect()
}

/// sklearn's `_approximate_mode`: floor of each class's proportional share, the rest handed out by largest
/// remainder, ties broken by `rng.choice(..., replace=False)`.
fn approximate_mode(counts: &[usize], n_draws: usize, rng: &mut NumpyRandomState) -> Vec<usize> {
    let total = counts.iter().sum::<usize>() as f64;
    let continuous: Vec<f64> = counts.iter().map(|&c| c as f64 / total * n_draws as f64).collect();
    let mut floored: Vec<usize> = continuous.iter().map(|c| c.floor() as usize).collect();
    let mut need = n_draws as i64 - floored.iter().sum::<usize>() as i64;
    if need > 0 {
        let remainder: Vec<f64> = continuous.iter().zip(&floored).map(|(c, &f)| c - f as f64).collect();
        let mut values = remainder.clone();
        values.sort_by(|a, b| b.total_cmp(a));
        values.dedup();
        for value in values {
            let tied: Vec<usize> = (0..remainder.len()).filter(|&k| remainder[k] == value).collect();
            let take = tied.len().min(need as usize);
            let chosen = rng.permutation(tied.len());
            chosen[..take].iter().for_each(|&j| floored[tied[j]] += 1);
            need -= take as i64;
            if need == 0 {
                break;
            }
        }
    }
    floored
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffle_split_matches_sklearn() {
        // sklearn.model_selection.train_test_split(np.arange(10), test_size=0.3, random_state=3)
        let (train, test) = validation_split(10, ValidationSize::Fraction(0.3), None, 3).unwrap();
        assert_eq!(test, vec![5, 4, 1]);
        assert_eq!(train, vec![2, 9, 6, 7, 0, 3, 8]);
    }

    #[test]
    fn stratified_split_keeps_class_shares_and_rejects_tiny_classes() {
        let classes: Vec<usize> = (0..30).map(|i| usize::from(i % 3 == 0)).collect();
        let (train, test) = validation_split(30, ValidationSize::Fraction(0.2), Some(&classes), 0).unwrap();
        assert_eq!((train.len(), test.len()), (24, 6));
        assert_eq!(test.iter().filter(|&&i| classes[i] == 1).count(), 2);
        let mut all: Vec<usize> = train.iter().chain(&test).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..30).collect::<Vec<_>>());
        assert!(validation_split(4, ValidationSize::Fraction(0.5), Some(&[0, 0, 0, 1]), 0).is_err());
        assert!(validation_split(4, ValidationSize::Rows(4), None, 0).is_err());
    }
}
