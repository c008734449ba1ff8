import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  Matrix,
  cholesky,
  choleskyDowndate,
  choleskySolve,
  choleskyUpdate,
  gram,
  matmul,
  matvec,
  solveTriangular,
} from '../../src/index.js';
import { diffFro, errorOf, maxDiff, randn } from './helpers.js';

/** A random SPD matrix X Xᵀ + I of order n. */
function spd(n: number, seed: number): Matrix {
  const g = gram(randn(n, n + 2, seed), { trans: true });
  for (let i = 0; i < n; i++) g.data[i * n + i] += 1;
  return g;
}

describe('cholesky', () => {
  test('L Lᵀ = A, L lower with positive diagonal (random SPD, recursive path up to n = 90)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 90 }), fc.nat(), (n, seed) => {
        const a = spd(n, seed);
        const l = cholesky(a);
        expect(diffFro(matmul(l, l, { transB: true }), a) / diffFro(a, Matrix.zeros(n, n))).toBeLessThan(1e-14);
        for (let i = 0; i < n; i++) {
          expect(l.data[i * n + i]).toBeGreaterThan(0);
          for (let j = i + 1; j < n; j++) expect(l.data[i * n + j]).toBe(0);
        }
      }),
      { numRuns: 25 },
    );
  });

  test('a hand-worked 2x2', () => {
    expect(Array.from(cholesky(Matrix.fromRows([[4, 2], [2, 5]])).data)).toEqual([2, 0, 1, 2]);
  });

  test('not positive definite, not symmetric, not square: errors that say so', () => {
    expect(errorOf(() => cholesky(Matrix.fromRows([[1, 2], [2, 1]]))).message).toMatch(
      /^cholesky: A \(2x2\) is not positive definite: the leading minor of order 2 is not positive/,
    );
    expect(errorOf(() => cholesky(Matrix.fromRows([[1, 2], [0, 1]]))).message).toMatch(/^cholesky: A \(2x2\) is not symmetric: entry \(0, 1\) is 2 but \(1, 0\) is 0/);
    expect(errorOf(() => cholesky(Matrix.zeros(2, 3))).message).toBe('cholesky: A is 2x3 but must be square');
    expect(errorOf(() => cholesky(Matrix.fromRows([[Infinity]]))).message).toMatch(/non-finite entry Infinity at \(0, 0\)/);
  });

  test('choleskySolve solves A x = b and A X = B', () => {
    const a = spd(50, 7);
    const l = cholesky(a);
    const b = randn(1, 50, 1).data;
    const x = choleskySolve(l, b);
    expect(maxDiff(matvec(a, x), b)).toBeLessThan(1e-10);
    const B = randn(50, 12, 2);
    const X = choleskySolve(l, B);
    expect(diffFro(matmul(a, X), B) / diffFro(B, Matrix.zeros(50, 12))).toBeLessThan(1e-12);
  });

  test('rank-one update and downdate agree with refactoring', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.nat(), (n, seed) => {
        const a = spd(n, seed);
        const x = randn(1, n, seed + 1).data;
        const l = cholesky(a);
        choleskyUpdate(l, x);
        const ax = Matrix.clone(a);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) ax.data[i * n + j] += x[i] * x[j];
        expect(diffFro(l, cholesky(ax)) / diffFro(a, Matrix.zeros(n, n))).toBeLessThan(1e-12);
        choleskyDowndate(l, x);
        expect(diffFro(l, cholesky(a)) / diffFro(a, Matrix.zeros(n, n))).toBeLessThan(1e-12);
      }),
      { numRuns: 25 },
    );
  });

  test('a downdate that would lose definiteness throws and leaves L unchanged', () => {
    const l = cholesky(Matrix.eye(2));
    const before = Matrix.clone(l);
    expect(errorOf(() => choleskyDowndate(l, new Float64Array([1, 0]))).message).toMatch(/not positive definite/);
    expect(l).toEqual(before);
  });
});

describe('solveTriangular', () => {
  const lower = Matrix.fromRows([[2, 0, 0], [1, 1, 0], [3, 2, 4]]);

  test('hand-worked forward and backward substitution', () => {
    expect(Array.from(solveTriangular(Matrix.fromRows([[2, 0], [1, 1]]), new Float64Array([2, 3])))).toEqual([1, 2]);
    // Lᵀ x = b with L lower: x = [1, 1, 1] for b = Lᵀ·1 = [6, 3, 4]
    expect(Array.from(solveTriangular(lower, new Float64Array([6, 3, 4]), { trans: true }))).toEqual([1, 1, 1]);
    const upper = Matrix.fromRows([[1, 2], [0, 4]]);
    expect(Array.from(solveTriangular(upper, new Float64Array([5, 8]), { lower: false }))).toEqual([1, 2]);
    expect(Array.from(solveTriangular(lower, new Float64Array([1, 2, 3]), { unitDiagonal: true }))).toEqual([1, 1, -2]);
  });

  test('all four (lower, trans) cases with many right-hand sides (blocked path)', () => {
    const n = 150;
    const t = randn(n, n, 5);
    for (let i = 0; i < n; i++) t.data[i * n + i] = 10 + Math.abs(t.data[i * n + i]);
    for (const isLower of [true, false]) {
      const tri = Matrix.clone(t);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (isLower ? j > i : j < i) tri.data[i * n + j] = 0;
      for (const trans of [false, true]) {
        const X = randn(n, 10, 6);
        const B = matmul(tri, X, { transA: trans });
        const got = solveTriangular(tri, B, { lower: isLower, trans });
        expect(diffFro(got, X) / diffFro(X, Matrix.zeros(n, 10))).toBeLessThan(1e-12);
        const x = X.data.filter((_, i) => i % 10 === 0);
        const b = matvec(tri, x, trans);
        expect(maxDiff(solveTriangular(tri, b, { lower: isLower, trans }), x)).toBeLessThan(1e-12);
      }
    }
  });

  test('shape mismatch is named', () => {
    expect(errorOf(() => solveTriangular(lower, new Float64Array(2))).message).toBe('solveTriangular: T is 3x3 but b has 2 entries');
  });
});
