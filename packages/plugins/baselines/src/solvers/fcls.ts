import {
  defineSolver,
  gram,
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
import { checkLibrary, cholSubset, cholSubsetSolve, libraryOf, pixelProgress, skipBlind } from '../internal/signal.js';
import { nnlsGramKernel } from './nnls.js';

/** Parameters of {@link fcls}. */
export const FclsParams = Type.Object(
  {
    delta: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description:
          "Heinz & Chang's augmented form: NNLS on [δE; 1ᵀ] s ≈ [δy; 1], sum-to-one holding only approximately (to O(δ²)); absent (default): the exact active-set solution of the constrained problem",
      }),
    ),
    maxIter: Type.Optional(Type.Integer({ minimum: 1, description: 'outer active-set iterations per pixel; default 3p' })),
  },
  { additionalProperties: false },
);
export type FclsParams = Static<typeof FclsParams>;

/** Options of the plain {@link fcls} function. */
export interface FclsOptions {
  /** Weight δ > 0 of the augmented form; absent: exact constraints. */
  readonly delta?: number;
  /** Outer iterations per pixel (default 3p). */
  readonly maxIter?: number;
  /** Polled every 64 pixels. */
  readonly signal?: AbortSignal;
  /** Receives (pixel, iterations) after each pixel. */
  readonly onColumn?: (column: number, iterations: number) => void;
}

/**
 * Exact FCLS of one pixel: min ½ sᵀGs − bᵀs s.t. s ≥ 0, 1ᵀs = 1, by a
 * primal active-set method (Lawson-Hanson's loop with the equality kept in
 * every passive-set solve). Starts at the best single endmember (a vertex
 * of the simplex, feasible); adds the index with the most negative reduced
 * gradient λ_j = g_j − ḡ_P (g = Gs − b, ḡ_P its mean over the passive set
 * P, which is −ν for the multiplier ν of 1ᵀs = 1); the passive-set problem
 * [G_PP 1; 1ᵀ 0][z; ν] = [b_P; 1] is solved with one Cholesky of G_PP:
 * z = u − ν v, u = G_PP⁻¹ b_P, v = G_PP⁻¹ 1, ν = (1ᵀu − 1)/(1ᵀv).
 */
function fclsPixel(g: Float64Array, p: number, b: Float64Array, maxIter: number, tol: number, work: { L: Float64Array; u: Float64Array; v: Float64Array }): { x: Float64Array; iterations: number } {
  const { L, u, v } = work;
  const s = new Float64Array(p), grad = new Float64Array(p);
  const P = new Int32Array(p), inP = new Uint8Array(p), rejected = new Uint8Array(p);
  let j0 = 0;
  for (let j = 1; j < p; j++) if (g[j * p + j] - 2 * b[j] < g[j0 * p + j0] - 2 * b[j0]) j0 = j;
  s[j0] = 1;
  P[0] = j0;
  inP[j0] = 1;
  let n = 1, iterations = 0;
  const solveP = (z: Float64Array): boolean => {
    if (!cholSubset(g, p, P, n, L)) return false;
    for (let q = 0; q < n; q++) {
      u[q] = b[P[q]];
      v[q] = 1;
    }
    cholSubsetSolve(L, n, u);
    cholSubsetSolve(L, n, v);
    let su = 0, sv = 0;
    for (let q = 0; q < n; q++) {
      su += u[q];
      sv += v[q];
    }
    const nu = (su - 1) / sv;
    for (let q = 0; q < n; q++) z[q] = u[q] - nu * v[q];
    return true;
  };
  const z = new Float64Array(p);
  while (iterations < maxIter) {
    for (let j = 0; j < p; j++) {
      let t = -b[j];
      for (let k = 0; k < p; k++) if (s[k] !== 0) t += g[j * p + k] * s[k];
      grad[j] = t;
    }
    let gP = 0;
    for (let q = 0; q < n; q++) gP += grad[P[q]] / n;
    let t = -1, best = -tol;
    for (let j = 0; j < p; j++) {
      if (!inP[j] && !rejected[j] && grad[j] - gP < best) {
        best = grad[j] - gP;
        t = j;
      }
    }
    if (t < 0) break;
    iterations++;
    P[n++] = t;
    inP[t] = 1;
    let first = true;
    for (;;) {
      const ok = solveP(z);
      if (first && (!ok || z[n - 1] <= 0)) {
        n--;
        inP[t] = 0;
        rejected[t] = 1;
        break;
      }
      first = false;
      if (!ok) break;
      let alpha = Infinity, hit = -1;
      for (let q = 0; q < n; q++) {
        if (z[q] <= 0) {
          const a = s[P[q]] / (s[P[q]] - z[q]);
          if (a < alpha) {
            alpha = a;
            hit = q;
          }
        }
      }
      if (hit < 0) {
        for (let q = 0; q < n; q++) s[P[q]] = z[q];
        rejected.fill(0);
        break;
      }
      // Convex combination of two points of the affine set 1ᵀs = 1: stays on it.
      for (let q = 0; q < n; q++) s[P[q]] += alpha * (z[q] - s[P[q]]);
      s[P[hit]] = 0;
      let keep = 0;
      for (let q = 0; q < n; q++) {
        const j = P[q];
        if (s[j] > 0) P[keep++] = j;
        else {
          s[j] = 0;
          inP[j] = 0;
        }
      }
      n = keep;
      rejected.fill(0);
    }
  }
  return { x: s, iterations };
}

