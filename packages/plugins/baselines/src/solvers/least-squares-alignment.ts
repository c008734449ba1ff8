import {
  defineSolver,
  hungarian,
  Matrix,
  orthogonalAlignment,
  ParsimonyError,
  Type,
  typescriptBackend,
  type LinalgBackend,
  type OrthogonalAlignmentObservation,
  type OrthogonalAlignmentSolution,
  type SolverContext,
  type Static,
} from '@parsimony/core';
import { permutationMatrix } from './hungarian.js';
import { alignmentError } from './procrustes.js';

/** Parameters of {@link leastSquaresAlignment}. */
export const LeastSquaresAlignmentParams = Type.Object(
  {
    rcond: Type.Optional(
      Type.Number({ minimum: 0, description: "singular values of Xa below rcond·σ₁ are treated as zero in the least-squares solve; default max(N, d)·ε (numpy's lstsq)" }),
    ),
  },
  { additionalProperties: false },
);
export type LeastSquaresAlignmentParams = Static<typeof LeastSquaresAlignmentParams>;

/** What the least-squares map is made to satisfy: nothing, or a family constraint. */
export type AlignmentConstraint = 'none' | 'orthogonal' | 'permutation' | 'relaxed';

/** Options of the plain {@link leastSquaresAlignment} function. */
export interface LeastSquaresAlignmentOptions {
  /** The constraint the returned map must meet (default 'none': the raw least-squares map). */
  constraint?: AlignmentConstraint;
  /** `relaxed`: the allowed ‖QᵀQ − I‖_F (required then). */
  lambda?: number;
  /** Relative cutoff of Xa's singular values (default max(N, d)·ε). */
  rcond?: number;
  /** Kernels (default the TypeScript backend). */
  linalg?: LinalgBackend;
}

/** What {@link leastSquaresAlignment} returns. */
export interface LeastSquaresAlignmentResult {
  /** The map, feasible for the constraint. */
  readonly Q: Matrix;
  /** The unconstrained least-squares map argmin ‖A W − B‖_F (minimum norm). */
  readonly W: Matrix;
  /** Numerical rank of A in the solve. */
  readonly rank: number;
}

/** ‖diag(s)² − I‖₂ = ‖QᵀQ − I‖_F for Q with singular values s. */
const defectOf = (s: Float64Array): number => Math.sqrt(s.reduce((a, v) => a + (v * v - 1) ** 2, 0));

/**
 * Least-squares alignment: the unconstrained map W = argmin ‖A W − B‖_F
 * (Legendre 1805, Gauss 1809; core's `lstsq`: Householder QR, or the SVD's
 * minimum-norm solution when A is rank-deficient), then made feasible for
 * the constraint:
 * `orthogonal` — its polar factor U Vᵀ (W = U S Vᵀ), the nearest orthogonal
 * matrix (Fan & Hoffman 1955); `permutation` — the nearest permutation,
 * argmax_P tr(PᵀW), by the Hungarian method; `relaxed` — W itself when
 * ‖WᵀW − I‖_F <= λ, else U diag(1 + t(s − 1)) Vᵀ with the largest
 * t ∈ [0, 1] meeting the bound (bisection; the defect grows with t).
 *
 * Deviation: least squares ignores the constraint, so its map is projected
 * afterwards; this is the "fit, then round" baseline, not the constrained
 * optimum (Procrustes and Hungarian matching solve those exactly). The
 * relaxed projection moves along the segment from the polar factor to W,
 * a feasible point rather than the exact Frobenius projection.
 *
 * @param A - N x d source rows
 * @param B - N x d target rows
 * @param options - `constraint` ('none'), `lambda` (relaxed), `rcond`, `linalg`
 * @returns Q (feasible), W (raw least squares) and the rank of A
 * @example
 * const { Q } = leastSquaresAlignment(Xa, Xb, { constraint: 'orthogonal' });
 */
