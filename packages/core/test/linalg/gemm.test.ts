import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Matrix, gemmStrided, gram, matmul, transpose } from '../../src/index.js';
import { arbMatrix, diffFro, errorOf, naiveMatmul, randn } from './helpers.js';

describe('matmul', () => {
  test('a hand-worked 2x3 times 3x2 product', () => {
    const a = Matrix.fromRows([[1, 2, 3], [4, 5, 6]]);
    const b = Matrix.fromRows([[7, 8], [9, 10], [11, 12]]);
    expect(Matrix.toRows(matmul(a, b))).toEqual([[58, 64], [139, 154]]);
  });

  test('matches the triple loop on random shapes, all transpose combinations', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.nat(), (m, n, k, seed) => {
        const a = randn(m, k, seed), b = randn(k, n, seed + 1);
        const ref = naiveMatmul(a, b);
        const tol = 1e-13 * Math.sqrt(k) * (1 + diffFro(ref, Matrix.zeros(m, n)));
        expect(diffFro(matmul(a, b), ref)).toBeLessThan(tol);
        expect(diffFro(matmul(transpose(a), b, { transA: true }), ref)).toBeLessThan(tol);
        expect(diffFro(matmul(a, transpose(b), { transB: true }), ref)).toBeLessThan(tol);
        expect(diffFro(matmul(transpose(a), transpose(b), { transA: true, transB: true }), ref)).toBeLessThan(tol);
      }),
      { numRuns: 30 },
    );
  });

  test('packed path: sizes that cross the 4x2 tile and the 256/128 cache blocks', () => {
    for (const [m, n, k] of [[129, 67, 260], [33, 1025, 9], [131, 3, 300], [257, 130, 513]]) {
      const a = randn(m, k, m), b = randn(k, n, n);
      const ref = naiveMatmul(a, b);
      expect(diffFro(matmul(a, b), ref) / diffFro(ref, Matrix.zeros(m, n))).toBeLessThan(1e-14);
      expect(diffFro(matmul(transpose(a), transpose(b), { transA: true, transB: true }), ref) / diffFro(ref, Matrix.zeros(m, n))).toBeLessThan(1e-14);
    }
  });

  test('empty operands give an empty or zero product', () => {
    expect(matmul(Matrix.zeros(0, 3), Matrix.zeros(3, 2)).rows).toBe(0);
    expect(Array.from(matmul(Matrix.zeros(2, 0), Matrix.zeros(0, 2)).data)).toEqual([0, 0, 0, 0]);
  });

  test('gemmStrided updates a sub-block in place: C := alpha A B + beta C', () => {
    // C is 3x4; update its 2x2 block at (1, 1).
    const c = new Float64Array(12).fill(1);
    const a = new Float64Array([1, 2, 3, 4]); // 2x2
    const b = new Float64Array([1, 0, 0, 1]); // identity
    gemmStrided(false, false, 2, 2, 2, 2, a, 0, 2, b, 0, 2, 0.5, c, 5, 4);
    expect(Array.from(c)).toEqual([1, 1, 1, 1, 1, 2.5, 4.5, 1, 1, 6.5, 8.5, 1]);
  });

  test('beta = 0 overwrites NaN in C, as BLAS does', () => {
    const c = new Float64Array([NaN]);
    gemmStrided(false, false, 1, 1, 1, 1, new Float64Array([2]), 0, 1, new Float64Array([3]), 0, 1, 0, c, 0, 1);
    expect(c[0]).toBe(6);
  });

  test('inner-dimension mismatch names both shapes', () => {
    const e = errorOf(() => matmul(Matrix.zeros(3, 4), Matrix.zeros(5, 2)));
    expect(e.message).toBe('matmul: A is 3x4 but B is 5x2 (inner dimensions differ)');
    expect(e.code).toBe('PARSIMONY_BAD_INPUT');
    expect(errorOf(() => matmul(Matrix.zeros(3, 4), Matrix.zeros(3, 2), { transB: true })).message).toBe(
      'matmul: A is 3x4 but Bᵀ is 2x3 (inner dimensions differ)',
    );
    expect(errorOf(() => matmul({ rows: 2, cols: 2, data: new Float64Array(3) }, Matrix.eye(2))).message).toBe(
      'matmul: A is 2x2 but A.data has 3 entries (expected 4)',
    );
  });
});

describe('gram and transpose', () => {
  test('gram(A) equals AᵀA and is exactly symmetric; trans gives AAᵀ', () => {
    fc.assert(
      fc.property(arbMatrix(90, 90), (a) => {
        const g = gram(a);
        const ref = naiveMatmul(transpose(a), a);
        expect(diffFro(g, ref)).toBeLessThan(1e-13 * (1 + diffFro(ref, Matrix.zeros(a.cols, a.cols))));
        for (let i = 0; i < g.rows; i++) for (let j = 0; j < i; j++) expect(g.data[i * g.cols + j]).toBe(g.data[j * g.cols + i]);
        const gt = gram(a, { trans: true });
        const reft = naiveMatmul(a, transpose(a));
        expect(diffFro(gt, reft)).toBeLessThan(1e-13 * (1 + diffFro(reft, Matrix.zeros(a.rows, a.rows))));
      }),
      { numRuns: 15 },
    );
  });

  test('transpose swaps indices, including across 32x32 tiles', () => {
    const a = randn(37, 70, 1);
    const t = transpose(a);
    expect([t.rows, t.cols]).toEqual([70, 37]);
    for (let i = 0; i < 37; i++) for (let j = 0; j < 70; j++) expect(t.data[j * 37 + i]).toBe(a.data[i * 70 + j]);
  });
});
