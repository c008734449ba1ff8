import { describe, expect, test } from 'vitest';
import { Matrix, generateInstance, matvec, sparseRecovery } from '@parsimony/core';
import { sbl } from '../src/index.js';
import { rel, supportOf } from './helpers.js';

describe('sbl (sparse Bayesian learning, EM)', () => {
  test('the quick instance (30 dB) is recovered to better than -25 dB, EM and MacKay alike', () => {
    for (const seed of [1, 2]) {
      const { observation: o, truth } = generateInstance(sparseRecovery, {}, ['sbl', seed]);
      for (const update of ['em', 'mackay'] as const) {
        const { x } = sbl(o.A, o.y, { noiseVar: o.noiseStd! ** 2, update });
        expect(20 * Math.log10(rel(x, truth.x))).toBeLessThan(-25);
      }
    }
  });

  test('finds the support of ±1 signals at 30 dB: the k largest |x̂| are the true support', () => {
    const { observation: o, truth } = generateInstance(sparseRecovery, { amplitudes: 'unit' }, ['sbl', 8]);
    for (const update of ['em', 'mackay'] as const) {
      const { x } = sbl(o.A, o.y, { noiseVar: o.noiseStd! ** 2, update });
      const top = Array.from(x.keys()).sort((a, b) => Math.abs(x[b]) - Math.abs(x[a])).slice(0, o.k).sort((a, b) => a - b);
      expect(top).toEqual(supportOf(truth.x));
    }
  });

  test('prunes: most coefficients end exactly at zero', () => {
    const { observation: o } = generateInstance(sparseRecovery, {}, ['sbl', 3]);
    const { x, gamma } = sbl(o.A, o.y, { noiseVar: o.noiseStd! ** 2 });
    expect(x.filter((v) => v !== 0).length).toBeLessThan(3 * o.k!);
    x.forEach((v, j) => v === 0 && expect(gamma[j]).toBe(0));
  });

  test('learns the noise variance when it is not given (30 dB: within a factor 2)', () => {
    const { observation: o } = generateInstance(sparseRecovery, { m: 128, n: 256, k: 8, snrDb: 30 }, ['sbl', 4]);
    for (const update of ['em', 'mackay'] as const) {
      const { noiseVar } = sbl(o.A, o.y, { update });
      expect(noiseVar / o.noiseStd! ** 2).toBeGreaterThan(0.5);
      expect(noiseVar / o.noiseStd! ** 2).toBeLessThan(2);
    }
  });

  test('recovers noiseless signals (σ² at its floor), including when n ≤ m (the order-p system from the start)', () => {
    const { observation: o, truth } = generateInstance(sparseRecovery, { m: 64, n: 128, k: 5, snrDb: 'inf' }, ['sbl', 5]);
    expect(rel(sbl(o.A, o.y, { noiseVar: 0 }).x, truth.x)).toBeLessThan(1e-3);
    const { observation: t, truth: tt } = generateInstance(sparseRecovery, { m: 80, n: 60, k: 5, snrDb: 'inf' }, ['sbl', 6]);
    expect(rel(sbl(t.A, t.y, { noiseVar: 0 }).x, tt.x)).toBeLessThan(1e-3);
  });

  test('the posterior mean fits the data: Aᵀ(y − Aμ) is small on the kept coefficients', () => {
    const { observation: o } = generateInstance(sparseRecovery, { m: 64, n: 128, k: 5 }, ['sbl', 7]);
    const { x } = sbl(o.A, o.y, { noiseVar: o.noiseStd! ** 2, tol: 1e-8 });
    const fit = matvec(o.A, x);
    const g = matvec(o.A, o.y.map((v, i) => v - fit[i]), true);
    const yn = Math.hypot(...o.y);
    x.forEach((v, j) => v !== 0 && expect(Math.abs(g[j])).toBeLessThan(0.05 * yn));
  });

  test('y = 0 gives x = 0; bad inputs are clear errors; an aborted signal is honoured', () => {
    expect(sbl(Matrix.eye(3), new Float64Array(3)).x.every((v) => v === 0)).toBe(true);
    expect(() => sbl(Matrix.zeros(3, 4), new Float64Array(2))).toThrow('sbl: y has 2 entries, A has 3 rows');
    expect(() => sbl(Matrix.eye(2), new Float64Array(2), { noiseVar: -1 })).toThrow('sbl: noiseVar must be >= 0 (got -1)');
    const { observation: o } = generateInstance(sparseRecovery, { m: 20, n: 40, k: 2 }, [1]);
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    expect(() => sbl(o.A, o.y, { signal: ac.signal })).toThrow('stop');
  });
});
