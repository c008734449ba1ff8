import { assertMatrix } from './check.js';
import { gemmStrided } from './gemm.js';
import type { Matrix } from './matrix.js';

/** Rows of the output computed per GEMM call: only blocks on or right of the diagonal are formed. */
const NB = 96;

/** The gram kernel (no checks): AᵀA, or AAᵀ when `trans`. */
export function gramKernel(a: Matrix, trans: boolean): Matrix {
  const { rows: m, cols: n, data } = a;
  const p = trans ? m : n; // order of the result
  const c = new Float64Array(p * p);
  for (let i0 = 0; i0 < p; i0 += NB) {
    const bi = Math.min(NB, p - i0);
    // Block row i0 of the upper triangle: C[i0:i0+bi, i0:p] in one GEMM.
    if (!trans) gemmStrided(true, false, bi, p - i0, m, 1, data, i0, n, data, i0, n, 0, c, i0 * p + i0, p);
    else gemmStrided(false, true, bi, p - i0, n, 1, data, i0 * n, n, data, i0 * n, n, 0, c, i0 * p + i0, p);
  }
  // Mirror the upper triangle so the result is exactly symmetric.
  for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) c[j * p + i] = c[i * p + j];
  return { rows: p, cols: p, data: c };
}

/** Options of {@link gram}. */
export interface GramOptions {
  /** Form A Aᵀ (m x m) instead of AᵀA (n x n). */
  readonly trans?: boolean;
}

/**
 * The Gram matrix AᵀA (or AAᵀ with `trans`), exactly symmetric. Only the
 * upper triangle is computed (by GEMM on block rows) and then mirrored: about
 * half the work of `matmul(A, A, { transA: true })` (BLAS dsyrk).
 *
 * @param A - m x n
 * @param options - `trans` for AAᵀ
 * @returns n x n (m x m with `trans`)
 * @example
 * gram(Matrix.fromRows([[1, 2], [3, 4]])).data; // => [10, 14, 14, 20]
 */
export function gram(A: Matrix, options: GramOptions = {}): Matrix {
  assertMatrix('gram', 'A', A);
  return gramKernel(A, !!options.trans);
}
