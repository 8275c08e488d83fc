//! Singular values and right singular vectors of tall centered data (n ≫ p) without a centered copy of X: the SVD
//! of its TSQR R (ml-core's `tsqr`) has X − mean's singular values and right singular vectors. sklearn's
//! `svd_flip` needs the left vectors only for the sign of each column's largest-|·| entry; u_j ∝ (X − mean)·v_j, so
//! one more streaming pass finds it. Memory: O(p² · n / BLOCK) instead of three n × p copies.

use pgml_ml_core::error::Result;
use pgml_ml_core::tsqr::{centered_r, Centered};
use pgml_ml_core::{lapack, MatrixView};
use rayon::prelude::*;

/// (singular values, vt with sklearn's signs): the same as `lapack::svd` of X − mean followed by `svd_flip`.
pub fn centered_svd_tall(x: &MatrixView, mean: &[f64]) -> Result<(Vec<f64>, Vec<f64>)> {
    let (n, p) = (x.rows(), x.cols());
    let centered = Centered { x, x_offset: mean, y: None };
    let block = centered.block_rows();
    let starts: Vec<usize> = (0..n).step_by(block).collect();
    let r = centered_r(centered)?;
    let svd = lapack::svd(&r, r.len() / p, p)?;
    let (k, mut vt) = (svd.k, svd.vt);
    // Per block and column: the projection of largest magnitude (first on ties, as np.argmax).
    let extremes: Vec<Vec<f64>> = starts
        .par_iter()
        .map(|&s| {
            let rows = centered.rows(s, (s + block).min(n));
            let mut projections = vec![0.0; rows.len() / p * k];
            lapack::gemm(false, true, rows.len() / p, k, p, 1.0, &rows, &vt, 0.0, &mut projections)?;
            let mut best = vec![0.0f64; k];
            for row in projections.chunks_exact(k) {
                best.iter_mut().zip(row).for_each(|(b, v)| {
                    if v.abs() > b.abs() {
                        *b = *v
                    }
                });
            }
            Ok(best)
        })
        .collect::<Result<_>>()?;
    for j in 0..k {
        let extreme = extremes.iter().map(|e| e[j]).fold(0.0f64, |b, v| if v.abs() > b.abs() { v } else { b });
        if extreme < 0.0 {
            vt[j * p..][..p].iter_mut().for_each(|v| *v = -*v);
        }
    }
    Ok((svd.s, vt))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_direct_svd_with_sklearns_signs() {
        // 9000 rows (three blocks, the last partial) × 6 correlated columns with different scales and offsets.
        let (n, p) = (9000, 6);
        let data: Vec<f64> = (0..n)
            .flat_map(|i| {
                let (a, b) = (((i * 7919) % 1000) as f64 / 100.0, ((i * 104_729) % 997) as f64 / 50.0);
                let (c, d) = (((i * 31) % 89) as f64, ((i * 613) % 101) as f64 / 7.0);
                [a, 2.0 * a + b, 100.0 + c, a - b + d, 0.001 * b, 5.0]
            })
            .collect();
        let x = MatrixView::new("X", &data, n, p).unwrap();
        let mean = x.column_means();
        let (s, vt) = centered_svd_tall(&x, &mean).unwrap();
        let direct = lapack::svd(&x.centered(&mean), n, p).unwrap();
        let mut direct_vt = direct.vt;
        crate::pca::svd_flip(&direct.u, &mut direct_vt, direct.k);
        for (a, b) in s.iter().zip(&direct.s) {
            assert!((a - b).abs() <= 1e-10 * direct.s[0], "{s:?} vs {:?}", direct.s);
        }
        // Four sources; the last two singular values are ~0 (a constant column, a linear combination): any basis is right.
        let informative = 4;
        for (a, b) in vt[..informative * p].iter().zip(&direct_vt[..informative * p]) {
            assert!((a - b).abs() < 1e-9, "{vt:?} vs {direct_vt:?}");
        }
    }
}
