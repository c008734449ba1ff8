import {
  Matrix,
  Type,
  type Static,
  defineSolver,
  sparseRegression,
  type SolverContext,
  type SparseRegressionObservation,
  type SparseRegressionSolution,
} from '@parsimony/core';
import { checkSystem, columnNorms2, dotAt, gatherColumn, gemvT, requireSquaredLoss, sumSq } from '../internal/kernels.js';

/** Parameters of {@link forwardStepwise}. */
export const ForwardStepwiseParams = Type.Object(
  {
    k: Type.Optional(Type.Integer({ minimum: 1, description: "maximum number of features; default: the observation's k hint, else floor(min(N, d)/2)" })),
    tol: Type.Optional(
      Type.Number({ minimum: 0, description: 'stop once the mean squared residual ‖y − Xw‖²/N ≤ tol; default: noiseStd² when the observation gives it, else 0' }),
    ),
  },
  { additionalProperties: false },
);
export type ForwardStepwiseParams = Static<typeof ForwardStepwiseParams>;

/** Options of the plain {@link forwardStepwise} function. */
export interface ForwardStepwiseOptions {
  /** Maximum number of features (default floor(min(N, d)/2)). */
  k?: number;
  /** Stop once ‖y − Xw‖²/N ≤ tol (default 0). */
  tol?: number;
  /** Polled once per step. */
  signal?: AbortSignal;
  /** Receives (step, residual sum of squares) after each step. */
  onIteration?: (step: number, rss: number) => void;
}

/**
 * Forward stepwise regression (Efroymson 1960; Hastie, Tibshirani & Friedman,
 * "The Elements of Statistical Learning", 2nd ed., Sec. 3.3.2): start from
 * the empty model and add, one at a time, the feature whose inclusion lowers
 * the residual sum of squares the most, refitting all coefficients by least
 * squares. Unlike OMP, a candidate is scored by its correlation with the
 * residual *after* removing its part in the span of the chosen features:
 * gain_j = (x̃_jᵀr)² / ‖x̃_j‖² with x̃_j = (I − QQᵀ)x_j.
 *
 * The chosen features are kept as an orthonormal basis Q (Gram-Schmidt, twice
 * for stability), the scores by updating ‖x̃_j‖² and x_jᵀr with one pass
 * Xᵀq per step; the coefficients come from R w = Qᵀy at the end.
 *
 * @param X - N x d design (row-major)
 * @param y - N responses
 * @param options - `k`, `tol`, `signal`, `onIteration`
 * @returns w (d), with at most `k` nonzeros
 * @example
 * const w = forwardStepwise(X, y, { k: 10 });
 */
