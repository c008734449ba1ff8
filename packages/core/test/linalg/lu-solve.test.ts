import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Matrix, lstsq, lu, matmul, matvec, pinv, solve, svd, transpose } from '../../src/index.js';
import { arbMatrix, arbSquare, diffFro, errorOf, maxDiff, normOr1, randn, withSingularValues } from './helpers.js';

function permuteRows(a: Matrix, perm: Int32Array): Matrix {
  const out = Matrix.zeros(a.rows, a.cols);
  for (let i = 0; i < a.rows; i++) out.data.set(a.data.subarray(perm[i] * a.cols, (perm[i] + 1) * a.cols), i * a.cols);
  return out;
}

describe('lu', () => {
  test('A[perm] = L U, L unit lower with |l_ij| <= 1 (partial pivoting)', () => {
    fc.assert(
      fc.property(arbMatrix(60, 60), (a) => {
        const { L, U, perm, sign } = lu(a);
        expect(diffFro(matmul(L, U), permuteRows(a, perm)) / normOr1(a)).toBeLessThan(1e-14);
        for (let i = 0; i < L.rows; i++) {
          for (let j = 0; j < L.cols; j++) {
            const v = L.data[i * L.cols + j];
            if (j === i) expect(v).toBe(1);
            else if (j > i) expect(v).toBe(0);
            else expect(Math.abs(v)).toBeLessThanOrEqual(1);
          }
        }
        expect(Math.abs(sign)).toBe(1);
      }),
      { numRuns: 30 },
    );
  });

  test('hand-worked pivoting and the determinant sign', () => {
    const { L, U, perm, sign } = lu(Matrix.fromRows([[1, 2], [3, 4]]));
    expect(Array.from(perm)).toEqual([1, 0]);
    expect(Matrix.toRows(L)).toEqual([[1, 0], [1 / 3, 1]]);
    expect(U.data[0]).toBe(3);
    expect(sign * U.data[0] * U.data[3]).toBeCloseTo(-2, 14); // det
  });

  test('a singular matrix still factors', () => {
    const a = Matrix.fromRows([[1, 2], [2, 4]]);
    const { L, U, perm } = lu(a);
    expect(diffFro(matmul(L, U), permuteRows(a, perm))).toBeLessThan(1e-15);
    expect(U.data[3]).toBe(0);
  });
});

describe('solve', () => {
  test('A x = b to a backward-stable residual', () => {
    fc.assert(
      fc.property(arbSquare(60), (a) => {
        const n = a.rows;
        const b = randn(1, n, n).data;
        const x = solve(a, b);
        const r = matvec(a, x).map((v, i) => v - b[i]);
        const xn = Math.max(...x.map(Math.abs));
        expect(Math.max(...r.map(Math.abs))).toBeLessThan(1e-12 * n * (1 + normOr1(a) * xn));
      }),
      { numRuns: 30 },
    );
  });

  test('matrix right-hand side; singular A and wrong shapes are errors', () => {
    const a = randn(40, 40, 2), X = randn(40, 3, 3);
    expect(diffFro(solve(a, matmul(a, X)), X)).toBeLessThan(1e-10);
    expect(errorOf(() => solve(Matrix.fromRows([[1, 2], [2, 4]]), new Float64Array(2))).message).toMatch(/^solve: A \(2x2\) is singular to working precision/);
    expect(errorOf(() => solve(Matrix.eye(3), new Float64Array(2))).message).toBe('solve: A is 3x3 but b has 2 entries (needs 3)');
    expect(errorOf(() => solve(Matrix.zeros(2, 3), new Float64Array(2))).message).toBe('solve: A is 2x3 but must be square');
    expect(errorOf(() => solve(Matrix.eye(2), new Float64Array([1, NaN]))).message).toMatch(/b has a non-finite entry NaN at index 1/);
  });
});

describe('lstsq', () => {
  test('the residual satisfies the normal equations Aᵀ(Ax − b) = 0 (full-rank tall)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.nat(), (n, extra, seed) => {
        const a = randn(n + extra, n, seed), b = randn(1, n + extra, seed + 1).data;
        const { x, rank } = lstsq(a, b);
        expect(rank).toBe(n);
        const r = matvec(a, x).map((v, i) => v - b[i]);
        const g = matvec(a, r, true);
        expect(Math.max(...g.map(Math.abs))).toBeLessThan(1e-12 * (1 + normOr1(a) ** 2 * Math.max(1, ...x.map(Math.abs))));
      }),
      { numRuns: 30 },
    );
  });

  test('rank-deficient and wide: the minimum-norm solution, equal to pinv(A) b', () => {
    for (const a of [withSingularValues(15, 8, [4, 2, 1], 3), randn(5, 12, 4), Matrix.zeros(4, 3)]) {
      const b = randn(1, a.rows, 9).data;
      const { x, rank } = lstsq(a, b);
      expect(rank).toBe(Math.min(svd(a).s.filter((s) => s > 1e-10).length, a.cols));
      expect(maxDiff(x, matvec(pinv(a), b))).toBeLessThan(1e-12);
      const r = matvec(a, x).map((v, i) => v - b[i]);
      expect(Math.max(...matvec(a, r, true).map(Math.abs))).toBeLessThan(1e-12);
    }
  });

  test('matrix right-hand side', () => {
    const a = randn(20, 6, 1), X = randn(6, 3, 2);
    const { x } = lstsq(a, matmul(a, X));
    expect(diffFro(x, X)).toBeLessThan(1e-12);
  });

  test('a hand-worked overdetermined system', () => {
    const { x } = lstsq(Matrix.fromRows([[1, 0], [0, 1], [1, 1]]), new Float64Array([1, 2, 3]));
    expect(maxDiff(x, [1, 2])).toBeLessThan(1e-15);
  });
});

describe('pinv', () => {
  test('the four Penrose conditions', () => {
    fc.assert(
      fc.property(arbMatrix(20, 20), fc.integer({ min: 0, max: 3 }), (a0, drop) => {
        // Make some inputs rank-deficient by zeroing trailing columns.
        const a = Matrix.clone(a0);
        for (let i = 0; i < a.rows; i++) for (let j = Math.max(a.cols - drop, 1); j < a.cols; j++) a.data[i * a.cols + j] = 0;
        const p = pinv(a);
        const apa = matmul(matmul(a, p), a), pap = matmul(matmul(p, a), p);
        const ap = matmul(a, p), pa = matmul(p, a);
        const scale = normOr1(a) * normOr1(p);
        expect(diffFro(apa, a) / normOr1(a)).toBeLessThan(1e-11 * scale);
        expect(diffFro(pap, p) / normOr1(p)).toBeLessThan(1e-11 * scale);
        expect(diffFro(ap, transpose(ap))).toBeLessThan(1e-11 * scale);
        expect(diffFro(pa, transpose(pa))).toBeLessThan(1e-11 * scale);
      }),
      { numRuns: 25 },
    );
  });

  test('hand-worked diagonal case', () => {
    expect(Array.from(pinv(Matrix.fromRows([[2, 0], [0, 0]])).data)).toEqual([0.5, 0, 0, 0]);
  });
});
