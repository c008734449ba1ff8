import { Type, defineSolver, lowRankApproximation, ParsimonyError, type Matrix, type ObservationOf, type SolutionOf, type SolverContext, type Static } from '@parsimony/core';
import { approximatePredictor, blockSet, checkOptions, clusterFactors, greedyClusters, type ClusteringOptions, type ClusteringResult, type Ordering } from '../internal/engine.js';
import { benchOptions, blocksOf, toSolution } from '../internal/solve.js';

/** Parameters of `concat-svd-cluster/approximate`; defaults live in the schema. */
export const ApproximateParams = Type.Object(
  {
    errorBound: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "ε, the largest relative error a cluster may have; default: the observation's errorBound, else 0.1" })),
    patience: Type.Integer({ minimum: 1, default: 10, description: 'seeds in a row that take no candidate before all remaining blocks become singletons' }),
    ordering: Type.Union([Type.Literal('norm'), Type.Literal('residual')], {
      default: 'norm',
      description: "candidate order after the seed: 'norm' (smallest norm first) or 'residual' (smallest ||A - QQᵀA||_F against the seed's basis first)",
    }),
    oversampling: Type.Integer({ minimum: 0, default: 5, description: 'eigenpairs tracked beyond r (rank r + p of the incremental SVD)' }),
    tol: Type.Number({ minimum: 0, default: 1e-12, description: 'absolute threshold below which eigenvalues and residual directions count as zero' }),
  },
  { additionalProperties: false },
);
export type ApproximateParams = Static<typeof ApproximateParams>;

/** Options of the plain {@link approximate} function. */
export interface ApproximateOptions extends ClusteringOptions {
  /** Candidate order after the seed (default `norm`). */
  readonly ordering?: Ordering;
  /** Eigenpairs tracked beyond r (default 5). */
  readonly oversampling?: number;
  /** Absolute zero threshold for eigenvalues and residual rows (default 1e-12). */
  readonly tol?: number;
}

/**
 * Approximate clustering (Shamrai 2026, the incremental estimator; official
 * `ApproximateClusterAlgorithm`): seed + grow where the prediction is an
 * incremental truncated SVD M Mᵀ ≈ Q diag(λ) Qᵀ of rank r + p, updated per
 * block through the (r + p + k)-square matrix
 * [[diag(λ) + YYᵀ, YBᵀ], [BYᵀ, BBᵀ]] (Y = QᵀA, A - QY = Q_r B), and
 * err ≈ √((||M||²_F - Σ_{i<=r} λ_i)/||M||²_F). Fastest and largest clusters,
 * but not a guarantee: a cluster may miss ε.
 *
 * @param Ms - the blocks A_i (m x k_i, equal m)
 * @param options - `rank` r, `errorBound` ε (0.1), `patience` (10), `ordering` ('norm'), `oversampling` (5), `tol` (1e-12), `signal`, `onCluster`
 * @returns the clusters, their predicted (estimated) and exact errors, and one {U, V_i} per block
 * @example
 * const { clusters, errors } = approximate(Ms, { rank: 16, errorBound: 0.1 });
 */
export function approximate(Ms: readonly Matrix[], options: ApproximateOptions): ClusteringResult {
  options.signal?.throwIfAborted();
  const set = blockSet('approximate', Ms);
  const { rank } = checkOptions('approximate', options);
  const oversampling = options.oversampling ?? 5, tol = options.tol ?? 1e-12;
  if (!Number.isInteger(oversampling) || oversampling < 0) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `approximate: options.oversampling = ${oversampling}; expected an integer >= 0`, 'options.oversampling');
  if (!(tol >= 0)) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `approximate: options.tol = ${tol}; expected a number >= 0`, 'options.tol');
  const { clusters, predicted } = greedyClusters(set, approximatePredictor(set, rank, { oversampling, tol }), options.ordering ?? 'norm', options);
  return { clusters, predicted, ...clusterFactors(set, clusters, rank, options.signal) };
}

/** The bench entry: the observation's blocks (a single M is a set of one), its rank and errorBound. */
export function solveApproximate(obs: ObservationOf<typeof lowRankApproximation>, params: ApproximateParams, ctx: SolverContext): SolutionOf<typeof lowRankApproximation> {
  ctx.signal.throwIfAborted();
  const { ordering, oversampling, tol } = params;
  return toSolution(obs, approximate(blocksOf(obs), { ...benchOptions(obs, params, ctx), ordering, oversampling, tol }));
}

/** `concat-svd-cluster/approximate`: {@link approximate} as a registered solver. */
export const approximateSolver = defineSolver({
  id: 'concat-svd-cluster/approximate',
  family: lowRankApproximation,
  title: 'Approximate (incremental SVD) clustering',
  summary: 'Clustering of matrices for concatenated truncated SVD, grown while an incremental rank-(r + p) SVD estimate of the error stays below ε; no guarantee (Shamrai 2026).',
  params: ApproximateParams,
  solve: solveApproximate,
});
