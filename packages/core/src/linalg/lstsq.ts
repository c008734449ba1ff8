import { assertFinite, assertFiniteVector, assertMatrix, badInput, checkedInput, shapeOf } from './check.js';
import { gemmStrided } from './gemm.js';
import { geqrf, ormqr } from './householder.js';
import type { Matrix } from './matrix.js';
import { svdKernel } from './svd.js';
import { transposeKernel } from './transpose.js';

/** The result of {@link lstsq}. */
export interface LstsqResult<X extends Matrix | Float64Array> {
  /** The least-squares solution (minimum-norm when A is rank-deficient), of B's kind. */
  readonly x: X;
  /** Numerical rank of A: the number of singular values > rcond · σ_max. */
  readonly rank: number;
}

/** Options of {@link lstsq}. */
export interface LstsqOptions {
  /** Relative cutoff for small singular values (default max(m, n) · ε, as numpy). */
  readonly rcond?: number;
}

/**
 * Estimates ‖R⁻¹‖₁ for the n x n upper triangular R stored column-major in
 * `a` (leading dimension lda), by Hager's method as refined by Higham
 * (LAPACK dlacn2): a few triangular solves, O(n²).
 */
function invNorm1Estimate(a: Float64Array, lda: number, n: number): number {
  const solve = (x: Float64Array, trans: boolean): void => {
    if (!trans) {
      // R x = b, backward; column j of R is contiguous.
      for (let j = n - 1; j >= 0; j--) {
        x[j] /= a[j * lda + j];
        const xj = x[j];
        for (let i = 0; i < j; i++) x[i] -= a[j * lda + i] * xj;
      }
    } else {
      // Rᵀ x = b, forward: x_j = (b_j - R(0:j, j) · x(0:j)) / R_jj.
      for (let j = 0; j < n; j++) {
        let s = x[j];
        for (let i = 0; i < j; i++) s -= a[j * lda + i] * x[i];
        x[j] = s / a[j * lda + j];
      }
    }
  };
  const x = new Float64Array(n).fill(1 / n);
  solve(x, false);
  let est = 0;
  for (let i = 0; i < n; i++) est += Math.abs(x[i]);
  for (let it = 0; it < 5; it++) {
    const xi = new Float64Array(n);
    for (let i = 0; i < n; i++) xi[i] = x[i] >= 0 ? 1 : -1;
    solve(xi, true);
    let j = 0;
    for (let i = 1; i < n; i++) if (Math.abs(xi[i]) > Math.abs(xi[j])) j = i;
    x.fill(0);
    x[j] = 1;
    solve(x, false);
    let e2 = 0;
    for (let i = 0; i < n; i++) e2 += Math.abs(x[i]);
    if (e2 <= est) break;
    est = e2;
  }
  // Higham's safeguard vector with alternating signs.
  const alt = new Float64Array(n);
  for (let i = 0; i < n; i++) alt[i] = (i % 2 ? -1 : 1) * (1 + i / Math.max(n - 1, 1));
  solve(alt, false);
  let e3 = 0;
  for (let i = 0; i < n; i++) e3 += Math.abs(alt[i]);
  return Math.max(est, (2 * e3) / (3 * n));
}

