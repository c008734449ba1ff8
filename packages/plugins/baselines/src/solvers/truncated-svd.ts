import { defineSolver, lowRankApproximation, Matrix, ParsimonyError, svd, Type, type ObservationOf, type SolutionOf, type SolverContext, type Static } from '@parsimony/core';

/** Parameters of `baselines/truncated-svd`. */
export const TruncatedSvdParams = Type.Object(
  {
    rank: Type.Optional(Type.Integer({ minimum: 1, description: "rank k of the approximation; default (and at most): the observation's rank r" })),
  },
  { additionalProperties: false },
);
export type TruncatedSvdParams = Static<typeof TruncatedSvdParams>;

/** A rank-k factor pair: M̂ = U Vᵀ with U orthonormal (m x k) and V = V_k diag(s_k) (n x k). */
export interface LowRankPair {
  readonly U: Matrix;
  readonly V: Matrix;
}

/** The first k columns of U, and of V scaled by s. */
export function factorsFromSvd(U: Matrix, s: Float64Array, V: Matrix, k: number): LowRankPair {
  const Uk = Matrix.zeros(U.rows, k), Vk = Matrix.zeros(V.rows, k);
  for (let i = 0; i < U.rows; i++) for (let j = 0; j < k; j++) Uk.data[i * k + j] = U.data[i * U.cols + j];
  for (let i = 0; i < V.rows; i++) for (let j = 0; j < k; j++) Vk.data[i * k + j] = V.data[i * V.cols + j] * s[j];
  return { U: Uk, V: Vk };
}

/**
 * The truncated SVD (Eckart & Young 1936): the best rank-k approximation of M
 * in every unitarily invariant norm, from core's full thin `svd`.
 *
 * @param M - m x n
 * @param rank - k >= 1 (capped at min(m, n))
 * @returns U (m x k, orthonormal) and V (n x k, V_k diag(s_k)), M̂ = U Vᵀ
 * @example
 * const { U, V } = truncatedSvdFactors(M, 10);
 */
export function truncatedSvdFactors(M: Matrix, rank: number): LowRankPair {
  if (!Number.isInteger(rank) || rank < 1) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `truncatedSvdFactors: rank = ${rank}; expected an integer >= 1`, 'rank');
  const { U, s, V } = svd(M);
  return factorsFromSvd(U, s, V, Math.min(rank, s.length));
}

/**
 * The bench entry: the truncated SVD of M, or of every matrix of a set on its
 * own (no shared factors: paper 08's "singletons").
 */
export function solveTruncatedSvd(obs: ObservationOf<typeof lowRankApproximation>, params: TruncatedSvdParams, ctx: SolverContext): SolutionOf<typeof lowRankApproximation> {
  ctx.signal.throwIfAborted();
  const k = Math.min(params.rank ?? obs.rank, obs.rank);
  if (obs.M) return truncatedSvdFactors(obs.M, k);
  return {
    factors: obs.Ms!.map((A, i) => {
      ctx.signal.throwIfAborted();
      const f = truncatedSvdFactors(A, k);
      ctx.report({ iteration: i + 1, rank: f.U.cols });
      return f;
    }),
  };
}

/** `baselines/truncated-svd`: {@link truncatedSvdFactors} as a registered solver. */
export const truncatedSvdSolver = defineSolver({
  id: 'baselines/truncated-svd',
  family: lowRankApproximation,
  title: 'Truncated SVD',
  summary: 'The Eckart-Young optimum: the top-r singular triplets of M (of each matrix of a set, no sharing), from a full thin SVD.',
  params: TruncatedSvdParams,
  solve: solveTruncatedSvd,
});
