import { createRng, defineSolver, gemmStrided, lowRankApproximation, ParsimonyError, Type, type Matrix, type ObservationOf, type Rng, type SolutionOf, type SolverContext, type Static } from '@parsimony/core';
import { blockSet, checkOptions, clusterFactors, type BlockSet, type ClusteringResult } from '../internal/engine.js';
import { clusterCount, groupsOf } from '../internal/grouping.js';
import { blocksOf, boundOf, toSolution } from '../internal/solve.js';

/** Parameters of `concat-svd-cluster/kmeans-blocks`; defaults live in the schema. */
export const KmeansBlocksParams = Type.Object(
  {
    clusters: Type.Integer({ minimum: 0, default: 0, description: 'number of clusters k; 0: as many as `residual` finds with the same ε (the paper\'s comparison)' }),
    errorBound: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "ε for the `residual` run that sets k when clusters = 0; default: the observation's errorBound, else 0.1" })),
    maxIter: Type.Integer({ minimum: 1, default: 300, description: 'Lloyd iterations at most (scikit-learn\'s default)' }),
  },
  { additionalProperties: false },
);
export type KmeansBlocksParams = Static<typeof KmeansBlocksParams>;

/** Options of the plain {@link kmeansBlocks} function. */
export interface KmeansBlocksOptions {
  /** Target rank r of every cluster's truncated SVD. */
  readonly rank: number;
  /** Number of clusters k (default: as many as residual-bound clustering finds with `errorBound`). */
  readonly clusters?: number;
  /** ε for the residual run that sets k (default 0.1). */
  readonly errorBound?: number;
  /** Lloyd iterations at most (default 300). */
  readonly maxIter?: number;
  /** The stream for k-means++ seeding (default: a fixed seed). */
  readonly rng?: Rng;
  /** Polled every iteration. */
  readonly signal?: AbortSignal;
}

/**
 * K(i, j) = ⟨Â_i Â_iᵀ, Â_j Â_jᵀ⟩ = ||Â_iᵀ Â_j||²_F for the norm-normalised blocks
 * Â_i = A_i / ||A_i||_F: the Gram matrix of the features vec(Â_i Â_iᵀ), each
 * block's left subspace weighted by its normalised squared singular values.
 * Computed from [Â_1 … Â_N] one block row at a time (upper triangle, mirrored).
 */
function subspaceKernel(set: BlockSet, signal?: AbortSignal): Float64Array {
  const { blocks, m, normsSq } = set;
  const N = blocks.length;
  const offs = new Int32Array(N + 1);
  for (let i = 0; i < N; i++) offs[i + 1] = offs[i] + blocks[i].cols;
  const total = offs[N];
  const X = new Float64Array(m * total);
  for (let i = 0; i < N; i++) {
    const { cols: k, data } = blocks[i];
    const s = normsSq[i] > 0 ? 1 / Math.sqrt(normsSq[i]) : 0;
    for (let r = 0; r < m; r++) for (let c = 0; c < k; c++) X[r * total + offs[i] + c] = s * data[r * k + c];
  }
  const K = new Float64Array(N * N);
  const C = new Float64Array(set.maxCols * total);
  for (let i = 0; i < N; i++) {
    signal?.throwIfAborted();
    const k = blocks[i].cols, rest = total - offs[i];
    // C = Â_iᵀ [Â_i … Â_N]  (k x rest)
    gemmStrided(true, false, k, rest, m, 1, X, offs[i], total, X, offs[i], total, 0, C, 0, rest);
    for (let j = i; j < N; j++) {
      let v = 0;
      for (let t = 0; t < k; t++) for (let c = offs[j] - offs[i]; c < offs[j + 1] - offs[i]; c++) v += C[t * rest + c] * C[t * rest + c];
      K[i * N + j] = v;
      K[j * N + i] = v;
    }
  }
  return K;
}

/**
 * Kernel k-means (Lloyd) with greedy k-means++ seeding on a precomputed
 * kernel, one initialization (scikit-learn >= 1.4's n_init = 'auto'); an
 * emptied cluster takes the point farthest from its centre.
 */
