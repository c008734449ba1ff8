import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Matrix } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { residual, residualBound, residualSolver, weylBound } from '../src/index.js';
import { exactError, orthogonalBlocks, randomBlocks, SMALL } from './helpers.js';

describeSolverConformance(residualSolver, {
  instance: SMALL,
  invalidParams: [
    { params: { errorBound: 0 }, message: 'params.errorBound must be > 0' },
    { params: { patience: 1.5 }, message: 'params.patience' },
    { params: { ordering: 'size' }, message: 'params.ordering' },
  ],
});

/** A column along coordinate axis i of R^4, scaled by s. */
const axis = (i: number, s: number) => Matrix.from(4, 1, Float64Array.from([0, 1, 2, 3], (t) => (t === i ? s : 0)));

describe('residualBound', () => {
  test('blocks with mutually orthogonal column spaces: the bound is exact (the residuals are the blocks)', () => {
    const blocks = orthogonalBlocks(4, 20, [3, 2, 4, 1, 3]);
    for (const r of [1, 3, 6, 9]) expect(residualBound(blocks, { rank: r })).toBeCloseTo(exactError(blocks, r), 10);
  });

  test('hand-worked: a block inside the seed\'s span adds nothing to L, and its energy counts as error', () => {
    // Seed e0 (norm 3); e0 again (norm 1) has zero residual; r = 1: bound √(1/10) — here also the exact error of [3e0, e0] is 0.
    expect(residualBound([axis(0, 3), axis(0, 1)], { rank: 1 })).toBeCloseTo(Math.sqrt(1 / 10), 15);
    expect(exactError([axis(0, 3), axis(0, 1)], 1)).toBeLessThan(1e-15);
  });

  test('exact error <= residual bound <= Weyl bound, for either ordering (property)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 7 }), fc.integer({ min: 1, max: 6 }), fc.constantFrom('norm' as const, 'residual' as const), (seed, ks, r, ordering) => {
        const blocks = randomBlocks(seed, 10, ks, 2);
        const exact = exactError(blocks, r), res = residualBound(blocks, { rank: r, ordering });
        expect(res).toBeGreaterThanOrEqual(exact - 1e-9);
        // Compared in squares: a bound of 0 computed two ways differs by rounding, √ of which is ~1e-8.
        if (ordering === 'norm') expect(res ** 2).toBeLessThanOrEqual(weylBound(blocks, { rank: r }) ** 2 + 1e-14);
      }),
      { numRuns: 40 },
    );
  });
});

describe('residual clustering', () => {
  test('every cluster is within ε (property)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 2, max: 12 }), fc.double({ min: 0.05, max: 0.6, noNaN: true }), fc.constantFrom('norm' as const, 'residual' as const), (seed, n, eps, ordering) => {
        const blocks = randomBlocks(seed, 10, Array.from({ length: n }, (_, i) => 1 + (i % 3)), 2);
        const res = residual(blocks, { rank: 3, errorBound: eps, ordering });
        expect(res.clusters.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        res.clusters.forEach((c, t) => {
          const exact = exactError(c.map((i) => blocks[i]), 3);
          expect(exact).toBeLessThanOrEqual(eps + 1e-9);
          expect(res.predicted[t]).toBeGreaterThanOrEqual(exact - 1e-9);
        });
      }),
      { numRuns: 25 },
    );
  });

  test('sees new directions that Weyl cannot: a rank-1 seed of r = 2 columns takes an orthogonal block exactly', () => {
    // Seed [3e0, 3e0] has rank 1; the block 2e1 adds σ = 2 in a new direction: bound 0 (exact), while Weyl's is √(4/22).
    const seed = Matrix.fromRows([[3, 3], [0, 0], [0, 0], [0, 0]]);
    expect(residualBound([seed, axis(1, 2)], { rank: 2 })).toBe(0);
    expect(weylBound([seed, axis(1, 2)], { rank: 2 })).toBeCloseTo(Math.sqrt(4 / 22), 15);
    expect(residual([seed, axis(1, 2)], { rank: 2, errorBound: 0.1 }).clusters).toEqual([[0, 1]]);
  });

  test('ignores the in-span energy of a new block: an aligned block counts in full as error', () => {
    expect(residualBound([axis(1, 5), axis(1, 0.5)], { rank: 1 })).toBeCloseTo(Math.sqrt(0.25 / 25.25), 15);
    expect(residual([axis(1, 5), axis(1, 0.5)], { rank: 1, errorBound: 0.05 }).clusters).toEqual([[0], [1]]);
  });

  test('an aborted signal stops the clustering', () => {
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    expect(() => residual([axis(0, 1)], { rank: 1, signal: ac.signal })).toThrow('stop');
  });
});
