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
import { alignmentError } from './procrustes.js';

/** Parameters of `baselines/hungarian` (none: the assignment is exact). */
export const HungarianParams = Type.Object({}, { additionalProperties: false, description: 'no parameters: the optimal assignment is unique up to ties' });
export type HungarianParams = Static<typeof HungarianParams>;

/** The d x d permutation matrix with a one at (i, assign[i]). */
export function permutationMatrix(assign: Int32Array): Matrix {
  const d = assign.length;
  const P = Matrix.zeros(d, d);
  for (let i = 0; i < d; i++) P.data[i * d + assign[i]] = 1;
  return P;
}

/**
 * The permutation P minimizing ‖A P − B‖_F: since ‖A P‖_F = ‖A‖_F, it
 * maximizes tr(Pᵀ AᵀB), a linear assignment with costs −(AᵀB)_ij solved
 * exactly by {@link hungarian} (weight matching of neuron permutations, as in
 * Ainsworth et al. 2023's weight-matching step).
 *
 * @param A - N x d source rows
 * @param B - N x d target rows
 * @param linalg - kernels for AᵀB (default the TypeScript backend)
 * @returns P (d x d, entries 0 and 1) with (A P)_{:, j} = A_{:, i} where P_ij = 1
 * @example
 * const P = matchPermutation(Xa, Xb);
 */
export function matchPermutation(A: Matrix, B: Matrix, linalg: LinalgBackend = typescriptBackend): Matrix {
  if (A.rows !== B.rows || A.cols !== B.cols) {
    throw new ParsimonyError('PARSIMONY_BAD_INPUT', `matchPermutation: A is ${A.rows}x${A.cols} but B is ${B.rows}x${B.cols}; give paired rows of equal width`, 'B');
  }
  const G = linalg.matmul(A, B, { transA: true });
  const cost = Matrix.from(G.rows, G.cols, G.data.map((g) => -g));
  return permutationMatrix(hungarian(cost));
}

/**
 * The bench entry: the best permutation map for any constraint (a
 * permutation matrix is orthogonal, so it is also feasible for the
 * `orthogonal` and `relaxed` tasks, where it is the matching baseline).
 */
export function solveHungarian(obs: OrthogonalAlignmentObservation, _params: HungarianParams, ctx: SolverContext): OrthogonalAlignmentSolution {
  ctx.signal.throwIfAborted();
  const Q = matchPermutation(obs.Xa, obs.Xb, ctx.linalg);
  ctx.signal.throwIfAborted();
  ctx.report({ iteration: 1, train_err: alignmentError(obs.Xa, Q, obs.Xb, ctx.linalg) });
  return { Q };
}

/** `baselines/hungarian`: {@link matchPermutation} (Kuhn-Munkres) as a registered solver. */
export const hungarianSolver = defineSolver({
  id: 'baselines/hungarian',
  family: orthogonalAlignment,
  title: 'Hungarian matching (Kuhn-Munkres)',
  summary: 'The permutation P minimizing ‖Xa P − Xb‖_F, i.e. the assignment maximizing tr(Pᵀ XaᵀXb), solved exactly by the Hungarian method (Kuhn 1955, Munkres 1957) in O(d³).',
  params: HungarianParams,
  solve: solveHungarian,
});
