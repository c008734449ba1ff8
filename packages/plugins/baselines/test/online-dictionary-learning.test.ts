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
} from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { blockCoordinateDictionary, normalizeAtoms } from '../src/internal/dictionary.js';
import { onlineDictionaryLearning, onlineDictionaryLearningSolver } from '../src/solvers/online-dictionary-learning.js';

describeSolverConformance(onlineDictionaryLearningSolver, {
  params: { epochs: 3 },
  invalidParams: [
    { params: { epochs: 0 }, message: 'params.epochs must be > 0' },
    { params: { batch: 0 }, message: 'params.batch must be >= 1' },
    { params: { passes: 0 }, message: 'params.passes must be >= 1' },
    { params: { past: 'forget' }, message: 'params.past' },
  ],
});

const service = solveService(createRegistry(allFamilies));

/** The surrogate ½ tr(DᵀD A) − tr(DᵀB) with D and B atom-major (K x n). */
function surrogate(Dt: Float64Array, K: number, n: number, A: Float64Array, Bt: Float64Array): number {
  let f = 0;
  for (let a = 0; a < K; a++)
    for (let b = 0; b < K; b++) {
      let g = 0;
      for (let i = 0; i < n; i++) g += Dt[a * n + i] * Dt[b * n + i];
      f += 0.5 * g * A[a * K + b];
    }
  for (let t = 0; t < K * n; t++) f -= Dt[t] * Bt[t];
  return f;
}

describe('online dictionary learning: the block-coordinate update (Alg. 2)', () => {
  test('converges to D* when B = D* A with unit-norm D* (the surrogate is ½‖(D − D*) A^½‖² + const)', () => {
    const K = 6, n = 5, rng = createRng('odl', 'bcd');
    const Ds = gaussianMatrix(K, n, rng).data.slice(); // atom-major D*
    normalizeAtoms(Ds, K, n);
    const Z = gaussianMatrix(K, 3 * K, rng);
    const A = matmul(Z, Z, { transB: true }).data; // SPD
    const Bt = matmul(Matrix.from(K, K, A), Matrix.from(K, n, Ds)).data; // (D* A)ᵀ = A D*ᵀ
    const Dt = gaussianMatrix(K, n, rng).data.slice();
    normalizeAtoms(Dt, K, n);
    blockCoordinateDictionary(Dt, K, n, A, Bt, 500);
    for (let t = 0; t < K * n; t++) expect(Dt[t]).toBeCloseTo(Ds[t], 8);
  });

  test('each sweep never increases the surrogate over unit-norm atoms (property)', () => {
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        const K = 5, n = 4, rng = createRng('odl', 'sweep', seed);
        const Z = gaussianMatrix(K, 2 * K, rng);
        const A = matmul(Z, Z, { transB: true }).data;
        const Bt = gaussianMatrix(K, n, rng).data;
        const Dt = gaussianMatrix(K, n, rng).data.slice();
        normalizeAtoms(Dt, K, n);
        let f = surrogate(Dt, K, n, A, Bt);
        for (let s = 0; s < 5; s++) {
          blockCoordinateDictionary(Dt, K, n, A, Bt, 1);
          const g = surrogate(Dt, K, n, A, Bt);
          expect(g).toBeLessThanOrEqual(f + 1e-10 * Math.abs(f));
          f = g;
        }
      }),
      { seed: 1, numRuns: 20 },
    );
  });

  test('an atom with A_jj at or below the purge level is handed to the replacement', () => {
    const K = 3, n = 2;
    const A = Float64Array.from([2, 0, 0, 0, 0, 0, 0, 0, 1]);
    const Bt = Float64Array.from([1, 0, 0, 0, 0, 1]);
    const Dt = Float64Array.from([1, 0, 1, 0, 0, 1]);
    const seen: number[] = [];
    expect(blockCoordinateDictionary(Dt, K, n, A, Bt, 3, 0, (j) => seen.push(j))).toBe(1);
    expect(seen).toEqual([1]);
  });
});

