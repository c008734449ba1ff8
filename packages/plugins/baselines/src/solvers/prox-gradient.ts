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
import { Penalty, proximalGradient, smoothPart, type PenalizedPoint, type PenalizedProblem, type PenalizedResult } from '../internal/iterative.js';

export type { PenalizedPoint, PenalizedProblem, PenalizedResult } from '../internal/iterative.js';

/** The step rule both proximal-gradient baselines declare. */
export const StepRuleParam = Type.Union([Type.Literal('lipschitz'), Type.Literal('backtracking')], {
  default: 'lipschitz',
  description: "lipschitz: constant step 1/L with L = λ_max(AᵀA) or λ_max(H) by Lanczos; backtracking: Beck & Teboulle's rule, L doubled from max_j ∂²f/∂x_j² until f(x⁺) <= f(y) + ∇f(y)ᵀ(x⁺ − y) + (L/2)‖x⁺ − y‖²",
});

/** Parameters of {@link proxGradient}. */
export const ProxGradientParams = Type.Object(
  {
    stepRule: StepRuleParam,
    tol: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description: "stop when the certificate is below tol: the relative duality gap for l1 on (A, b), else max_j L|prox step_j| / ‖∇f(0)‖∞; default: the observation's tol",
      }),
    ),
    maxIterations: Type.Integer({ minimum: 1, default: 20000, description: 'proximal gradient steps at most' }),
  },
  { additionalProperties: false },
);
export type ProxGradientParams = Static<typeof ProxGradientParams>;

/** Options of the plain {@link proxGradient} function. */
export interface ProxGradientOptions {
  /** 'lipschitz' (default) or 'backtracking'. */
  readonly stepRule?: 'lipschitz' | 'backtracking';
  /** Certificate level to stop at (default 1e-6). */
  readonly tol?: number;
  /** Steps at most (default 20000). */
  readonly maxIterations?: number;
  /** Polled every iteration. */
  readonly signal?: AbortSignal;
  /** Receives the objective and the certificate after each step. */
  readonly onIteration?: (point: PenalizedPoint) => void;
}

/**
 * ISTA, the proximal gradient method (Daubechies, Defrise & De Mol 2004;
 * Beck & Teboulle 2009, SIAM J. Imaging Sci. 2(1), eq. 1.4 and §3 for the
 * backtracking rule) for F(x) = f(x) + Σ_j p(|x_j|) with f = ½‖Ax − b‖² or
 * ½xᵀHx − cᵀx and p the l1, SCAD or MCP penalty:
 * x ← prox_{P/L}(x − ∇f(x)/L). With L >= λ_max(∇²f), F never increases;
 * for l1 F(x_k) − F* <= L‖x_0 − x*‖²/(2k). For SCAD and MCP (nonconvex)
 * the exact proximal map keeps the descent and the limit is a stationary
 * point, which need not be the family's reference minimum.
 *
 * Stops when the relative duality gap (l1, least-squares form: an upper
 * bound of the family's rel_gap) or, otherwise, the relative optimality
 * residual max_j L|x⁺_j − x_j| / ‖∇f(0)‖∞ falls below `tol`.
 *
 * @param problem - `{ A, b }` (A m x n, row-major) or `{ H, c }` (H n x n SPD, CSR)
 * @param penalty - `{ kind: 'l1' | 'scad' | 'mcp', lambda, shape? }`
 * @param options - `stepRule`, `tol`, `maxIterations`, `signal`, `onIteration`
 * @returns x, the steps run, F(x), the final certificate and whether it reached tol
 * @example
 * const { x, objective } = proxGradient({ A, b }, { kind: 'l1', lambda: 0.1 });
 */
export function proxGradient(problem: PenalizedProblem, penalty: SparseOptimizationPenalty, options: ProxGradientOptions = {}): PenalizedResult {
  return proximalGradient(smoothPart('proxGradient', problem), new Penalty('proxGradient', penalty), {
    accelerated: false,
    restart: false,
    stepRule: options.stepRule ?? 'lipschitz',
    tol: options.tol ?? 1e-6,
    maxIterations: options.maxIterations ?? 20000,
    signal: options.signal,
    onIteration: options.onIteration,
  });
}

/** The bench entry: ISTA from x = 0 on the observation's problem and penalty, objective and certificate reported each step. */
export function solveProxGradient(obs: SparseOptimizationObservation, params: ProxGradientParams, ctx: SolverContext): SparseOptimizationSolution {
  ctx.signal.throwIfAborted();
  const { x, iterations } = proxGradient(obs, obs.penalty, {
    stepRule: params.stepRule,
    tol: params.tol ?? obs.tol,
    maxIterations: params.maxIterations,
    signal: ctx.signal,
    onIteration: (p) => ctx.report({ ...p }),
  });
  return { x, iterations };
}

/** `baselines/prox-gradient`: {@link proxGradient} (ISTA) as a registered solver. */
export const proxGradientSolver = defineSolver({
  id: 'baselines/prox-gradient',
  family: sparseOptimization,
  title: 'Proximal gradient (ISTA)',
  summary: 'ISTA on ½‖Ax − b‖² (or ½xᵀHx − cᵀx) plus an l1, SCAD or MCP penalty, step 1/L from Lanczos or by backtracking (Daubechies, Defrise & De Mol 2004; Beck & Teboulle 2009).',
  params: ProxGradientParams,
  solve: solveProxGradient,
});
