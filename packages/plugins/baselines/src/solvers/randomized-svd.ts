import { defineSolver, lowRankApproximation, ParsimonyError, randomizedSvd, Type, type Matrix, type ObservationOf, type Rng, type SolutionOf, type SolverContext, type Static } from '@parsimony/core';
import { factorsFromSvd, type LowRankPair } from './truncated-svd.js';

/** Parameters of `baselines/randomized-svd`. */
export const RandomizedSvdParams = Type.Object(
  {
    rank: Type.Optional(Type.Integer({ minimum: 1, description: "rank k of the approximation; default (and at most): the observation's rank r" })),
    oversample: Type.Integer({ minimum: 0, default: 10, description: 'extra random samples p beyond k (Halko et al.: 5-10)' }),
    powerIters: Type.Integer({ minimum: 0, default: 2, description: 'subspace (power) iterations q, each two passes over M' }),
  },
  { additionalProperties: false },
);
export type RandomizedSvdParams = Static<typeof RandomizedSvdParams>;

/** Options of the plain {@link randomizedSvdFactors} function. */
export interface RandomizedSvdFactorsOptions {
  /** Extra samples p beyond k (default 10). */
  readonly oversample?: number;
  /** Power iterations q (default 2). */
  readonly powerIters?: number;
  /** The Gaussian test matrix's stream (default: core's fixed seed). */
  readonly rng?: Rng;
}

/**
 * Randomized SVD (Halko, Martinsson & Tropp 2011, Alg. 4.4 + 5.1, core's
 * `randomizedSvd`): a basis Q of (M Mᵀ)^q M Ω with Ω n x (k + p) Gaussian, the
 * SVD of the small Qᵀ M, truncated to k. O(mn(k + p)) per pass instead of a
 * full SVD.
 *
 * @param M - m x n
 * @param rank - k >= 1 (capped at min(m, n))
 * @param options - `oversample` (10), `powerIters` (2), `rng`
 * @returns U (m x k, orthonormal) and V (n x k, V_k diag(s_k)), M̂ = U Vᵀ
 * @example
 * const { U, V } = randomizedSvdFactors(M, 10, { rng: createRng(1) });
 */
export function randomizedSvdFactors(M: Matrix, rank: number, options: RandomizedSvdFactorsOptions = {}): LowRankPair {
  if (!Number.isInteger(rank) || rank < 1) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `randomizedSvdFactors: rank = ${rank}; expected an integer >= 1`, 'rank');
  const k = Math.min(rank, M.rows, M.cols);
  const { U, s, V } = randomizedSvd(M, k, options);
  return factorsFromSvd(U, s, V, k);
}

/** The bench entry: M, or every matrix of a set on its own; the test matrices from ctx.rng. */
export function solveRandomizedSvd(obs: ObservationOf<typeof lowRankApproximation>, params: RandomizedSvdParams, ctx: SolverContext): SolutionOf<typeof lowRankApproximation> {
  ctx.signal.throwIfAborted();
  const k = Math.min(params.rank ?? obs.rank, obs.rank);
  const options = { oversample: params.oversample, powerIters: params.powerIters, rng: ctx.rng };
  if (obs.M) return randomizedSvdFactors(obs.M, k, options);
  return {
    factors: obs.Ms!.map((A, i) => {
      ctx.signal.throwIfAborted();
      const f = randomizedSvdFactors(A, k, options);
      ctx.report({ iteration: i + 1, rank: f.U.cols });
      return f;
    }),
  };
}

/** `baselines/randomized-svd`: {@link randomizedSvdFactors} as a registered solver. */
export const randomizedSvdSolver = defineSolver({
  id: 'baselines/randomized-svd',
  family: lowRankApproximation,
  title: 'Randomized SVD (Halko et al.)',
  summary: 'Randomized range finder with power iterations, then the SVD of the small projected matrix (Halko, Martinsson & Tropp 2011).',
  params: RandomizedSvdParams,
  solve: solveRandomizedSvd,
});
