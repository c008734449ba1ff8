import { describe, expect, test } from 'vitest';
import { Matrix, allFamilies, createRegistry, createRng, dictionaryLearning, generateInstance, matmul, scoreSolution, solveService } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { l4MspBatch, l4MspBatchSolver } from '../src/index.js';

const orthogonal = { orthogonal: true, n: 8, N: 600, theta: 0.3, k: 3, snrDb: 'inf' as const };

describeSolverConformance(l4MspBatchSolver, {
  instance: orthogonal,
  invalidParams: [
    { params: { maxIter: 0 }, message: 'params.maxIter must be >= 1' },
    { params: { tol: -1 }, message: 'params.tol must be >= 0' },
  ],
});

describe('l4-msp-batch', () => {
  test('returns an orthogonal matrix', () => {
    const { observation: o } = generateInstance(dictionaryLearning, orthogonal, [2]);
    const D = l4MspBatch(o.Y, { rng: createRng(1), maxIter: 5 });
    const G = matmul(D, D, { transA: true });
    G.data.forEach((v, i) => expect(v).toBeCloseTo(i % 9 === 0 ? 1 : 0, 12));
  });

  test('recovers an orthogonal dictionary from noiseless Bernoulli-Gaussian data', async () => {
    const { observation, truth } = generateInstance(dictionaryLearning, { ...orthogonal, N: 2000 }, [3]);
    const { solution } = await solveService(createRegistry(allFamilies)).solve(l4MspBatchSolver, observation, {}, { seed: [1] });
    const r = scoreSolution(dictionaryLearning, observation, truth, solution);
    if (r.status !== 'ok') throw new Error(r.reason);
    expect(r.metrics.l4_err).toBeLessThan(0.02);
    expect(r.metrics.atom_recovery).toBe(1);
  });

  test('a signed permutation of the truth is (nearly) a fixed point on noiseless data', () => {
    const { observation: o, truth } = generateInstance(dictionaryLearning, { ...orthogonal, N: 4000 }, [4]);
    const D = l4MspBatch(o.Y, { D0: truth.D, maxIter: 20 });
    const C = matmul(D, truth.D, { transA: true });
    for (let a = 0; a < 8; a++) expect(Math.abs(C.data[a * 8 + a])).toBeGreaterThan(0.99);
  });

  test('skips a non-orthogonal task (more atoms than dimensions), saying why', async () => {
    const { observation } = generateInstance(dictionaryLearning, { n: 8, K: 12, N: 100, k: 2 }, [1]);
    await expect(solveService(createRegistry(allFamilies)).solve(l4MspBatchSolver, observation, {}, { seed: [1] })).rejects.toMatchObject({
      code: 'PARSIMONY_UNSUPPORTED',
      message: expect.stringMatching(/learns a square orthogonal dictionary; this task asks for 12 atoms in dimension 8$/),
    });
  });

  test('needs D0 or an rng', () => {
    expect(() => l4MspBatch(Matrix.zeros(4, 10))).toThrow('options.rng');
  });
});