export function forwardStepwise(X: Matrix, y: Float64Array, options: ForwardStepwiseOptions = {}): Float64Array {
  checkSystem('forwardStepwise', X, y, 'X');
  const { rows: N, cols: d, data } = X;
  const kMax = Math.max(0, Math.min(options.k ?? Math.floor(Math.min(N, d) / 2), N, d));
  const tolRss = (options.tol ?? 0) * N;
  const Q = new Float64Array(Math.max(kMax, 1) * N); // orthonormal basis, one column per row
  const Rf = new Float64Array(Math.max(kMax, 1) * Math.max(kMax, 1)); // upper triangular: X_S = Q R
  const qty = new Float64Array(Math.max(kMax, 1));
  const chosen = new Int32Array(Math.max(kMax, 1));
  const used = new Uint8Array(d);
  const res2 = columnNorms2(X); // ‖x̃_j‖²
  const orig2 = res2.slice();
  const xr = new Float64Array(d); // x_jᵀ r
  gemvT(data, N, d, y, xr);
  const xq = new Float64Array(d);
  const v = new Float64Array(N);
  const r = y.slice();
  let rss = sumSq(r);
  let s = 0;
  while (s < kMax && rss > tolRss) {
    options.signal?.throwIfAborted();
    let best = -1, bestGain = 0;
    for (let j = 0; j < d; j++) {
      // Skip features (numerically) in the span of the chosen ones.
      if (used[j] || !(res2[j] > 1e-10 * orig2[j])) continue;
      const gain = (xr[j] * xr[j]) / res2[j];
      if (gain > bestGain) {
        bestGain = gain;
        best = j;
      }
    }
    if (best < 0 || bestGain <= 1e-28 * rss) break;
    used[best] = 1;
    // Orthogonalize x_best against Q, twice (Gram-Schmidt with reorthogonalization).
    gatherColumn(data, N, d, best, v);
    for (let t = 0; t < s; t++) Rf[t * kMax + s] = 0;
    for (let pass = 0; pass < 2; pass++) {
      for (let t = 0; t < s; t++) {
        const c = dotAt(Q, t * N, v, 0, N);
        Rf[t * kMax + s] += c;
        for (let i = 0; i < N; i++) v[i] -= c * Q[t * N + i];
      }
    }
    const nv = Math.sqrt(sumSq(v));
    if (!(nv > 1e-12 * Math.sqrt(orig2[best]))) continue;
    Rf[s * kMax + s] = nv;
    const off = s * N;
    for (let i = 0; i < N; i++) Q[off + i] = v[i] / nv;
    // Residual: r ← r − (qᵀr) q; scores: x_jᵀr −= (qᵀr)(x_jᵀq), ‖x̃_j‖² −= (x_jᵀq)².
    const qr = dotAt(Q, off, r, 0, N);
    qty[s] = dotAt(Q, off, y, 0, N);
    for (let i = 0; i < N; i++) r[i] -= qr * Q[off + i];
    gemvT(data, N, d, Q.subarray(off, off + N), xq);
    for (let j = 0; j < d; j++) {
      xr[j] -= qr * xq[j];
      res2[j] -= xq[j] * xq[j];
    }
    chosen[s] = best;
    s++;
    rss = sumSq(r);
    options.onIteration?.(s, rss);
  }
  // Back substitution: R w_S = Qᵀy.
  const w = new Float64Array(d);
  const ws = new Float64Array(Math.max(s, 1));
  for (let t = s - 1; t >= 0; t--) {
    let acc = qty[t];
    for (let u = t + 1; u < s; u++) acc -= Rf[t * kMax + u] * ws[u];
    ws[t] = acc / Rf[t * kMax + t];
  }
  for (let t = 0; t < s; t++) w[chosen[t]] = ws[t];
  return w;
}

/** The bench entry: k and the residual level from the observation's hints. */
export function solveForwardStepwise(obs: SparseRegressionObservation, params: ForwardStepwiseParams, ctx: SolverContext): SparseRegressionSolution {
  requireSquaredLoss('baselines/forward-stepwise', obs.loss);
  ctx.signal.throwIfAborted();
  const { rows: N, cols: d } = obs.X;
  let steps = 0;
  const w = forwardStepwise(obs.X, obs.y, {
    k: params.k ?? obs.k ?? Math.floor(Math.min(N, d) / 2),
    tol: params.tol ?? (obs.noiseStd !== undefined ? obs.noiseStd ** 2 : 0),
    signal: ctx.signal,
    onIteration: (iteration, rss) => {
      steps = iteration;
      ctx.report({ iteration, rss });
    },
  });
  return { w, iterations: steps };
}

/** `baselines/forward-stepwise`: {@link forwardStepwise} as a registered solver (defaults from the observation's hints). */
export const forwardStepwiseSolver = defineSolver({
  id: 'baselines/forward-stepwise',
  family: sparseRegression,
  title: 'Forward stepwise regression',
  summary: 'Greedy: add the feature that lowers the residual sum of squares most, refit by least squares (orthogonalized updates).',
  params: ForwardStepwiseParams,
  solve: solveForwardStepwise,
});
