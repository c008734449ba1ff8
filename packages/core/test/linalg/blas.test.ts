import { describe, expect, test } from 'vitest';
import { CsrMatrix, Matrix, axpy, csrMatvec, dot, matvec, normFro, normSpectral, nrm2, svd } from '../../src/index.js';
import { errorOf, maxDiff, randn } from './helpers.js';

describe('BLAS-1/2', () => {
  test('dot, axpy, nrm2 on hand-worked vectors', () => {
    expect(dot(new Float64Array([1, 2, 3, 4, 5]), new Float64Array([5, 4, 3, 2, 1]))).toBe(35);
    const y = new Float64Array([1, 1]);
    axpy(2, new Float64Array([1, 2]), y);
    expect(Array.from(y)).toEqual([3, 5]);
    expect(nrm2(new Float64Array([3, 4]))).toBe(5);
  });

  test('nrm2 neither overflows nor underflows', () => {
    expect(nrm2(new Float64Array([3e200, 4e200]))).toBeCloseTo(5e200, -190);
    expect(nrm2(new Float64Array([3e-200, 4e-200])) / 5e-200).toBeCloseTo(1, 14);
  });

  test('matvec and its transpose', () => {
    const a = Matrix.fromRows([[1, 2], [3, 4], [5, 6]]);
    expect(Array.from(matvec(a, new Float64Array([1, 1])))).toEqual([3, 7, 11]);
    expect(Array.from(matvec(a, new Float64Array([1, 0, 1]), true))).toEqual([6, 8]);
    expect(errorOf(() => matvec(a, new Float64Array(3))).message).toBe('matvec: x has 3 entries, A has 2 columns');
  });
});

describe('norms', () => {
  test('Frobenius norm, scaled', () => {
    expect(normFro(Matrix.fromRows([[3, 0], [0, 4]]))).toBe(5);
    expect(normFro(Matrix.fromRows([[3e300, 4e300]]))).toBeCloseTo(5e300, -290);
    expect(normFro(Matrix.zeros(0, 0))).toBe(0);
  });

  test('spectral-norm estimate agrees with the largest singular value', () => {
    const a = randn(40, 25, 3);
    expect(Math.abs(normSpectral(a) - svd(a).s[0]) / svd(a).s[0]).toBeLessThan(1e-6);
    expect(normSpectral(Matrix.zeros(3, 3))).toBe(0);
    expect(normSpectral(Matrix.fromRows([[3, 0], [0, -4]]))).toBeCloseTo(4, 8);
  });
});

describe('CSR sparse matrices', () => {
  test('fromDense keeps the nonzeros in row order; csrMatvec matches the dense product', () => {
    const a = Matrix.fromRows([[0, 2, 0], [1, 0, 3], [0, 0, 0]]);
    const s = CsrMatrix.fromDense(a);
    expect(Array.from(s.indptr)).toEqual([0, 1, 3, 3]);
    expect(Array.from(s.indices)).toEqual([1, 0, 2]);
    expect(Array.from(s.data)).toEqual([2, 1, 3]);
    expect(CsrMatrix.nnz(s)).toBe(3);
    const x = new Float64Array([1, 2, 3]);
    expect(Array.from(csrMatvec(s, x))).toEqual(Array.from(matvec(a, x)));
    expect(Array.from(csrMatvec(s, x, true))).toEqual(Array.from(matvec(a, x, true)));
    expect(CsrMatrix.toDense(s)).toEqual(a);
  });

  test('fromTriplets sorts columns and sums duplicates', () => {
    const s = CsrMatrix.fromTriplets(2, 3, [1, 0, 1, 1], [2, 1, 0, 2], [1, 2, 3, 4]);
    expect(Array.from(s.indptr)).toEqual([0, 1, 3]);
    expect(Array.from(s.indices)).toEqual([1, 0, 2]);
    expect(Array.from(s.data)).toEqual([2, 3, 5]);
  });

  test('random sparse matvec equals dense', () => {
    const a = randn(30, 20, 9);
    for (let i = 0; i < a.data.length; i++) if (i % 4) a.data[i] = 0;
    const s = CsrMatrix.fromDense(a);
    const x = randn(1, 20, 1).data, z = randn(1, 30, 2).data;
    expect(maxDiff(csrMatvec(s, x), matvec(a, x))).toBeLessThan(1e-14);
    expect(maxDiff(csrMatvec(s, z, true), matvec(a, z, true))).toBeLessThan(1e-14);
  });

  test('bad triplets and vector lengths are named', () => {
    expect(errorOf(() => CsrMatrix.fromTriplets(2, 2, [0, 2], [0, 0], [1, 1])).message).toBe(
      'CsrMatrix.fromTriplets: triplet 1 is at (2, 0), outside the 2x2 matrix',
    );
    const s = CsrMatrix.fromDense(Matrix.eye(3));
    expect(errorOf(() => csrMatvec(s, new Float64Array(2))).message).toBe('csrMatvec: x has 2 entries but S is 3x3, so x needs 3');
  });
});
