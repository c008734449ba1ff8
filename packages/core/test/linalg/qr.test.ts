import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Matrix, matmul, qr, qrPivoted } from '../../src/index.js';
import { arbMatrix, diffFro, errorOf, normOr1, orthError, randn, withSingularValues } from './helpers.js';

function permuteColumns(a: Matrix, perm: Int32Array): Matrix {
  const out = Matrix.zeros(a.rows, a.cols);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out.data[i * a.cols + j] = a.data[i * a.cols + perm[j]];
  return out;
}

function isUpper(r: Matrix): boolean {
  for (let i = 0; i < r.rows; i++) for (let j = 0; j < Math.min(i, r.cols); j++) if (r.data[i * r.cols + j] !== 0) return false;
  return true;
}

describe('qr', () => {
  test('‖QR − A‖/‖A‖ <= 1e-13 and ‖QᵀQ − I‖ <= 1e-13 on random tall, square and wide inputs', () => {
    fc.assert(
      fc.property(arbMatrix(40, 40, { scale: true }), (a) => {
        const { Q, R } = qr(a);
        const k = Math.min(a.rows, a.cols);
        expect([Q.rows, Q.cols, R.rows, R.cols]).toEqual([a.rows, k, k, a.cols]);
        expect(diffFro(matmul(Q, R), a) / normOr1(a)).toBeLessThanOrEqual(1e-13);
        expect(orthError(Q)).toBeLessThanOrEqual(1e-13);
        expect(isUpper(R)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  test('the blocked (compact WY) path: 150x100 and 80x130', () => {
    for (const [m, n] of [[150, 100], [80, 130]]) {
      const a = randn(m, n, m + n);
      const { Q, R } = qr(a);
      expect(diffFro(matmul(Q, R), a) / normOr1(a)).toBeLessThan(1e-13);
      expect(orthError(Q)).toBeLessThan(1e-13);
    }
  });

  test('edge cases: 1x1, empty, zero matrix, rank-deficient', () => {
    expect(Array.from(qr(Matrix.fromRows([[-3]])).R.data)).toEqual([-3]);
    const e = qr(Matrix.zeros(0, 3));
    expect([e.Q.rows, e.Q.cols, e.R.rows, e.R.cols]).toEqual([0, 0, 0, 3]);
    const z = qr(Matrix.zeros(4, 3));
    expect(orthError(z.Q)).toBeLessThan(1e-15);
    expect(Array.from(z.R.data).every((v) => v === 0)).toBe(true);
    const low = withSingularValues(12, 8, [3, 2, 1], 4);
    const { Q, R } = qr(low);
    expect(diffFro(matmul(Q, R), low) / normOr1(low)).toBeLessThan(1e-13);
    expect(orthError(Q)).toBeLessThan(1e-13);
  });

  test('NaN input is a clear error', () => {
    const a = Matrix.fromRows([[1, 2], [NaN, 4]]);
    const e = errorOf(() => qr(a));
    expect(e.message).toBe('qr: A (2x2) has a non-finite entry NaN at (1, 0); remove or impute NaN/Infinity first');
    expect(e.field).toBe('A.data[2]');
  });
});

describe('qrPivoted', () => {
  test('A[:, perm] = QR with non-increasing |R_ii|', () => {
    fc.assert(
      fc.property(arbMatrix(30, 30), (a) => {
        const { Q, R, perm } = qrPivoted(a);
        expect(diffFro(matmul(Q, R), permuteColumns(a, perm)) / normOr1(a)).toBeLessThan(1e-13);
        expect(orthError(Q)).toBeLessThan(1e-13);
        expect(Array.from(perm).sort((x, y) => x - y)).toEqual(Array.from({ length: a.cols }, (_, i) => i));
        for (let i = 1; i < R.rows; i++) {
          expect(Math.abs(R.data[i * R.cols + i])).toBeLessThanOrEqual(Math.abs(R.data[(i - 1) * R.cols + i - 1]) * (1 + 1e-12));
        }
      }),
      { numRuns: 30 },
    );
  });

  test('reveals the rank of a rank-deficient matrix', () => {
    expect(qrPivoted(withSingularValues(20, 15, [5, 4, 3, 2], 1)).rank).toBe(4);
    expect(qrPivoted(Matrix.zeros(3, 3)).rank).toBe(0);
    expect(qrPivoted(Matrix.fromRows([[1, 2], [2, 4]])).rank).toBe(1);
    expect(qrPivoted(randn(10, 6, 2)).rank).toBe(6);
  });
});
