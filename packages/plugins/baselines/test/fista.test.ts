import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Matrix, generateInstance, sparseRecovery } from '@parsimony/core';
import { fista, ista, noiseLevelLambda } from '../src/index.js';
import { fixtures, npyMatrix, npyVector, rel, rowsOf, supportOf } from './helpers.js';

describe('fista', () => {
  test('converges to the Lasso solution of scikit-learn, plain and monotone (fixtures/make_fixtures.py)', () => {
    const f = fixtures.cases.lasso;
    const X = npyMatrix(f.X), y = npyVector(f.y);
    const coefs = rowsOf(npyMatrix(f.coef));
    for (const i of [3, 5, 7]) {
      for (const monotone of [false, true]) {
        const { x } = fista(X, y, { lambda: f.runs[i].alpha * X.rows, tol: 1e-12, maxIter: 50000, monotone });
        expect(supportOf(x)).toEqual(supportOf(coefs[i]));
        expect(rel(x, coefs[i])).toBeLessThan(1e-6);
      }
    }
  });

  test('MFISTA: the objective never increases (property)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.double({ min: 1e-3, max: 0.3, noNaN: true }), (seed, lambda) => {
        const { observation: o } = generateInstance(sparseRecovery, { m: 32, n: 64, k: 4 }, ['mfista', seed]);
        const trace: number[] = [];
        fista(o.A, o.y, { lambda, maxIter: 300, tol: 0, monotone: true, onIteration: (_i, v) => trace.push(v) });
        for (let i = 1; i < trace.length; i++) expect(trace[i]).toBeLessThanOrEqual(trace[i - 1]);
      }),
      { numRuns: 20 },
    );
  });

  test('needs far fewer iterations than ISTA to reach the same objective', () => {
    const { observation: o } = generateInstance(sparseRecovery, {}, [2]);
    const lambda = noiseLevelLambda(o.A, o.y, o.noiseStd);
    const target = ista(o.A, o.y, { lambda, tol: 0, maxIter: 3000 }).objective;
    let itF = 0;
    fista(o.A, o.y, { lambda, tol: 0, maxIter: 3000, onIteration: (i, v) => { if (!itF && v <= target * (1 + 1e-9)) itF = i; } });
    expect(itF).toBeGreaterThan(0);
    expect(itF).toBeLessThan(1000);
  });

  test('the quick instance (30 dB) is recovered to better than -20 dB with the default λ', () => {
    const { observation: o, truth } = generateInstance(sparseRecovery, {}, [1]);
    const { x } = fista(o.A, o.y, { lambda: noiseLevelLambda(o.A, o.y, o.noiseStd) });
    expect(20 * Math.log10(rel(x, truth.x))).toBeLessThan(-20);
  });

  test('bad inputs are clear errors, and an aborted signal is honoured', () => {
    expect(() => fista(Matrix.zeros(3, 4), new Float64Array(2), { lambda: 1 })).toThrow('fista: y has 2 entries, A has 3 rows');
    expect(() => fista(Matrix.zeros(3, 4), new Float64Array(3), { lambda: 1, step: 0 })).toThrow('fista: step must be a finite number > 0 (got 0)');
    const { observation: o } = generateInstance(sparseRecovery, { m: 20, n: 40, k: 2 }, [1]);
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    expect(() => fista(o.A, o.y, { lambda: 0.1, signal: ac.signal })).toThrow('stop');
  });
});
