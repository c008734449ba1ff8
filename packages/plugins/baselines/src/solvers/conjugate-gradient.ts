import {
  ParsimonyError,
  Type,
  defineSolver,
  linearSystem,
  type LinearSystemObservation,
  type LinearSystemSolution,
  type SolverContext,
  type Static,
} from '@parsimony/core';
import { SystemOperator, norm2, solveEach, systemTol, type IterativeResult, type SystemInput } from '../internal/iterative.js';

export type { IterativeResult, SystemInput } from '../internal/iterative.js';

/** Parameters of {@link conjugateGradient}. */
export const ConjugateGradientParams = Type.Object(
  {
    tol: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description: "relative residual to reach, ‖b − Ax‖ <= tol‖b‖ (least squares: ‖Aᵀ(b − Ax)‖ <= tol‖Aᵀb‖); default: the observation's tol, else 1e-10",
      }),
    ),
    maxIterations: Type.Integer({ minimum: 0, default: 0, description: 'iterations per system at most; 0: 10·n' }),
    warmStart: Type.Union([Type.Literal('projected'), Type.Literal('previous'), Type.Literal('none')], {
      default: 'projected',
      description:
        'sequence: start system t from the previous solution scaled to minimize the A-norm error, x₀ = (x_{t−1}ᵀb / x_{t−1}ᵀA x_{t−1}) x_{t−1} (never worse than 0), from x_{t−1} itself, or from 0',
    }),
  },
  { additionalProperties: false },
);
export type ConjugateGradientParams = Static<typeof ConjugateGradientParams>;

/** Options of the plain {@link conjugateGradient} function. */
export interface ConjugateGradientOptions {
  /** Relative residual to reach (default 1e-10). */
  readonly tol?: number;
  /** Iterations at most (default 10·n). */
  readonly maxIterations?: number;
  /** Starting point (default 0); CG only (CGLS starts from 0). */
  readonly x0?: Float64Array;
  /** 'cg' for symmetric positive definite A, 'cgls' for least squares or a nonsymmetric A; default: 'cg' when A is square and symmetric. */
  readonly method?: 'cg' | 'cgls';
  readonly signal?: AbortSignal;
  /** Receives the relative residual after each iteration (its running total with `offset`). */
  readonly onIteration?: (point: { iteration: number; residual: number }) => void;
  /** Added to the iteration numbers reported (a sequence's running total). */
  readonly offset?: number;
}

/** What {@link conjugateGradient} returns: x, the iterations, the final relative residual (recomputed from x; the normal-equation one for CGLS on a least-squares system) and whether it reached tol. */
export type ConjugateGradientResult = IterativeResult;

/**
 * The conjugate gradient method (Hestenes & Stiefel 1952, J. Res. Nat. Bur.
 * Standards 49(6), eqs. (3:1)) for A x = b with A symmetric positive
 * definite, dense or CSR: α = rᵀr/pᵀAp, x += αp, r −= αAp, β = r'ᵀr'/rᵀr,
 * p = r' + βp; one product with A per iteration, the A-norm error minimized
 * over the Krylov space, so ‖x − x*‖_A <= 2((√κ − 1)/(√κ + 1))^k ‖x₀ − x*‖_A.
 * A least-squares or nonsymmetric system goes through the normal equations
 * without forming AᵀA (CGLS, also in that paper; Björck 1996, §7.4):
 * one product with A and one with Aᵀ per iteration.
 *
 * The recursive residual decides when to stop; it is then checked against
 * b − Ax recomputed (the family's test), and replaced by it if rounding has
 * let the two drift apart.
 *
 * @param system - `{ A }` (dense) or `{ Acsr }` (CSR), and b
 * @param options - `tol` (1e-10), `maxIterations` (10·n), `x0`, `method`, `signal`, `onIteration`, `offset`
 * @returns x, the iterations, the final relative residual and whether it reached tol
 * @example
 * const { x, iterations } = conjugateGradient({ Acsr: poisson, b }, { tol: 1e-10 });
 */
