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
import { SystemOperator, checkDivergence, checkedDiagonal, norm2, requireSquare, solveEach, systemTol, type IterativeResult, type SystemInput } from '../internal/iterative.js';

/** Parameters of {@link jacobi}. */
export const JacobiParams = Type.Object(
  {
    omega: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 1, description: 'weight ω of x ← x + ωD⁻¹(b − Ax); 1 is plain Jacobi, below 1 damped Jacobi' }),
    tol: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "relative residual to reach, ‖b − Ax‖ <= tol‖b‖; default: the observation's tol, else 1e-10" })),
    maxIterations: Type.Integer({ minimum: 0, default: 0, description: 'sweeps per system at most; 0: 100·n' }),
  },
  { additionalProperties: false },
);
export type JacobiParams = Static<typeof JacobiParams>;

/** Options of the plain {@link jacobi} function. */
export interface JacobiOptions {
  /** Weight ω in (0, 1] (default 1). */
  readonly omega?: number;
  /** Relative residual to reach (default 1e-10). */
  readonly tol?: number;
  /** Sweeps at most (default 100·n). */
  readonly maxIterations?: number;
  readonly signal?: AbortSignal;
  /** Receives the relative residual of each iterate. */
  readonly onIteration?: (point: { iteration: number; residual: number }) => void;
  /** Added to the iteration numbers reported (a sequence's running total). */
  readonly offset?: number;
}

/**
 * The Jacobi method (Jacobi 1845; Saad 2003, "Iterative Methods for Sparse
 * Linear Systems", §4.1), damped by ω: x ← x + ωD⁻¹(b − Ax) with D
 * the diagonal of A, dense or CSR. Each sweep is one pass over A that
 * computes the residual of the current iterate (the stopping test) and the
 * next iterate together. It converges when A is strictly diagonally dominant,
 * or when A and 2D/ω − A are symmetric positive definite (Poisson: ρ = cos(πh),
 * so O(n) sweeps on a √n x √n grid).
 *
 * @param system - `{ A }` (dense) or `{ Acsr }` (CSR), square with a nonzero diagonal, and b
 * @param options - `omega` (1), `tol` (1e-10), `maxIterations` (100·n), `signal`, `onIteration`, `offset`
 * @returns x, the sweeps, the final relative residual and whether it reached tol
 * @example
 * const { x, iterations } = jacobi({ A: diagonallyDominant, b }, { tol: 1e-8 });
 */
export function jacobi(system: SystemInput, options: JacobiOptions = {}): IterativeResult {
  const fn = 'jacobi';
  const op = new SystemOperator(fn, system);
  const d = checkedDiagonal(fn, op);
  const omega = options.omega ?? 1, tol = options.tol ?? 1e-10;
  if (!(omega > 0 && omega <= 1)) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: omega must be in (0, 1] (got ${omega})`, 'omega');
  if (!(tol > 0)) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: tol must be a number > 0 (got ${tol})`, 'tol');
  const n = op.cols, b = system.b;
  const maxIt = options.maxIterations || 100 * n;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = omega / d[i];
  let x = new Float64Array(n), next = new Float64Array(n);
  const bn = norm2(b), goal = (tol * bn) ** 2;
  const S = op.sparse, A = op.dense;
  let it = 0, rr: number;
  for (;;) {
    // One pass: r = b − A x (its norm is the test for x) and next = x + ωD⁻¹r.
    rr = 0;
    if (S) {
      const { indptr, indices, data } = S;
      for (let i = 0; i < n; i++) {
        let s = b[i];
        for (let t = indptr[i]; t < indptr[i + 1]; t++) s -= data[t] * x[indices[t]];
        rr += s * s;
        next[i] = x[i] + w[i] * s;
      }
    } else {
      const a = A!.data;
      for (let i = 0; i < n; i++) {
        let s = b[i];
        const o = i * n;
        for (let j = 0; j < n; j++) s -= a[o + j] * x[j];
        rr += s * s;
        next[i] = x[i] + w[i] * s;
      }
    }
    if (it > 0) options.onIteration?.({ iteration: (options.offset ?? 0) + it, residual: Math.sqrt(rr) / Math.max(bn, 1e-300) });
    if (rr <= goal || it >= maxIt) break;
    checkDivergence(fn, rr, bn, it, 'Jacobi converges when A is strictly diagonally dominant or A and 2D/ω − A are SPD; use baselines/conjugate-gradient');
    options.signal?.throwIfAborted();
    [x, next] = [next, x];
    it++;
  }
  const residual = Math.sqrt(rr) / Math.max(bn, 1e-300);
  return { x, iterations: it, residual, converged: rr <= goal };
}

/** The bench entry: Jacobi from x = 0 on every square system of the observation. */
export function solveJacobi(obs: LinearSystemObservation, params: JacobiParams, ctx: SolverContext): LinearSystemSolution {
  ctx.signal.throwIfAborted();
  requireSquare('baselines/jacobi', obs, 'baselines/qr-least-squares or baselines/conjugate-gradient');
  const tol = systemTol(params.tol, obs);
  return solveEach(obs, ctx.signal, (system, _t, _prev, done) =>
    jacobi(system, { omega: params.omega, tol, maxIterations: params.maxIterations, signal: ctx.signal, offset: done, onIteration: (p) => ctx.report(p) }),
  );
}

/** `baselines/jacobi`: {@link jacobi} as a registered solver. */
export const jacobiSolver = defineSolver({
  id: 'baselines/jacobi',
  family: linearSystem,
  title: 'Jacobi iteration',
  summary: 'The (damped) Jacobi method x ← x + ωD⁻¹(b − Ax) on each square system, dense or CSR, from x = 0 (Jacobi 1845; Saad 2003 §4.1).',
  params: JacobiParams,
  solve: solveJacobi,
  skip: (obs) => (obs.kind === 'least-squares' ? 'iterates on square systems; for least squares use baselines/qr-least-squares or baselines/conjugate-gradient (CGLS)' : undefined),
});
