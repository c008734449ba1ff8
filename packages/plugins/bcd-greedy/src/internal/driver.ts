/**
 * The loop every linear-system solver of this plugin shares: each system of
 * the observation becomes a quadratic (core `systemQuadratic`, or the residual
 * form for large least squares), the method takes block steps, and the loop
 * stops at the family's tolerance, tested on a recomputed (not a drifted)
 * gradient, or at the iteration cap.
 */
import {
  CsrMatrix,
  ParsimonyError,
  linearSystems,
  nrm2,
  stoppingResidual,
  systemQuadratic,
  systemShape,
  type LinearSystemObservation,
  type LinearSystemSolution,
  type LinearSystemView,
} from '@parsimony/core';
import { csrQuadratic, denseQuadratic, residualQuadratic, type BlockQuadratic } from './quadratic.js';

/** When to form the Gram matrix AᵀA of a least-squares system. */
export type GramMode = 'auto' | 'always' | 'never';

/** Least squares with m·n² above this many flops keeps the residual instead of AᵀA under 'auto'. */
export const GRAM_FLOPS = 2e9;

/** Options of {@link solveSystems}. */
export interface DriverOptions {
  /** Relative tolerance (default: the observation's, else 1e-10). */
  readonly tol?: number;
  /** Block steps per system at most. */
  readonly maxIterations: (n: number) => number;
  /** Steps per epoch: the refresh period of the residual form and the check period of normal equations. */
  readonly epoch: (n: number) => number;
  readonly gram?: GramMode;
  /** When set, a system whose H is not sparse (CSR) is refused with this message (message passing needs a sparse graph). */
  readonly needSparse?: string;
  readonly signal?: AbortSignal;
  readonly onIteration?: (point: { iteration: number; system: number; residual: number; objective: number }) => void;
}

/** One block step on q; `iteration` counts from 1 within the system. */
export type StepFn = (iteration: number) => void;

/** The quadratic of one system and whether its tolerance is tested on the square residual. */
function quadraticOf(s: LinearSystemView, leastSquares: boolean, gram: GramMode): { q: BlockQuadratic; squareNormal: boolean } {
  if (leastSquares) {
    const { rows: m, cols: n } = systemShape(s);
    if (gram === 'never' || (gram === 'auto' && m * n * n > GRAM_FLOPS)) return { q: residualQuadratic(s.A ?? CsrMatrix.toDense(s.Acsr!), s.b), squareNormal: false };
  }
  const sq = systemQuadratic(s, leastSquares);
  const q = sq.Hcsr ? csrQuadratic(sq.Hcsr, sq.c) : denseQuadratic(sq.H!, sq.c);
  return { q, squareNormal: sq.normal && !leastSquares };
}

/**
 * Solves every system of a linear-system observation by block steps.
 *
 * @param makeStep - builds the method's step for one system's quadratic
 * @returns the family's solution: x (or xs) and the block steps taken in all
 */
export function solveSystems(
  obs: LinearSystemObservation,
  options: DriverOptions,
  makeStep: (q: BlockQuadratic, system: LinearSystemView) => StepFn,
): { solution: LinearSystemSolution; converged: boolean } {
  const leastSquares = obs.kind === 'least-squares';
  const tol = options.tol ?? obs.tol ?? 1e-10;
  const xs: Float64Array[] = [];
  let total = 0, converged = true;
  linearSystems(obs).forEach((s, t) => {
    options.signal?.throwIfAborted();
    const { q, squareNormal } = quadraticOf(s, leastSquares, options.gram ?? 'auto');
    if (options.needSparse && !q.csr) throw new ParsimonyError('PARSIMONY_BAD_INPUT', options.needSparse, 'observation');
    const n = q.n;
    const cNorm = nrm2(q.c);
    const target2 = (tol * cNorm) ** 2;
    const maxIt = options.maxIterations(n), epoch = Math.max(1, options.epoch(n));
    const stride = Math.max(1, Math.floor(epoch / 8));
    const step = makeStep(q, s);
    // ||Hx - c|| <= tol ||c|| is the family's test itself, except for a nonsymmetric square A (normal equations).
    const done = (): boolean => {
      if (squareNormal) return stoppingResidual(s, q.x, false) <= tol;
      if (q.gradNorm2() > target2) return false;
      q.refresh();
      return q.gradNorm2() <= target2;
    };
    let ok = cNorm === 0 || (!squareNormal && done());
    let it = 0;
    while (!ok && it < maxIt) {
      options.signal?.throwIfAborted();
      step(++it);
      total++;
      if (q.stale || squareNormal) {
        if (it % epoch === 0) {
          q.refresh();
          ok = done();
        }
      } else ok = done();
      if (options.onIteration && (it % stride === 0 || ok)) {
        options.onIteration({ iteration: total, system: t, residual: Math.sqrt(q.gradNorm2()) / Math.max(cNorm, 1e-300), objective: q.objective() });
      }
    }
    if (!ok) converged = false;
    xs.push(q.x);
  });
  const solution = obs.kind === 'sequence' ? { xs, iterations: total } : { x: xs[0], iterations: total };
  return { solution, converged };
}
