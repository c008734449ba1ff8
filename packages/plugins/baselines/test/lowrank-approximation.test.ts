import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  allFamilies,
  createRegistry,
  createRng,
  gaussianMatrix,
  generateInstance,
  lowRankApproximation,
  matmul,
  Matrix,
  primaryMetric,
  scoreSolution,
  solveService,
  svd,
} from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { columnSampling, columnSamplingSolver } from '../src/solvers/column-sampling.js';

describeSolverConformance(columnSamplingSolver, {
  invalidParams: [
    { params: { rank: 0 }, message: 'params.rank must be >= 1' },
    { params: { columns: 0 }, message: 'params.columns must be >= 1' },
    { params: { columns: 2.5 }, message: 'params.columns' },
  ],
});

const frob2 = (A: Matrix) => A.data.reduce((s, v) => s + v * v, 0);
/** ‖A − U Vᵀ‖²_F. */
const errSq = (A: Matrix, U: Matrix, V: Matrix) => {
  const P = matmul(U, V, { transB: true });
  return A.data.reduce((s, v, t) => s + (v - P.data[t]) ** 2, 0);
};
/** ‖A − A_k‖²_F, the Eckart-Young tail. */
const tailSq = (A: Matrix, k: number) => svd(A).s.slice(k).reduce((s, v) => s + v * v, 0);
/** ‖AAᵀ − CCᵀ‖_F. */
const gramGap = (A: Matrix, C: Matrix) => {
  const G = matmul(A, A, { transB: true }), H = matmul(C, C, { transB: true });
  return Math.sqrt(G.data.reduce((s, v, t) => s + (v - H.data[t]) ** 2, 0));
};

const service = solveService(createRegistry(allFamilies));
const quick = generateInstance(lowRankApproximation, lowRankApproximation.presets.quick, ['quality', 'low-rank-approximation']);
const M = quick.observation.M!;

