import { createRng } from '../random/rng.js';
import { nrm2 } from './blas.js';
import { assertMatrix, assertFinite, badInput } from './check.js';
import type { Matrix } from './matrix.js';
import { matvec } from './blas.js';

/**
 * The Frobenius norm ‖A‖_F = sqrt(Σ a_ij²), computed with scaling so it
 * neither overflows nor underflows (LAPACK dlange 'F').
 *
 * @param A - any matrix
 * @returns ‖A‖_F (0 for an empty matrix)
 * @example
 * normFro(Matrix.fromRows([[3, 0], [0, 4]])); // => 5
 */
export function normFro(A: Matrix): number {
  assertMatrix('normFro', 'A', A);
  return nrm2(A.data);
}

/** Options of {@link normSpectral}. */
export interface NormSpectralOptions {
  /** Stop when the estimate changes by less than `tol` relative (default 1e-10). */
  readonly tol?: number;
  /** Iteration cap (default 300). */
  readonly maxIter?: number;
  /** Seed of the start vector (default 0): the estimate is deterministic. */
  readonly seed?: number;
}

/**
 * An estimate of the spectral norm ‖A‖₂ = σ_max(A) by power iteration on AᵀA
 * from a seeded Gaussian start (two mat-vecs per step, O(mn) each). It is a
 * lower bound that increases to σ_max; convergence goes as (σ₂/σ₁)^(2k), so
 * a tiny gap needs more steps. For an exact value use `svd(A).s[0]`.
 *
 * @param A - m x n, finite
 * @param options - `tol`, `maxIter`, `seed`
 * @returns the estimate (0 for a zero or empty matrix)
 * @example
 * normSpectral(Matrix.fromRows([[3, 0], [0, 4]])); // => 4 (to ~1e-10)
 */
export function normSpectral(A: Matrix, options: NormSpectralOptions = {}): number {
  assertMatrix('normSpectral', 'A', A);
  assertFinite('normSpectral', 'A', A);
  const tol = options.tol ?? 1e-10;
  const maxIter = options.maxIter ?? 300;
  if (!(tol >= 0) || !Number.isInteger(maxIter) || maxIter < 1) {
    throw badInput(`normSpectral: need tol >= 0 and an integer maxIter >= 1, got tol=${tol}, maxIter=${maxIter}`, 'options');
  }
  const { rows: m, cols: n } = A;
  if (m === 0 || n === 0) return 0;
  const rng = createRng('linalg/normSpectral', options.seed ?? 0);
  let v: Float64Array = rng.fillNormal(new Float64Array(n));
  const u = new Float64Array(m);
  let w: Float64Array = new Float64Array(n);
  let est = 0;
  let nv = nrm2(v);
  for (let it = 0; it < maxIter; it++) {
    for (let j = 0; j < n; j++) v[j] /= nv;
    matvec(A, v, false, u);
    const sigma = nrm2(u);
    if (sigma === 0) return est; // v is in the null space (or A = 0)
    matvec(A, u, true, w);
    nv = nrm2(w);
    const prev = est;
    est = sigma;
    [v, w] = [w, v];
    if (Math.abs(est - prev) <= tol * est) break;
  }
  return est;
}