/** The lstsq kernel (no checks): X (n x k, row-major) minimizing ‖A X - B‖_F, and the rank. */
export function lstsqKernel(A: Matrix, b: Float64Array, k: number, rcond: number): { x: Float64Array; rank: number } {
  const { rows: m, cols: n } = A;
  if (m === 0 || n === 0) return { x: new Float64Array(n * k), rank: 0 };
  if (m >= n) {
    // Fast path: Householder QR, when R is safely well conditioned.
    const a = transposeKernel(A).data;
    const tau = geqrf(a, m, n);
    let rnorm = 0; // ‖R‖₁
    for (let j = 0; j < n; j++) {
      let c = 0;
      for (let i = 0; i <= j; i++) c += Math.abs(a[j * m + i]);
      rnorm = Math.max(rnorm, c);
    }
    let ok = rnorm > 0;
    for (let j = 0; ok && j < n; j++) if (a[j * m + j] === 0) ok = false;
    // κ₁(R) < 1/(10 n rcond) implies σ_min/σ_max > rcond, i.e. full rank by numpy's rule.
    if (ok && rnorm * invNorm1Estimate(a, m, n) * rcond * 10 * n < 1) {
      const c = transposeKernel({ rows: m, cols: k, data: b }).data; // column-major m x k
      ormqr(true, a, m, m, n, tau, c, m, k);
      const x = new Float64Array(n * k);
      for (let col = 0; col < k; col++) {
        const o = col * m;
        for (let j = n - 1; j >= 0; j--) {
          c[o + j] /= a[j * m + j];
          const xj = c[o + j];
          for (let i = 0; i < j; i++) c[o + i] -= a[j * m + i] * xj;
        }
        for (let j = 0; j < n; j++) x[j * k + col] = c[o + j];
      }
      return { x, rank: n };
    }
  }
  // General path: minimum-norm solution from the SVD (as LAPACK dgelsd / numpy).
  const { U, s, V } = svdKernel(A);
  const r = s.length;
  const cut = rcond * (r > 0 ? s[0] : 0);
  let rank = 0;
  while (rank < r && s[rank] > cut) rank++;
  // X = V_r diag(1/s_r) U_rᵀ B
  const utb = new Float64Array(rank * k);
  if (rank > 0) gemmStrided(true, false, rank, k, m, 1, U.data, 0, U.cols, b, 0, k, 0, utb, 0, k);
  for (let i = 0; i < rank; i++) for (let c = 0; c < k; c++) utb[i * k + c] /= s[i];
  const x = new Float64Array(n * k);
  if (rank > 0) gemmStrided(false, false, n, k, rank, 1, V.data, 0, V.cols, utb, 0, k, 0, x, 0, k);
  return { x, rank };
}

/**
 * Least squares: x minimizing ‖A x - b‖₂, the minimum-norm one when A is
 * rank-deficient (as numpy.linalg.lstsq). A full-rank tall A is solved by
 * Householder QR after a condition estimate of R (Hager-Higham) confirms it
 * is safely full rank; otherwise the SVD gives the minimum-norm solution,
 * dropping singular values <= rcond · σ_max.
 *
 * @param A - m x n, finite
 * @param B - m x k right-hand sides, or a vector of length m
 * @param options - `rcond` (default max(m, n)·ε)
 * @returns x (n x k, or a vector of length n) and the numerical rank
 * @example
 * lstsq(Matrix.fromRows([[1, 0], [0, 1], [1, 1]]), new Float64Array([1, 2, 3])).x; // => [1, 2]
 */
export function lstsq(A: Matrix, B: Float64Array, options?: LstsqOptions): LstsqResult<Float64Array>;
export function lstsq(A: Matrix, B: Matrix, options?: LstsqOptions): LstsqResult<Matrix>;
export function lstsq(A: Matrix, B: Matrix | Float64Array, options: LstsqOptions = {}): LstsqResult<Matrix | Float64Array> {
  checkedInput('lstsq', 'A', A);
  let k: number;
  if (B instanceof Float64Array) {
    if (B.length !== A.rows) throw badInput(`lstsq: A is ${shapeOf(A)} but b has ${B.length} entries (needs ${A.rows})`, 'b');
    assertFiniteVector('lstsq', 'b', B);
    k = 1;
  } else {
    assertMatrix('lstsq', 'B', B);
    if (B.rows !== A.rows) throw badInput(`lstsq: A is ${shapeOf(A)} but B is ${shapeOf(B)} (rows differ)`, 'B');
    assertFinite('lstsq', 'B', B);
    k = B.cols;
  }
  const rcond = options.rcond ?? Math.max(A.rows, A.cols) * Number.EPSILON;
  if (!(rcond >= 0)) throw badInput(`lstsq: options.rcond must be >= 0, got ${rcond}`, 'options.rcond');
  const { x, rank } = lstsqKernel(A, B instanceof Float64Array ? B : B.data, k, rcond);
  return { x: B instanceof Float64Array ? x : { rows: A.cols, cols: k, data: x }, rank };
}
