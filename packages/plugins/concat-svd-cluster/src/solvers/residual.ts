import { Type, defineSolver, lowRankApproximation, type Matrix, type ObservationOf, type SolutionOf, type SolverContext, type Static } from '@parsimony/core';
import { blockSet, checkOptions, clusterFactors, greedyClusters, residualPredictor, type ClusteringOptions, type ClusteringResult, type Ordering } from '../internal/engine.js';
import { benchOptions, blocksOf, toSolution } from '../internal/solve.js';

/** Parameters of `concat-svd-cluster/residual`; defaults live in the schema. */
export const ResidualParams = Type.Object(
  {
    errorBound: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "ε, the largest relative error a cluster may have; default: the observation's errorBound, else 0.1" })),
    patience: Type.Integer({ minimum: 1, default: 10, description: 'seeds in a row that take no candidate before all remaining blocks become singletons' }),
    ordering: Type.Union([Type.Literal('norm'), Type.Literal('residual')], {
      default: 'norm',
      description: "candidate order after the seed: 'norm' (smallest norm first) or 'residual' (smallest ||(I - QQᵀ)A||_F against the seed's basis first)",
    }),
  },
  { additionalProperties: false },
);
export type ResidualParams = Static<typeof ResidualParams>;

/** Options of the plain {@link residual} function. */
export interface ResidualOptions extends ClusteringOptions {
  /** Candidate order after the seed (default `norm`). */
  readonly ordering?: Ordering;
}

/**
 * Residual-bound clustering (Shamrai 2026, the residual bound; official
 * `ResidualsClusterAlgorithm`): as Weyl's seed + grow, but the prediction keeps
 * an orthonormal basis Q of the blocks taken and a list L of singular-value
 * lower bounds; a candidate A adds the singular values of R = (I - QQᵀ)A, and
 * err <= √((||M||²_F - Σ_{top-r} L²)/||M||²_F) — provable (Ky Fan: the pieces
 * lie in mutually orthogonal subspaces) and never looser than Weyl's.
 *
 * @param Ms - the blocks A_i (m x k_i, equal m)
 * @param options - `rank` r, `errorBound` ε (0.1), `patience` (10), `ordering` ('norm'), `signal`, `onCluster`
 * @returns the clusters, their predicted (bound) and exact errors, and one {U, V_i} per block
 * @example
 * const { clusters, factors } = residual(Ms, { rank: 16, errorBound: 0.1 });
 */
export function residual(Ms: readonly Matrix[], options: ResidualOptions): ClusteringResult {
  options.signal?.throwIfAborted();
  const set = blockSet('residual', Ms);
  const { rank } = checkOptions('residual', options);
  const { clusters, predicted } = greedyClusters(set, residualPredictor(set, rank), options.ordering ?? 'norm', options);
  return { clusters, predicted, ...clusterFactors(set, clusters, rank, options.signal) };
}

/** The bench entry: the observation's blocks (a single M is a set of one), its rank and errorBound. */
export function solveResidual(obs: ObservationOf<typeof lowRankApproximation>, params: ResidualParams, ctx: SolverContext): SolutionOf<typeof lowRankApproximation> {
  ctx.signal.throwIfAborted();
  return toSolution(obs, residual(blocksOf(obs), { ...benchOptions(obs, params, ctx), ordering: params.ordering }));
}

/** `concat-svd-cluster/residual`: {@link residual} as a registered solver. */
export const residualSolver = defineSolver({
  id: 'concat-svd-cluster/residual',
  family: lowRankApproximation,
  title: 'Residual-bound clustering',
  summary: 'Error-constrained clustering of matrices for concatenated truncated SVD, grown while the residual singular-value bound stays below ε (Shamrai 2026).',
  params: ResidualParams,
  solve: solveResidual,
});
