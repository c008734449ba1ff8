import {
  Type,
  defineSolver,
  sparseOptimization,
  type SolverContext,
  type SparseOptimizationObservation,
  type SparseOptimizationPenalty,
  type SparseOptimizationSolution,
  type Static,
} from '@parsimony/core';
import { Penalty, proximalGradient, smoothPart, type PenalizedProblem, type PenalizedResult } from '../internal/iterative.js';
import { StepRuleParam, type ProxGradientOptions } from './prox-gradient.js';

/** Parameters of {@link fistaPenalized}. */
export const FistaPenalizedParams = Type.Object(
  {
    stepRule: StepRuleParam,
    restart: Type.Boolean({
      default: false,
      description: "O'Donoghue & Candès's gradient restart: reset the momentum (t = 1) whenever (y_k − x_{k+1})ᵀ(x_{k+1} − x_k) > 0",
    }),
    tol: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description: "stop when the certificate is below tol: the relative duality gap for l1 on (A, b), else max_j L|prox step_j| / ‖∇f(0)‖∞ at the extrapolated point; default: the observation's tol",
      }),
    ),
    maxIterations: Type.Integer({ minimum: 1, default: 20000, description: 'proximal gradient steps at most' }),
  },
  { additionalProperties: false },
);
export type FistaPenalizedParams = Static<typeof FistaPenalizedParams>;

/** Options of the plain {@link fistaPenalized} function. */
export interface FistaPenalizedOptions extends ProxGradientOptions {
  /** Gradient restart (default false). */
  readonly restart?: boolean;
}

/**
 * FISTA (Beck & Teboulle 2009, SIAM J. Imaging Sci. 2(1), Alg. FISTA with
 * constant step, and FISTA with backtracking) for F(x) = f(x) + Σ_j p(|x_j|),
 * f = ½‖Ax − b‖² or ½xᵀHx − cᵀx, p the l1, SCAD or MCP penalty: the
 * proximal gradient step is taken from y_k = x_k + ((t_{k−1} − 1)/t_k)
 * (x_k − x_{k−1}), t_{k+1} = (1 + √(1 + 4t_k²))/2, so F(x_k) − F* <=
 * 2L‖x_0 − x*‖²/(k + 1)² for l1. With `restart`, the gradient scheme of
 * O'Donoghue & Candès (2015, Found. Comput. Math. 15) resets t to 1
 * whenever the momentum points uphill, (y_k − x_{k+1})ᵀ(x_{k+1} − x_k) > 0,
 * which recovers linear convergence under strong convexity on the support.
 *
 * Deviation: for SCAD and MCP (nonconvex) FISTA carries no convergence
 * guarantee; the exact proximal map is used as for l1, and the restart is
 * the usual safeguard.
 *
 * @param problem - `{ A, b }` (A m x n, row-major) or `{ H, c }` (H n x n SPD, CSR)
 * @param penalty - `{ kind: 'l1' | 'scad' | 'mcp', lambda, shape? }`
 * @param options - `stepRule`, `restart`, `tol` (1e-6), `maxIterations` (20000), `signal`, `onIteration`
 * @returns x, the steps run, F(x), the final certificate and whether it reached tol
 * @example
 * const { x } = fistaPenalized({ A, b }, { kind: 'mcp', lambda: 0.1, shape: 3 }, { restart: true });
 */
export function fistaPenalized(problem: PenalizedProblem, penalty: SparseOptimizationPenalty, options: FistaPenalizedOptions = {}): PenalizedResult {
  return proximalGradient(smoothPart('fistaPenalized', problem), new Penalty('fistaPenalized', penalty), {
    accelerated: true,
    restart: options.restart ?? false,
    stepRule: options.stepRule ?? 'lipschitz',
    tol: options.tol ?? 1e-6,
    maxIterations: options.maxIterations ?? 20000,
    signal: options.signal,
    onIteration: options.onIteration,
  });
}

/** The bench entry: FISTA from x = 0 on the observation's problem and penalty, objective and certificate reported each step. */
export function solveFistaPenalized(obs: SparseOptimizationObservation, params: FistaPenalizedParams, ctx: SolverContext): SparseOptimizationSolution {
  ctx.signal.throwIfAborted();
  const { x, iterations } = fistaPenalized(obs, obs.penalty, {
    stepRule: params.stepRule,
    restart: params.restart,
    tol: params.tol ?? obs.tol,
    maxIterations: params.maxIterations,
    signal: ctx.signal,
    onIteration: (p) => ctx.report({ ...p }),
  });
  return { x, iterations };
}

/** `baselines/fista-penalized`: {@link fistaPenalized} as a registered solver. */
export const fistaPenalizedSolver = defineSolver({
  id: 'baselines/fista-penalized',
  family: sparseOptimization,
  title: 'FISTA (penalized least squares)',
  summary: "Accelerated proximal gradient (Beck & Teboulle 2009) on ½‖Ax − b‖² (or ½xᵀHx − cᵀx) plus an l1, SCAD or MCP penalty, with O'Donoghue & Candès's gradient restart as an option.",
  params: FistaPenalizedParams,
  solve: solveFistaPenalized,
});
