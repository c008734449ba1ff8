import {
  Matrix,
  ParsimonyError,
  Type,
  type Static,
  defineSolver,
  sparseRecovery,
  type SolverContext,
  type SparseRecoveryObservation,
  type SparseRecoverySolution,
} from '@parsimony/core';
import { checkSystem, gemvN, gemvT, softThreshold } from '../internal/kernels.js';
import { LambdaParam, lassoObjective, lipschitz, observationLambda } from '../internal/lasso-recovery.js';

/** Parameters of {@link ista}. */
export const IstaParams = Type.Object(
  {
    lambda: LambdaParam,
    maxIter: Type.Integer({ minimum: 1, default: 5000, description: 'maximum number of iterations' }),
    tol: Type.Number({ minimum: 0, default: 1e-6, description: 'stop when ‖x_{k+1} − x_k‖ ≤ tol·‖x_{k+1}‖' }),
  },
  { additionalProperties: false },
);
export type IstaParams = Static<typeof IstaParams>;

/** Options of the plain {@link ista} function. */
export interface IstaOptions {
  /** ℓ1 weight λ (required; see `noiseLevelLambda` for the bench's rule). */
  lambda: number;
  /** Maximum number of iterations (default 5000). */
  maxIter?: number;
  /** Relative-change stopping level (default 1e-6). */
  tol?: number;
  /** Step size (default 1/L with L ≈ 1.01‖A‖₂², from core's power iteration). */
  step?: number;
  /** Polled every iteration. */
  signal?: AbortSignal;
  /** Receives (iteration, objective ½‖y − Ax‖² + λ‖x‖₁) after each iteration. */
  onIteration?: (iteration: number, objective: number) => void;
}

/** What {@link ista} and {@link fista} return. */
export interface ProximalResult {
  /** The estimate (n). */
  x: Float64Array;
  /** Iterations run. */
  iterations: number;
  /** ½‖y − Ax‖² + λ‖x‖₁ at x. */
  objective: number;
}

/** Shared argument checks of ISTA and FISTA; returns the step size (0 when A = 0). */
export function proximalSetup(fn: string, A: Matrix, y: Float64Array, o: IstaOptions): number {
  checkSystem(fn, A, y);
  if (!(o.lambda >= 0) || !Number.isFinite(o.lambda)) {
    throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: lambda must be a finite number >= 0 (got ${o.lambda})`, 'lambda');
  }
  if (o.step !== undefined) {
    if (!(o.step > 0) || !Number.isFinite(o.step)) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: step must be a finite number > 0 (got ${o.step})`, 'step');
    return o.step;
  }
  const L = lipschitz(A);
  return L > 0 ? 1 / L : 0;
}

/**
 * ISTA, the iterative shrinkage-thresholding algorithm (Daubechies, Defrise
 * & De Mol 2004; the proximal-gradient form of Beck & Teboulle 2009, eq. 1.4)
 * for the Lasso min_x ½‖y − Ax‖² + λ‖x‖₁:
 * x ← soft(x + Aᵀ(y − Ax)/L, λ/L). With the step 1/L the objective never
 * increases; convergence is O(1/k).
 *
 * @param A - m x n (row-major)
 * @param y - m measurements
 * @param options - `lambda` (required), `maxIter`, `tol`, `step`, `signal`, `onIteration`
 * @returns x, the iterations run and the final objective
 * @example
 * const { x } = ista(A, y, { lambda: 0.05 });
 */
export function ista(A: Matrix, y: Float64Array, options: IstaOptions): ProximalResult {
  const step = proximalSetup('ista', A, y, options);
  const { rows: m, cols: n, data } = A;
  const lambda = options.lambda;
  const maxIter = options.maxIter ?? 5000, tol = options.tol ?? 1e-6;
  let x = new Float64Array(n);
  let xNew = new Float64Array(n);
  const r = y.slice(); // y − A x
  const g = new Float64Array(n);
  const ax = new Float64Array(m);
  let objective = lassoObjective(r, x, lambda);
  if (step === 0) return { x, iterations: 0, objective };
  const thr = lambda * step;
  let it = 0;
  while (it < maxIter) {
    options.signal?.throwIfAborted();
    gemvT(data, m, n, r, g);
    let dd = 0, xx = 0;
    for (let j = 0; j < n; j++) {
      const v = softThreshold(x[j] + step * g[j], thr);
      xNew[j] = v;
      dd += (v - x[j]) ** 2;
      xx += v * v;
    }
    gemvN(data, m, n, xNew, ax);
    for (let i = 0; i < m; i++) r[i] = y[i] - ax[i];
    [x, xNew] = [xNew, x];
    it++;
    objective = lassoObjective(r, x, lambda);
    options.onIteration?.(it, objective);
    if (dd <= tol * tol * xx) break;
  }
  return { x, iterations: it, objective };
}

/** The bench entry: λ from the noise level (see the README). */
export function solveIsta(obs: SparseRecoveryObservation, params: IstaParams, ctx: SolverContext): SparseRecoverySolution {
  ctx.signal.throwIfAborted();
  const { x } = ista(obs.A, obs.y, {
    lambda: params.lambda ?? observationLambda(obs),
    maxIter: params.maxIter,
    tol: params.tol,
    signal: ctx.signal,
    onIteration: (iteration, objective) => ctx.report({ iteration, objective }),
  });
  return { x };
}

/** `baselines/ista`: {@link ista} as a registered solver (defaults from the observation's hints). */
export const istaSolver = defineSolver({
  id: 'baselines/ista',
  family: sparseRecovery,
  title: 'ISTA (Lasso)',
  summary: 'Proximal gradient on ½‖y − Ax‖² + λ‖x‖₁ with step 1/‖A‖₂² and λ from the noise level (Daubechies, Defrise & De Mol 2004).',
  params: IstaParams,
  solve: solveIsta,
});
