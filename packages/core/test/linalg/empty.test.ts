import { describe, expect, test } from 'vitest';
import {
  Matrix,
  cholesky,
  dct2,
  eigh,
  gram,
  lstsq,
  lu,
  normSpectral,
  pinv,
  qr,
  qrPivoted,
  randomizedSvd,
  solve,
  svd,
  transpose,
} from '../../src/index.js';

describe('empty inputs give empty results', () => {
  const e = Matrix.zeros(0, 0);
  test('0x0 through every factorization and solver', () => {
    expect(cholesky(e).rows).toBe(0);
    expect(lu(e).perm.length).toBe(0);
    expect(solve(e, new Float64Array(0)).length).toBe(0);
    expect(lstsq(e, new Float64Array(0)).rank).toBe(0);
    expect(pinv(e).rows).toBe(0);
    expect(eigh(e).values.length).toBe(0);
    expect(svd(e).s.length).toBe(0);
    expect(qr(e).R.rows).toBe(0);
    expect(qrPivoted(e).rank).toBe(0);
    expect(randomizedSvd(e, 0).s.length).toBe(0);
    expect(gram(e).rows).toBe(0);
    expect(transpose(e).cols).toBe(0);
    expect(normSpectral(e)).toBe(0);
    expect(dct2(e).rows).toBe(0);
  });

  test('0 x n and m x 0 shapes', () => {
    expect(gram(Matrix.zeros(0, 3)).data).toEqual(new Float64Array(9));
    expect(lstsq(Matrix.zeros(3, 0), new Float64Array(3)).x.length).toBe(0);
    const p = pinv(Matrix.zeros(2, 0));
    expect([p.rows, p.cols]).toEqual([0, 2]);
    const s = svd(Matrix.zeros(3, 0));
    expect([s.U.rows, s.U.cols, s.V.rows]).toEqual([3, 0, 0]);
  });
});
