import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Matrix, generateInstance, sparseRecovery } from '@parsimony/core';
import { cosamp } from '../src/index.js';
import { rel } from './helpers.js';

describe('cosamp', () => {
  test('recovers k-sparse signals exactly from noiseless Gaussian measurements (property)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 8 }), (seed, k) => {
        const { observation: o, truth } = generateInstance(sparseRecovery, { m: 64, n: 128, k, snrDb: 'inf' }, ['cosamp', seed]);
        expect(rel(cosamp(o.A, o.y, { k }), truth.x)).toBeLessThan(1e-10);
      }),
      { numRuns: 30 },
    );
  });

  test('the quick instance (30 dB) is recovered to better than -25 dB', () => {
    const { observation: o, truth } = generateInstance(sparseRecovery, {}, [1]);
    const x = cosamp(o.A, o.y, { k: o.k, tol: o.noiseStd! * Math.sqrt(o.A.rows) });
    expect(20 * Math.log10(rel(x, truth.x))).toBeLessThan(-25);
  });

  test('returns at most k nonzeros, and y = 0 gives x = 0', () => {
    const { observation: o } = generateInstance(sparseRecovery, { m: 40, n: 80, k: 10 }, [5]);
    expect(cosamp(o.A, o.y, { k: 4 }).filter((v) => v !== 0).length).toBeLessThanOrEqual(4);
    expect(cosamp(o.A, new Float64Array(40), { k: 4 }).every((v) => v === 0)).toBe(true);
  });

  test('stops at the residual tolerance', () => {
    const { observation: o } = generateInstance(sparseRecovery, { m: 64, n: 128, k: 5 }, [2]);
    const residuals: number[] = [];
    cosamp(o.A, o.y, { k: 5, tol: 0.5 * Math.hypot(...o.y), onIteration: (_i, r) => residuals.push(r) });
    expect(residuals.length).toBe(1);
    expect(residuals[0]).toBeLessThan(0.5 * Math.hypot(...o.y));
  });

  test('duplicate columns do not break the least-squares step', () => {
    const A = Matrix.fromRows([
      [1, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ]);
    const x = cosamp(A, new Float64Array([2, 3, 0]), { k: 2 });
    expect(x[0] + x[1]).toBeCloseTo(2, 12);
    expect(x[2]).toBeCloseTo(3, 12);
  });

  test('honours an aborted signal', () => {
    const { observation: o } = generateInstance(sparseRecovery, { m: 20, n: 40, k: 2 }, [1]);
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    expect(() => cosamp(o.A, o.y, { k: 2, signal: ac.signal })).toThrow('stop');
  });

  test('y of the wrong length is a clear error', () => {
    expect(() => cosamp(Matrix.zeros(3, 4), new Float64Array(2))).toThrow('cosamp: y has 2 entries, A has 3 rows');
  });
});
