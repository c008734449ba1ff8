import { describe, expect, test } from 'vitest';
import { createRng, generateInstance, haarOrthogonal, lowRankApproximation, matmul, Matrix } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { kmeansBlocks, kmeansBlocksSolver, randomGroups, randomGroupsSolver, residual } from '../src/index.js';
import { SMALL } from './helpers.js';

describeSolverConformance(kmeansBlocksSolver, {
  instance: SMALL,
  invalidParams: [
    { params: { clusters: -1 }, message: 'params.clusters must be >= 0' },
    { params: { maxIter: 0 }, message: 'params.maxIter must be >= 1' },
  ],
});
describeSolverConformance(randomGroupsSolver, {
  instance: SMALL,
  invalidParams: [
    { params: { clusters: 1.5 }, message: 'params.clusters' },
    { params: { errorBound: 0 }, message: 'params.errorBound must be > 0' },
  ],
});

/** The latent groups of a separated instance (neighbours share a direction, noise 2%). */
const separated = generateInstance(lowRankApproximation, { variant: 'set', m: 40, rank: 4, blocks: 24, blockCols: 3, groups: 4, groupDim: 3 }, ['comparisons', 1]);

/** Two partitions are equal up to the order of clusters and of their members. */
const canonical = (p: number[][]) => p.map((c) => [...c].sort((a, b) => a - b)).sort((a, b) => a[0] - b[0]);

describe('kmeans-blocks', () => {
  test('recovers groups of blocks spanning mutually orthogonal subspaces, whatever their scales (k = 3)', () => {
    const rng = createRng('kmeans-groups', 1);
    const H = haarOrthogonal(12, rng);
    // Group g spans columns 4g .. 4g+3 of H; block i of group g = s_i · H_g Q_i, Q_i 4 x 4 orthogonal (so Â_i Â_iᵀ = H_g H_gᵀ / 4 within a group), s_i spread over two decades.
    const groupOf = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 2, 0];
    const Ms = groupOf.map((g) => {
      const Hg = Matrix.zeros(12, 4);
      for (let i = 0; i < 12; i++) for (let j = 0; j < 4; j++) Hg.data[i * 4 + j] = H.data[i * 12 + 4 * g + j];
      const A = matmul(Hg, haarOrthogonal(4, rng));
      const s = Math.exp(4.6 * rng.uniform());
      return Matrix.from(12, 4, A.data.map((v) => s * v));
    });
    const byGroup = [0, 1, 2].map((g) => groupOf.flatMap((t, i) => (t === g ? [i] : [])));
    for (const seed of [1, 2, 3]) expect(canonical(kmeansBlocks(Ms, { rank: 4, clusters: 3, rng: createRng(seed) }).clusters)).toEqual(canonical(byGroup));
  });

  test('on the overlapping-subspace instance (neighbours share a direction) k-means is not exact but mostly groups by subspace', () => {
    const truth = separated.truth.groups!;
    const { clusters } = kmeansBlocks(separated.observation.Ms!, { rank: 4, clusters: 4, rng: createRng(3) });
    // Purity: each cluster's majority group, summed over clusters.
    const pure = clusters.reduce((s, c) => s + Math.max(...[0, 1, 2, 3].map((g) => c.filter((i) => truth[i] === g).length)), 0);
    expect(pure / truth.length).toBeGreaterThan(0.6);
  });

  test('by default k is the number of clusters the residual method finds at the same ε', () => {
    const Ms = separated.observation.Ms!;
    const k = residual(Ms, { rank: 4, errorBound: 0.2 }).clusters.length;
    expect(kmeansBlocks(Ms, { rank: 4, errorBound: 0.2 }).clusters.length).toBe(k);
  });

  test('k larger than the number of blocks is capped; bad options name the field', () => {
    const Ms = [Matrix.fromRows([[1], [0]]), Matrix.fromRows([[0], [1]])];
    expect(canonical(kmeansBlocks(Ms, { rank: 1, clusters: 5 }).clusters)).toEqual([[0], [1]]);
    expect(() => kmeansBlocks(Ms, { rank: 1, clusters: -2 })).toThrow('kmeansBlocks: options.clusters = -2');
    expect(() => kmeansBlocks(Ms, { rank: 1, maxIter: 0 })).toThrow('kmeansBlocks: options.maxIter = 0');
  });
});

describe('random-groups', () => {
  test('deals the shuffled blocks into k clusters of sizes differing by at most one; the same rng gives the same partition', () => {
    const Ms = separated.observation.Ms!;
    const a = randomGroups(Ms, { rank: 4, clusters: 5, rng: createRng(9) }), b = randomGroups(Ms, { rank: 4, clusters: 5, rng: createRng(9) });
    expect(a.clusters).toEqual(b.clusters);
    expect(a.clusters.map((c) => c.length).sort()).toEqual([4, 5, 5, 5, 5]);
    expect(a.clusters.flat().sort((x, y) => x - y)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });
});
