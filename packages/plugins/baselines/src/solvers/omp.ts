import {
  defineSolver,
  SimdMatrix,
  gram,
  GrowingCholesky,
  matmul,
  Matrix,
  ParsimonyError,
  sparseRecovery,
  Type,
  type SolverContext,
  type SparseRecoveryObservation,
  type SparseRecoverySolution,
  type Static,
} from '@parsimony/core';
import { checkSystem, gatherColumn, dotAt, gemvT, sumSq } from '../internal/kernels.js';

/** From this many entries of A, the correlations run on a resident WebAssembly SIMD copy of A. */
const SIMD_MIN = 128 * 128;

/** Parameters of {@link omp}. */
export const OmpParams = Type.Object(
  {
    k: Type.Optional(Type.Integer({ minimum: 1, description: 'maximum number of atoms; default: the observation\'s k hint, else floor(m/2)' })),
    tol: Type.Optional(
      Type.Number({ minimum: 0, description: 'stop when ||y - A x||_2 <= tol; default: the noise level sqrt(m)·noiseStd when known, else 0' }),
    ),
  },
  { additionalProperties: false },
);
export type OmpParams = Static<typeof OmpParams>;

/** Options of the plain {@link omp} function. */
export interface OmpOptions {
  /** Maximum number of atoms (default floor(m/2)). */
  k?: number;
  /** Residual-norm stopping level (default 0). */
  tol?: number;
  /** Polled once per atom; aborts with the signal's reason. */
  signal?: AbortSignal;
  /** Receives (iteration, residual norm) after each atom. */
  onIteration?: (iteration: number, residualNorm: number) => void;
}

/**
 * Orthogonal Matching Pursuit (Pati, Rezaiifar & Krishnaprasad, 1993): pick
 * the column most correlated with the residual, refit y on all picked columns
 * by least squares, repeat. The least-squares refit grows a Cholesky factor
 * of A_Sᵀ A_S by one row per atom (O(k^2) per step), as scikit-learn's
 * `orthogonal_mp` does; the correlations Aᵀr take one pass over A per atom.
 *
 * @param A - m x n measurement matrix (row-major)
 * @param y - m measurements
 * @returns the estimate x (n), with at most `k` nonzeros
 * @example
 * const x = omp(A, y, { k: 12 });
 */
export function omp(A: Matrix, y: Float64Array, options: OmpOptions = {}): Float64Array {
  const { rows: m, cols: n, data } = A;
  checkSystem('omp', A, y);
  const kMax = Math.min(options.k ?? Math.floor(m / 2), m, n);
  const tol2 = (options.tol ?? 0) ** 2;

  // Aᵀr is all the work at these sizes: with WebAssembly SIMD, A is copied
  // in once and each pass moves only r and Aᵀr.
  const S = m * n >= SIMD_MIN ? SimdMatrix.from(A) : undefined;
  const correlate = (v: Float64Array, out: Float64Array) => (S ? S.gemvT(v, out) : gemvT(data, m, n, v, out));
  try {
    // Picked columns, stored contiguously (column-major) for fast dot products.
    const cols = new Float64Array(kMax * m);
    const support = new Int32Array(kMax);
    const chol = new GrowingCholesky(Math.max(kMax, 1));
    const aty = new Float64Array(n);
    correlate(y, aty);
    const corr = aty.slice();
    const coef = new Float64Array(kMax);
    const g = new Float64Array(kMax);
    const r = y.slice();
    const used = new Uint8Array(n);
    let rr = sumSq(r);

    let s = 0;
    let fresh = true; // corr holds Aᵀr for the current residual
    while (s < kMax && rr > tol2) {
      options.signal?.throwIfAborted();
      if (!fresh) correlate(r, corr);
      fresh = false;
      let best = -1, bestAbs = 0;
      for (let j = 0; j < n; j++) {
        const a = Math.abs(corr[j]);
        if (a > bestAbs && !used[j]) {
          bestAbs = a;
          best = j;
        }
      }
      if (best < 0 || bestAbs < 1e-14 * Math.sqrt(rr)) break; // residual orthogonal to every column
      const off = s * m;
      gatherColumn(data, m, n, best, cols, off);
      const diag = dotAt(cols, off, cols, off, m);
      for (let t = 0; t < s; t++) g[t] = dotAt(cols, t * m, cols, off, m);
      used[best] = 1;
      // A column in the span of the chosen ones cannot reduce the residual.
      if (!chol.append(g, diag)) {
        fresh = true; // the residual did not change
        continue;
      }
      support[s] = best;
      s++;
      for (let t = 0; t < s; t++) coef[t] = aty[support[t]];
      const z = coef.subarray(0, s);
      chol.solveInPlace(z);
      r.set(y);
      for (let t = 0; t < s; t++) {
        const zt = z[t], o = t * m;
        for (let i = 0; i < m; i++) r[i] -= zt * cols[o + i];
      }
      rr = sumSq(r);
      options.onIteration?.(s, Math.sqrt(rr));
    }
    const x = new Float64Array(n);
    for (let t = 0; t < s; t++) x[support[t]] = coef[t];
    return x;
  } finally {
    S?.dispose();
  }
}

