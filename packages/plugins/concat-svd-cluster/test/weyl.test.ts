import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Matrix } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { weyl, weylBound, weylSolver } from '../src/index.js';
import { exactError, orthogonalBlocks, product, randomBlocks, SMALL } from './helpers.js';

describeSolverConformance(weylSolver, {
  instance: SMALL,
  invalidParams: [
    { params: { errorBound: 0 }, message: 'params.errorBound must be > 0' },
    { params: { patience: 0 }, message: 'params.patience must be >= 1' },
  ],
});

describe('weylBound', () => {
  test('hand-worked: orthogonal blocks with norms 3, 2, 1 (one column each), r = 1: seed = the norm-3 block, bound √(5/14)', () => {
    const e = (i: number, s: number) => Matrix.from(3, 1, Float64Array.from([0, 1, 2], (t) => (t === i ? s : 0)));
    expect(weylBound([e(1, 2), e(0, 3), e(2, 1)], { rank: 1 })).toBeCloseTo(Math.sqrt(5 / 14), 15);
    // Orthogonal blocks: the exact error equals the bound.
    expect(exactError([e(1, 2), e(0, 3), e(2, 1)], 1)).toBeCloseTo(Math.sqrt(5 / 14), 14);
  });

  test('the seed takes the largest blocks while it has at most r columns: r = 2 keeps 3 and 2, bound √(1/14)', () => {
    const e = (i: number, s: number) => Matrix.from(3, 1, Float64Array.from([0, 1, 2], (t) => (t === i ? s : 0)));
    expect(weylBound([e(1, 2), e(0, 3), e(2, 1)], { rank: 2 })).toBeCloseTo(Math.sqrt(1 / 14), 15);
  });

  test('is an upper bound on the exact rank-r error (property)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 8 }), (seed, ks, r) => {
        const blocks = randomBlocks(seed, 12, ks, 3);
        expect(weylBound(blocks, { rank: r })).toBeGreaterThanOrEqual(exactError(blocks, r) - 1e-12);
      }),
      { numRuns: 40 },
    );
  });

  test('a seed block wider than r keeps only its top-r energy (the bound stays valid)', () => {
    const blocks = orthogonalBlocks(1, 10, [4, 2]);
    expect(weylBound(blocks, { rank: 2 })).toBeGreaterThanOrEqual(exactError(blocks, 2) - 1e-12);
  });
});

describe('weyl clustering', () => {
  test('blocks of one rank-2 subspace at r = 2 form a single cluster with error 0', () => {
    const U = orthogonalBlocks(2, 8, [2])[0];
    const blocks = [1, 2, 3, 4].map((s) => Matrix.from(8, 2, U.data.map((v) => v * s)));
    // The Weyl bound cannot see the shared subspace (norms only): with ε = 0.6 it merges the two smallest into the seed's cluster.
    const loose = weyl(blocks, { rank: 2, errorBound: 0.6 });
    expect(loose.clusters[0]).toEqual([3, 0, 1]);
    expect(loose.errors[0]).toBeLessThan(1e-7);
    const all = weyl(blocks, { rank: 2, errorBound: 0.9 });
    expect(all.clusters).toEqual([[3, 0, 1, 2]]);
    // Shared U: every block's factor is the same object, and U V_iᵀ reproduces A_i.
    expect(new Set(all.factors.map((f) => f.U)).size).toBe(1);
    product(all.factors[2]).data.forEach((v, t) => expect(v).toBeCloseTo(blocks[2].data[t], 10));
  });

  test('every cluster is within ε, its bound above its exact error; the blocks are partitioned (property)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 2, max: 12 }), fc.double({ min: 0.05, max: 0.6, noNaN: true }), (seed, n, eps) => {
        const blocks = randomBlocks(seed, 10, Array.from({ length: n }, (_, i) => 1 + (i % 3)), 2);
        const res = weyl(blocks, { rank: 3, errorBound: eps });
        expect(res.clusters.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        res.clusters.forEach((c, t) => {
          const exact = exactError(c.map((i) => blocks[i]), 3);
          expect(exact).toBeLessThanOrEqual(eps + 1e-9);
          expect(res.predicted[t]).toBeGreaterThanOrEqual(exact - 1e-9);
          expect(res.errors[t]).toBeCloseTo(exact, 7);
        });
      }),
      { numRuns: 25 },
    );
  });

  test('patience: once that many seeds in a row took nothing, the remaining blocks stay singletons', () => {
    // r = 2, ε = 0.3; squared norms A 1 (2 cols), B 0.8 (2 cols), C 0.5, D 0.3 (1 col each).
    const col = (i: number, s: number) => Array.from({ length: 4 }, (_, t) => (t === i ? s : 0));
    const two = (i: number, j: number, sq: number) => Matrix.fromRows(col(i, Math.sqrt(sq / 2)).map((v, t) => [v, col(j, Math.sqrt(sq / 2))[t]]));
    const one = (i: number, sq: number) => Matrix.fromRows(col(i, Math.sqrt(sq)).map((v) => [v]));
    const blocks = [two(0, 1, 1), two(2, 3, 0.8), one(0, 0.5), one(1, 0.3)];
    // Seeds A and B cannot take D (√(0.3/1.3), √(0.3/1.1) > 0.3); then C and D fill one seed of 2 columns.
    expect(weyl(blocks, { rank: 2, errorBound: 0.3 }).clusters).toEqual([[0], [1], [2, 3]]);
    expect(weyl(blocks, { rank: 2, errorBound: 0.3, patience: 2 }).clusters).toEqual([[0], [1], [2], [3]]);
  });

  test('bad input is an error naming the field', () => {
    expect(() => weyl([], { rank: 2 })).toThrow('weyl: Ms must be a non-empty list of matrices');
    expect(() => weyl([Matrix.zeros(3, 1), Matrix.zeros(4, 1)], { rank: 2 })).toThrow('weyl: Ms[1] has 4 rows, Ms[0] has 3');
    expect(() => weyl([Matrix.eye(2)], { rank: 0 })).toThrow('weyl: options.rank = 0; expected an integer >= 1');
    expect(() => weyl([Matrix.eye(2)], { rank: 1, errorBound: -1 })).toThrow('weyl: options.errorBound = -1');
  });
});
