import { createRng, defineSolver, lowRankApproximation, Type, type Matrix, type ObservationOf, type Rng, type SolutionOf, type SolverContext, type Static } from '@parsimony/core';
import { blockSet, checkOptions, clusterFactors, type ClusteringResult } from '../internal/engine.js';
import { blocksOf, boundOf, toSolution } from '../internal/solve.js';
import { clusterCount } from '../internal/grouping.js';

/** Parameters of `concat-svd-cluster/random-groups`; defaults live in the schema. */
export const RandomGroupsParams = Type.Object(
  {
    clusters: Type.Integer({ minimum: 0, default: 0, description: 'number of clusters k; 0: as many as `residual` finds with the same ε (the paper\'s comparison)' }),
    errorBound: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "ε for the `residual` run that sets k when clusters = 0; default: the observation's errorBound, else 0.1" })),
  },
  { additionalProperties: false },
);
export type RandomGroupsParams = Static<typeof RandomGroupsParams>;

/** Options of the plain {@link randomGroups} function. */
export interface RandomGroupsOptions {
  /** Target rank r of every cluster's truncated SVD. */
  readonly rank: number;
  /** Number of clusters k (default: as many as residual-bound clustering finds with `errorBound`). */
  readonly clusters?: number;
  /** ε for the residual run that sets k (default 0.1). */
  readonly errorBound?: number;
  /** The stream for the shuffle (default: a fixed seed). */
  readonly rng?: Rng;
  /** Polled between clusters. */
  readonly signal?: AbortSignal;
}

/**
 * The paper's random baseline: shuffle the blocks and deal them into k
 * clusters (k = the residual method's count), then the exact rank-r truncated
 * SVD per cluster. Blind to ε.
 *
 * @param Ms - the blocks A_i (m x k_i, equal m)
 * @param options - `rank` r, `clusters` k (default: residual's count), `errorBound` (0.1), `rng`, `signal`
 * @returns the clusters, their exact errors (as `predicted` too), and one {U, V_i} per block
 * @example
 * const { clusters } = randomGroups(Ms, { rank: 16, clusters: 6, rng: createRng(1) });
 */
export function randomGroups(Ms: readonly Matrix[], options: RandomGroupsOptions): ClusteringResult {
  options.signal?.throwIfAborted();
  const set = blockSet('randomGroups', Ms);
  const { rank } = checkOptions('randomGroups', { rank: options.rank, errorBound: options.errorBound });
  const k = clusterCount('randomGroups', set, rank, options.clusters, options.errorBound, options.signal);
  const perm = (options.rng ?? createRng('concat-svd-cluster/random-groups', 0)).permutation(Ms.length);
  const clusters: number[][] = Array.from({ length: k }, () => []);
  perm.forEach((i, t) => clusters[t % k].push(i));
  const { factors, errors } = clusterFactors(set, clusters, rank, options.signal);
  return { clusters, predicted: errors.slice(), errors, factors };
}

/** The bench entry: k from the residual method at the observation's errorBound, the shuffle from ctx.rng. */
export function solveRandomGroups(obs: ObservationOf<typeof lowRankApproximation>, params: RandomGroupsParams, ctx: SolverContext): SolutionOf<typeof lowRankApproximation> {
  ctx.signal.throwIfAborted();
  const result = randomGroups(blocksOf(obs), { rank: obs.rank, clusters: params.clusters, errorBound: boundOf(obs, params.errorBound), rng: ctx.rng, signal: ctx.signal });
  ctx.report({ iteration: 1, clusters: result.clusters.length, max_error: Math.max(...result.errors) });
  return toSolution(obs, result);
}

/** `concat-svd-cluster/random-groups`: {@link randomGroups} as a registered solver. */
export const randomGroupsSolver = defineSolver({
  id: 'concat-svd-cluster/random-groups',
  family: lowRankApproximation,
  title: 'Random grouping (baseline)',
  summary: "The paper's comparison: a random partition into as many clusters as the residual method finds, then one truncated SVD per cluster; blind to ε.",
  params: RandomGroupsParams,
  solve: solveRandomGroups,
});
