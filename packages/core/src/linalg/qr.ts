import { checkedInput } from './check.js';
import { geqrf, orgqr } from './householder.js';
import type { Matrix } from './matrix.js';
import { transposeKernel } from './transpose.js';

/** A thin QR factorization: A = Q R with Q m x k orthonormal columns, R k x n upper triangular, k = min(m, n). */
export interface QrResult {
  readonly Q: Matrix;
  readonly R: Matrix;
}

/** Row-major R (k x n) from column-major factored storage. */
export function extractR(a: Float64Array, m: number, n: number): Matrix {
  const k = Math.min(m, n);
  const r = new Float64Array(k * n);
  for (let i = 0; i < k; i++) for (let j = i; j < n; j++) r[i * n + j] = a[i + j * m];
  return { rows: k, cols: n, data: r };
}

/** The qr kernel (no checks). */
export function qrKernel(a: Matrix): QrResult {
  const { rows: m, cols: n } = a;
  const k = Math.min(m, n);
  // Aᵀ in row-major is A in column-major: each column becomes contiguous.
  const cm = transposeKernel(a).data;
  const tau = geqrf(cm, m, n);
  const R = extractR(cm, m, n);
  // Q needs only the first k columns of the factored storage.
  const q = cm.length === m * k ? cm : cm.slice(0, m * k);
  orgqr(q, m, k, k, tau);
  const Q = transposeKernel({ rows: k, cols: m, data: q });
  return { Q, R };
}

/**
 * Householder QR, thin: A = Q R with Qᵀ Q = I. Blocked in panels of 32
 * columns whose reflectors are applied at once in compact WY form
 * (Schreiber & Van Loan 1989; LAPACK dgeqrf + dorgqr), so most flops run in
 * GEMM. R's diagonal may be negative, exactly as LAPACK (and numpy) return it.
 *
 * @param A - m x n, finite
 * @returns Q (m x k) and R (k x n), k = min(m, n)
 * @example
 * const { Q, R } = qr(Matrix.fromRows([[3, 1], [4, 2]]));
 * R.data[0]; // => -5
 */
export function qr(A: Matrix): QrResult {
  return qrKernel(checkedInput('qr', 'A', A));
}