export function conjugateGradient(system: SystemInput, options: ConjugateGradientOptions = {}): ConjugateGradientResult {
  const op = new SystemOperator('conjugateGradient', system);
  const tol = options.tol ?? 1e-10;
  if (!(tol > 0)) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `conjugateGradient: tol must be a number > 0 (got ${tol})`, 'tol');
  const method = options.method ?? (op.isSymmetric() ? 'cg' : 'cgls');
  const maxIt = options.maxIterations || 10 * op.cols;
  if (method === 'cg') {
    if (op.rows !== op.cols) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `conjugateGradient: method 'cg' needs a square A (got ${op.rows}x${op.cols}); use 'cgls'`, 'method');
    if (options.x0 && options.x0.length !== op.cols) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `conjugateGradient: x0 has ${options.x0.length} entries, A has ${op.cols} columns`, 'x0');
    return cg(op, system.b, tol, maxIt, options);
  }
  return cgls(op, system.b, tol, maxIt, op.rows === op.cols, options);
}

function cg(op: SystemOperator, b: Float64Array, tol: number, maxIt: number, o: ConjugateGradientOptions): ConjugateGradientResult {
  const n = op.cols;
  const x = o.x0 ? o.x0.slice() : new Float64Array(n);
  const r = new Float64Array(n), p = new Float64Array(n), q = new Float64Array(n);
  const bn = norm2(b);
  const goal = (tol * bn) ** 2;
  /** r = b − A x, recomputed; returns rᵀr. */
  const trueResidual = (): number => {
    op.apply(x, q);
    let rr = 0;
    for (let i = 0; i < n; i++) {
      r[i] = b[i] - q[i];
      rr += r[i] * r[i];
    }
    return rr;
  };
  let rr = o.x0 ? trueResidual() : (r.set(b), bn * bn);
  p.set(r);
  let it = 0;
  for (;;) {
    if (rr <= goal) {
      // The recursive residual says done: confirm on b − Ax, or restart the directions from it.
      rr = trueResidual();
      if (rr <= goal) break;
      p.set(r);
    }
    if (it >= maxIt) break;
    o.signal?.throwIfAborted();
    op.apply(p, q);
    let pq = 0;
    for (let i = 0; i < n; i++) pq += p[i] * q[i];
    if (!(pq > 0)) {
      throw new ParsimonyError('PARSIMONY_BAD_INPUT', `conjugateGradient: pᵀAp = ${pq} at iteration ${it + 1}; A is not positive definite (use method 'cgls')`, 'A');
    }
    const alpha = rr / pq;
    let rr1 = 0;
    for (let i = 0; i < n; i++) {
      x[i] += alpha * p[i];
      r[i] -= alpha * q[i];
      rr1 += r[i] * r[i];
    }
    const beta = rr1 / rr;
    for (let i = 0; i < n; i++) p[i] = r[i] + beta * p[i];
    rr = rr1;
    it++;
    o.onIteration?.({ iteration: (o.offset ?? 0) + it, residual: Math.sqrt(rr) / Math.max(bn, 1e-300) });
  }
  const residual = Math.sqrt(trueResidual()) / Math.max(bn, 1e-300);
  return { x, iterations: it, residual, converged: residual <= tol };
}

