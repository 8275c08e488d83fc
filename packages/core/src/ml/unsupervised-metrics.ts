/**
 * Metrics for the unsupervised tasks: clustering's silhouette and decomposition's cumulative explained variance,
 * as scikit-learn 1.2 defines them.
 */
import { DimensionMismatch, EmptyInput } from '../errors.js';
import type { Matrix } from '../runtime.js';

/**
 * Mean silhouette coefficient with euclidean distances (sklearn `silhouette_score`): per sample
 * s = (b − a) / max(a, b), a = mean distance to its own cluster's other members, b = the smallest mean distance to
 * another cluster; a sample alone in its cluster scores 0. NaN when the number of clusters is not in [2, n − 1]
 * (sklearn raises there).
 *
 * Distances are computed directly, each pair once, O(n²·d) time and O(n·k) memory (no n×n matrix). sklearn's
 * `euclidean_distances` uses ‖x‖² − 2x·y + ‖y‖², which loses digits for close points, so results agree with sklearn
 * to ~1e-9 and with sklearn on exact distances to ~1e-12.
 */
export function silhouette(x: Matrix, labels: ArrayLike<number>): number {
  const n = x.rows;
  if (labels.length !== n) throw new DimensionMismatch(n, labels.length, 'cluster labels');
  if (n === 0) throw new EmptyInput('silhouette input');
  // Cluster ids may be any numbers (DBSCAN's -1 included): map them to 0..k-1.
  const ids = new Map<number, number>();
  const cluster = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let c = ids.get(labels[i]!);
    if (c === undefined) ids.set(labels[i]!, (c = ids.size));
    cluster[i] = c;
  }
  const k = ids.size;
  if (k < 2 || k > n - 1) return Number.NaN;
  const sizes = new Float64Array(k);
  for (let i = 0; i < n; i++) sizes[cluster[i]!]! += 1;

  const d = x.cols;
  const data = x.data;
  // sums[i·k + c] = Σ distance(i, j) over members j of cluster c, accumulated in increasing j as sklearn does.
  const sums = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const rowI = i * d;
    for (let j = i + 1; j < n; j++) {
      const rowJ = j * d;
      let squared = 0;
      for (let f = 0; f < d; f++) {
        const diff = data[rowI + f]! - data[rowJ + f]!;
        squared += diff * diff;
      }
      const distance = Math.sqrt(squared);
      sums[i * k + cluster[j]!]! += distance;
      sums[j * k + cluster[i]!]! += distance;
    }
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const own = cluster[i]!;
    if (sizes[own] === 1) continue; // a singleton's coefficient is 0
    const a = sums[i * k + own]! / (sizes[own]! - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) if (c !== own) b = Math.min(b, sums[i * k + c]! / sizes[c]!);
    const scale = Math.max(a, b);
    if (scale > 0) total += (b - a) / scale;
  }
  return total / n;
}

/** Σ over columns of the sample variance (ddof = 1): the denominator of PCA's `explained_variance_ratio_`. */
export function totalVariance(x: Matrix): number {
  if (x.rows < 2) throw new EmptyInput('variance needs at least two rows; input');
  let total = 0;
  for (let j = 0; j < x.cols; j++) {
    let mean = 0;
    for (let i = 0; i < x.rows; i++) mean += x.data[i * x.cols + j]!;
    mean /= x.rows;
    let ss = 0;
    for (let i = 0; i < x.rows; i++) {
      const e = x.data[i * x.cols + j]! - mean;
      ss += e * e;
    }
    total += ss / (x.rows - 1);
  }
  return total;
}

/**
 * PostgresML's decomposition metric: the share of total variance that the kept components explain, i.e.
 * Σ explained_variance_ / total variance = Σ explained_variance_ratio_.
 */
export function cumulativeExplainedVariance(componentVariances: ArrayLike<number>, totalVarianceOfX: number): number {
  let sum = 0;
  for (let i = 0; i < componentVariances.length; i++) sum += componentVariances[i]!;
  return totalVarianceOfX === 0 ? 0 : sum / totalVarianceOfX;
}

/** Sample variance (ddof = 1) per column, as PCA's explained_variance_. */
export function columnVariances(m: Matrix): Float64Array {
  const out = new Float64Array(m.cols);
  for (let j = 0; j < m.cols; j++) {
    let mean = 0;
    for (let i = 0; i < m.rows; i++) mean += m.data[i * m.cols + j]!;
    mean /= m.rows;
    let ss = 0;
    for (let i = 0; i < m.rows; i++) ss += (m.data[i * m.cols + j]! - mean) ** 2;
    out[j] = ss / (m.rows - 1);
  }
  return out;
}
