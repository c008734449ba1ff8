import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Matrix, createRng, randomizedSvd, svd } from '../../src/index.js';
import { arbMatrix, diffFro, errorOf, normOr1, orthError, randn, reconstruct, withSingularValues } from './helpers.js';

function descending(s: Float64Array): boolean {
  for (let i = 1; i < s.length; i++) if (s[i] > s[i - 1]) return false;
  return s.every((v) => v >= 0);
}

describe('svd', () => {
  test('reconstruction, orthonormal U and V, descending non-negative s (tall, square, wide)', () => {
    fc.assert(
      fc.property(arbMatrix(40, 40, { scale: true }), (a) => {
        const { U, s, V } = svd(a);
        const k = Math.min(a.rows, a.cols);
        expect([U.rows, U.cols, s.length, V.rows, V.cols]).toEqual([a.rows, k, k, a.cols, k]);
        expect(diffFro(reconstruct(U, s, V), a) / normOr1(a)).toBeLessThan(1e-13);
        expect(orthError(U)).toBeLessThan(1e-13);
        expect(orthError(V)).toBeLessThan(1e-13);
        expect(descending(s)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  test('rank-deficient, repeated and zero singular values', () => {
    const cases: [number, number, number[]][] = [
      [30, 20, [5, 4, 3]],
      [25, 25, [2, 2, 2, 2, 1, 1, 1, 1]],
      [20, 35, Array.from({ length: 20 }, () => 3)],
    ];
    cases.forEach(([m, n, sv], t) => {
      const a = withSingularValues(m, n, sv, t);
      const { U, s, V } = svd(a);
      expect(diffFro(reconstruct(U, s, V), a) / normOr1(a)).toBeLessThan(1e-13);
      expect(orthError(U)).toBeLessThan(1e-13);
      expect(orthError(V)).toBeLessThan(1e-13);
      const want = [...sv, ...Array(Math.min(m, n) - sv.length).fill(0)];
      for (let i = 0; i < want.length; i++) expect(Math.abs(s[i] - want[i])).toBeLessThan(1e-13 * sv[0]);
    });
    const z = svd(Matrix.zeros(6, 4));
    expect(Array.from(z.s)).toEqual([0, 0, 0, 0]);
    expect(orthError(z.U)).toBeLessThan(1e-15);
  });

  test('small singular values of a graded matrix are accurate (not squared away as in AᵀA)', () => {
    // Singular values 1, 1e-3, ..., 1e-15: eigenvalues of AᵀA would lose everything below 1e-8.
    const sv = Array.from({ length: 6 }, (_, i) => 10 ** (-3 * i));
    const { s } = svd(withSingularValues(10, 6, sv, 2));
    for (let i = 0; i < 5; i++) expect(Math.abs(s[i] - sv[i])).toBeLessThan(4e-15);
  });

  test('edge cases: 1x1, empty, a row, a column', () => {
    expect(Array.from(svd(Matrix.fromRows([[-3]])).s)).toEqual([3]);
    const e = svd(Matrix.zeros(0, 4));
    expect([e.U.rows, e.U.cols, e.s.length, e.V.rows, e.V.cols]).toEqual([0, 0, 0, 4, 0]);
    expect(svd(Matrix.fromRows([[3, 4]])).s[0]).toBeCloseTo(5, 15);
    expect(svd(Matrix.fromRows([[3], [4]])).s[0]).toBeCloseTo(5, 15);
  });

  test('blocked QR + bidiagonal path at 160x90', () => {
    const a = randn(160, 90, 1);
    const { U, s, V } = svd(a);
    expect(diffFro(reconstruct(U, s, V), a) / normOr1(a)).toBeLessThan(1e-13);
    expect(orthError(U)).toBeLessThan(1e-13);
    expect(orthError(V)).toBeLessThan(1e-13);
  });

  test('NaN input is a clear error', () => {
    expect(errorOf(() => svd(Matrix.fromRows([[1, NaN]]))).message).toMatch(/^svd: A \(1x2\) has a non-finite entry NaN at \(0, 1\)/);
  });
});

describe('randomizedSvd', () => {
  test('recovers an exactly rank-r matrix to rounding', () => {
    const a = withSingularValues(120, 80, [10, 7, 5, 3, 2], 1);
    const { U, s, V } = randomizedSvd(a, 5, { rng: createRng(3) });
    expect(diffFro(reconstruct(U, s, V), a) / normOr1(a)).toBeLessThan(1e-12);
    expect(orthError(U)).toBeLessThan(1e-12);
    expect(orthError(V)).toBeLessThan(1e-12);
    [10, 7, 5, 3, 2].forEach((v, i) => expect(Math.abs(s[i] - v)).toBeLessThan(1e-11));
  });

  test('top singular values of a decaying spectrum match the full SVD', () => {
    const sv = Array.from({ length: 60 }, (_, i) => 0.8 ** i);
    const a = withSingularValues(100, 60, sv, 2);
    const { s } = randomizedSvd(a, 6, { oversample: 10, powerIters: 3 });
    for (let i = 0; i < 6; i++) expect(Math.abs(s[i] - sv[i]) / sv[i]).toBeLessThan(1e-6);
  });

  test('same rng, same result; bad rank is named', () => {
    const a = randn(30, 20, 5);
    expect(randomizedSvd(a, 3, { rng: createRng(1) }).s).toEqual(randomizedSvd(a, 3, { rng: createRng(1) }).s);
    expect(errorOf(() => randomizedSvd(a, 21)).message).toBe('randomizedSvd: r must be an integer in [0, 20], got 21');
  });
});
