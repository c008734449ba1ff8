import {
  defineSolver,
  sparseRegression,
  Type,
  type SolverContext,
  type SparseRegressionObservation,
  type SparseRegressionSolution,
  type Static,
} from '@parsimony/core';
import { requireSquaredLoss } from '../internal/kernels.js';
import { omp } from './omp.js';

/** Parameters of `baselines/omp-regression`. */
export const OmpRegressionParams = Type.Object(
  {
    k: Type.Optional(Type.Integer({ minimum: 1, description: "maximum number of features; default: the observation's k hint, else floor(min(N, d)/2)" })),
    tol: Type.Optional(
      Type.Number({ minimum: 0, description: 'stop once the mean squared residual ‖y − Xw‖²/N ≤ tol; default: noiseStd² when the observation gives it, else 0' }),
    ),
  },
  { additionalProperties: false },
);
export type OmpRegressionParams = Static<typeof OmpRegressionParams>;

/**
 * The bench entry of Orthogonal Matching Pursuit on a sparse-regression
 * observation: core's plain {@link omp} on (X, y) (pick the feature most
 * correlated with the residual, refit every picked feature by least squares),
 * with k and the residual level from the observation's hints. Same stopping
 * convention as `baselines/forward-stepwise`: ‖y − Xw‖²/N ≤ tol.
 *
 * @param obs - a squared-loss sparse-regression observation
 * @param params - `k`, `tol`
 * @param ctx - signal (polled per feature) and report (residual norm per feature)
 * @returns w with at most k nonzeros, and the number of features picked
 * @example
 * const { w } = solveOmpRegression(observation, {}, ctx);
 */
export function solveOmpRegression(obs: SparseRegressionObservation, params: OmpRegressionParams, ctx: SolverContext): SparseRegressionSolution {
  requireSquaredLoss('baselines/omp-regression', obs.loss);
  ctx.signal.throwIfAborted();
  const { rows: N, cols: d } = obs.X;
  const meanSq = params.tol ?? (obs.noiseStd !== undefined ? obs.noiseStd ** 2 : 0);
  let steps = 0;
  const w = omp(obs.X, obs.y, {
    k: params.k ?? (obs.k !== undefined && obs.k >= 1 ? obs.k : Math.floor(Math.min(N, d) / 2)),
    tol: Math.sqrt(meanSq * N),
    signal: ctx.signal,
    onIteration: (iteration, residual) => {
      steps = iteration;
      ctx.report({ iteration, residual });
    },
  });
  return { w, iterations: steps };
}

/** `baselines/omp-regression`: OMP as a registered sparse-regression solver (defaults from the observation's hints). */
export const ompRegressionSolver = defineSolver({
  id: 'baselines/omp-regression',
  family: sparseRegression,
  title: 'Orthogonal Matching Pursuit (regression)',
  summary: 'Greedy: add the feature most correlated with the residual, refit by least squares (Pati et al. 1993), on a sparse-regression observation.',
  params: OmpRegressionParams,
  solve: solveOmpRegression,
});
