import {
  defineSolver,
  gram,
  lstsq,
  matmul,
  Matrix,
  ParsimonyError,
  spectralUnmixing,
  Type,
  type SolverContext,
  type SpectralUnmixingObservation,
  type SpectralUnmixingSolution,
  type Static,
} from '@parsimony/core';
import { gemvN, gemvT } from '../internal/kernels.js';
import { checkLibrary, cholSubset, cholSubsetSolve, libraryOf, pixelProgress, skipBlind } from '../internal/signal.js';

/** Parameters of {@link nnls} on an unmixing task (one problem per pixel). */
export const NnlsParams = Type.Object(
  {
    maxIter: Type.Optional(
      Type.Integer({ minimum: 1, description: 'outer iterations (indices moved into the passive set) per pixel; default 3p, as scipy.optimize.nnls' }),
    ),
    tol: Type.Optional(
      Type.Number({
        minimum: 0,
        description: 'stop when every dual variable w_j = [Eᵀ(y − E s)]_j of the active set is <= tol; default 10·p·ε·‖Eᵀy‖_∞ (rounding level)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type NnlsParams = Static<typeof NnlsParams>;

/** Options of {@link nnls}, {@link nnlsGram} and {@link nnlsMany}. */
export interface NnlsOptions {
  /** Outer iterations (default 3n, as scipy). */
  readonly maxIter?: number;
  /** Dual tolerance (default 10·max(m, n)·ε·‖Aᵀb‖_∞). */
  readonly tol?: number;
}

/** What {@link nnls} and {@link nnlsGram} return. */
export interface NnlsResult {
  /** The nonnegative minimizer (n). */
  readonly x: Float64Array;
  /** ‖A x − b‖₂ ({@link nnls} only; NaN from {@link nnlsGram}, which never sees b). */
  readonly rnorm: number;
  /** Outer iterations used. */
  readonly iterations: number;
  /** False when `maxIter` stopped it before the KKT conditions held. */
  readonly converged: boolean;
}

/**
 * The active-set loop of Lawson & Hanson (1974, ch. 23, Algorithm NNLS),
 * independent of how the unconstrained least-squares problem on the
 * passive set P is solved: `dual(x, w)` writes w = Aᵀ(b − A x), and
 * `solveP(P, s, z)` writes the least-squares solution on the columns P[0..s)
 * into z[0..s), returning false when they are numerically dependent.
 */
function lawsonHanson(
  n: number,
  dual: (x: Float64Array, w: Float64Array) => void,
  solveP: (P: Int32Array, s: number, z: Float64Array) => boolean,
  maxIter: number,
  tol: number,
): { x: Float64Array; iterations: number; converged: boolean } {
  const x = new Float64Array(n), w = new Float64Array(n), z = new Float64Array(n);
  const P = new Int32Array(n);
  const inP = new Uint8Array(n), rejected = new Uint8Array(n);
  let s = 0, iterations = 0, converged = false;
  for (;;) {
    dual(x, w);
    // Step 2-4: the most promising index of the active set Z.
    let t = -1, best = tol;
    for (let j = 0; j < n; j++) {
      if (!inP[j] && !rejected[j] && w[j] > best) {
        best = w[j];
        t = j;
      }
    }
    if (t < 0) {
      converged = true;
      break;
    }
    if (iterations >= maxIter) break;
    iterations++;
    P[s++] = t;
    inP[t] = 1;
    let first = true;
    // Steps 6-11: the inner loop keeps x feasible while moving towards z.
    for (;;) {
      const ok = solveP(P, s, z);
      // Lawson & Hanson's safeguard: a new column dependent on P, or with z_t <= 0 from rounding,
      // is rejected until x changes (w_t > 0 guarantees z_t > 0 in exact arithmetic).
      if (first && (!ok || z[s - 1] <= 0)) {
        s--;
        inP[t] = 0;
        rejected[t] = 1;
        break;
      }
      first = false;
      // Cannot happen in exact arithmetic (P only shrank from an independent set): keep the feasible x.
      if (!ok) break;
      let alpha = Infinity, hit = -1;
      for (let q = 0; q < s; q++) {
        if (z[q] <= 0) {
          const xj = x[P[q]];
          const a = xj / (xj - z[q]);
          if (a < alpha) {
            alpha = a;
            hit = q;
          }
        }
      }
      if (hit < 0) {
        for (let q = 0; q < s; q++) x[P[q]] = z[q];
        rejected.fill(0);
        break;
      }
      // Steps 8-11: move to the boundary and drop the indices that reach zero.
      for (let q = 0; q < s; q++) x[P[q]] += alpha * (z[q] - x[P[q]]);
      x[P[hit]] = 0;
      let keep = 0;
      for (let q = 0; q < s; q++) {
        const j = P[q];
        if (x[j] > 0) P[keep++] = j;
        else {
          x[j] = 0;
          inP[j] = 0;
        }
      }
      s = keep;
      rejected.fill(0);
      if (s === 0) break;
    }
  }
  return { x, iterations, converged };
}

function checkNnlsOptions(fn: string, n: number, options: NnlsOptions): { maxIter: number; tol: number | undefined } {
  const maxIter = options.maxIter ?? 3 * n;
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: maxIter must be an integer >= 1 (got ${maxIter})`, 'maxIter');
  const tol = options.tol;
  if (tol !== undefined && !(tol >= 0)) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: tol must be a number >= 0 (got ${tol})`, 'tol');
  return { maxIter, tol };
}

function defaultTol(dim: number, atb: ArrayLike<number>): number {
  let mx = 0;
  for (let j = 0; j < atb.length; j++) mx = Math.max(mx, Math.abs(atb[j]));
  return 10 * Math.max(dim, 1) * Number.EPSILON * mx;
}

/**
 * Nonnegative least squares min ‖A x − b‖₂ s.t. x ≥ 0 by the active-set
 * method of Lawson & Hanson (1974, ch. 23, Algorithm NNLS, p. 161), the
 * algorithm behind scipy.optimize.nnls. Each inner step solves the
 * unconstrained problem on the passive columns by Householder QR (core's
 * `lstsq`), as the book does. Same answer as scipy.optimize.nnls (the
 * minimizer is unique when A has full column rank).
 *
 * @param A - m x n matrix (row-major)
 * @param b - m right-hand side
 * @param options - `maxIter` (default 3n), `tol`
 * @returns x ≥ 0, the residual norm, the iterations and whether the KKT conditions were reached
 * @example
 * nnls(Matrix.fromRows([[1, 0], [0, 1]]), new Float64Array([2, -1])).x; // => [2, 0]
 */
export function nnls(A: Matrix, b: Float64Array, options: NnlsOptions = {}): NnlsResult {
  const { rows: m, cols: n, data } = A;
  if (b.length !== m) throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `nnls: b has ${b.length} entries, A has ${m} rows`, 'b');
  const { maxIter, tol: tolOpt } = checkNnlsOptions('nnls', n, options);
  const atb = new Float64Array(n);
  gemvT(data, m, n, b, atb);
  const tol = tolOpt ?? defaultTol(Math.max(m, n), atb);
  const r = new Float64Array(m);
  const dual = (x: Float64Array, w: Float64Array) => {
    gemvN(data, m, n, x, r);
    for (let i = 0; i < m; i++) r[i] = b[i] - r[i];
    gemvT(data, m, n, r, w);
  };
  const solveP = (P: Int32Array, s: number, z: Float64Array) => {
    const AP = Matrix.zeros(m, s);
    for (let i = 0; i < m; i++) for (let q = 0; q < s; q++) AP.data[i * s + q] = data[i * n + P[q]];
    const { x, rank } = lstsq(AP, b);
    z.set(x);
    return rank === s;
  };
  const res = lawsonHanson(n, dual, solveP, maxIter, tol);
  gemvN(data, m, n, res.x, r);
  let rr = 0;
  for (let i = 0; i < m; i++) rr += (b[i] - r[i]) ** 2;
  return { ...res, rnorm: Math.sqrt(rr) };
}

/**
 * NNLS from precomputed products, the "fast NNLS" of Bro & De Jong (1997):
 * the same Lawson-Hanson iterations, with w = Aᵀb − G x and the passive-set
 * problems solved by Cholesky on the submatrix G_PP of G = AᵀA. Costs
 * O(n²) per step instead of O(m n), and pays off when one A serves many b
 * (see {@link nnlsMany}). The normal equations square the condition number
 * of A_P: with a well-conditioned A the answer matches {@link nnls} to
 * rounding.
 *
 * @param G - n x n Gram matrix AᵀA (row-major, symmetric)
 * @param atb - Aᵀb (n)
 * @param options - `maxIter`, `tol`
 * @returns x ≥ 0 (rnorm is NaN: b is not known here)
 * @example
 * nnlsGram(gram(A), matvec(A, b, true)).x;
 */
export function nnlsGram(G: Matrix, atb: Float64Array, options: NnlsOptions = {}): NnlsResult {
  const n = G.cols;
  if (G.rows !== n) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `nnlsGram: G is ${G.rows}x${G.cols}, expected a square Gram matrix`, 'G');
  if (atb.length !== n) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `nnlsGram: atb has ${atb.length} entries, G has ${n} columns`, 'atb');
  const { maxIter, tol: tolOpt } = checkNnlsOptions('nnlsGram', n, options);
  return { ...nnlsGramKernel(G.data, n, atb, maxIter, tolOpt ?? defaultTol(n, atb), new Float64Array(n * n)), rnorm: NaN };
}

/** {@link nnlsGram} without checks, on a raw row-major G; `L` is n x n scratch. */
export function nnlsGramKernel(g: Float64Array, n: number, atb: Float64Array, maxIter: number, tol: number, L: Float64Array): { x: Float64Array; iterations: number; converged: boolean } {
  const dual = (x: Float64Array, w: Float64Array) => {
    for (let j = 0; j < n; j++) {
      let v = atb[j];
      const o = j * n;
      for (let k = 0; k < n; k++) if (x[k] !== 0) v -= g[o + k] * x[k];
      w[j] = v;
    }
  };
  const solveP = (P: Int32Array, s: number, z: Float64Array) => {
    if (!cholSubset(g, n, P, s, L)) return false;
    for (let q = 0; q < s; q++) z[q] = atb[P[q]];
    cholSubsetSolve(L, s, z);
    return true;
  };
  return lawsonHanson(n, dual, solveP, maxIter, tol);
}

/**
 * NNLS for every column of B with one A: G = AᵀA (core's `gram`) and AᵀB
 * (one GEMM) once, then {@link nnlsGram} per column. For unmixing, A is the
 * endmember library E and B the pixels Y; the result is the abundance map.
 *
 * @param A - m x n (e.g. bands x endmembers)
 * @param B - m x N right-hand sides, one per column (e.g. bands x pixels)
 * @param options - `maxIter`, `tol`, plus `signal` (polled every 64 columns) and `onColumn`
 * @returns X (n x N), column j the NNLS solution for column j of B
 * @example
 * const S = nnlsMany(obs.E, obs.Y);
 */
export function nnlsMany(
  A: Matrix,
  B: Matrix,
  options: NnlsOptions & { readonly signal?: AbortSignal; readonly onColumn?: (column: number, iterations: number) => void } = {},
): Matrix {
  checkLibrary('nnlsMany', A, B, 'A', 'B');
  const n = A.cols, N = B.cols;
  const { maxIter, tol } = checkNnlsOptions('nnlsMany', n, options);
  const G = gram(A);
  const AtB = matmul(A, B, { transA: true });
  const X = Matrix.zeros(n, N);
  const atb = new Float64Array(n), L = new Float64Array(n * n);
  for (let j = 0; j < N; j++) {
    if ((j & 63) === 0) options.signal?.throwIfAborted();
    for (let k = 0; k < n; k++) atb[k] = AtB.data[k * N + j];
    const res = nnlsGramKernel(G.data, n, atb, maxIter, tol ?? defaultTol(n, atb), L);
    for (let k = 0; k < n; k++) X.data[k * N + j] = res.x[k];
    options.onColumn?.(j, res.iterations);
  }
  return X;
}

/** The bench entry: NNLS abundances of every pixel (no sum-to-one constraint). */
export function solveNnls(obs: SpectralUnmixingObservation, params: NnlsParams, ctx: SolverContext): SpectralUnmixingSolution {
  ctx.signal.throwIfAborted();
  const S = nnlsMany(libraryOf('baselines/nnls', 'NNLS', obs), obs.Y, { ...params, signal: ctx.signal, onColumn: pixelProgress(ctx, obs.Y.cols) });
  return { S };
}

/** `baselines/nnls`: {@link nnls} per pixel as a registered solver. */
export const nnlsSolver = defineSolver({
  id: 'baselines/nnls',
  family: spectralUnmixing,
  title: 'Nonnegative least squares',
  summary: 'Per-pixel abundances by the Lawson-Hanson (1974) active-set NNLS, in the Gram form of Bro & De Jong (1997) shared by all pixels.',
  params: NnlsParams,
  solve: solveNnls,
  skip: skipBlind('NNLS'),
});
