import { badInput, checkedInput } from './check.js';
import { gemmStrided } from './gemm.js';
import type { Matrix } from './matrix.js';
import { svdKernel } from './svd.js';

/** Options of {@link pinv}. */
export interface PinvOptions {
  /** Singular values <= rcond · σ_max count as zero (default max(m, n) · ε). */
  readonly rcond?: number;
}

/** The pinv kernel (no checks). */
export function pinvKernel(A: Matrix, rcond: number): Matrix {
  const { rows: m, cols: n } = A;
  const { U, s, V } = svdKernel(A);
  const k = s.length;
  const cut = rcond * (k > 0 ? s[0] : 0);
  let r = 0;
  while (r < k && s[r] > cut) r++;
  // A⁺ = V_r diag(1/s_r) U_rᵀ: scale V's first r columns, then one GEMM.
  const vs = new Float64Array(n * r);
  for (let i = 0; i < n; i++) for (let j = 0; j < r; j++) vs[i * r + j] = V.data[i * k + j] / s[j];
  const out = new Float64Array(n * m);
  gemmStrided(false, true, n, m, r, 1, vs, 0, r, U.data, 0, k, 0, out, 0, m);
  return { rows: n, cols: m, data: out };
}

/**
 * Moore-Penrose pseudo-inverse A⁺ = V diag(1/s) Uᵀ from the thin SVD,
 * treating singular values <= rcond · σ_max as zero (as numpy.linalg.pinv).
 *
 * @param A - m x n, finite
 * @param options - `rcond` (default max(m, n)·ε)
 * @returns A⁺, n x m
 * @example
 * pinv(Matrix.fromRows([[2, 0], [0, 0]])).data; // => [0.5, 0, 0, 0]
 */
export function pinv(A: Matrix, options: PinvOptions = {}): Matrix {
  checkedInput('pinv', 'A', A);
  const rcond = options.rcond ?? Math.max(A.rows, A.cols) * Number.EPSILON;
  if (!(rcond >= 0)) throw badInput(`pinv: options.rcond must be >= 0, got ${rcond}`, 'options.rcond');
  return pinvKernel(A, rcond);
}
