//! Brute-force scoring of a query against every row of a row-major f32 matrix, and top-k selection — the
//! benchmark's "10,000 × 128 dot-product scan" and the warm path of `NativeMatrix`.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rayon::prelude::*;

use super::ops::dot_product;
use super::simd::score_block;
use crate::cancel::Cancel;
use crate::error::{check_same_len, Error, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    Dot,
    Cosine,
    /// Euclidean distance (not squared), so scores are comparable with `distanceL2`.
    L2,
}

impl Metric {
    pub fn parse(what: &str, name: &str) -> Result<Metric> {
        match name {
            "dot" => Ok(Metric::Dot),
            "cosine" => Ok(Metric::Cosine),
            "l2" => Ok(Metric::L2),
            other => Err(Error::invalid(format!("{what}: metric must be 'dot', 'cosine' or 'l2', got '{other}'"))),
        }
    }

    fn larger_is_better(self) -> bool {
        !matches!(self, Metric::L2)
    }
}

/// Rows per work unit: ~256 KiB of f32, small enough to poll the cancel flag often, large enough to amortise it.
const BLOCK_ELEMS: usize = 64 * 1024;
/// Below this many matrix elements (8 MiB of f32) the scan stays on one core. Measured on the 2-vCPU dev box
/// (two hyperthreads of one core): one thread is as fast as two up to 50k × 128, because the loop is bound by
/// load bandwidth of that core; splitting only pays once rows stream from DRAM and more cores add bandwidth.
const PARALLEL_MIN_ELEMS: usize = 2 * 1024 * 1024;

/// Validates a (matrix, dim) pair and returns the row count.
pub fn matrix_rows(what: &str, len: usize, dim: usize) -> Result<usize> {
    if dim == 0 {
        return Err(Error::invalid(format!("{what}: dim must be a positive integer")));
    }
    if !len.is_multiple_of(dim) {
        return Err(Error::new(
            crate::error::ErrorKind::DimensionMismatch,
            format!("{what}: dimension mismatch: matrix has {len} elements, not a multiple of dim {dim}"),
        ));
    }
    Ok(len / dim)
}

pub fn score_rows(query: &[f32], matrix: &[f32], dim: usize, metric: Metric, cancel: Cancel<'_>) -> Result<Vec<f32>> {
    check_same_len(cancel.what(), "query", query.len(), "dim", dim)?;
    let rows = matrix_rows(cancel.what(), matrix.len(), dim)?;
    let query_sq_norm = if metric == Metric::Cosine { dot_product(query, query) } else { 0.0 };
    let mut out = vec![0.0f32; rows];
    let block_rows = (BLOCK_ELEMS / dim).max(1);
    let score = |(rows, out): (&[f32], &mut [f32])| -> Result<()> {
        cancel.check()?;
        score_block(query, rows, dim, metric, query_sq_norm, out);
        Ok(())
    };
    if matrix.len() >= PARALLEL_MIN_ELEMS && rayon::current_num_threads() > 1 {
        matrix.par_chunks(block_rows * dim).zip(out.par_chunks_mut(block_rows)).try_for_each(score)?;
    } else {
        matrix.chunks(block_rows * dim).zip(out.chunks_mut(block_rows)).try_for_each(score)?;
    }
    Ok(out)
}

pub struct TopK {
    pub indices: Vec<u32>,
    pub scores: Vec<f32>,
}

/// The `k` best rows, best first: largest scores for dot/cosine, smallest for l2. NaN scores rank last; ties
/// keep the lower row index first, so results are deterministic.
pub fn top_k(scores: &[f32], k: usize, metric: Metric) -> TopK {
    let k = k.min(scores.len());
    let sign = if metric.larger_is_better() { -1.0 } else { 1.0 };
    // Bounded max-heap of the k best seen so far, worst on top: O(n log k), one comparison for most rows.
    let mut heap = BinaryHeap::with_capacity(k + 1);
    for (index, &score) in scores.iter().enumerate() {
        let candidate = Ranked { key: sign * score, index: index as u32 };
        if heap.len() < k {
            heap.push(candidate);
        } else if let Some(mut worst) = heap.peek_mut() {
            if candidate < *worst {
                *worst = candidate;
            }
        }
    }
    let ranked = heap.into_sorted_vec();
    TopK {
        scores: ranked.iter().map(|r| scores[r.index as usize]).collect(),
        indices: ranked.into_iter().map(|r| r.index).collect(),
    }
}

/// Smaller `key` ranks better; NaN ranks after everything.
#[derive(Clone, Copy)]
struct Ranked {
    key: f32,
    index: u32,
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.key.is_nan().cmp(&other.key.is_nan()))
            .then_with(|| self.key.total_cmp(&other.key))
            .then_with(|| self.index.cmp(&other.index))
    }
}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Ranked {}
