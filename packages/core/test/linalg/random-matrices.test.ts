import { describe, expect, test } from 'vitest';
import { createRng, gaussianMatrix, haarOrthogonal } from '../../src/index.js';
import { errorOf, orthError } from './helpers.js';

describe('gaussianMatrix and haarOrthogonal', () => {
  test('gaussianMatrix fills row by row from the stream, scaled by std', () => {
    const a = gaussianMatrix(2, 3, createRng(7), 0.5);
    const r = createRng(7);
    expect(Array.from(a.data)).toEqual(Array.from({ length: 6 }, () => 0.5 * r.normal()));
  });

  test('haarOrthogonal is orthogonal, reproducible, and its QR sign fix makes diag(R) positive', () => {
    const q = haarOrthogonal(30, createRng(1));
    expect(orthError(q)).toBeLessThan(1e-13);
    expect(haarOrthogonal(30, createRng(1))).toEqual(q);
    expect(haarOrthogonal(0, createRng(1)).rows).toBe(0);
  });

  test('Haar statistics: E[Q₀₀] = 0 and E[Q₀₀²] = 1/n', () => {
    const n = 4, trials = 3000;
    const rng = createRng('haar-stats');
    let s = 0, s2 = 0;
    for (let t = 0; t < trials; t++) {
      const q00 = haarOrthogonal(n, rng).data[0];
      s += q00;
      s2 += q00 * q00;
    }
    expect(Math.abs(s / trials)).toBeLessThan(0.04);
    expect(Math.abs(s2 / trials - 1 / n)).toBeLessThan(0.02);
  });

  test('bad arguments are named', () => {
    expect(errorOf(() => gaussianMatrix(-1, 2, createRng(1))).message).toBe('gaussianMatrix: rows must be a non-negative integer, got -1');
    expect(errorOf(() => haarOrthogonal(3, {} as never)).message).toBe('haarOrthogonal: rng must be an Rng (createRng(...))');
  });
});
