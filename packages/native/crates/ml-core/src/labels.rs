//! Class labels as the FFI hands them to classifiers: class indices 0..n_classes−1 stored as f64.

use crate::codec::{Reader, Writer};
use crate::error::{Error, Result};
use crate::numeric::{argmax, sigmoid, softmax};

/// The classes present in `y` (labels 0..n_classes−1 as f64) and each row's position among them.
pub fn encode_labels(y: &[f64], n_classes: usize) -> Result<(Vec<u32>, Vec<usize>)> {
    let mut seen = vec![false; n_classes];
    for (i, &label) in y.iter().enumerate() {
        if label.fract() != 0.0 || label < 0.0 || label >= n_classes as f64 {
            return Err(Error::data(format!("label {label} at row {i} is not a class index in 0..{n_classes}")));
        }
        seen[label as usize] = true;
    }
    let classes: Vec<u32> = (0..n_classes as u32).filter(|&k| seen[k as usize]).collect();
    if classes.len() < 2 {
        return Err(Error::data(format!(
            "classification needs at least 2 classes in the training data, got {}",
            classes.len()
        )));
    }
    let mut position = vec![0; n_classes];
    classes.iter().enumerate().for_each(|(pos, &k)| position[k as usize] = pos);
    Ok((classes, y.iter().map(|&label| position[label as usize]).collect()))
}

/// One class label (as f64) per row from rows × `n_outputs` decision values of a classifier trained on `classes`:
/// one output is binary (decision > 0 → the second class), more are one score per class (first maximum wins ties,
/// as numpy's argmax).
pub fn classes_from_decision(decision: &[f64], n_outputs: usize, classes: &[u32]) -> Vec<f64> {
    if n_outputs == 1 {
        decision.iter().map(|&d| classes[usize::from(d > 0.0)] as f64).collect()
    } else {
        decision.chunks_exact(n_outputs).map(|row| classes[argmax(row)] as f64).collect()
    }
}

/// Spreads one row of raw scores over `dest` (n_classes wide, zero for classes absent from training): a single score
/// is the binary logit of `classes[1]`, several are softmax scores of `classes` in order.
pub fn scatter_class_probabilities(scores: &[f64], classes: &[u32], dest: &mut [f64]) {
    if scores.len() == 1 {
        let p = sigmoid(scores[0]);
        dest[classes[0] as usize] = 1.0 - p;
        dest[classes[1] as usize] = p;
    } else {
        let mut probs = scores.to_vec();
        softmax(&mut probs);
        classes.iter().zip(&probs).for_each(|(&c, &p)| dest[c as usize] = p);
    }
}

/// Payload: `u32 n_classes, u32 n_present, u32 classes[n_present]`.
pub fn write_trained_classes(w: &mut Writer, n_classes: usize, classes: &[u32]) {
    w.u32(n_classes as u32);
    w.u32(classes.len() as u32);
    classes.iter().for_each(|&c| w.u32(c));
}

/// Reads what `write_trained_classes` wrote: n_classes and at least 2 ascending class indices below it.
pub fn read_trained_classes(r: &mut Reader) -> Result<(usize, Vec<u32>)> {
    let n_classes = r.dim("n_classes")?;
    let k = r.dim("number of trained classes")?;
    if k < 2 || k > n_classes {
        return Err(Error::corrupt(format!("{k} trained classes out of {n_classes}")));
    }
    let classes = (0..k).map(|_| r.u32()).collect::<Result<Vec<_>>>()?;
    if classes.windows(2).any(|w| w[0] >= w[1]) || classes[k - 1] as usize >= n_classes {
        return Err(Error::corrupt("trained class labels are not ascending class indices"));
    }
    Ok((n_classes, classes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn present_classes_and_positions() {
        let (classes, positions) = encode_labels(&[3.0, 1.0, 3.0, 1.0], 4).unwrap();
        assert_eq!(classes, vec![1, 3]);
        assert_eq!(positions, vec![1, 0, 1, 0]);
    }

    #[test]
    fn bad_labels_and_single_classes_are_data_errors() {
        for (y, n) in [
            (vec![0.0, 0.0], 2),
            (vec![0.0, 1.5], 2),
            (vec![0.0, 2.0], 2),
            (vec![0.0, -1.0], 2),
            (vec![f64::NAN, 1.0], 2),
        ] {
            assert_eq!(encode_labels(&y, n).unwrap_err().kind, ErrorKind::DataError, "{y:?}");
        }
    }
}
