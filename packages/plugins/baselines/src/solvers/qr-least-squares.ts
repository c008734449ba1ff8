import {
  CsrMatrix,
  ParsimonyError,
  Type,
  defineSolver,
  linearSystem,
  lstsq,
  stoppingResidual,
  type LinearSystemObservation,
  type LinearSystemSolution,
  type Matrix,
  type SolverContext,
  type Static,
} from '@parsimony/core';
import { checkSystem, gemvN } from '../internal/kernels.js';

/** Largest order of a CSR matrix that is densified for the factorization (a 2048² copy is 32 MiB, and its QR takes seconds). */
export const QR_MAX_DENSE = 2048;

/** Parameters of {@link qrLeastSquares}. */
export const QrLeastSquaresParams = Type.Object(
  {
    rcond: Type.Optional(
      Type.Number({ minimum: 0, description: "numerical-rank cutoff σ_i <= rcond·σ_max below which a rank-deficient A is solved in minimum norm (numpy's lstsq rcond); default max(m, n)·ε" }),
    ),
    refinements: Type.Integer({
      minimum: 0,
      maximum: 5,
      default: 2,
      description: "iterative-refinement steps at most, x ← x + argmin‖A d − (b − Ax)‖, taken only while the observation's tolerance is not met",
    }),
  },
  { additionalProperties: false },
);
export type QrLeastSquaresParams = Static<typeof QrLeastSquaresParams>;

/** Options of the plain {@link qrLeastSquares} function. */
export interface QrLeastSquaresOptions {
  /** Rank cutoff (default max(m, n)·ε, as numpy). */
  readonly rcond?: number;
}

/** What {@link qrLeastSquares} returns. */
export interface QrLeastSquaresResult {
  /** argmin ‖Ax − b‖ (the minimum-norm one when A is rank-deficient). */
  readonly x: Float64Array;
  /** Numerical rank of A. */
  readonly rank: number;
}

/**
 * Least squares by Householder QR (Golub 1965, Numer. Math. 7, "Numerical
 * methods for solving linear least squares problems"; Golub & Van Loan 2013
 * §5.3): A = QR, x = R⁻¹(Qᵀb), with Qᵀb applied as reflections,
 * through core's `lstsq`, which checks R's condition first and falls back to
 * the SVD's minimum-norm solution for a rank-deficient A (as
 * numpy.linalg.lstsq). A square A gives the solution of Ax = b, symmetric or
 * not. Cost 2mn² − 2n³/3 flops.
 *
 * @param A - m x n with m >= n (row-major)
 * @param b - m
 * @param options - `rcond`
 * @returns x (n) and the numerical rank
 * @example
 * qrLeastSquares(Matrix.fromRows([[1, 0], [0, 1], [1, 1]]), new Float64Array([1, 2, 3])).x // => [1, 2]
 */
export function qrLeastSquares(A: Matrix, b: Float64Array, options: QrLeastSquaresOptions = {}): QrLeastSquaresResult {
  checkSystem('qrLeastSquares', A, b);
  if (A.rows < A.cols) {
    throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `qrLeastSquares: A is ${A.rows}x${A.cols}; least squares by QR needs rows >= cols`, 'A');
  }
  if (options.rcond !== undefined && !(options.rcond >= 0)) {
    throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `qrLeastSquares: rcond must be a number >= 0 (got ${options.rcond})`, 'rcond');
  }
  return lstsq(A, b, options.rcond === undefined ? {} : { rcond: options.rcond });
}

/**
 * The bench entry, for the `single` and `least-squares` variants: one QR
 * solve (CSR densified), then up to `refinements` steps of iterative
 * refinement while the observation's tolerance (relative residual, or
 * gradTol's normal-equation residual) is not met. `iterations` counts the
 * Householder reflections, cols per factorization, so the direct solve is
 * not ranked as a one-step method.
 *
 * Deviation: the `sequence` variant is rejected: T dense factorizations of
 * the shifted Poisson matrices cost T·(4/3)n³ flops (about 0.4 s each at
 * n = 1024), the regime the iterative solvers are for.
 */
export function solveQrLeastSquares(obs: LinearSystemObservation, params: QrLeastSquaresParams, ctx: SolverContext): LinearSystemSolution {
  ctx.signal.throwIfAborted();
  const id = 'baselines/qr-least-squares';
  if (obs.kind === 'sequence') {
    throw new ParsimonyError(
      'PARSIMONY_BAD_OBSERVATION',
      `${id}: observation.kind = 'sequence' is not supported; a dense QR per system costs O(n³) each (use baselines/conjugate-gradient for sequences)`,
      'observation.kind',
    );
  }
  const Acsr = obs.Acsr, b = obs.b!;
  if (Acsr && Acsr.cols > QR_MAX_DENSE) {
    throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `${id}: observation.Acsr has ${Acsr.cols} > ${QR_MAX_DENSE} columns; too large to densify for QR (use baselines/conjugate-gradient)`, 'observation.Acsr');
  }
  const A = obs.A ?? CsrMatrix.toDense(Acsr!);
  const ls = obs.kind === 'least-squares';
  const system = { A, b };
  const { x } = qrLeastSquares(A, b, { rcond: params.rcond });
  let factorizations = 1;
  ctx.report({ iteration: A.cols, residual: stoppingResidual(system, x, ls) });
  // Refine only against a tolerance the family will check (square systems, or least squares with gradTol).
  for (let k = 0; k < params.refinements && obs.tol !== undefined && stoppingResidual(system, x, ls) > obs.tol; k++) {
    ctx.signal.throwIfAborted();
    const r = new Float64Array(A.rows);
    gemvN(A.data, A.rows, A.cols, x, r);
    for (let i = 0; i < r.length; i++) r[i] = b[i] - r[i];
    const d = qrLeastSquares(A, r, { rcond: params.rcond }).x;
    for (let j = 0; j < x.length; j++) x[j] += d[j];
    factorizations++;
    ctx.report({ iteration: factorizations * A.cols, residual: stoppingResidual(system, x, ls) });
  }
  return { x, iterations: factorizations * A.cols };
}

/** `baselines/qr-least-squares`: {@link qrLeastSquares} as a registered solver. */
export const qrLeastSquaresSolver = defineSolver({
  id: 'baselines/qr-least-squares',
  family: linearSystem,
  title: 'Least squares by Householder QR',
  summary: 'Direct least squares (or a square solve) by Householder QR through core lstsq, with iterative refinement against the tolerance (Golub 1965).',
  params: QrLeastSquaresParams,
  solve: solveQrLeastSquares,
  skip: (obs) => (obs.kind === 'sequence' ? 'a dense QR per system of a sequence costs O(n³) each; use baselines/conjugate-gradient for sequences' : undefined),
});
