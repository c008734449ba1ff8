import {
  defineSolver,
  orthogonalAlignment,
  ParsimonyError,
  Type,
  typescriptBackend,
  type LinalgBackend,
  type Matrix,
  type OrthogonalAlignmentObservation,
  type OrthogonalAlignmentSolution,
  type SolverContext,
  type Static,
} from '@parsimony/core';

/** Parameters of `baselines/procrustes` (none: the solution is closed-form). */
export const ProcrustesParams = Type.Object({}, { additionalProperties: false, description: 'no parameters: Q = U Vᵀ is closed-form' });
export type ProcrustesParams = Static<typeof ProcrustesParams>;

/**
 * The orthogonal polar factor of G (d x e): U Vᵀ from the thin SVD
 * G = U Σ Vᵀ, the (partial) isometry nearest to G in every unitarily
 * invariant norm (Fan & Hoffman 1955). Orthogonal for a square G.
 *
 * @param G - d x e, finite
 * @param linalg - kernels (default the TypeScript backend)
 * @returns U Vᵀ (d x e)
 * @example
 * polarFactor(Matrix.fromRows([[2, 0], [0, 3]])); // => the identity
 */
export function polarFactor(G: Matrix, linalg: LinalgBackend = typescriptBackend): Matrix {
  const { U, V } = linalg.svd(G);
  return linalg.matmul(U, V, { transB: true });
}

/**
 * Orthogonal Procrustes (Schönemann, Psychometrika 31(1), 1966): the
 * orthogonal Q minimizing ‖A Q − B‖_F is Q = U Vᵀ with AᵀB = U Σ Vᵀ, since
 * ‖A Q − B‖²_F = ‖A‖²_F + ‖B‖²_F − 2 tr(Qᵀ AᵀB) and tr(Qᵀ U Σ Vᵀ) ≤ tr Σ
 * with equality at Q = U Vᵀ. Same answer as
 * `scipy.linalg.orthogonal_procrustes(A, B)`. Costs one N d e product and an
 * SVD of order d.
 *
 * @param A - N x d source rows
 * @param B - N x e target rows (e = d for a square, orthogonal Q)
 * @param linalg - kernels (default the TypeScript backend)
 * @returns Q (d x e) with QᵀQ = I (d >= e), minimizing ‖A Q − B‖_F
 * @example
 * const Q = procrustes(Xa, Xb); // Xa Q ≈ Xb
 */
export function procrustes(A: Matrix, B: Matrix, linalg: LinalgBackend = typescriptBackend): Matrix {
  if (A.rows !== B.rows) {
    throw new ParsimonyError('PARSIMONY_BAD_INPUT', `procrustes: A is ${A.rows}x${A.cols} but B is ${B.rows}x${B.cols}; the rows must be paired (equal counts)`, 'B');
  }
  return polarFactor(linalg.matmul(A, B, { transA: true }), linalg);
}

/** ‖A Q − B‖_F / ‖B‖_F, the training error reported in the traces. */
export function alignmentError(A: Matrix, Q: Matrix, B: Matrix, linalg: LinalgBackend = typescriptBackend): number {
  const P = linalg.matmul(A, Q);
  let num = 0, den = 0;
  for (let t = 0; t < P.data.length; t++) {
    num += (P.data[t] - B.data[t]) ** 2;
    den += B.data[t] ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-300));
}

/** Why {@link procrustesSolver} does not apply: a permutation task (an orthogonal Q is not a permutation). */
export function skipProcrustes(obs: OrthogonalAlignmentObservation): string | undefined {
  return obs.constraint === 'permutation' ? 'the Procrustes map is orthogonal, not a permutation; baselines/hungarian finds the best permutation exactly' : undefined;
}

/**
 * The bench entry: the Procrustes map for the `orthogonal` and `relaxed`
 * constraints (an orthogonal Q has defect 0 <= λ); `permutation` tasks are
 * skipped ({@link skipProcrustes}).
 */
export function solveProcrustes(obs: OrthogonalAlignmentObservation, _params: ProcrustesParams, ctx: SolverContext): OrthogonalAlignmentSolution {
  const skipped = skipProcrustes(obs);
  if (skipped) throw new ParsimonyError('PARSIMONY_UNSUPPORTED', `baselines/procrustes: observation.constraint = '${obs.constraint}' is not supported: ${skipped}`, 'observation.constraint');
  ctx.signal.throwIfAborted();
  const Q = procrustes(obs.Xa, obs.Xb, ctx.linalg);
  ctx.report({ iteration: 1, train_err: alignmentError(obs.Xa, Q, obs.Xb, ctx.linalg) });
  return { Q };
}

/** `baselines/procrustes`: {@link procrustes} as a registered solver. */
export const procrustesSolver = defineSolver({
  id: 'baselines/procrustes',
  family: orthogonalAlignment,
  title: 'Orthogonal Procrustes',
  summary: 'The orthogonal map minimizing ‖Xa Q − Xb‖_F in closed form, Q = U Vᵀ from the SVD of XaᵀXb (Schönemann 1966).',
  params: ProcrustesParams,
  solve: solveProcrustes,
  skip: skipProcrustes,
});
