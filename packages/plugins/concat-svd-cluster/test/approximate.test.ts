import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Matrix } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { approximate, approximateEstimate, approximateSolver } from '../src/index.js';
import { exactError, randomBlocks, SMALL } from './helpers.js';

describeSolverConformance(approximateSolver, {
  instance: SMALL,
  invalidParams: [
    { params: { oversampling: -1 }, message: 'params.oversampling must be >= 0' },
    { params: { tol: -1 }, message: 'params.tol must be >= 0' },
    { params: { ordering: 'random' }, message: 'params.ordering' },
  ],
});

describe('approximateEstimate', () => {
  test('is exact while the tracked rank r + p covers the whole concatenation (no truncation; property)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom('norm' as const, 'residual' as const), (seed, ks, r, ordering) => {
        const blocks = randomBlocks(seed, 15, ks, 3);
        const total = ks.reduce((a, b) => a + b, 0);
        // In squares: near 0 the square root turns rounding (1e-16) into 1e-8.
        expect(approximateEstimate(blocks, { rank: r, oversampling: total, ordering }) ** 2).toBeCloseTo(exactError(blocks, r) ** 2, 12);
      }),
      { numRuns: 40 },
    );
  });

  test('hand-worked: e0 and e0 + e1 (r = 1) track M Mᵀ = [[2, 1], [1, 1]] exactly; error² = λ_min / trace = (3 - √5)/6', () => {
    const blocks = [Matrix.fromRows([[1], [0]]), Matrix.fromRows([[1], [1]])];
    expect(approximateEstimate(blocks, { rank: 1 })).toBeCloseTo(Math.sqrt((3 - Math.sqrt(5)) / 6), 14);
  });

  test('truncated (p = 0) it underestimates the top-r energy, so it may stray from the exact error either way: it is not a bound', () => {
    const blocks = randomBlocks(3, 12, [2, 2, 2, 2, 2, 2], 3);
    const est = approximateEstimate(blocks, { rank: 2, oversampling: 0 });
    expect(est).toBeGreaterThanOrEqual(0);
    expect(est).toBeLessThanOrEqual(1);
    expect(Math.abs(est - exactError(blocks, 2))).toBeLessThan(0.2);
  });
});

describe('approximate clustering', () => {
  test('clusters partition the blocks; the reported errors are the exact errors of the returned factors', () => {
    const blocks = randomBlocks(5, 10, [2, 3, 1, 2, 2, 3, 1, 2], 2);
    for (const ordering of ['norm', 'residual'] as const) {
      const res = approximate(blocks, { rank: 3, errorBound: 0.2, ordering });
      expect(res.clusters.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      res.clusters.forEach((c, t) => expect(res.errors[t]).toBeCloseTo(exactError(c.map((i) => blocks[i]), 3), 7));
    }
  });

  test('a zero block is absorbed without NaN (every eigenvalue below tol restarts the tracker)', () => {
    const res = approximate([Matrix.fromRows([[1], [0]]), Matrix.zeros(2, 1)], { rank: 1, errorBound: 0.1 });
    expect(res.clusters).toEqual([[0, 1]]);
    expect(res.errors[0]).toBe(0);
  });

  test('bad options are errors naming the option', () => {
    expect(() => approximate([Matrix.eye(2)], { rank: 1, oversampling: -1 })).toThrow('approximate: options.oversampling = -1');
    expect(() => approximate([Matrix.eye(2)], { rank: 1, tol: NaN })).toThrow('approximate: options.tol = NaN');
  });
});
