//! Rows of a row-major matrix permuted in place: row `i` becomes the old row `order[i]`. Train/test splits put the
//! training rows first and the test rows after them, so both are contiguous slices of one buffer — no copy.

use pgml_ml_core::{Error, Result};

/// Gathers rows in place by following the permutation's cycles (one spare row, a visited bitmap).
pub fn permute_rows(data: &mut [f64], width: usize, order: &[u32]) -> Result<()> {
    let rows = data.len().checked_div(width).unwrap_or(order.len());
    if order.len() != rows || data.len() != rows * width {
        return Err(Error::invalid(format!("a row order of {} entries for {rows} rows", order.len())));
    }
    let mut visited = vec![false; rows];
    for &source in order {
        let source = source as usize;
        if source >= rows || std::mem::replace(&mut visited[source], true) {
            return Err(Error::invalid("the row order is not a permutation of the rows"));
        }
    }
    visited.fill(false);
    let mut spare = vec![0.0; width];
    for start in 0..rows {
        if visited[start] || order[start] as usize == start {
            continue;
        }
        spare.copy_from_slice(&data[start * width..(start + 1) * width]);
        let mut at = start;
        loop {
            visited[at] = true;
            let from = order[at] as usize;
            if from == start {
                data[at * width..(at + 1) * width].copy_from_slice(&spare);
                break;
            }
            data.copy_within(from * width..(from + 1) * width, at * width);
            at = from;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gathers_rows_in_place() {
        let mut data: Vec<f64> = (0..12).map(f64::from).collect();
        permute_rows(&mut data, 2, &[3, 0, 5, 1, 2, 4]).unwrap();
        assert_eq!(data, [6.0, 7.0, 0.0, 1.0, 10.0, 11.0, 2.0, 3.0, 4.0, 5.0, 8.0, 9.0]);
        assert!(permute_rows(&mut data, 2, &[0, 0, 1, 2, 3, 4]).is_err());
        assert!(permute_rows(&mut data, 2, &[0, 1]).is_err());
    }
}
