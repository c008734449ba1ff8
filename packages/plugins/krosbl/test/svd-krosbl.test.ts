import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Matrix, createRng, generateInstance, sparseRecovery, svd } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { svdKrosbl, svdKrosblSolver } from '../src/index.js';
import { svdMStep } from '../src/solvers/svd-krosbl.js';
import { kronVec } from '../src/internal/engine.js';
import { KRON_TASK, factorsOf, nmseDb, rel } from './helpers.js';

describeSolverConformance(svdKrosblSolver, {
  instance: KRON_TASK,
  invalidParams: [
    { params: { maxIter: 0 }, message: 'params.maxIter must be >= 1' },
    { params: { tol: -1 }, message: 'params.tol must be >= 0' },
    { params: { innerTol: 1e-5 }, message: 'innerTol' }, // an AM-only option
  ],
});

describe('the SVD M-step (sequential rank-one fit)', () => {
  test('a rank-one Λ = λ_1 ⊗ λ_2 ⊗ λ_3 is recovered exactly: ⊗γ_i = Λ, ‖γ_1‖ = ‖γ_2‖ = 1', () => {
    const rng = createRng('test/krosbl-svd', 1);
    const parts = [4, 3, 5].map((N) => Float64Array.from({ length: N }, () => 0.5 + rng.uniform()));
    const lambda = kronVec(parts);
    const gammas = [4, 3, 5].map((N) => new Float64Array(N));
    svdMStep(lambda, gammas);
    expect(rel(kronVec(gammas), lambda)).toBeLessThan(1e-12);
    expect(Math.hypot(...gammas[0])).toBeCloseTo(1, 12);
    expect(Math.hypot(...gammas[1])).toBeCloseTo(1, 12);
  });

  test('two factors: γ_1 ⊗ γ_2 is the best rank-one approximation of Λ (error = the trailing singular values, property)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), (seed, n1, n2) => {
        const rng = createRng('test/krosbl-svd-eckart', seed);
        const lambda = Float64Array.from({ length: n1 * n2 }, () => rng.uniform());
        const gammas = [new Float64Array(n1), new Float64Array(n2)];
        svdMStep(lambda, gammas);
        const approx = kronVec(gammas);
        const err2 = lambda.reduce((s, v, j) => s + (v - approx[j]) ** 2, 0);
        const { s } = svd(Matrix.from(n1, n2, lambda.slice()));
        const tail2 = s.slice(1).reduce((a, v) => a + v * v, 0);
        expect(err2).toBeCloseTo(tail2, 10);
        expect(gammas.every((g) => g.every((v) => v >= 0))).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  test('one factor: γ = Λ (classic EM-SBL)', () => {
    const lambda = new Float64Array([0.5, 2, 1e-3]);
    const gammas = [new Float64Array(3)];
    svdMStep(lambda, gammas);
    expect(Array.from(gammas[0])).toEqual([0.5, 2, 1e-3]);
  });
});

describe('svdKrosbl', () => {
  test('recovers the Kronecker task (20 dB) to better than -15 dB NMSE', () => {
    const { observation: o, truth } = generateInstance(sparseRecovery, KRON_TASK, ['svd', 2]);
    expect(nmseDb(svdKrosbl(factorsOf(o), o.y, { noiseVar: o.noiseStd! ** 2 }).x, truth.x)).toBeLessThan(-15);
  });

  test('noiseless three-factor signals are recovered almost exactly', () => {
    const params = { matrix: 'kronecker', m: 192, n: 512, k: 8, kroneckerRows: [4, 6, 8], kroneckerCols: [8, 8, 8], kroneckerSparsity: [2, 2, 2], snrDb: 'inf' } as const;
    const { observation: o, truth } = generateInstance(sparseRecovery, params, ['svd', 3]);
    expect(nmseDb(svdKrosbl(factorsOf(o), o.y, { noiseVar: 0 }).x, truth.x)).toBeLessThan(-40);
  });

  test('prunes: the estimate is nonzero only on a product of per-factor index sets near the true ones', () => {
    const { observation: o, truth } = generateInstance(sparseRecovery, KRON_TASK, ['svd', 4]);
    const { x, gammas } = svdKrosbl(factorsOf(o), o.y, { noiseVar: o.noiseStd! ** 2 });
    const kept = gammas.map((g) => g.filter((v) => v > 0).length);
    expect(x.filter((v) => v !== 0).length).toBe(kept[0] * kept[1]);
    expect(kept[0] * kept[1]).toBeLessThan(4 * 9);
    expect(truth.x.filter((v) => v !== 0).length).toBe(9);
  });

  test('an aborted signal is honoured; y of the wrong length is a clear error', () => {
    const { observation: o } = generateInstance(sparseRecovery, KRON_TASK, ['svd', 5]);
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    expect(() => svdKrosbl(factorsOf(o), o.y, { signal: ac.signal })).toThrow('stop');
    expect(() => svdKrosbl(factorsOf(o), new Float64Array(3))).toThrow('svdKrosbl: y has 3 entries, 10x16 ⊗ 10x16 has 100 rows');
  });
});
