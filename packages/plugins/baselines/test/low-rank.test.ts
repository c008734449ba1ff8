import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { allFamilies, createRegistry, createRng, gaussianMatrix, generateInstance, lowRankApproximation, matmul, Matrix, scoreSolution, solveService, svd } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { randomizedSvdFactors, randomizedSvdSolver, truncatedSvdFactors, truncatedSvdSolver } from '../src/index.js';

const small = { m: 40, n: 30, rank: 4 };
const smallSet = { variant: 'set', m: 24, blocks: 6, blockCols: 5, groups: 3, groupDim: 3, rank: 6 };

describeSolverConformance(truncatedSvdSolver, { instance: small, invalidParams: [{ params: { rank: 0 }, message: 'params.rank must be >= 1' }] });
describeSolverConformance(randomizedSvdSolver, {
  instance: small,
  invalidParams: [
    { params: { rank: 1.5 }, message: 'params.rank' },
    { params: { oversample: -1 }, message: 'params.oversample must be >= 0' },
    { params: { powerIters: -1 }, message: 'params.powerIters must be >= 0' },
  ],
});

const service = solveService(createRegistry(allFamilies));
const metricsOf = async (solver: typeof truncatedSvdSolver | typeof randomizedSvdSolver, params: object, seed: number) => {
  const { observation, truth } = generateInstance(lowRankApproximation, params, ['low-rank-test', seed]);
  const { solution } = await service.solve(solver, observation, {}, { seed: [seed] });
  const outcome = scoreSolution(lowRankApproximation, observation, truth, solution);
  if (outcome.status !== 'ok') throw new Error(outcome.reason);
  return outcome.metrics;
};

describe('truncated-svd', () => {
  test('an exact rank-2 matrix is reproduced to rounding, with orthonormal U', () => {
    const M = Matrix.fromRows([
      [1, 2, 3],
      [2, 4, 6],
      [1, 0, 1],
      [0, 1, 1],
    ]);
    const { U, V } = truncatedSvdFactors(M, 2);
    const P = matmul(U, V, { transB: true });
    P.data.forEach((v, t) => expect(v).toBeCloseTo(M.data[t], 12));
    const UtU = matmul(U, U, { transA: true });
    expect(Array.from(UtU.data).map((v) => Math.round(v * 1e12) / 1e12 + 0)).toEqual([1, 0, 0, 1]);
  });

  test('the error is the Eckart-Young tail √(Σ_{i>k} σ_i²) for any matrix (property)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 3, max: 12 }), fc.integer({ min: 3, max: 12 }), fc.integer({ min: 1, max: 3 }), (seed, m, n, k) => {
        const M = gaussianMatrix(m, n, createRng('tsvd', seed));
        const { U, V } = truncatedSvdFactors(M, k);
        const P = matmul(U, V, { transB: true });
        const err = Math.sqrt(P.data.reduce((s, v, t) => s + (M.data[t] - v) ** 2, 0));
        const { s } = svd(M);
        const tail = Math.sqrt(s.slice(k).reduce((a, v) => a + v * v, 0));
        expect(err).toBeCloseTo(tail, 10);
      }),
      { numRuns: 30 },
    );
  });

  test('scores ey_ratio 1 on a single matrix; on a set every block gets its own factor (clusters = blocks)', async () => {
    expect((await metricsOf(truncatedSvdSolver, small, 1)).ey_ratio).toBeCloseTo(1, 9);
    // Blocks of 5 columns at rank 6 are reproduced exactly: both errors are rounding, so the ratio is 1 only to ~1e-6.
    const set = await metricsOf(truncatedSvdSolver, smallSet, 1);
    expect(set.ey_ratio).toBeCloseTo(1, 5);
    expect(set.clusters).toBe(6);
    expect(set.rank_used).toBe(5);
  });

  test('a rank above min(m, n) is capped; a bad rank is an error naming it', () => {
    expect(truncatedSvdFactors(Matrix.fromRows([[1, 2]]), 5).U.cols).toBe(1);
    expect(() => truncatedSvdFactors(Matrix.fromRows([[1, 2]]), 0)).toThrow('truncatedSvdFactors: rank = 0; expected an integer >= 1');
  });
});

describe('randomized-svd', () => {
  test('exact on a matrix of rank <= k; the same rng gives the same bits', () => {
    const rng = createRng('rsvd', 1);
    const M = matmul(gaussianMatrix(30, 3, rng), gaussianMatrix(3, 20, rng));
    const a = randomizedSvdFactors(M, 3, { rng: createRng(7) }), b = randomizedSvdFactors(M, 3, { rng: createRng(7) });
    const P = matmul(a.U, a.V, { transB: true });
    P.data.forEach((v, t) => expect(v).toBeCloseTo(M.data[t], 10));
    expect(Array.from(b.V.data)).toEqual(Array.from(a.V.data));
  });

  test('within 1% of the truncated SVD on the decaying-spectrum instance (q = 2 power iterations)', async () => {
    expect((await metricsOf(randomizedSvdSolver, small, 2)).ey_ratio).toBeLessThan(1.01);
    expect((await metricsOf(randomizedSvdSolver, smallSet, 2)).ey_ratio).toBeLessThan(1.01);
  });
});
