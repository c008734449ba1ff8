import { Type, defineSolver, lowRankApproximation, type Matrix, type ObservationOf, type SolutionOf, type SolverContext, type Static } from '@parsimony/core';
import { blockSet, checkOptions, clusterFactors, greedyClusters, weylPredictor, type ClusteringOptions, type ClusteringResult } from '../internal/engine.js';
import { benchOptions, blocksOf, toSolution } from '../internal/solve.js';

/** Parameters of `concat-svd-cluster/weyl`; defaults live in the schema. */
export const WeylParams = Type.Object(
  {
    errorBound: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "ε, the largest relative error a cluster may have; default: the observation's errorBound, else 0.1" })),
    patience: Type.Integer({ minimum: 1, default: 10, description: 'seeds in a row that take no candidate before all remaining blocks become singletons' }),
  },
  { additionalProperties: false },
);
export type WeylParams = Static<typeof WeylParams>;

/**
 * Weyl clustering (Shamrai 2026, the Weyl bound; official `MaxNormClusterAlgorithm`):
 * blocks sorted by Frobenius norm; a seed of the largest blocks (at most r
 * columns) takes the smallest remaining blocks, smallest first, while
 * √((||M||²_F - ||seed||²_F)/||M||²_F) <= ε. Uses norms only, and the bound
 * is provable (σ_i(M) >= σ_i(seed) under column extension). Each cluster is then
 * compressed by the exact rank-r truncated SVD of its concatenation.
 *
 * @param Ms - the blocks A_i (m x k_i, equal m)
 * @param options - `rank` r, `errorBound` ε (0.1), `patience` (10), `signal`, `onCluster`
 * @returns the clusters, their predicted (bound) and exact errors, and one {U, V_i} per block
 * @example
 * const { clusters, factors } = weyl(Ms, { rank: 16, errorBound: 0.1 });
 */
export function weyl(Ms: readonly Matrix[], options: ClusteringOptions): ClusteringResult {
  options.signal?.throwIfAborted();
  const set = blockSet('weyl', Ms);
  const { rank } = checkOptions('weyl', options);
  const { clusters, predicted } = greedyClusters(set, weylPredictor(set, rank), 'norm', options);
  return { clusters, predicted, ...clusterFactors(set, clusters, rank, options.signal) };
}

/** The bench entry: the observation's blocks (a single M is a set of one), its rank and errorBound. */
export function solveWeyl(obs: ObservationOf<typeof lowRankApproximation>, params: WeylParams, ctx: SolverContext): SolutionOf<typeof lowRankApproximation> {
  ctx.signal.throwIfAborted();
  return toSolution(obs, weyl(blocksOf(obs), benchOptions(obs, params, ctx)));
}

/** `concat-svd-cluster/weyl`: {@link weyl} as a registered solver. */
export const weylSolver = defineSolver({
  id: 'concat-svd-cluster/weyl',
  family: lowRankApproximation,
  title: 'Weyl-bound clustering',
  summary: 'Error-constrained clustering of matrices for concatenated truncated SVD, grown while the Weyl bound (norms only) stays below ε (Shamrai 2026).',
  params: WeylParams,
  solve: solveWeyl,
});
