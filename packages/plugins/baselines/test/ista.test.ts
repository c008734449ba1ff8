import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Matrix, generateInstance, sparseRecovery } from '@parsimony/core';
import { ista, noiseLevelLambda } from '../src/index.js';
import { fixtures, npyMatrix, npyVector, rel, rowsOf, supportOf } from './helpers.js';

describe('ista', () => {
  test('converges to the Lasso solution of scikit-learn (λ = N·alpha; fixtures/make_fixtures.py)', () => {
    const f = fixtures.cases.lasso;
    const X = npyMatrix(f.X), y = npyVector(f.y);
    const coefs = rowsOf(npyMatrix(f.coef));
    // The tight-tolerance runs (tol = 1e-10) at the two middle alphas.
    for (const i of [3, 5]) {
      const { x } = ista(X, y, { lambda: f.runs[i].alpha * X.rows, tol: 1e-12, maxIter: 100000 });
      expect(supportOf(x)).toEqual(supportOf(coefs[i]));
      expect(rel(x, coefs[i])).toBeLessThan(1e-6);
    }
  });

  test('the objective never increases with the step 1/L (property)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.double({ min: 1e-3, max: 0.3, noNaN: true }), (seed, lambda) => {
        const { observation: o } = generateInstance(sparseRecovery, { m: 32, n: 64, k: 4 }, ['ista', seed]);
        const trace: number[] = [];
        ista(o.A, o.y, { lambda, maxIter: 200, tol: 0, onIteration: (_i, v) => trace.push(v) });
        for (let i = 1; i < trace.length; i++) expect(trace[i]).toBeLessThanOrEqual(trace[i - 1] * (1 + 1e-12));
      }),
      { numRuns: 20 },
    );
  });

  test('λ ≥ ‖Aᵀy‖_∞ gives x = 0', () => {
    const { observation: o } = generateInstance(sparseRecovery, { m: 32, n: 64, k: 4 }, [3]);
    const aty = new Float64Array(64);
    for (let i = 0; i < 32; i++) for (let j = 0; j < 64; j++) aty[j] += o.A.data[i * 64 + j] * o.y[i];
    const lmax = Math.max(...aty.map(Math.abs));
    expect(ista(o.A, o.y, { lambda: lmax * 1.001 }).x.every((v) => v === 0)).toBe(true);
  });

  test('the noise-level λ is σ√(2 ln n) for unit-norm columns, 1e-3‖Aᵀy‖_∞ without noise', () => {
    const A = Matrix.from(2, 4, new Float64Array([1, 0, 0.6, 0, 0, 1, 0.8, 0]));
    expect(noiseLevelLambda(A, new Float64Array([1, 2]), 0.1)).toBeCloseTo(0.1 * Math.sqrt(2 * Math.log(4)), 14);
    expect(noiseLevelLambda(A, new Float64Array([1, 2]), 0)).toBeCloseTo(1e-3 * 2.2, 14);
  });

  test('the quick instance (30 dB) is recovered to better than -20 dB with the default λ', () => {
    const { observation: o, truth } = generateInstance(sparseRecovery, {}, [1]);
    const { x } = ista(o.A, o.y, { lambda: noiseLevelLambda(o.A, o.y, o.noiseStd) });
    expect(20 * Math.log10(rel(x, truth.x))).toBeLessThan(-20);
  });

  test('bad inputs are clear errors, and an aborted signal is honoured', () => {
    expect(() => ista(Matrix.zeros(3, 4), new Float64Array(2), { lambda: 1 })).toThrow('ista: y has 2 entries, A has 3 rows');
    expect(() => ista(Matrix.zeros(3, 4), new Float64Array(3), { lambda: -1 })).toThrow('ista: lambda must be a finite number >= 0 (got -1)');
    const { observation: o } = generateInstance(sparseRecovery, { m: 20, n: 40, k: 2 }, [1]);
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    expect(() => ista(o.A, o.y, { lambda: 0.1, signal: ac.signal })).toThrow('stop');
  });
});
