import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  Matrix,
  allFamilies,
  createRegistry,
  createRng,
  dictionaryLearning,
  gaussianMatrix,
  generateInstance,
  matmul,
  primaryMetric,
  scoreSolution,
  solveService,
  transpose,
  type AnySolver,
} from '@parsimony/core';
import { denseCodes, ompCodes, polarFactor, replaceWithWorst, rowEnergies, sparseCodes } from '../src/internal/dictionary.js';
import { ksvdSolver } from '../src/solvers/ksvd.js';
import { modSolver } from '../src/solvers/mod.js';
import { omp } from '../src/solvers/omp.js';
import { onlineDictionaryLearningSolver } from '../src/solvers/online-dictionary-learning.js';

const service = solveService(createRegistry(allFamilies));
const solvers: readonly AnySolver[] = [ksvdSolver, modSolver, onlineDictionaryLearningSolver];

describe('dictionary helpers', () => {
  test('batch Gram-form coding gives the plugin OMP codes of every column and their exact squared residuals (property)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 4 }), (seed, k) => {
        const rng = createRng('dictionary', 'codes', seed);
        const n = 7, K = 11, N = 15;
        const D = gaussianMatrix(n, K, rng), Y = gaussianMatrix(n, N, rng);
        const Dt = transpose(D).data, Yt = transpose(Y).data;
        const codes = sparseCodes(N, k), err = new Float64Array(N);
        ompCodes(Dt, K, n, Yt, N, k, codes, err, rowEnergies(Yt, N, n));
        const X = denseCodes(codes, K);
        for (let j = 0; j < N; j++) {
          const y = Matrix.column(Y, j);
          const x = omp(D, y, { k });
          const r = y.slice();
          for (let a = 0; a < K; a++) {
            expect(X.data[a * N + j]).toBeCloseTo(x[a], 9);
            for (let i = 0; i < n; i++) r[i] -= x[a] * D.data[i * K + a];
          }
          expect(err[j]).toBeCloseTo(r.reduce((s, v) => s + v * v, 0), 9);
        }
      }),
      { seed: 1, numRuns: 20 },
    );
  });

  test('unused atoms are replaced by the worst-represented samples, worst first, normalized', () => {
    const Yt = Float64Array.from([3, 0, 0, 2, 0, 0, 4, 0]); // four samples in R^2
    const err = Float64Array.from([1, 5, 0.5, 9]);
    const Dt = new Float64Array(6);
    expect(replaceWithWorst(Dt, 2, Yt, err, [0, 2])).toBe(2);
    expect(Array.from(Dt)).toEqual([1, 0, 0, 0, 0, 1]);
  });

  test('the polar factor of a square matrix is orthogonal and maximizes tr(QᵀM)', () => {
    const M = Matrix.fromRows([[2, 1], [0, 1]]);
    const Q = Matrix.from(2, 2, polarFactor(M));
    const G = matmul(Q, Q, { transA: true });
    G.data.forEach((v, t) => expect(v).toBeCloseTo(t % 3 === 0 ? 1 : 0, 14));
    // tr(QᵀM) at the polar factor is the nuclear norm of M: sqrt(tr(MᵀM) + 2|det M|) for 2x2.
    const tr = Q.data[0] * 2 + Q.data[1] * 1 + Q.data[3] * 1;
    expect(tr).toBeCloseTo(Math.sqrt(6 + 2 * 2), 12);
  });
});

describe('the dictionary baselines on coding-only tasks (D given)', () => {
  test.each(solvers.map((s) => [s.id, s] as const))('%s returns the OMP codes at the matched density, better than zeros', async (_id, solver) => {
    const { observation, truth } = generateInstance(dictionaryLearning, { variant: 'coding-only', n: 16, K: 32, N: 400, k: 3 }, ['dictionary', 'coding-only']);
    const { solution } = await service.solve(solver, observation, {}, { seed: [1] });
    const X = (solution as { X: Matrix }).X;
    const ref = omp(observation.D!, Matrix.column(observation.Y, 7), { k: 3 });
    for (let a = 0; a < 32; a++) expect(X.data[a * 400 + 7]).toBeCloseTo(ref[a], 9);
    const r = scoreSolution(dictionaryLearning, observation, truth, solution);
    const t = scoreSolution(dictionaryLearning, observation, truth, dictionaryLearning.trivialSolution!(observation));
    if (r.status !== 'ok' || t.status !== 'ok') throw new Error('not ok');
    // The dictionary is the truth: the primary metric is 1 for every answer, so equal is the best possible.
    const metric = primaryMetric(dictionaryLearning);
    expect(r.metrics[metric.id]).toBe(t.metrics[metric.id]);
    expect(r.metrics.density).toBeLessThanOrEqual(3 / 32);
    expect(r.metrics.rep_err).toBeLessThan(0.3 * t.metrics.rep_err);
  });
});