/**
 * OMP from precomputed products, as scikit-learn's `orthogonal_mp_gram`:
 * the Gram matrix G = AᵀA, the correlations Aᵀy and ‖y‖². Each atom then
 * costs O(k n) instead of a pass over A, which pays off when one A serves
 * many right-hand sides (see {@link ompMany}).
 *
 * @param G - n x n Gram matrix AᵀA (symmetric)
 * @param aty - Aᵀy (n)
 * @param yy - ‖y‖² (only read when `tol` > 0)
 * @returns the estimate x (n)
 * @example
 * const x = ompGram(gram(A), matvec(A, y, true), dot(y, y), { k: 12 });
 */
export function ompGram(G: Matrix, aty: Float64Array, yy: number, options: OmpOptions = {}): Float64Array {
  const n = G.cols;
  if (G.rows !== n) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `ompGram: G is ${G.rows}x${G.cols}, expected a square Gram matrix`, 'G');
  if (aty.length !== n) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `ompGram: aty has ${aty.length} entries, G has ${n} columns`, 'aty');
  const gd = G.data;
  const kMax = Math.min(options.k ?? n, n);
  const tol2 = (options.tol ?? 0) ** 2;
  const support = new Int32Array(kMax);
  const chol = new GrowingCholesky(Math.max(kMax, 1));
  const coef = new Float64Array(kMax);
  const g = new Float64Array(kMax);
  const corr = aty.slice();
  const used = new Uint8Array(n);
  let rr = yy;
  // Correlations below this are rounding noise of Aᵀy - G_S z: the residual is orthogonal to every column.
  let floor = 0;
  for (let j = 0; j < n; j++) floor = Math.max(floor, Math.abs(aty[j]));
  floor *= 1e-13;
  let s = 0;
  while (s < kMax && (tol2 === 0 || rr > tol2)) {
    options.signal?.throwIfAborted();
    let best = -1, bestAbs = 0;
    for (let j = 0; j < n; j++) {
      const a = Math.abs(corr[j]);
      if (a > bestAbs && !used[j]) {
        bestAbs = a;
        best = j;
      }
    }
    if (best < 0 || bestAbs <= floor) break;
    for (let t = 0; t < s; t++) g[t] = gd[support[t] * n + best];
    used[best] = 1;
    if (!chol.append(g, gd[best * n + best])) continue;
    support[s] = best;
    s++;
    for (let t = 0; t < s; t++) coef[t] = aty[support[t]];
    const z = coef.subarray(0, s);
    chol.solveInPlace(z);
    // corr = Aᵀy - G_S z, reading the rows of G for the chosen atoms (contiguous).
    corr.set(aty);
    let fit = 0;
    for (let t = 0; t < s; t++) {
      const zt = z[t], o = support[t] * n;
      fit += zt * aty[support[t]];
      for (let j = 0; j < n; j++) corr[j] -= zt * gd[o + j];
    }
    // For the least-squares z, ‖y - A_S z‖² = ‖y‖² - zᵀ A_Sᵀ y.
    rr = Math.max(yy - fit, 0);
    options.onIteration?.(s, Math.sqrt(rr));
  }
  const x = new Float64Array(n);
  for (let t = 0; t < s; t++) x[support[t]] = coef[t];
  return x;
}

/**
 * OMP on many right-hand sides that share one A: the Gram matrix AᵀA (core's
 * `gram`, half a GEMM) and all the correlations AᵀY (one GEMM) are formed
 * once, then each right-hand side runs {@link ompGram}. Same answers as
 * calling {@link omp} on each y.
 *
 * @param A - m x n measurement matrix
 * @param ys - right-hand sides, each of length m
 * @returns one estimate per right-hand side
 * @example
 * const xs = ompMany(A, [y1, y2, y3], { k: 12 });
 */
export function ompMany(A: Matrix, ys: readonly Float64Array[], options: OmpOptions = {}): Float64Array[] {
  const { rows: m, cols: n } = A;
  ys.forEach((y, i) => {
    if (y.length !== m) throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `ompMany: ys[${i}] has ${y.length} entries, A has ${m} rows`, `ys[${i}]`);
  });
  if (ys.length === 0) return [];
  const k = Math.min(options.k ?? Math.floor(m / 2), m, n);
  const G = gram(A);
  const Y = Matrix.zeros(ys.length, m);
  ys.forEach((y, i) => Y.data.set(y, i * m));
  const ATY = matmul(Y, A); // row i = Aᵀ y_i
  return ys.map((y, i) => ompGram(G, ATY.data.subarray(i * n, (i + 1) * n), sumSq(y), { ...options, k }));
}

/** The bench entry: defaults from the observation's hints. */
export function solveOmp(obs: SparseRecoveryObservation, params: OmpParams, ctx: SolverContext): SparseRecoverySolution {
  const m = obs.A.rows;
  const k = params.k ?? obs.k ?? Math.floor(m / 2);
  const tol = params.tol ?? (obs.noiseStd ? obs.noiseStd * Math.sqrt(m) : 0);
  ctx.signal.throwIfAborted();
  const x = omp(obs.A, obs.y, {
    k,
    tol,
    signal: ctx.signal,
    onIteration: (iteration, residual) => ctx.report({ iteration, residual }),
  });
  return { x };
}

/** `baselines/omp`: {@link omp} as a registered solver (defaults from the observation's hints). */
export const ompSolver = defineSolver({
  id: 'baselines/omp',
  family: sparseRecovery,
  title: 'Orthogonal Matching Pursuit',
  summary: 'Greedy: add the column most correlated with the residual, refit by least squares (Cholesky-updated).',
  params: OmpParams,
  solve: solveOmp,
});