describe('column-sampling (Drineas, Kannan & Mahoney 2006, LinearTimeSVD)', () => {
  test('is ok on the quick preset (300 x 200, r = 10) and beats the trivial answer (zeros) on ey_ratio', async () => {
    const metric = primaryMetric(lowRankApproximation);
    const { solution } = await service.solve(columnSamplingSolver, quick.observation, {}, { seed: ['quality', 1] });
    const outcome = scoreSolution(lowRankApproximation, quick.observation, quick.truth, solution);
    const trivial = scoreSolution(lowRankApproximation, quick.observation, quick.truth, lowRankApproximation.trivialSolution!(quick.observation));
    expect(outcome.status).toBe('ok');
    if (outcome.status !== 'ok' || trivial.status !== 'ok') throw new Error('not scored');
    expect(outcome.metrics[metric.id], `${metric.id}: ${outcome.metrics[metric.id]} vs ${trivial.metrics[metric.id]} for zeros`).toBeLessThan(trivial.metrics[metric.id]);
    expect(outcome.metrics.rank_used).toBe(10);
  });

  test('approximates every block of a set on its own (one cluster per block)', async () => {
    const { observation, truth } = generateInstance(lowRankApproximation, { variant: 'set', m: 64, rank: 4, blocks: 12, blockCols: 16 }, ['quality', 'column-sampling-set']);
    const { solution } = await service.solve(columnSamplingSolver, observation, {}, { seed: ['quality', 1] });
    const outcome = scoreSolution(lowRankApproximation, observation, truth, solution);
    expect(outcome.status).toBe('ok');
    if (outcome.status !== 'ok') throw new Error(outcome.reason);
    expect(outcome.metrics.clusters).toBe(12);
    expect(outcome.metrics.ey_ratio).toBeLessThan(2);
  });

  test('reproduces a matrix of rank k exactly from c = 4k sampled columns, with orthonormal U', () => {
    const rng = createRng('cs-exact', 1);
    const A = matmul(gaussianMatrix(50, 3, rng), gaussianMatrix(3, 40, rng));
    const { U, V } = columnSampling(A, 3, { rng: createRng(2) });
    expect(errSq(A, U, V)).toBeLessThan(1e-20 * frob2(A));
    const UtU = matmul(U, U, { transA: true });
    UtU.data.forEach((v, t) => expect(v).toBeCloseTo(t % 4 === 0 ? 1 : 0, 12));
  });

  test('samples column j with p_j = |A^(j)|²/‖A‖²_F and rescales it by 1/√(c p_j)', () => {
    const A = Matrix.fromRows([
      [3, 0, 1, 0],
      [4, 0, 1, 2],
    ]);
    const { probabilities: p, indices, C } = columnSampling(A, 1, { columns: 200, rng: createRng(3) });
    expect(Array.from(p)).toEqual([25 / 31, 0, 2 / 31, 4 / 31]);
    expect(indices.includes(1)).toBe(false); // a zero column is never drawn
    for (let t = 0; t < 200; t++) {
      const j = indices[t], s = 1 / Math.sqrt(200 * p[j]);
      expect(C.data[t]).toBeCloseTo(A.data[j] * s, 14);
      expect(C.data[200 + t]).toBeCloseTo(A.data[4 + j] * s, 14);
    }
  });

  test('E‖AAᵀ − CCᵀ‖²_F = (‖A‖⁴_F − ‖AAᵀ‖²_F)/c for norm-squared sampling: the mean over 300 draws is within 10%', () => {
    const A = gaussianMatrix(20, 30, createRng('cs-gram', 1));
    for (let j = 0; j < 30; j++) for (let i = 0; i < 20; i++) A.data[i * 30 + j] *= 1 + j / 5; // unequal column norms
    const c = 12;
    const AAt = matmul(A, A, { transB: true });
    const expected = (frob2(A) ** 2 - frob2(AAt)) / c;
    let mean = 0;
    for (let s = 0; s < 300; s++) mean += gramGap(A, columnSampling(A, 2, { columns: c, rng: createRng('cs-draw', s) }).C) ** 2 / 300;
    expect(Math.abs(mean / expected - 1)).toBeLessThan(0.1);
  });

  test('every draw meets Theorem 2: ‖A − H_kH_kᵀA‖²_F ≤ ‖A − A_k‖²_F + 2√k‖AAᵀ − CCᵀ‖_F (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 4, max: 14 }), fc.integer({ min: 4, max: 14 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 12 }), (seed, m, n, k, c) => {
        const A = gaussianMatrix(m, n, createRng('cs-thm2', seed));
        const res = columnSampling(A, k, { columns: c, rng: createRng('cs-thm2-draw', seed) });
        expect(errSq(A, res.U, res.V)).toBeLessThanOrEqual((tailSq(A, k) + 2 * Math.sqrt(k) * gramGap(A, res.C)) * (1 + 1e-10) + 1e-12);
      }),
      { seed: 1, numRuns: 20 },
    );
  });

  test('on average over 30 seeds the quick matrix meets E‖A − P A‖²_F ≤ ‖A − A_k‖²_F + ε‖A‖²_F with ε = 2√(k/c), and more columns give a smaller error', () => {
    const k = 10, norm = frob2(M), tail = tailSq(M, k);
    const meanErr = (c: number) => {
      let s = 0;
      for (let seed = 0; seed < 30; seed++) {
        const { U, V } = columnSampling(M, k, { columns: c, rng: createRng('cs-bound', seed) });
        s += errSq(M, U, V) / 30;
      }
      return s;
    };
    const small = meanErr(4 * k), large = meanErr(16 * k);
    expect(small).toBeLessThanOrEqual(tail + 2 * Math.sqrt(k / (4 * k)) * norm);
    expect(large).toBeLessThanOrEqual(tail + 2 * Math.sqrt(k / (16 * k)) * norm);
    expect(large).toBeLessThan(small);
    expect(tail).toBeLessThan(large); // the truncated SVD stays optimal
  });

  test('a zero matrix gives zero factors; bad arguments are errors naming them', () => {
    const { U, V } = columnSampling(Matrix.zeros(4, 3), 2, { rng: createRng(1) });
    expect([U.cols, V.cols, frob2(U) + frob2(V)]).toEqual([1, 1, 0]);
    expect(() => columnSampling(M, 0)).toThrow('columnSampling: rank = 0; expected an integer >= 1');
    expect(() => columnSampling(M, 2, { columns: 0 })).toThrow('columnSampling: columns = 0; expected an integer >= 1');
    const bad = Matrix.fromRows([[1, NaN]]);
    expect(() => columnSampling(bad, 1)).toThrow('columnSampling: column 1 of A has a non-finite entry; A must be finite');
  });
});