export function leastSquaresAlignment(A: Matrix, B: Matrix, options: LeastSquaresAlignmentOptions = {}): LeastSquaresAlignmentResult {
  const linalg = options.linalg ?? typescriptBackend;
  const constraint = options.constraint ?? 'none';
  if (A.rows !== B.rows || A.cols !== B.cols) {
    throw new ParsimonyError('PARSIMONY_BAD_INPUT', `leastSquaresAlignment: A is ${A.rows}x${A.cols} but B is ${B.rows}x${B.cols}; give paired rows of equal width`, 'B');
  }
  if (!['none', 'orthogonal', 'permutation', 'relaxed'].includes(constraint)) {
    throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `leastSquaresAlignment: constraint = '${constraint}'; expected 'none', 'orthogonal', 'permutation' or 'relaxed'`, 'constraint');
  }
  const lambda = options.lambda;
  if (constraint === 'relaxed' && !(lambda !== undefined && lambda >= 0 && Number.isFinite(lambda))) {
    throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `leastSquaresAlignment: lambda = ${lambda}; the relaxed constraint needs a finite lambda >= 0 (the allowed ||QᵀQ - I||_F)`, 'lambda');
  }
  if (options.rcond !== undefined && !(options.rcond >= 0)) {
    throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `leastSquaresAlignment: rcond = ${options.rcond}; expected a number >= 0`, 'rcond');
  }
  const { x: W, rank } = linalg.lstsq(A, B, options.rcond === undefined ? {} : { rcond: options.rcond });
  if (constraint === 'none') return { Q: W, W, rank };
  if (constraint === 'permutation') {
    return { Q: permutationMatrix(hungarian(Matrix.from(W.rows, W.cols, W.data.map((w) => -w)))), W, rank };
  }
  const { U, s, V } = linalg.svd(W);
  if (constraint === 'relaxed' && defectOf(s) <= lambda! * (1 - 1e-9)) return { Q: W, W, rank };
  // s(t) = 1 + t(s − 1): t = 0 is the polar factor, t = 1 is W.
  let t = 0;
  if (constraint === 'relaxed') {
    const at = (t: number) => s.map((v) => 1 + t * (v - 1));
    let lo = 0, hi = 1;
    for (let k = 0; k < 60; k++) {
      const mid = 0.5 * (lo + hi);
      if (defectOf(at(mid)) <= lambda! * (1 - 1e-9)) lo = mid;
      else hi = mid;
    }
    t = lo;
  }
  const k = s.length, Us = Matrix.zeros(U.rows, k);
  for (let r = 0; r < U.rows; r++) for (let c = 0; c < k; c++) Us.data[r * k + c] = U.data[r * k + c] * (1 + t * (s[c] - 1));
  return { Q: linalg.matmul(Us, V, { transB: true }), W, rank };
}

/** The bench entry: {@link leastSquaresAlignment} made feasible for the observation's constraint. */
export function solveLeastSquaresAlignment(obs: OrthogonalAlignmentObservation, params: LeastSquaresAlignmentParams, ctx: SolverContext): OrthogonalAlignmentSolution {
  ctx.signal.throwIfAborted();
  const { Q, W } = leastSquaresAlignment(obs.Xa, obs.Xb, { constraint: obs.constraint, lambda: obs.lambda, rcond: params.rcond, linalg: ctx.linalg });
  ctx.report({ iteration: 1, train_err: alignmentError(obs.Xa, Q, obs.Xb, ctx.linalg), train_err_unconstrained: alignmentError(obs.Xa, W, obs.Xb, ctx.linalg) });
  return { Q };
}

/** `baselines/least-squares-alignment`: {@link leastSquaresAlignment} as a registered solver. */
export const leastSquaresAlignmentSolver = defineSolver({
  id: 'baselines/least-squares-alignment',
  family: orthogonalAlignment,
  title: 'Least-squares alignment (projected)',
  summary: 'The unconstrained least-squares map argmin ‖Xa W − Xb‖_F, then projected onto the constraint: its polar factor, the nearest permutation (Hungarian), or pulled towards the polar factor until ‖QᵀQ − I‖_F <= λ.',
  params: LeastSquaresAlignmentParams,
  solve: solveLeastSquaresAlignment,
});
