/**
 * Block bookkeeping shared by the greedy rules: top-k selection, block
 * Hessians, block Lipschitz constants and the matrix (Newton) step.
 */
import { GrowingCholesky, Matrix, eigh } from '@parsimony/core';
import type { BlockQuadratic } from './quadratic.js';

/**
 * Indices of the k largest scores into out[0..k), largest first (ties: the
 * lower index first); `vals` is scratch of length >= k.
 *
 * @returns how many were selected: min(k, n)
 * @example
 * topK(new Float64Array([1, 5, 3]), 2, out, vals) // => 2, out = [1, 2]
 */
export function topK(score: Float64Array, k: number, out: Int32Array, vals: Float64Array): number {
  let cnt = 0;
  for (let i = 0; i < score.length; i++) {
    const s = score[i];
    // Most entries fail this test once the buffer is full: the scan is O(n) in practice, O(n·k) at worst.
    if (cnt === k && !(s > vals[k - 1])) continue;
    let p = cnt < k ? cnt++ : k - 1;
    while (p > 0 && vals[p - 1] < s) {
      vals[p] = vals[p - 1];
      out[p] = out[p - 1];
      p--;
    }
    vals[p] = s;
    out[p] = i;
  }
  return cnt;
}

/** H_bb of the first k entries of idx, row-major into out (k x k). */
export function blockHessian(q: BlockQuadratic, idx: Int32Array, k: number, out: Float64Array): void {
  for (let a = 0; a < k; a++) {
    out[a * k + a] = q.diag[idx[a]];
    for (let b = 0; b < a; b++) out[a * k + b] = out[b * k + a] = q.entry(idx[a], idx[b]);
  }
}

/** How L_b is computed: λ_max(H_bb) (core eigh) or the bound Σ_{i∈b} L_i. */
export type LipschitzKind = 'eig' | 'sum';

/** The block Lipschitz constant L_b of the first k entries of idx. */
export function blockLipschitz(q: BlockQuadratic, idx: Int32Array, k: number, kind: LipschitzKind, scratch: Float64Array): number {
  if (kind === 'sum' || k === 1) {
    let s = 0;
    for (let a = 0; a < k; a++) s += q.diag[idx[a]];
    return s;
  }
  blockHessian(q, idx, k, scratch);
  const values = eigh(Matrix.from(k, k, scratch.slice(0, k * k))).values;
  return values[k - 1];
}

/**
 * The matrix (Newton) step d = -H_bb⁻¹ r_b for the first k entries of idx,
 * by a Cholesky factor grown one coordinate at a time (core
 * GrowingCholesky); a coordinate whose column is numerically dependent on
 * the others gets d = 0, so a singular block still gives a descent step.
 *
 * @param r - the right-hand side per block position (g_b, or g_b + λ sign(x_b))
 * @param d - out: the step per block position
 */
export function newtonStep(q: BlockQuadratic, idx: Int32Array, k: number, r: Float64Array, d: Float64Array, col: Float64Array, kept: Int32Array): void {
  const chol = new GrowingCholesky(k);
  let nk = 0;
  for (let a = 0; a < k; a++) {
    for (let p = 0; p < nk; p++) col[p] = q.entry(idx[kept[p]], idx[a]);
    if (chol.append(col, q.diag[idx[a]])) kept[nk++] = a;
  }
  const z = col.subarray(0, nk);
  for (let p = 0; p < nk; p++) z[p] = -r[kept[p]];
  chol.solveInPlace(z);
  d.fill(0, 0, k);
  for (let p = 0; p < nk; p++) d[kept[p]] = z[p];
}
