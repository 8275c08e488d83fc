//! Class labels as the FFI hands them to classifiers: class indices 0..n_classes−1 stored as f64.

use crate::error::{Error, Result};

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
        for (y, n) in [(vec![0.0, 0.0], 2), (vec![0.0, 1.5], 2), (vec![0.0, 2.0], 2), (vec![0.0, -1.0], 2), (vec![f64::NAN, 1.0], 2)] {
            assert_eq!(encode_labels(&y, n).unwrap_err().kind, ErrorKind::DataError, "{y:?}");
        }
    }
}
