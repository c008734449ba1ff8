import { describe, expect, test } from 'vitest';
import { Matrix, createRng, eigh, lanczos, matvec, powerIteration } from '../../src/index.js';
import { errorOf, symmetric, withSpectrum } from './helpers.js';

describe('lanczos', () => {
  test('the k largest, smallest and largest-magnitude eigenpairs of a symmetric matrix', () => {
    const a = symmetric(120, 4);
    const all = eigh(a).values;
    const n = all.length;
    const top = lanczos(a, 4);
    expect(top.converged).toBe(true);
    for (let i = 0; i < 4; i++) expect(Math.abs(top.values[i] - all[n - 1 - i])).toBeLessThan(1e-9);
    const bottom = lanczos(a, 3, { which: 'smallest' });
    for (let i = 0; i < 3; i++) expect(Math.abs(bottom.values[i] - all[i])).toBeLessThan(1e-9);
    const mag = lanczos(a, 2, { which: 'magnitude' });
    const byMag = [...all].sort((x, y) => Math.abs(y) - Math.abs(x));
    for (let i = 0; i < 2; i++) expect(Math.abs(mag.values[i] - byMag[i])).toBeLessThan(1e-9);
    // Residuals ‖A v − λ v‖.
    for (let c = 0; c < 4; c++) {
      const v = Matrix.column(top.vectors, c);
      const av = matvec(a, v);
      let r = 0;
      for (let i = 0; i < n; i++) r += (av[i] - top.values[c] * v[i]) ** 2;
      expect(Math.sqrt(r)).toBeLessThan(1e-8);
    }
  });

  test('works on an operator that is never formed', () => {
    const d = Float64Array.from({ length: 500 }, (_, i) => i / 10);
    const op = (x: Float64Array, y: Float64Array) => {
      for (let i = 0; i < x.length; i++) y[i] = d[i] * x[i];
    };
    const r = lanczos(op, 3, { n: 500, rng: createRng(2) });
    expect(Array.from(r.values).map((v) => Math.round(v * 10))).toEqual([499, 498, 497]);
  });

  test('a low-rank matrix: the Krylov space becomes invariant early', () => {
    const a = withSpectrum([5, 3, ...Array(38).fill(0)], 1);
    const r = lanczos(a, 2);
    expect(r.values[0]).toBeCloseTo(5, 10);
    expect(r.values[1]).toBeCloseTo(3, 10);
  });

  test('bad k is named', () => {
    expect(errorOf(() => lanczos(Matrix.eye(3), 4)).message).toBe('lanczos: k must be an integer in [1, 3], got 4');
  });
});

describe('powerIteration', () => {
  test('the dominant eigenpair', () => {
    const a = withSpectrum([10, 4, 3, 2, 1, 0.5], 3);
    const { value, vector } = powerIteration(a);
    expect(value).toBeCloseTo(10, 9);
    const av = matvec(a, vector);
    expect(Math.max(...av.map((x, i) => Math.abs(x - value * vector[i])))).toBeLessThan(1e-5);
    expect(powerIteration(Matrix.zeros(3, 3)).value).toBe(0);
  });
});
