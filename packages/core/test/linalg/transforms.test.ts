import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Matrix, dct, dct2, fft, fwht, fwht2, idct, idct2, nrm2 } from '../../src/index.js';
import { errorOf, maxDiff, randn } from './helpers.js';

/** The orthonormal DCT-II from its definition, O(N²). */
function dctRef(x: Float64Array): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += x[j] * Math.cos((Math.PI * (2 * j + 1) * k) / (2 * n));
    out[k] = s * Math.sqrt((k === 0 ? 1 : 2) / n);
  }
  return out;
}

describe('fast Walsh-Hadamard transform', () => {
  test('hand-worked: H₄ [1, 0, 1, 0] = [2, 2, 0, 0]', () => {
    expect(Array.from(fwht(new Float64Array([1, 0, 1, 0])))).toEqual([2, 2, 0, 0]);
    expect(Array.from(fwht(new Float64Array([1, 2, 3, 4, 5, 6, 7, 8])))).toEqual([36, -4, -8, 0, -16, 0, 0, 0]);
  });

  test('in place; twice gives N x; orthonormal is an involution and keeps the norm', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.nat(), (p, seed) => {
        const n = 2 ** p;
        const x = randn(1, n, seed).data;
        const y = x.slice();
        expect(fwht(y)).toBe(y);
        fwht(y);
        expect(maxDiff(y, x.map((v) => v * n))).toBeLessThan(1e-12 * n);
        const z = fwht(x.slice(), { orthonormal: true });
        expect(Math.abs(nrm2(z) - nrm2(x))).toBeLessThan(1e-12);
        expect(maxDiff(fwht(z, { orthonormal: true }), x)).toBeLessThan(1e-12);
      }),
      { numRuns: 25 },
    );
  });

  test('2-D: H A H on rows and columns', () => {
    expect(Array.from(fwht2(Matrix.fromRows([[1, 0], [0, 0]])).data)).toEqual([1, 1, 1, 1]);
    const a = randn(8, 4, 1);
    const b = fwht2(fwht2(Matrix.clone(a), { orthonormal: true }), { orthonormal: true });
    expect(maxDiff(b.data, a.data)).toBeLessThan(1e-14);
  });

  test('a length that is not a power of two is named', () => {
    expect(errorOf(() => fwht(new Float64Array(6))).message).toBe('fwht: x has 6 entries but the length must be a power of two (pad with zeros to 8)');
    expect(errorOf(() => fwht2(Matrix.zeros(4, 3))).message).toBe('fwht2: A is 4x3 but both sizes must be powers of two');
  });
});

describe('DCT-II / DCT-III (orthonormal)', () => {
  test('matches the definition for every length 1..70 (radix-2 and Bluestein) and inverts', () => {
    for (let n = 1; n <= 70; n++) {
      const x = randn(1, n, n).data;
      const X = dct(x);
      expect(maxDiff(X, dctRef(x))).toBeLessThan(1e-13 * Math.sqrt(n));
      expect(maxDiff(idct(X), x)).toBeLessThan(1e-13 * Math.sqrt(n));
      expect(Math.abs(nrm2(X) - nrm2(x))).toBeLessThan(1e-13 * Math.sqrt(n));
    }
  });

  test('hand-worked: a constant has only a DC coefficient', () => {
    expect(maxDiff(dct(new Float64Array([1, 1, 1, 1])), [2, 0, 0, 0])).toBeLessThan(1e-15);
    expect(maxDiff(idct(new Float64Array([2, 0, 0, 0])), [1, 1, 1, 1])).toBeLessThan(1e-15);
    expect(dct(new Float64Array(0)).length).toBe(0);
  });

  test('2-D transform is separable and inverts', () => {
    const a = randn(6, 9, 2);
    const c = dct2(a);
    for (let i = 0; i < 6; i++) {
      // Row transform then column transform equals the reference applied the same way.
      const rows = Array.from({ length: 6 }, (_, r) => dctRef(a.data.subarray(r * 9, r * 9 + 9)));
      const col = (j: number) => dctRef(Float64Array.from(rows, (r) => r[j]));
      for (let j = 0; j < 9; j++) expect(Math.abs(c.data[i * 9 + j] - col(j)[i])).toBeLessThan(1e-13);
    }
    expect(maxDiff(idct2(c).data, a.data)).toBeLessThan(1e-13);
  });
});

describe('fft (complex DFT, any length)', () => {
  test('equals the O(n²) definition X_k = Σ x_j e^(−2πi jk/n), for powers of two and other lengths (Bluestein)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 1000 }), (n, seed) => {
        const x = randn(1, 2 * n, seed).data;
        const re = x.slice(0, n), im = x.slice(n);
        const wantRe = new Float64Array(n), wantIm = new Float64Array(n);
        for (let k = 0; k < n; k++) {
          for (let j = 0; j < n; j++) {
            const t = (-2 * Math.PI * j * k) / n;
            wantRe[k] += re[j] * Math.cos(t) - im[j] * Math.sin(t);
            wantIm[k] += re[j] * Math.sin(t) + im[j] * Math.cos(t);
          }
        }
        fft(re, im);
        expect(maxDiff(re, wantRe)).toBeLessThan(1e-10 * n);
        expect(maxDiff(im, wantIm)).toBeLessThan(1e-10 * n);
      }),
      { seed: 1, numRuns: 40 },
    );
  });

  test('the inverse (unnormalized) undoes the forward transform up to n', () => {
    const re = Float64Array.of(1, 2, 3, 4, 5), im = Float64Array.of(0, -1, 0, 1, 0);
    const r = re.slice(), i = im.slice();
    fft(r, i);
    fft(r, i, true);
    expect(maxDiff(r.map((v) => v / 5), re)).toBeLessThan(1e-14);
    expect(maxDiff(i.map((v) => v / 5), im)).toBeLessThan(1e-14);
  });
});