describe('onlineDictionaryLearning', () => {
  test('started at a planted truth with exact codes, a step keeps it: the truth minimizes the surrogate built from them', () => {
    // One mini-batch holding all N samples gives A = X Xᵀ and B = Y Xᵀ = D X Xᵀ. With an orthogonal truth OMP
    // codes exactly, so the unit-atom minimizer is the truth itself (run here without the orthogonal constraint).
    const { observation: o, truth } = generateInstance(dictionaryLearning, { orthogonal: true, n: 12, N: 400, k: 3, snrDb: 'inf' }, ['odl', 'fixed-point']);
    const { D, repErr } = onlineDictionaryLearning(o.Y, { atoms: 12, k: 3, epochs: 1, batch: 400, D0: truth.D, rng: createRng(1) });
    for (let t = 0; t < D.data.length; t++) expect(D.data[t]).toBeCloseTo(truth.D.data[t], 10);
    expect(repErr).toBeLessThan(1e-10);
  });

  test('lowers the mini-batch error over the steps and returns unit atoms', () => {
    const { observation: o } = generateInstance(dictionaryLearning, { n: 16, K: 24, N: 800, k: 2 }, ['odl', 'trend']);
    const errs: number[] = [];
    const { D, steps } = onlineDictionaryLearning(o.Y, { atoms: 24, k: 2, epochs: 6, batch: 100, rng: createRng(2), onStep: (_t, e) => errs.push(e) });
    expect(steps).toBe(48);
    const head = errs.slice(0, 4).reduce((a, b) => a + b) / 4, tail = errs.slice(-4).reduce((a, b) => a + b) / 4;
    expect(tail).toBeLessThan(0.6 * head);
    for (let a = 0; a < 24; a++) {
      let s = 0;
      for (let i = 0; i < 16; i++) s += D.data[i * 24 + a] ** 2;
      expect(s).toBeCloseTo(1, 12);
    }
  });

  test('with orthogonal, every dictionary is polar(B): the result is orthogonal and recovers an orthogonal truth', async () => {
    const { observation, truth } = generateInstance(dictionaryLearning, { orthogonal: true, n: 16, N: 1000, k: 3 }, ['odl', 'orthogonal']);
    const { solution } = await service.solve(onlineDictionaryLearningSolver, observation, {}, { seed: [1] });
    const r = scoreSolution(dictionaryLearning, observation, truth, solution);
    if (r.status !== 'ok') throw new Error(r.reason);
    expect(r.metrics.atom_recovery).toBeGreaterThanOrEqual(0.9);
  });

  test('bad inputs are errors naming the field', () => {
    const Y = Matrix.zeros(4, 10);
    expect(() => onlineDictionaryLearning(Y, { atoms: 3, k: 1, epochs: 0, rng: createRng(1) })).toThrow('onlineDictionaryLearning: options.epochs must be a finite number > 0 (got 0)');
    expect(() => onlineDictionaryLearning(Y, { atoms: 3, k: 1, batch: 2.5, rng: createRng(1) })).toThrow('onlineDictionaryLearning: options.batch must be an integer >= 1 (got 2.5)');
    expect(() => onlineDictionaryLearning(Y, { atoms: 6, k: 1, orthogonal: true, rng: createRng(1) })).toThrow('onlineDictionaryLearning: options.orthogonal needs a square dictionary, atoms = n (got atoms = 6, n = 4)');
    expect(() => onlineDictionaryLearning(Y, { atoms: 3, k: 1 } as never)).toThrow('onlineDictionaryLearning: options.rng is required');
  });
});

describe('baselines/online-dictionary-learning on the family', () => {
  test.each(['replace', 'decay'] as const)("past = '%s' beats the trivial answer on the primary metric on the quick preset", async (past) => {
    const family = dictionaryLearning;
    const { observation, truth } = generateInstance(family, family.presets.quick, ['quality', family.id]);
    const { solution } = await service.solve(onlineDictionaryLearningSolver, observation, { past }, { seed: [1] });
    const outcome = scoreSolution(family, observation, truth, solution);
    const trivial = scoreSolution(family, observation, truth, family.trivialSolution!(observation));
    if (outcome.status !== 'ok' || trivial.status !== 'ok') throw new Error(`status ${outcome.status} / ${trivial.status}`);
    const metric = primaryMetric(family);
    expect(outcome.metrics[metric.id]).toBeGreaterThan(trivial.metrics[metric.id]);
    expect(outcome.metrics.rep_err).toBeLessThan(trivial.metrics.rep_err);
  });
});
