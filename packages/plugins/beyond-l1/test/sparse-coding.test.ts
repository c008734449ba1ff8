import { describe, expect, test } from 'vitest';
import { allFamilies, createRegistry, createRng, dictionaryLearning, generateInstance, haarOrthogonal, matmul, Matrix, scoreSolution, solveService } from '@parsimony/core';
import plugin, { learnDictionary, sparseCode } from '../src/index.js';
import { CODING_TASK } from './helpers.js';

describe('sparseCode on an orthonormal dictionary (separable: the proximal fixed point is known)', () => {
  const n = 16, N = 5;
  const D = haarOrthogonal(n, createRng('ortho', 1));
  const Y = Matrix.zeros(n, N);
  createRng('ortho-y', 1).fillNormal(Y.data as Float64Array);
  const C = matmul(D, Y, { transA: true }); // Dᵀy
  const exact = { tol: 1e-12, maxIter: 5000 };

  test('soft converges to the ℓ1 solution soft(Dᵀy, λ)', () => {
    const lambda = 0.4;
    const { X } = sparseCode(D, Y, { operator: 'soft', lambda, ...exact });
    C.data.forEach((c, t) => expect(X.data[t]).toBeCloseTo(Math.sign(c) * Math.max(Math.abs(c) - lambda, 0), 9));
  });

  test('CEL0 converges to the ℓ0 solution c·1{|c| > √(2λ)}: no shrinkage bias, the point of the paper', () => {
    const lambda = 0.4;
    const { X } = sparseCode(D, Y, { operator: 'cel0', lambda, ...exact });
    C.data.forEach((c, t) => expect(X.data[t]).toBeCloseTo(Math.abs(c) > Math.sqrt(2 * lambda) ? c : 0, 9));
  });

  test('with a target density every operator lands in [0.9ρ, ρ]', () => {
    for (const operator of ['soft', 'hard', 'half', 'cel0'] as const) {
      const { density } = sparseCode(D, Y, { operator, density: 0.25 });
      expect(density, operator).toBeLessThanOrEqual(0.25);
      expect(density, operator).toBeGreaterThanOrEqual(0.225);
    }
  });
});

describe('bad input names the field', () => {
  const D = Matrix.zeros(4, 6), Y = Matrix.zeros(5, 3);
  test('rows of D and Y differ', () => expect(() => sparseCode(D, Y, { operator: 'soft', density: 0.1 })).toThrow(/D has 4 rows, Y has 5/));
  test('no λ and no density', () => expect(() => sparseCode(D, Matrix.zeros(4, 3), { operator: 'soft' })).toThrow(/density = undefined/));
  test('unknown operator', () => expect(() => sparseCode(D, Matrix.zeros(4, 3), { operator: 'l2' as 'soft', lambda: 1 })).toThrow(/operator = "l2"/));
  test('non-finite data', () => {
    const y = Matrix.zeros(4, 3);
    y.data[2] = NaN;
    expect(() => sparseCode(D, y, { operator: 'soft', lambda: 1 })).toThrow(/Y has a non-finite entry/);
  });
  test('atoms of learnDictionary', () => expect(() => learnDictionary(Y, { atoms: 0, operator: 'soft', density: 0.1, rng: createRng('x', 1) })).toThrow(/atoms = 0/));
});

test('learnDictionary returns unit atoms and codes at the matched density', () => {
  const { observation } = generateInstance(dictionaryLearning, { n: 12, K: 24, N: 300, k: 2, amplitudes: 'spread' }, [3]);
  const { D, X, density } = learnDictionary(observation.Y, { atoms: 24, operator: 'cel0', density: 2 / 24, epochs: 2, rng: createRng('learn', 1) });
  expect([D.rows, D.cols, X.rows, X.cols]).toEqual([12, 24, 24, 300]);
  for (let a = 0; a < 24; a++) {
    let s = 0;
    for (let i = 0; i < 12; i++) s += D.data[i * 24 + a] ** 2;
    expect(s).toBeCloseTo(1, 12);
  }
  expect(density).toBeLessThanOrEqual(2 / 24);
  expect(density).toBeGreaterThanOrEqual(0.9 * (2 / 24));
});

test('coding-only through the solve service: the solution respects the family\'s density cap nnz(X) ≤ kN', async () => {
  const service = solveService(createRegistry(allFamilies));
  const { observation, truth } = generateInstance(dictionaryLearning, CODING_TASK, [7]);
  for (const solver of plugin.solvers) {
    const { solution } = await service.solve(solver, observation, {}, { seed: [7] });
    const outcome = scoreSolution(dictionaryLearning, observation, truth, solution);
    expect(outcome.status, solver.id).toBe('ok');
  }
});
