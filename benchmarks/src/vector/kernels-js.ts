/** The plain-JS baseline kernel: one query against an N×D row-major Float32Array, best match (max dot product). */
export function jsTopDot(query: Float32Array, matrix: Float32Array, dim: number): { index: number; score: number } {
  const rows = matrix.length / dim;
  let best = -Infinity;
  let bestIndex = -1;
  for (let r = 0; r < rows; r++) {
    const offset = r * dim;
    let acc = 0;
    for (let j = 0; j < dim; j++) acc += matrix[offset + j]! * query[j]!;
    if (acc > best) {
      best = acc;
      bestIndex = r;
    }
  }
  return { index: bestIndex, score: best };
}
