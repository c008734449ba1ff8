import { describe, expect, test } from 'vitest';
import { Matrix, allFamilies, createRegistry, createRng, solveService, dictionaryLearning, generateInstance, scoreSolution, transpose } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { topkEncode, topkSaeSolver, trainTopkSae, type TopkSaeModel } from '../src/index.js';

describeSolverConformance(topkSaeSolver, {
  params: { steps: 40 },
  invalidParams: [
    { params: { batch: 0 }, message: 'params.batch must be >= 1' },
    { params: { lr: 0 }, message: 'params.lr' },
    { params: { inferenceK: 0 }, message: 'params.inferenceK must be >= 1' },
  ],
});

describe('topk-sae', () => {
  test('codes keep the k largest positive pre-activations, nothing else', () => {
    // Encoder = identity (4 latents in R^4), biases (0, 0, 0, -10): x = (3, -1, 2, 5).
    const I = Matrix.fromRows([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]);
    const model: TopkSaeModel = { Wenc: I, benc: Float64Array.from([0, 0, 0, -10]), Wdec: I };
    const X = Matrix.fromRows([[3, -1, 2, 5]]);
    expect(Array.from(topkEncode(model, X, 1).data)).toEqual([3, 0, 0, 0]);
    expect(Array.from(topkEncode(model, X, 2).data)).toEqual([3, 0, 2, 0]);
    // Only two positive pre-activations: k = 3 keeps two.
    expect(Array.from(topkEncode(model, X, 3).data)).toEqual([3, 0, 2, 0]);
  });

  test('training lowers the reconstruction loss and keeps unit decoder rows', () => {
    const { observation: o } = generateInstance(dictionaryLearning, { n: 16, K: 24, N: 1000, k: 2 }, [3]);
    const losses: number[] = [];
    const model = trainTopkSae(transpose(o.Y), { atoms: 24, k: 2, steps: 300, rng: createRng(1), onStep: (_s, l) => losses.push(l) });
    const head = losses.slice(0, 5).reduce((a, b) => a + b) / 5, tail = losses.slice(-5).reduce((a, b) => a + b) / 5;
    expect(tail).toBeLessThan(0.5 * head);
    for (let j = 0; j < 24; j++) {
      let s = 0;
      for (let i = 0; i < 16; i++) s += model.Wdec.data[j * 16 + i] ** 2;
      expect(s).toBeCloseTo(1, 10);
    }
  });

  test('the solver codes with observation.inferenceK per column when the task sets it', async () => {
    const { observation: o, truth } = generateInstance(dictionaryLearning, { variant: 'hierarchical', n: 32, atoms: 32, k: 4, N: 300, inferenceK: 6 }, [2]);
    const { solution } = await solveService(createRegistry(allFamilies)).solve(topkSaeSolver, o, { steps: 60 }, { seed: [1] });
    const sol = solution as { X: Matrix };
    for (let j = 0; j < 300; j++) {
      let nnz = 0;
      for (let a = 0; a < 32; a++) if (sol.X.data[a * 300 + j] !== 0) nnz++;
      expect(nnz).toBeLessThanOrEqual(6);
    }
    expect(scoreSolution(dictionaryLearning, o, truth, sol).status).toBe('ok');
  });
});
