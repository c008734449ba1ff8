import { withResident } from './wasm/simd.js';
import { createRng, type Rng } from '../random/rng.js';
import { assertInt, badInput, checkedInput } from './check.js';
import { matmulKernel } from './gemm.js';
import type { Matrix } from './matrix.js';
import { qrKernel, type QrResult } from './qr.js';
import { svdKernel, type SvdResult } from './svd.js';

/** Options of {@link randomizedSvd}. */
export interface RandomizedSvdOptions {
  /** Extra sample columns beyond r (default 10; Halko et al. suggest 5-10). */
  readonly oversample?: number;
  /** Subspace (power) iterations, each two passes over A (default 2; raise for slowly decaying spectra). */
  readonly powerIters?: number;
  /** The stream for the Gaussian test matrix (default: a fixed seed, so results are reproducible). */
  readonly rng?: Rng;
}

/** The kernels randomizedSvd is built from, so a backend's faster ones are used when present. */
export interface RandomizedSvdKernels {
  matmul(a: Matrix, b: Matrix, transA: boolean, transB: boolean): Matrix;
  qr(a: Matrix): QrResult;
  svd(a: Matrix): SvdResult;
}

const tsKernels: RandomizedSvdKernels = { matmul: matmulKernel, qr: qrKernel, svd: svdKernel };

/** Checks the arguments of {@link randomizedSvd}. */
export function checkRandomizedSvd(A: unknown, r: unknown, options: RandomizedSvdOptions): void {
  checkedInput('randomizedSvd', 'A', A);
  const a = A as Matrix;
  assertInt('randomizedSvd', 'r', r, 0, Math.min(a.rows, a.cols));
  assertInt('randomizedSvd', 'options.oversample', options.oversample ?? 10, 0, Number.MAX_SAFE_INTEGER);
  assertInt('randomizedSvd', 'options.powerIters', options.powerIters ?? 2, 0, 1000);
  if (options.rng !== undefined && typeof (options.rng as Rng).normal !== 'function') {
    throw badInput('randomizedSvd: options.rng must be an Rng (createRng(...))', 'options.rng');
  }
}

/** randomizedSvd on the given kernels (no checks). */
export function randomizedSvdWith(k: RandomizedSvdKernels, A: Matrix, r: number, options: RandomizedSvdOptions = {}): SvdResult {
  const { rows: m, cols: n } = A;
  const l = Math.min(r + (options.oversample ?? 10), m, n);
  const q = options.powerIters ?? 2;
  const rng = options.rng ?? createRng('linalg/randomizedSvd', 0);
  // Every product below reads A: with WebAssembly SIMD it is copied in once.
  const { U, s, V } = withResident(A, () => {
    // Stage A (Alg. 4.4): an orthonormal basis Q for the range of (A Aᵀ)^q A Ω.
    const omega: Matrix = { rows: n, cols: l, data: rng.fillNormal(new Float64Array(n * l)) };
    let Q = k.qr(k.matmul(A, omega, false, false)).Q;
    for (let i = 0; i < q; i++) {
      // Re-orthonormalize after every product so small singular directions are not lost to rounding.
      const Z = k.qr(k.matmul(A, Q, true, false)).Q;
      Q = k.qr(k.matmul(A, Z, false, false)).Q;
    }
    // Stage B (Alg. 5.1): B = Qᵀ A, its SVD, and U = Q Ũ.
    const B = k.matmul(Q, A, true, false);
    const { U: Ub, s, V } = k.svd(B);
    const U = k.matmul(Q, Ub, false, false);
    return { U, s, V };
  });
  const take = (M: Matrix): Matrix => {
    if (M.cols === r) return M;
    const out = new Float64Array(M.rows * r);
    for (let i = 0; i < M.rows; i++) out.set(M.data.subarray(i * M.cols, i * M.cols + r), i * r);
    return { rows: M.rows, cols: r, data: out };
  };
  return { U: take(U), s: s.slice(0, r), V: take(V) };
}

/**
 * Randomized truncated SVD (Halko, Martinsson & Tropp, SIAM Review 2011,
 * Alg. 4.4 + 5.1): the top r singular triplets from a Gaussian sketch with
 * `oversample` extra columns and `powerIters` subspace iterations. Costs
 * O(mn(r + p)(2q + 2)), far less than a full SVD when r << min(m, n). The
 * error is close to σ_{r+1}; more power iterations help when the spectrum
 * decays slowly.
 *
 * @param A - m x n, finite
 * @param r - target rank, 0 <= r <= min(m, n)
 * @param options - `oversample` (10), `powerIters` (2), `rng`
 * @returns U (m x r), s (r, descending), V (n x r)
 * @example
 * const { s } = randomizedSvd(A, 5, { rng: createRng(1) });
 */
export function randomizedSvd(A: Matrix, r: number, options: RandomizedSvdOptions = {}): SvdResult {
  checkRandomizedSvd(A, r, options);
  return randomizedSvdWith(tsKernels, A, r, options);
}
