import {
  cholesky,
  choleskySolve,
  defineSolver,
  gram,
  Matrix,
  ParsimonyError,
  sparseRegression,
  Type,
  type SolverContext,
  type SparseRegressionObservation,
  type SparseRegressionSolution,
  type Static,
} from '@parsimony/core';
import { checkSystem, gemvN, gemvT, requireSquaredLoss } from '../internal/kernels.js';

/** Parameters of {@link ridge}. */
export const RidgeParams = Type.Object(
  {
    lambda: Type.Number({ exclusiveMinimum: 0, default: 1, description: "ℓ2 weight λ of ‖y − Xw‖² + λ‖w‖² (scikit-learn's Ridge alpha, same default)" }),
  },
  { additionalProperties: false },
);
export type RidgeParams = Static<typeof RidgeParams>;

/** Options of the plain {@link ridge} function. */
export interface RidgeOptions {
  /** ℓ2 weight λ > 0 (default 1). */
  lambda?: number;
}

/**
 * Ridge regression (Hoerl & Kennard 1970), min_w ‖y − Xw‖² + λ‖w‖², in
 * closed form with the cheaper of two Cholesky factorizations (core's
 * `gram` and `cholesky`): the primal w = (XᵀX + λI)⁻¹Xᵀy (order d) when
 * N ≥ d, the dual w = Xᵀ(XXᵀ + λI)⁻¹y (order N) when N < d. Same answer as
 * scikit-learn's `Ridge(alpha=λ, fit_intercept=False, solver='cholesky')`.
 *
 * @param X - N x d design (row-major)
 * @param y - N responses
 * @param options - `lambda`
 * @returns w (d), dense
 * @example
 * const w = ridge(X, y, { lambda: 1 });
 */
export function ridge(X: Matrix, y: Float64Array, options: RidgeOptions = {}): Float64Array {
  checkSystem('ridge', X, y, 'X');
  const lambda = options.lambda ?? 1;
  if (!(lambda > 0) || !Number.isFinite(lambda)) {
    throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `ridge: lambda must be a finite number > 0 (got ${lambda})`, 'lambda');
  }
  const { rows: N, cols: d, data } = X;
  const w = new Float64Array(d);
  if (N === 0 || d === 0) return w;
  if (N >= d) {
    const K = gram(X);
    for (let j = 0; j < d; j++) K.data[j * d + j] += lambda;
    const xty = new Float64Array(d);
    gemvT(data, N, d, y, xty);
    return choleskySolve(cholesky(K), xty);
  }
  const K = gram(X, { trans: true });
  for (let i = 0; i < N; i++) K.data[i * N + i] += lambda;
  const a = choleskySolve(cholesky(K), y);
  gemvT(data, N, d, a, w);
  return w;
}

/** The bench entry. */
export function solveRidge(obs: SparseRegressionObservation, params: RidgeParams, ctx: SolverContext): SparseRegressionSolution {
  requireSquaredLoss('baselines/ridge', obs.loss);
  ctx.signal.throwIfAborted();
  const w = ridge(obs.X, obs.y, { lambda: params.lambda });
  // One residual norm for the trace: the closed form has a single "iteration".
  const fit = new Float64Array(obs.X.rows);
  gemvN(obs.X.data, obs.X.rows, obs.X.cols, w, fit);
  let rss = 0;
  for (let i = 0; i < fit.length; i++) rss += (obs.y[i] - fit[i]) ** 2;
  ctx.report({ iteration: 1, rss });
  return { w, iterations: 1 };
}

/** `baselines/ridge`: {@link ridge} as a registered solver (defaults from the observation's hints). */
export const ridgeSolver = defineSolver({
  id: 'baselines/ridge',
  family: sparseRegression,
  title: 'Ridge regression',
  summary: 'Closed-form ℓ2-regularized least squares (Hoerl & Kennard 1970) by Cholesky, primal or dual, whichever is smaller.',
  params: RidgeParams,
  solve: solveRidge,
});