function kernelKmeans(K: Float64Array, N: number, k: number, rng: Rng, maxIter: number, signal?: AbortSignal): Int32Array {
  const dist = (i: number, c: number) => Math.max(0, K[i * N + i] + K[c * N + c] - 2 * K[i * N + c]);
  // Greedy k-means++ (scikit-learn's): each new centre is the best of 2 + ⌊ln k⌋ candidates drawn with
  // probability proportional to the squared distance to the nearest centre so far.
  const trials = 2 + Math.floor(Math.log(k));
  const centres = [rng.int(N)];
  const d = Float64Array.from({ length: N }, (_, i) => dist(i, centres[0]));
  const draw = (sum: number): number => {
    let u = rng.uniform() * sum;
    for (let i = 0; i < N; i++) if (d[i] > 0 && (u -= d[i]) < 0) return i;
    for (let i = N - 1; i >= 0; i--) if (d[i] > 0) return i;
    return -1;
  };
  while (centres.length < k) {
    let sum = 0;
    for (let i = 0; i < N; i++) sum += d[i];
    let best = -1, bestPot = Infinity;
    for (let t = 0; t < trials && sum > 0; t++) {
      const c = draw(sum);
      let pot = 0;
      for (let i = 0; i < N; i++) pot += Math.min(d[i], dist(i, c));
      if (pot < bestPot) [bestPot, best] = [pot, c];
    }
    // All points coincide with a centre: take any unused point.
    if (best < 0) best = Array.from(d.keys()).find((i) => !centres.includes(i))!;
    centres.push(best);
    for (let i = 0; i < N; i++) d[i] = Math.min(d[i], dist(i, best));
  }
  const label = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    let best = 0, bd = Infinity;
    for (let c = 0; c < k; c++) {
      const v = dist(i, centres[c]);
      if (v < bd) [bd, best] = [v, c];
    }
    label[i] = best;
  }
  const size = new Float64Array(k), self = new Float64Array(k), cross = new Float64Array(N * k);
  for (let it = 0; it < maxIter; it++) {
    signal?.throwIfAborted();
    // ||φ_i - μ_c||² = K_ii - 2 Σ_{j∈c} K_ij / n_c + Σ_{j,l∈c} K_jl / n_c².
    size.fill(0);
    self.fill(0);
    cross.fill(0);
    for (let j = 0; j < N; j++) size[label[j]]++;
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) cross[i * k + label[j]] += K[i * N + j];
    for (let j = 0; j < N; j++) self[label[j]] += cross[j * k + label[j]];
    let changed = 0;
    const next = new Int32Array(N), dmin = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      let best = label[i], bd = Infinity;
      for (let c = 0; c < k; c++) {
        if (size[c] === 0) continue;
        const v = K[i * N + i] - (2 * cross[i * k + c]) / size[c] + self[c] / (size[c] * size[c]);
        if (v < bd - 1e-15) [bd, best] = [v, c];
      }
      next[i] = best;
      dmin[i] = bd;
      if (best !== label[i]) changed++;
    }
    // Relocate emptied clusters to the points farthest from their centres.
    const count = new Int32Array(k);
    for (let i = 0; i < N; i++) count[next[i]]++;
    for (let c = 0; c < k; c++) {
      if (count[c] > 0) continue;
      let far = -1;
      for (let i = 0; i < N; i++) if (count[next[i]] > 1 && (far < 0 || dmin[i] > dmin[far])) far = i;
      if (far < 0) break;
      count[next[far]]--;
      next[far] = c;
      count[c] = 1;
      dmin[far] = 0;
      changed++;
    }
    label.set(next);
    if (changed === 0) break;
  }
  return label;
}

/**
 * The paper's k-means baseline: k-means on the blocks' normalised left
 * subspaces (features vec(Â_i Â_iᵀ), Â_i = A_i/||A_i||_F, through their kernel
 * ||Â_iᵀ Â_j||²_F), k = the number of clusters the residual method finds,
 * then the exact rank-r truncated SVD per cluster. Blind to ε: clusters may
 * violate it (the soft-bound task counts them).
 *
 * @param Ms - the blocks A_i (m x k_i, equal m)
 * @param options - `rank` r, `clusters` k (default: residual's count), `errorBound` (0.1), `maxIter` (300), `rng`, `signal`
 * @returns the clusters, their exact errors (as `predicted` too: k-means predicts nothing), and one {U, V_i} per block
 * @example
 * const { clusters, errors } = kmeansBlocks(Ms, { rank: 16, clusters: 6 });
 */
export function kmeansBlocks(Ms: readonly Matrix[], options: KmeansBlocksOptions): ClusteringResult {
  options.signal?.throwIfAborted();
  const set = blockSet('kmeansBlocks', Ms);
  const { rank } = checkOptions('kmeansBlocks', { rank: options.rank, errorBound: options.errorBound });
  const maxIter = options.maxIter ?? 300;
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `kmeansBlocks: options.maxIter = ${maxIter}; expected an integer >= 1`, 'options.maxIter');
  const k = clusterCount('kmeansBlocks', set, rank, options.clusters, options.errorBound, options.signal);
  const K = subspaceKernel(set, options.signal);
  const label = kernelKmeans(K, Ms.length, k, options.rng ?? createRng('concat-svd-cluster/kmeans-blocks', 0), maxIter, options.signal);
  const clusters = groupsOf(label);
  const { factors, errors } = clusterFactors(set, clusters, rank, options.signal);
  return { clusters, predicted: errors.slice(), errors, factors };
}

/** The bench entry: k from the residual method at the observation's errorBound, randomness from ctx.rng. */
export function solveKmeansBlocks(obs: ObservationOf<typeof lowRankApproximation>, params: KmeansBlocksParams, ctx: SolverContext): SolutionOf<typeof lowRankApproximation> {
  ctx.signal.throwIfAborted();
  const result = kmeansBlocks(blocksOf(obs), { rank: obs.rank, clusters: params.clusters, errorBound: boundOf(obs, params.errorBound), maxIter: params.maxIter, rng: ctx.rng, signal: ctx.signal });
  ctx.report({ iteration: 1, clusters: result.clusters.length, max_error: Math.max(...result.errors) });
  return toSolution(obs, result);
}

/** `concat-svd-cluster/kmeans-blocks`: {@link kmeansBlocks} as a registered solver. */
export const kmeansBlocksSolver = defineSolver({
  id: 'concat-svd-cluster/kmeans-blocks',
  family: lowRankApproximation,
  title: 'k-means on block subspaces (baseline)',
  summary: "The paper's comparison: kernel k-means on the blocks' normalised left-subspace projectors, k from the residual method, then one truncated SVD per cluster; blind to ε.",
  params: KmeansBlocksParams,
  solve: solveKmeansBlocks,
});
