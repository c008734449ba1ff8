import { assertMatrix } from './check.js';
import type { Matrix } from './matrix.js';

/** Tile edge for the cache-blocked transpose: two 32x32 tiles of doubles fit in L1. */
const TB = 32;

/** The transpose kernel (no checks). */
export function transposeKernel(a: Matrix): Matrix {
  const { rows: m, cols: n, data } = a;
  const out = new Float64Array(m * n);
  // Blocked so that both the reads and the strided writes stay within a tile.
  for (let i0 = 0; i0 < m; i0 += TB) {
    const i1 = Math.min(i0 + TB, m);
    for (let j0 = 0; j0 < n; j0 += TB) {
      const j1 = Math.min(j0 + TB, n);
      for (let i = i0; i < i1; i++) {
        const src = i * n;
        for (let j = j0; j < j1; j++) out[j * m + i] = data[src + j];
      }
    }
  }
  return { rows: n, cols: m, data: out };
}

/**
 * Aᵀ as a new matrix (cache-blocked in 32x32 tiles). Most ops take a
 * `trans` flag instead, which avoids the copy.
 *
 * @param A - m x n
 * @returns the n x m transpose
 * @example
 * transpose(Matrix.fromRows([[1, 2, 3]])).rows; // => 3
 */
export function transpose(A: Matrix): Matrix {
  assertMatrix('transpose', 'A', A);
  return transposeKernel(A);
}
