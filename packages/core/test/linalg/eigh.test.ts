import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Matrix, eigh, matmul } from '../../src/index.js';
import { diffFro, errorOf, normOr1, orthError, symmetric, withSpectrum } from './helpers.js';

function residual(a: Matrix, values: Float64Array, v: Matrix): number {
  const av = matmul(a, v);
  const vl = Matrix.clone(v);
  for (let i = 0; i < v.rows; i++) for (let j = 0; j < v.cols; j++) vl.data[i * v.cols + j] *= values[j];
  return diffFro(av, vl);
}

function ascending(x: Float64Array): boolean {
  for (let i = 1; i < x.length; i++) if (x[i] < x[i - 1]) return false;
  return true;
}

describe('eigh', () => {
  test('AV = VΛ, VᵀV = I, values ascending (QL path, n <= 32)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 32 }), fc.nat(), (n, seed) => {
        const a = symmetric(n, seed);
        const { values, vectors } = eigh(a);
        expect(residual(a, values, vectors) / normOr1(a)).toBeLessThan(1e-13);
        expect(orthError(vectors)).toBeLessThan(1e-13);
        expect(ascending(values)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  test('the blocked tridiagonalization (n > 288) with divide and conquer', () => {
    const a = symmetric(330, 11);
    const { values, vectors } = eigh(a);
    expect(residual(a, values, vectors) / normOr1(a)).toBeLessThan(1e-13);
    expect(orthError(vectors)).toBeLessThan(1e-12);
    expect(ascending(values)).toBe(true);
  });

  test('divide and conquer (n = 33..140)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 33, max: 140 }), fc.nat(), (n, seed) => {
        const a = symmetric(n, seed);
        const { values, vectors } = eigh(a);
        expect(residual(a, values, vectors) / normOr1(a)).toBeLessThan(1e-13);
        expect(orthError(vectors)).toBeLessThan(1e-12);
        expect(ascending(values)).toBe(true);
      }),
      { numRuns: 8 },
    );
  });

  test('repeated and clustered eigenvalues keep orthogonal vectors (deflation)', () => {
    const spectra = [
      Array.from({ length: 80 }, (_, i) => (i < 40 ? 1 : 2)),
      Array.from({ length: 70 }, (_, i) => Math.floor(i / 10)),
      Array.from({ length: 64 }, (_, i) => 1 + 1e-10 * i),
      Array.from({ length: 50 }, (_, i) => (i < 45 ? 0 : i)),
    ];
    spectra.forEach((d, t) => {
      const a = withSpectrum(d, t);
      const { values, vectors } = eigh(a);
      expect(residual(a, values, vectors) / normOr1(a)).toBeLessThan(1e-13);
      expect(orthError(vectors)).toBeLessThan(1e-12);
      const sorted = [...d].sort((x, y) => x - y);
      for (let i = 0; i < d.length; i++) expect(Math.abs(values[i] - sorted[i])).toBeLessThan(1e-12 * (1 + Math.abs(sorted[i])));
    });
  });

  test('edge cases: empty, 1x1, identity, zero, a graded tridiagonal', () => {
    expect(eigh(Matrix.zeros(0, 0)).values.length).toBe(0);
    expect(Array.from(eigh(Matrix.fromRows([[-2]])).values)).toEqual([-2]);
    const id = eigh(Matrix.eye(60));
    expect(Array.from(id.values).every((v) => v === 1)).toBe(true);
    expect(orthError(id.vectors)).toBe(0);
    expect(Array.from(eigh(Matrix.zeros(40, 40)).values).every((v) => v === 0)).toBe(true);
    const n = 70;
    const g = Matrix.zeros(n, n);
    for (let i = 0; i < n; i++) {
      g.data[i * n + i] = 10 ** (-i / 7);
      if (i > 0) g.data[i * n + i - 1] = g.data[(i - 1) * n + i] = 1e-3 * 10 ** (-i / 7);
    }
    const r = eigh(g);
    expect(residual(g, r.values, r.vectors) / normOr1(g)).toBeLessThan(1e-13);
    expect(orthError(r.vectors)).toBeLessThan(1e-12);
  });

  test('a hand-worked 2x2', () => {
    const { values, vectors } = eigh(Matrix.fromRows([[2, 1], [1, 2]]));
    expect(values[0]).toBeCloseTo(1, 15);
    expect(values[1]).toBeCloseTo(3, 15);
    expect(Math.abs(vectors.data[0])).toBeCloseTo(Math.SQRT1_2, 15);
  });

  test('non-symmetric and NaN inputs are rejected', () => {
    expect(errorOf(() => eigh(Matrix.fromRows([[1, 2], [3, 4]]))).message).toMatch(/^eigh: A \(2x2\) is not symmetric/);
    expect(errorOf(() => eigh(Matrix.fromRows([[1, NaN], [NaN, 1]]))).message).toMatch(/^eigh: A \(2x2\) has a non-finite entry NaN at \(0, 1\)/);
  });
});
