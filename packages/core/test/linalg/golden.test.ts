/**
 * Golden values from numpy/LAPACK (test/fixtures/make_fixtures.py). Signs of
 * singular and eigenvectors are arbitrary, so those are compared through
 * values and invariants; R of QR follows LAPACK's sign convention exactly.
 */
import { describe, expect, test } from 'vitest';
import { cholesky, dct, dct2, eigh, fwht, lstsq, matmul, pinv, qr, solve, svd } from '../../src/index.js';
import { fixture, maxDiff } from './helpers.js';

const vec = (name: string) => fixture(name).data;

describe('golden values from numpy / LAPACK', () => {
  test('matmul', () => {
    expect(maxDiff(matmul(fixture('matmul_a'), fixture('matmul_b')).data, vec('matmul_ab'))).toBeLessThan(1e-14);
  });

  test('qr: R equals numpy.linalg.qr (same Householder sign convention)', () => {
    expect(maxDiff(qr(fixture('qr_a')).R.data, vec('qr_r'))).toBeLessThan(1e-14);
  });

  test('cholesky equals numpy.linalg.cholesky', () => {
    expect(maxDiff(cholesky(fixture('chol_a')).data, vec('chol_l'))).toBeLessThan(1e-14);
  });

  test('eigh eigenvalues equal numpy.linalg.eigh (generic and repeated spectra)', () => {
    expect(maxDiff(eigh(fixture('eigh_a')).values, vec('eigh_w'))).toBeLessThan(1e-14);
    expect(maxDiff(eigh(fixture('eigh_rep_a')).values, vec('eigh_rep_w'))).toBeLessThan(1e-14);
  });

  test.each(['svd_tall', 'svd_wide', 'svd_rank2', 'svd_graded'])('%s: singular values equal numpy.linalg.svd', (name) => {
    const s = svd(fixture(`${name}_a`)).s;
    const want = vec(`${name}_s`);
    // Absolute accuracy relative to ‖A‖₂ (LAPACK's guarantee; both sides round).
    expect(maxDiff(s, want)).toBeLessThan(1e-14 * want[0] * 10);
  });

  test('solve equals numpy.linalg.solve', () => {
    expect(maxDiff(solve(fixture('solve_a'), vec('solve_b')), vec('solve_x'))).toBeLessThan(1e-13);
  });

  test('lstsq equals numpy.linalg.lstsq, including the minimum-norm solution of a rank-deficient system', () => {
    expect(maxDiff(lstsq(fixture('lstsq_a'), vec('lstsq_b')).x, vec('lstsq_x'))).toBeLessThan(1e-14);
    const rd = lstsq(fixture('lstsq_rd_a'), vec('lstsq_rd_b'));
    expect(rd.rank).toBe(2);
    expect(maxDiff(rd.x, vec('lstsq_rd_x'))).toBeLessThan(1e-13);
  });

  test('pinv equals numpy.linalg.pinv', () => {
    expect(maxDiff(pinv(fixture('pinv_a')).data, vec('pinv_p'))).toBeLessThan(1e-13);
  });

  test('dct / dct2 equal the orthonormal DCT-II matrix', () => {
    expect(maxDiff(dct(vec('dct_x')), vec('dct_y'))).toBeLessThan(1e-14);
    expect(maxDiff(dct2(fixture('dct2_a')).data, vec('dct2_y'))).toBeLessThan(1e-14);
  });

  test('fwht equals the Sylvester Hadamard matrix product', () => {
    expect(maxDiff(fwht(vec('fwht_x').slice()), vec('fwht_y'))).toBeLessThan(1e-13);
  });
});
