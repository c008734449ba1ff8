import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Matrix, generateInstance, sparseRecovery } from '@parsimony/core';
import { iht } from '../src/index.js';
import { rel } from './helpers.js';

describe('iht (normalized IHT)', () => {
  test('recovers k-sparse signals from noiseless Gaussian measurements (property)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 6 }), (seed, k) => {
        const { observation: o, truth } = generateInstance(sparseRecovery, { m: 64, n: 128, k, snrDb: 'inf' }, ['iht', seed]);
        expect(rel(iht(o.A, o.y, { k, maxIter: 2000 }), truth.x)).toBeLessThan(1e-6);
      }),
      { numRuns: 30 },
    );
  });

  test('the residual never increases (the step rule of Blumensath & Davies 2010) (property)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 2, max: 20 }), (seed, k) => {
        const { observation: o } = generateInstance(sparseRecovery, { m: 48, n: 128, k: 8 }, ['iht-monotone', seed]);
        const res: number[] = [Math.hypot(...o.y)];
        iht(o.A, o.y, { k, maxIter: 100, onIteration: (_i, r) => res.push(r) });
        for (let i = 1; i < res.length; i++) expect(res[i]).toBeLessThanOrEqual(res[i - 1] * (1 + 1e-12));
      }),
      { numRuns: 30 },
    );
  });

  test('the quick instance (30 dB) is recovered to better than -25 dB', () => {
    const { observation: o, truth } = generateInstance(sparseRecovery, {}, [1]);
    expect(20 * Math.log10(rel(iht(o.A, o.y, { k: o.k }), truth.x))).toBeLessThan(-25);
  });

  test('returns at most k nonzeros, and y = 0 gives x = 0', () => {
    const { observation: o } = generateInstance(sparseRecovery, { m: 40, n: 80, k: 10 }, [5]);
    expect(iht(o.A, o.y, { k: 4 }).filter((v) => v !== 0).length).toBeLessThanOrEqual(4);
    expect(iht(o.A, new Float64Array(40), { k: 4 }).every((v) => v === 0)).toBe(true);
  });

  test('works when ‖A‖₂ is far from 1 (the normalized step needs no scaling)', () => {
    const { observation: o, truth } = generateInstance(sparseRecovery, { m: 64, n: 128, k: 4, snrDb: 'inf' }, [7]);
    const big = Matrix.from(64, 128, o.A.data.map((v) => 50 * v));
    const y = o.y.map((v) => 50 * v);
    expect(rel(iht(big, y, { k: 4 }), truth.x)).toBeLessThan(1e-6);
  });

  test('honours an aborted signal', () => {
    const { observation: o } = generateInstance(sparseRecovery, { m: 20, n: 40, k: 2 }, [1]);
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    expect(() => iht(o.A, o.y, { k: 2, signal: ac.signal })).toThrow('stop');
  });

  test('y of the wrong length is a clear error', () => {
    expect(() => iht(Matrix.zeros(3, 4), new Float64Array(2))).toThrow('iht: y has 2 entries, A has 3 rows');
  });
});
