//! Tests of `lapack` (a file of their own to keep `lapack.rs` small).

use super::*;

fn close(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-10)
}

#[test]
fn gemm_of_a_row_or_a_column_equals_the_general_product() {
    let a: Vec<f64> = (0..12).map(|i| (i as f64 * 0.7).sin()).collect(); // 4×3 (or 3×4)
    let v = [0.5, -1.0, 2.0, 0.25];
    let naive =
        |m: usize,
         n: usize,
         k: usize,
         a_at: &dyn Fn(usize, usize) -> f64,
         b_at: &dyn Fn(usize, usize) -> f64|
         -> Vec<f64> { (0..m * n).map(|i| (0..k).map(|l| a_at(i / n, l) * b_at(l, i % n)).sum()).collect() };
    for (trans_a, trans_b) in [(false, false), (true, false), (false, true), (true, true)] {
        // n = 1: op(a) is 4×3 (a stored 4×3, or 3×4 transposed), b a 3-vector.
        let mut c = vec![1.0; 4];
        gemm(trans_a, trans_b, 4, 1, 3, 2.0, &a, &v[..3], 0.5, &mut c).unwrap();
        let at = |i: usize, l: usize| if trans_a { a[l * 4 + i] } else { a[i * 3 + l] };
        let expected: Vec<f64> = naive(4, 1, 3, &at, &|l, _| v[l]).iter().map(|x| 2.0 * x + 0.5).collect();
        assert!(close(&c, &expected), "n=1 {trans_a} {trans_b}: {c:?} vs {expected:?}");
        // m = 1: a a 4-vector, op(b) 4×3 (b stored 4×3, or 3×4 transposed).
        let mut c = vec![1.0; 3];
        gemm(trans_a, trans_b, 1, 3, 4, 1.0, &v, &a, 1.0, &mut c).unwrap();
        let bt = |l: usize, j: usize| if trans_b { a[j * 4 + l] } else { a[l * 3 + j] };
        let expected: Vec<f64> = naive(1, 3, 4, &|_, l| v[l], &bt).iter().map(|x| x + 1.0).collect();
        assert!(close(&c, &expected), "m=1 {trans_a} {trans_b}: {c:?} vs {expected:?}");
    }
}

#[test]
fn gemm_handles_transposes() {
    let a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]; // 2×3
    let mut c = vec![0.0; 4];
    gemm(false, true, 2, 2, 3, 1.0, &a, &a, 0.0, &mut c).unwrap(); // a·aᵀ
    assert_eq!(c, vec![14.0, 32.0, 32.0, 77.0]);
    let mut c = vec![0.0; 9];
    gemm(true, false, 3, 3, 2, 1.0, &a, &a, 0.0, &mut c).unwrap(); // aᵀ·a
    assert_eq!(c, vec![17.0, 22.0, 27.0, 22.0, 29.0, 36.0, 27.0, 36.0, 45.0]);
}

#[test]
fn lstsq_is_minimum_norm_on_rank_deficient_input() {
    // Two identical columns: the minimum-norm solution splits the weight evenly.
    let a = [1.0, 1.0, 2.0, 2.0, 3.0, 3.0];
    let b = [2.0, 4.0, 6.0];
    assert!(close(&lstsq(&a, 3, 2, &b, 1, f64::EPSILON).unwrap(), &[1.0, 1.0]));
    // More unknowns than equations, two right-hand sides.
    let a = [1.0, 0.0, 1.0, 0.0, 1.0, 1.0];
    let b = [2.0, 1.0, 3.0, 0.0];
    let x = lstsq(&a, 2, 3, &b, 2, f64::EPSILON).unwrap();
    let mut back = vec![0.0; 4];
    gemm(false, false, 2, 2, 3, 1.0, &a, &x, 0.0, &mut back).unwrap();
    assert!(close(&back, &b));
}

#[test]
fn cholesky_solve_and_its_failure() {
    let a = [4.0, 2.0, 2.0, 3.0];
    let x = solve_spd(&a, 2, &[2.0, 1.0, 1.0, 0.0], 2).unwrap().unwrap();
    let mut back = vec![0.0; 4];
    gemm(false, false, 2, 2, 2, 1.0, &a, &x, 0.0, &mut back).unwrap();
    assert!(close(&back, &[2.0, 1.0, 1.0, 0.0]));
    assert!(solve_spd(&[1.0, 1.0, 1.0, 1.0], 2, &[1.0, 1.0], 1).unwrap().is_none());
}

#[test]
fn qr_r_has_the_gram_of_its_input() {
    let a = [3.0, 1.0, 2.0, -1.0, 0.5, 4.0, 1.0, 1.0]; // 4×2
    let r = qr_r(&a, 4, 2).unwrap();
    assert_eq!(r[2], 0.0);
    let (mut g1, mut g2) = (vec![0.0; 4], vec![0.0; 4]);
    gemm(true, false, 2, 2, 4, 1.0, &a, &a, 0.0, &mut g1).unwrap();
    gemm(true, false, 2, 2, 2, 1.0, &r, &r, 0.0, &mut g2).unwrap();
    assert!(close(&g1, &g2));
}

#[test]
fn svd_reconstructs() {
    let a = [3.0, 1.0, 2.0, -1.0, 0.5, 4.0]; // 3×2
    let Svd { u, s, vt, k } = svd(&a, 3, 2).unwrap();
    assert!(s[0] >= s[1]);
    let mut us = u.clone();
    for i in 0..3 {
        for j in 0..k {
            us[i * k + j] *= s[j];
        }
    }
    let mut back = vec![0.0; 6];
    gemm(false, false, 3, 2, k, 1.0, &us, &vt, 0.0, &mut back).unwrap();
    assert!(close(&back, &a));
}