/**
 * Fully constrained least squares unmixing (Heinz & Chang 2001): for every
 * pixel y (a column of Y), min ‖y − E s‖₂ s.t. s ≥ 0 and 1ᵀs = 1.
 *
 * By default the constraints hold exactly: a primal active-set method (the
 * Lawson & Hanson 1974 loop with the sum-to-one equality kept in each
 * passive-set solve, by Cholesky on G = EᵀE shared by all pixels). With
 * `delta`, Heinz & Chang's own formulation: NNLS on the augmented system
 * [δE; 1ᵀ] s ≈ [δy; 1] (Gram form G̃ = δ²G + 11ᵀ), where small δ weighs the
 * sum-to-one row heavily; it tends to the exact answer as δ → 0, at the
 * price of the conditioning of G̃.
 *
 * Deviation: Heinz & Chang reach the constrained solution through their
 * NCLS iteration on the augmented system; the exact default instead keeps
 * 1ᵀs = 1 as an equality in the active-set solves (same minimizer as δ → 0).
 *
 * @param E - bands x p endmember library
 * @param Y - bands x N pixels
 * @param options - `delta`, `maxIter`, `signal`, `onColumn`
 * @returns S, p x N abundances (each column ≥ 0; sums to 1 exactly without `delta`)
 * @example
 * const S = fcls(obs.E, obs.Y);
 */
export function fcls(E: Matrix, Y: Matrix, options: FclsOptions = {}): Matrix {
  checkLibrary('fcls', E, Y);
  const p = E.cols, N = Y.cols;
  const maxIter = options.maxIter ?? 3 * p;
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `fcls: maxIter must be an integer >= 1 (got ${maxIter})`, 'maxIter');
  const delta = options.delta;
  if (delta !== undefined && !(delta > 0 && Number.isFinite(delta))) {
    throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `fcls: delta must be a finite number > 0 (got ${delta}); leave it out for the exact constraints`, 'delta');
  }
  const G = gram(E);
  const EtY = matmul(E, Y, { transA: true });
  const S = Matrix.zeros(p, N);
  if (p === 0) return S;
  const b = new Float64Array(p);
  const work = { L: new Float64Array(p * p), u: new Float64Array(p), v: new Float64Array(p) };
  let gd = G.data;
  if (delta !== undefined) {
    gd = G.data.map((x) => delta * delta * x + 1);
  }
  let gmax = 0;
  for (let j = 0; j < p; j++) gmax = Math.max(gmax, gd[j * p + j]);
  for (let j = 0; j < N; j++) {
    if ((j & 63) === 0) options.signal?.throwIfAborted();
    let bmax = 0;
    for (let k = 0; k < p; k++) {
      b[k] = delta === undefined ? EtY.data[k * N + j] : delta * delta * EtY.data[k * N + j] + 1;
      bmax = Math.max(bmax, Math.abs(b[k]));
    }
    // Rounding level of the gradient.
    const tol = 10 * p * Number.EPSILON * (bmax + gmax);
    const res = delta === undefined ? fclsPixel(gd, p, b, maxIter, tol, work) : nnlsGramKernel(gd, p, b, maxIter, tol, work.L);
    for (let k = 0; k < p; k++) S.data[k * N + j] = res.x[k];
    options.onColumn?.(j, res.iterations);
  }
  return S;
}

/** The bench entry: FCLS abundances of every pixel. */
export function solveFcls(obs: SpectralUnmixingObservation, params: FclsParams, ctx: SolverContext): SpectralUnmixingSolution {
  ctx.signal.throwIfAborted();
  const S = fcls(libraryOf('baselines/fcls', 'FCLS', obs), obs.Y, { ...params, signal: ctx.signal, onColumn: pixelProgress(ctx, obs.Y.cols) });
  return { S };
}

/** `baselines/fcls`: {@link fcls} as a registered solver. */
export const fclsSolver = defineSolver({
  id: 'baselines/fcls',
  family: spectralUnmixing,
  title: 'Fully constrained least squares',
  summary: 'Per-pixel least squares with nonnegative, sum-to-one abundances (Heinz & Chang 2001), by an exact active-set method on the shared Gram matrix.',
  params: FclsParams,
  solve: solveFcls,
  skip: skipBlind('FCLS'),
});
