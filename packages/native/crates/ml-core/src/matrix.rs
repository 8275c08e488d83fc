//! Row-major f64 matrices as the algorithms see them: a borrowed view with its shape checked once, plus the few
//! column statistics every linear model needs.

use crate::error::{Error, Result};

#[derive(Clone, Copy, Debug)]
pub struct MatrixView<'a> {
    data: &'a [f64],
    rows: usize,
    cols: usize,
}

impl<'a> MatrixView<'a> {
    /// `what` names the matrix in error messages ("X", "y").
    pub fn new(what: &str, data: &'a [f64], rows: usize, cols: usize) -> Result<Self> {
        if rows == 0 || cols == 0 {
            return Err(Error::invalid(format!(
                "{what} must have at least one row and one column, got {rows} x {cols}"
            )));
        }
        match rows.checked_mul(cols) {
            Some(n) if n == data.len() => Ok(MatrixView { data, rows, cols }),
            _ => Err(Error::invalid(format!(
                "{what} has {} values, which is not {rows} rows x {cols} columns",
                data.len()
            ))),
        }
    }

    /// Like `new`, and rejects NaN/Inf (sklearn's `check_array(force_all_finite=True)`).
    pub fn finite(what: &str, data: &'a [f64], rows: usize, cols: usize) -> Result<Self> {
        let view = MatrixView::new(what, data, rows, cols)?;
        if let Some(i) = data.iter().position(|v| !v.is_finite()) {
            return Err(Error::data(format!(
                "{what} contains {} at row {}, column {}; impute or drop it before fitting",
                data[i],
                i / cols,
                i % cols
            )));
        }
        Ok(view)
    }

    pub fn data(&self) -> &'a [f64] {
        self.data
    }
    pub fn rows(&self) -> usize {
        self.rows
    }
    pub fn cols(&self) -> usize {
        self.cols
    }

    pub fn column_means(&self) -> Vec<f64> {
        let mut sums = vec![0.0; self.cols];
        for row in self.data.chunks_exact(self.cols) {
            for (s, v) in sums.iter_mut().zip(row) {
                *s += v;
            }
        }
        let n = self.rows as f64;
        sums.iter_mut().for_each(|s| *s /= n);
        sums
    }

    /// A copy with `offsets` subtracted from every row.
    pub fn centered(&self, offsets: &[f64]) -> Vec<f64> {
        let mut out = self.data.to_vec();
        for row in out.chunks_exact_mut(self.cols) {
            for (v, o) in row.iter_mut().zip(offsets) {
                *v -= o;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn shape_and_finiteness_are_checked() {
        assert_eq!(MatrixView::new("X", &[1.0; 6], 4, 2).unwrap_err().kind, ErrorKind::InvalidArgument);
        assert_eq!(MatrixView::new("X", &[], 0, 2).unwrap_err().kind, ErrorKind::InvalidArgument);
        let err = MatrixView::finite("X", &[1.0, 2.0, f64::NAN, 4.0], 2, 2).unwrap_err();
        assert_eq!(err.kind, ErrorKind::DataError);
        assert!(err.message.contains("row 1, column 0"), "{}", err.message);
        assert!(MatrixView::finite("X", &[1.0, f64::INFINITY], 1, 2).is_err());
    }

    #[test]
    fn means_and_centering() {
        let x = MatrixView::new("X", &[1.0, 10.0, 3.0, 20.0], 2, 2).unwrap();
        let means = x.column_means();
        assert_eq!(means, vec![2.0, 15.0]);
        assert_eq!(x.centered(&means), vec![-1.0, -5.0, 1.0, 5.0]);
    }
}
