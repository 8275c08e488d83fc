//! Runtime CPU dispatch for the row-scoring hot loop. The kernel source is written once (generic over `Mac`) and
//! compiled twice: a baseline x86-64 (SSE2) build and an AVX2+FMA build selected at run time, so the `.node` file
//! runs on any x86-64 machine without `-C target-cpu=native`.

use super::ops::{cosine_from_parts, dot, squared_l2};
use super::scan::Metric;
use super::{Mac, Separate};

/// The widest instruction set the scoring kernels use on this machine.
pub fn simd_level() -> &'static str {
    #[cfg(target_arch = "x86_64")]
    {
        if has_avx2_fma() {
            return "avx2";
        }
        "sse2"
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        "scalar"
    }
}

#[cfg(target_arch = "x86_64")]
fn has_avx2_fma() -> bool {
    // std caches the CPUID result, so this is a load and a test per call.
    is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")
}

/// Scores each `dim`-long row of `rows` against `query` into `out` (one score per row).
/// `query_sq_norm` is `query · query`, computed once per scan for cosine.
pub fn score_block(query: &[f32], rows: &[f32], dim: usize, metric: Metric, query_sq_norm: f32, out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if has_avx2_fma() {
        // SAFETY: the CPU supports AVX2 and FMA (checked just above).
        return unsafe { score_block_avx2_fma(query, rows, dim, metric, query_sq_norm, out) };
    }
    score_block_generic::<Separate>(query, rows, dim, metric, query_sq_norm, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn score_block_avx2_fma(query: &[f32], rows: &[f32], dim: usize, metric: Metric, q_sq: f32, out: &mut [f32]) {
    score_block_generic::<super::Fused>(query, rows, dim, metric, q_sq, out)
}

#[inline(always)]
fn score_block_generic<M: Mac>(query: &[f32], rows: &[f32], dim: usize, metric: Metric, q_sq: f32, out: &mut [f32]) {
    let pairs = rows.chunks_exact(dim).zip(out.iter_mut());
    // The metric match sits outside the row loop so each loop body is a single straight kernel.
    match metric {
        Metric::Dot => pairs.for_each(|(row, o)| *o = dot::<f32, M>(query, row)),
        Metric::L2 => pairs.for_each(|(row, o)| *o = squared_l2::<f32, M>(query, row).sqrt()),
        // Two passes per row measured faster than one fused pass with twice the accumulators (row stays in L1).
        Metric::Cosine => {
            pairs.for_each(|(row, o)| *o = cosine_from_parts(dot::<f32, M>(query, row), q_sq, dot::<f32, M>(row, row)))
        }
    }
}