/** CGLS: CG on AᵀA x = Aᵀb with r = b − Ax and s = Aᵀr kept; a square A stops on ‖r‖, a least-squares one on ‖s‖. */
function cgls(op: SystemOperator, b: Float64Array, tol: number, maxIt: number, square: boolean, o: ConjugateGradientOptions): ConjugateGradientResult {
  const { rows: m, cols: n } = op;
  const x = new Float64Array(n);
  const r = b.slice(), s = new Float64Array(n), p = new Float64Array(n), q = new Float64Array(m);
  op.applyT(r, s);
  const bn = norm2(b), sn0 = norm2(s);
  const scale = Math.max(square ? bn : sn0, 1e-300);
  let gamma = sn0 * sn0;
  p.set(s);
  /** The stopping quantity of the current r and s. */
  const measure = () => (square ? norm2(r) : Math.sqrt(gamma)) / scale;
  /** r = b − Ax and s = Aᵀr recomputed. */
  const recompute = () => {
    op.apply(x, q);
    for (let i = 0; i < m; i++) r[i] = b[i] - q[i];
    op.applyT(r, s);
    gamma = 0;
    for (let j = 0; j < n; j++) gamma += s[j] * s[j];
  };
  let it = 0;
  for (;;) {
    if (measure() <= tol) {
      // Confirm on r and s recomputed from x, or restart the directions from them.
      recompute();
      if (measure() <= tol) break;
      p.set(s);
    }
    if (it >= maxIt || gamma === 0) break;
    o.signal?.throwIfAborted();
    op.apply(p, q);
    let qq = 0;
    for (let i = 0; i < m; i++) qq += q[i] * q[i];
    if (!(qq > 0)) break; // p in the null space of A: nothing more to gain
    const alpha = gamma / qq;
    for (let j = 0; j < n; j++) x[j] += alpha * p[j];
    for (let i = 0; i < m; i++) r[i] -= alpha * q[i];
    op.applyT(r, s);
    let g1 = 0;
    for (let j = 0; j < n; j++) g1 += s[j] * s[j];
    const beta = g1 / gamma;
    for (let j = 0; j < n; j++) p[j] = s[j] + beta * p[j];
    gamma = g1;
    it++;
    o.onIteration?.({ iteration: (o.offset ?? 0) + it, residual: measure() });
  }
  recompute();
  const residual = measure();
  return { x, iterations: it, residual, converged: residual <= tol };
}

/**
 * The projected warm start of a system from a previous solution: α x_prev
 * with α = x_prevᵀb / x_prevᵀA x_prev, the multiple of x_prev closest to x*
 * in the A-norm (a one-dimensional Galerkin projection, so ‖αx_prev − x*‖_A
 * <= ‖x*‖_A: never a worse start than 0). Costs one product with A.
 *
 * @param system - A (SPD, dense or CSR) and b
 * @param previous - the previous solution (n)
 * @returns the starting point (n)
 * @example
 * const x0 = projectedWarmStart(sequence[t], xs[t - 1]);
 */
export function projectedWarmStart(system: SystemInput, previous: Float64Array): Float64Array {
  const op = new SystemOperator('projectedWarmStart', system);
  if (previous.length !== op.cols) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `projectedWarmStart: previous has ${previous.length} entries, A has ${op.cols} columns`, 'previous');
  const q = new Float64Array(op.rows);
  op.apply(previous, q);
  let num = 0, den = 0;
  for (let i = 0; i < q.length; i++) {
    num += previous[i] * system.b[i];
    den += previous[i] * q[i];
  }
  const alpha = den > 0 ? num / den : 0;
  return previous.map((v) => alpha * v);
}

/**
 * The bench entry: CG on every system in order (CGLS for least squares and
 * nonsymmetric systems), each warm-started from the previous solution.
 */
export function solveConjugateGradient(obs: LinearSystemObservation, params: ConjugateGradientParams, ctx: SolverContext): LinearSystemSolution {
  ctx.signal.throwIfAborted();
  const tol = systemTol(params.tol, obs);
  const ls = obs.kind === 'least-squares';
  return solveEach(obs, ctx.signal, (system, _t, prev, done) => {
    const op = new SystemOperator('baselines/conjugate-gradient', system);
    const method = !ls && op.isSymmetric() ? 'cg' : 'cgls';
    const usable = method === 'cg' && params.warmStart !== 'none' && prev !== undefined && prev.length === op.cols;
    return conjugateGradient(system, {
      tol,
      method,
      maxIterations: params.maxIterations,
      x0: usable ? (params.warmStart === 'projected' ? projectedWarmStart(system, prev) : prev) : undefined,
      signal: ctx.signal,
      offset: done,
      onIteration: (p) => ctx.report(p),
    });
  });
}

/** `baselines/conjugate-gradient`: {@link conjugateGradient} as a registered solver. */
export const conjugateGradientSolver = defineSolver({
  id: 'baselines/conjugate-gradient',
  family: linearSystem,
  title: 'Conjugate gradients',
  summary: 'Hestenes–Stiefel conjugate gradients for SPD systems (CSR or dense), warm-started along a sequence; CGLS on the normal equations for least squares and nonsymmetric systems (Hestenes & Stiefel 1952).',
  params: ConjugateGradientParams,
  solve: solveConjugateGradient,
});
