import {
  Matrix,
  Type,
  type Static,
  defineSolver,
  sparseRecovery,
  type SolverContext,
  type SparseRecoveryObservation,
  type SparseRecoverySolution,
} from '@parsimony/core';
import { gemvN, gemvT, softThreshold } from '../internal/kernels.js';
import { LambdaParam, lassoObjective, observationLambda } from '../internal/lasso-recovery.js';
import { proximalSetup, type IstaOptions, type ProximalResult } from './ista.js';

/** Parameters of {@link fista}. */
export const FistaParams = Type.Object(
  {
    lambda: LambdaParam,
    maxIter: Type.Integer({ minimum: 1, default: 2000, description: 'maximum number of iterations' }),
    tol: Type.Number({ minimum: 0, default: 1e-6, description: 'stop when the prox-gradient step ‖x_{k+1} − y_k‖ ≤ tol·‖x_{k+1}‖' }),
    monotone: Type.Boolean({ default: false, description: 'MFISTA: keep the iterate whose objective is lower, so the objective never increases' }),
  },
  { additionalProperties: false },
);
export type FistaParams = Static<typeof FistaParams>;

/** Options of the plain {@link fista} function. */
export interface FistaOptions extends IstaOptions {
  /** MFISTA (Beck & Teboulle 2009b): the objective never increases (default false). */
  monotone?: boolean;
}

/**
 * FISTA (Beck & Teboulle 2009, SIAM J. Imaging Sci. 2(1), Alg. FISTA with
 * constant step) for the Lasso min_x ½‖y − Ax‖² + λ‖x‖₁: a proximal
 * gradient step at the extrapolated point y_k = x_k + ((t_{k−1} − 1)/t_k)
 * (x_k − x_{k−1}), t_{k+1} = (1 + √(1 + 4t_k²))/2; O(1/k²) convergence.
 * With `monotone`, MFISTA (Beck & Teboulle 2009, IEEE TIP 18(11), eq. 5.2)
 * keeps x_k = argmin{F(z_k), F(x_{k−1})} so F(x_k) never increases.
 *
 * A x_k is carried along (A y_k is a combination of the A x's), so each
 * iteration costs one product with A and one with Aᵀ, as ISTA.
 *
 * @param A - m x n (row-major)
 * @param y - m measurements
 * @param options - `lambda` (required), `maxIter`, `tol`, `step`, `monotone`, `signal`, `onIteration`
 * @returns x, the iterations run and the final objective
 * @example
 * const { x } = fista(A, y, { lambda: 0.05, monotone: true });
 */
export function fista(A: Matrix, y: Float64Array, options: FistaOptions): ProximalResult {
  const step = proximalSetup('fista', A, y, options);
  const { rows: m, cols: n, data } = A;
  const lambda = options.lambda;
  const maxIter = options.maxIter ?? 2000, tol = options.tol ?? 1e-6;
  const monotone = options.monotone ?? false;

  let x = new Float64Array(n); // x_k
  let xPrev = new Float64Array(n); // x_{k−1}
  let ax = new Float64Array(m); // A x_k
  let axPrev = new Float64Array(m);
  const yk = new Float64Array(n); // extrapolated point
  const ay = new Float64Array(m);
  const z = new Float64Array(n); // prox-gradient step from y_k
  const az = new Float64Array(m);
  const r = new Float64Array(m);
  const g = new Float64Array(n);
  r.set(y);
  let fx = lassoObjective(r, x, lambda);
  if (step === 0) return { x, iterations: 0, objective: fx };
  const thr = lambda * step;
  let t = 1;
  let it = 0;
  while (it < maxIter) {
    options.signal?.throwIfAborted();
    for (let i = 0; i < m; i++) r[i] = y[i] - ay[i];
    gemvT(data, m, n, r, g);
    let dd = 0, zz = 0;
    for (let j = 0; j < n; j++) {
      const v = softThreshold(yk[j] + step * g[j], thr);
      z[j] = v;
      dd += (v - yk[j]) ** 2;
      zz += v * v;
    }
    gemvN(data, m, n, z, az);
    for (let i = 0; i < m; i++) r[i] = y[i] - az[i];
    const fz = lassoObjective(r, z, lambda);
    const tNew = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    // Rotate x_{k−1} <- x_k; the new x_k is z, or (MFISTA) the old x_k when z is worse.
    [xPrev, x] = [x, xPrev];
    [axPrev, ax] = [ax, axPrev];
    const keep = monotone && fz > fx;
    if (keep) {
      x.set(xPrev);
      ax.set(axPrev);
    } else {
      x.set(z);
      ax.set(az);
      fx = fz;
    }
    // y_{k+1} = x_k + (t_k/t_{k+1})(z_k − x_k) + ((t_k − 1)/t_{k+1})(x_k − x_{k−1}); for FISTA z_k = x_k.
    const cz = t / tNew, cx = (t - 1) / tNew;
    for (let j = 0; j < n; j++) yk[j] = x[j] + cz * (z[j] - x[j]) + cx * (x[j] - xPrev[j]);
    for (let i = 0; i < m; i++) ay[i] = ax[i] + cz * (az[i] - ax[i]) + cx * (ax[i] - axPrev[i]);
    t = tNew;
    it++;
    options.onIteration?.(it, fx);
    if (dd <= tol * tol * zz) break;
  }
  return { x, iterations: it, objective: fx };
}

/** The bench entry: λ from the noise level (see the README). */
export function solveFista(obs: SparseRecoveryObservation, params: FistaParams, ctx: SolverContext): SparseRecoverySolution {
  ctx.signal.throwIfAborted();
  const { x } = fista(obs.A, obs.y, {
    lambda: params.lambda ?? observationLambda(obs),
    maxIter: params.maxIter,
    tol: params.tol,
    monotone: params.monotone,
    signal: ctx.signal,
    onIteration: (iteration, objective) => ctx.report({ iteration, objective }),
  });
  return { x };
}

/** `baselines/fista`: {@link fista} as a registered solver (defaults from the observation's hints). */
export const fistaSolver = defineSolver({
  id: 'baselines/fista',
  family: sparseRecovery,
  title: 'FISTA (Lasso)',
  summary: 'Accelerated proximal gradient (Beck & Teboulle 2009) on ½‖y − Ax‖² + λ‖x‖₁ with λ from the noise level; optional monotone variant.',
  params: FistaParams,
  solve: solveFista,
});
