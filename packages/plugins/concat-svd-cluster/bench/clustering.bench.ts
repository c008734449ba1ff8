/**
 * Cost of the three clusterings against one truncated SVD per block
 * (`baselines/truncated-svd`, the "singletons"), as the set grows: the
 * bench task's size (m = 64, 60 blocks of 8 columns, 6 groups of dimension
 * 4, r = 16), two middle rungs, and the paper file's scale task (m = 256,
 * 400 blocks of 16 columns, 25 groups of dimension 8, r = 48); ε = 0.1. One
 * instance per rung from a fixed seed, built outside the timed body; each
 * method runs end to end (clustering plus the exact truncated SVD of every
 * cluster) in the same process, and vitest prints how many times faster the
 * fastest is. The number of clusters, the compression ratio and the worst
 * cluster error of each run are printed; every output is checked finite.
 * The `-clustering-only` cases time the seed + grow phase alone (the
 * predictions), which is where the three methods differ.
 * Times are printed, never asserted. Run from packages/plugins/concat-svd-cluster:
 *
 *   npx vitest bench --run bench/clustering.bench.ts
 */
import { afterAll, bench, describe } from 'vitest';
import { generateInstance, lowRankApproximation, type Matrix } from '@parsimony/core';
import { truncatedSvdFactors } from '@parsimony/plugin-baselines';
import { approximate, residual, weyl, type ClusteringResult } from '../src/index.js';
import { approximatePredictor, blockSet, greedyClusters, residualPredictor, weylPredictor } from '../src/internal/engine.js';

const notes: string[] = [];
const once = { iterations: 1, time: 0, warmupIterations: 0, warmupTime: 0 };

function check(name: string, Ms: readonly Matrix[], res: ClusteringResult): void {
  if (!res.factors.every((f) => f.U.data.every(Number.isFinite) && f.V.data.every(Number.isFinite))) throw new Error(`${name}: non-finite output`);
  const memory = [...new Set(res.factors.map((f) => f.U))].reduce((s, U) => s + U.data.length, 0) + res.factors.reduce((s, f) => s + f.V.data.length, 0);
  const total = Ms.reduce((s, A) => s + A.data.length, 0);
  const line = `${name}: ${res.clusters.length} clusters, compression ${(memory / total).toFixed(3)}, max error ${Math.max(...res.errors).toFixed(4)}`;
  if (!notes.includes(line)) notes.push(line);
}

const rungs = [
  { m: 64, blocks: 60, blockCols: 8, groups: 6, groupDim: 4, rank: 16 },
  { m: 128, blocks: 120, blockCols: 12, groups: 12, groupDim: 6, rank: 32 },
  { m: 192, blocks: 240, blockCols: 16, groups: 18, groupDim: 8, rank: 48 },
  { m: 256, blocks: 400, blockCols: 16, groups: 25, groupDim: 8, rank: 48 },
];

for (const rung of rungs) {
  const { observation: o } = generateInstance(lowRankApproximation, { variant: 'set', errorBound: 0.1, errorBoundMode: 'soft', ...rung }, ['bench/concat-svd-cluster', rung.blocks]);
  const Ms = o.Ms!, r = rung.rank, n = rung.blocks;
  const options = { rank: r, errorBound: 0.1 };
  describe(`m=${rung.m}, N=${n} blocks of ${rung.blockCols}, r=${r}`, () => {
    bench(`concat-svd-cluster:weyl:n=${n}`, () => check(`weyl n=${n}`, Ms, weyl(Ms, options)), once);
    bench(`concat-svd-cluster:residual:n=${n}`, () => check(`residual n=${n}`, Ms, residual(Ms, options)), once);
    bench(`concat-svd-cluster:approximate:n=${n}`, () => check(`approximate n=${n}`, Ms, approximate(Ms, options)), once);
    // The clustering alone (the predictions), without the exact SVD of each cluster that all three share.
    const set = blockSet('bench', Ms);
    const grow = (name: string, start: Parameters<typeof greedyClusters>[1]) => {
      const { clusters } = greedyClusters(set, start, 'norm', options);
      if (clusters.flat().length !== n) throw new Error(`${name}: not a partition`);
    };
    bench(`concat-svd-cluster:weyl-clustering-only:n=${n}`, () => grow('weyl', weylPredictor(set, r)), once);
    bench(`concat-svd-cluster:residual-clustering-only:n=${n}`, () => grow('residual', residualPredictor(set, r)), once);
    bench(`concat-svd-cluster:approximate-clustering-only:n=${n}`, () => grow('approximate', approximatePredictor(set, r, { oversampling: 5, tol: 1e-12 })), once);
    bench(`baselines:truncatedSvdFactors:n=${n}`, () => {
      const factors = Ms.map((A) => truncatedSvdFactors(A, r));
      check(`singletons n=${n}`, Ms, { clusters: Ms.map((_, i) => [i]), predicted: [], errors: [0], factors });
    }, once);
  });
}

afterAll(() => console.log(notes.join('\n')));
