//! The Q matrices of libsvm's dual problems, computed on demand column by column: `SvcQ` (Q_ij = y_i y_j K(x_i, x_j))
//! and `SvrQ` (the 2l × 2l ε-SVR matrix built from one l × l kernel). Training rows are indices into the caller's X,
//! so no subproblem copies the data.

use std::rc::Rc;

use rayon::prelude::*;

use crate::cache::ColumnCache;
use crate::kernel::{dot, Kernel};

/// Entries per column below which computing them in parallel is not worth the fork (× features).
const PARALLEL_FILL_WORK: usize = 1 << 15;
const FILL_CHUNK: usize = 2048;

/// What the solver needs from a Q matrix (libsvm's `QMatrix`).
pub trait QMatrix {
    /// Q[i][0..len) (single precision, as libsvm caches it).
    fn column(&mut self, i: usize, len: usize) -> Rc<Vec<f32>>;
    /// Q[i][i] in double precision.
    fn diagonal(&self) -> &[f64];
    fn swap_index(&mut self, i: usize, j: usize);
}

/// The training rows as libsvm's `Kernel` sees them: positions in X (reordered by shrinking) and squared norms.
pub struct KernelRows<'a> {
    x: &'a [f64],
    p: usize,
    rows: Vec<usize>,
    norms: Vec<f64>,
    kernel: Kernel,
}

impl<'a> KernelRows<'a> {
    /// `x` is row-major with `p` columns; `rows` picks and orders the training rows.
    pub fn new(kernel: Kernel, x: &'a [f64], p: usize, rows: Vec<usize>) -> Self {
        let norms = rows
            .iter()
            .map(|&r| if kernel.uses_norms() { dot(&x[r * p..(r + 1) * p], &x[r * p..(r + 1) * p]) } else { 0.0 })
            .collect();
        KernelRows { x, p, rows, norms, kernel }
    }

    fn row(&self, k: usize) -> &[f64] {
        let r = self.rows[k];
        &self.x[r * self.p..(r + 1) * self.p]
    }

    pub fn value(&self, i: usize, j: usize) -> f64 {
        self.kernel.from_dot(dot(self.row(i), self.row(j)), self.norms[i], self.norms[j])
    }

    /// `out[t - start] = map(t, K(i, t))` for t in start..start + out.len().
    fn fill(&self, i: usize, out: &mut [f32], start: usize, map: impl Fn(usize, f64) -> f32 + Sync) {
        let compute = |offset: usize, chunk: &mut [f32]| {
            for (k, v) in chunk.iter_mut().enumerate() {
                let t = start + offset + k;
                *v = map(t, self.value(i, t));
            }
        };
        if out.len() * self.p >= PARALLEL_FILL_WORK {
            out.par_chunks_mut(FILL_CHUNK).enumerate().for_each(|(c, chunk)| compute(c * FILL_CHUNK, chunk));
        } else {
            compute(0, out);
        }
    }

    fn swap(&mut self, i: usize, j: usize) {
        self.rows.swap(i, j);
        self.norms.swap(i, j);
    }
}

/// C-SVC: Q_ij = y_i y_j K(x_i, x_j).
pub struct SvcQ<'a> {
    rows: KernelRows<'a>,
    y: Vec<i8>,
    diagonal: Vec<f64>,
    cache: ColumnCache,
}

impl<'a> SvcQ<'a> {
    pub fn new(rows: KernelRows<'a>, y: Vec<i8>, cache_bytes: f64) -> Self {
        let l = y.len();
        let diagonal = (0..l).map(|i| rows.value(i, i)).collect();
        SvcQ { rows, y, diagonal, cache: ColumnCache::new(l, cache_bytes) }
    }
}

impl QMatrix for SvcQ<'_> {
    fn column(&mut self, i: usize, len: usize) -> Rc<Vec<f32>> {
        let SvcQ { rows, y, cache, .. } = self;
        let yi = f64::from(y[i]);
        cache.column(i, len, |column, start| {
            rows.fill(i, &mut column[start..], start, |t, k| (yi * f64::from(y[t]) * k) as f32)
        })
    }
    fn diagonal(&self) -> &[f64] {
        &self.diagonal
    }
    fn swap_index(&mut self, i: usize, j: usize) {
        self.cache.swap_index(i, j);
        self.rows.swap(i, j);
        self.y.swap(i, j);
        self.diagonal.swap(i, j);
    }
}

/// ε-SVR: variables k and k + l both refer to row k with signs +1 / −1; the cache holds full kernel columns of
/// the l rows and each request is reordered into one of two alternating buffers (libsvm's `SVR_Q`).
pub struct SvrQ<'a> {
    rows: KernelRows<'a>,
    sign: Vec<i8>,
    index: Vec<usize>,
    diagonal: Vec<f64>,
    cache: ColumnCache,
    buffers: [Rc<Vec<f32>>; 2],
    next_buffer: usize,
}

impl<'a> SvrQ<'a> {
    pub fn new(rows: KernelRows<'a>, cache_bytes: f64) -> Self {
        let l = rows.rows.len();
        let kdiag: Vec<f64> = (0..l).map(|k| rows.value(k, k)).collect();
        SvrQ {
            sign: (0..2 * l).map(|k| if k < l { 1 } else { -1 }).collect(),
            index: (0..2 * l).map(|k| k % l).collect(),
            diagonal: kdiag.iter().chain(&kdiag).copied().collect(),
            cache: ColumnCache::new(l, cache_bytes),
            buffers: [Rc::new(vec![0.0; 2 * l]), Rc::new(vec![0.0; 2 * l])],
            next_buffer: 0,
            rows,
        }
    }
}

impl QMatrix for SvrQ<'_> {
    fn column(&mut self, i: usize, len: usize) -> Rc<Vec<f32>> {
        let SvrQ { rows, sign, index, cache, buffers, next_buffer, .. } = self;
        let real = index[i];
        let l = rows.rows.len();
        let data = cache.column(real, l, |column, start| rows.fill(real, &mut column[start..], start, |_, k| k as f32));
        let buffer = &mut buffers[*next_buffer];
        *next_buffer = 1 - *next_buffer;
        let si = f32::from(sign[i]);
        let out = Rc::make_mut(buffer);
        for j in 0..len {
            out[j] = si * f32::from(sign[j]) * data[index[j]];
        }
        Rc::clone(buffer)
    }
    fn diagonal(&self) -> &[f64] {
        &self.diagonal
    }
    fn swap_index(&mut self, i: usize, j: usize) {
        self.sign.swap(i, j);
        self.index.swap(i, j);
        self.diagonal.swap(i, j);
    }
}
