import { assertMatrix, badInput } from './check.js';
import { fft } from './fft.js';
import type { Matrix } from './matrix.js';
import { transposeKernel } from './transpose.js';

/** Orthonormal DCT-II of x[off .. off + n) into out[oo ..] (Makhoul 1980: one n-point complex FFT). */
function dctKernel(x: Float64Array, off: number, n: number, out: Float64Array, oo: number, re: Float64Array, im: Float64Array): void {
  if (n === 1) {
    out[oo] = x[off];
    return;
  }
  // Even-indexed samples forwards, odd-indexed backwards.
  for (let j = 0; 2 * j < n; j++) re[j] = x[off + 2 * j];
  for (let j = 0; 2 * j + 1 < n; j++) re[n - 1 - j] = x[off + 2 * j + 1];
  im.fill(0, 0, n);
  fft(re.subarray(0, n), im.subarray(0, n));
  const s0 = Math.sqrt(1 / n), s = Math.sqrt(2 / n);
  for (let k = 0; k < n; k++) {
    const ang = (-Math.PI * k) / (2 * n);
    const v = re[k] * Math.cos(ang) - im[k] * Math.sin(ang);
    out[oo + k] = v * (k === 0 ? s0 : s);
  }
}

/** Orthonormal DCT-III (the inverse of dctKernel). */
function idctKernel(x: Float64Array, off: number, n: number, out: Float64Array, oo: number, re: Float64Array, im: Float64Array): void {
  if (n === 1) {
    out[oo] = x[off];
    return;
  }
  const s0 = Math.sqrt(n), s = Math.sqrt(n / 2);
  // V_k = exp(iπk/2n) (X̃_k - i X̃_{n-k}), X̃ the unnormalized coefficients, X̃_n = 0.
  for (let k = 0; k < n; k++) {
    const a = x[off + k] * (k === 0 ? s0 : s);
    const b = k === 0 ? 0 : x[off + n - k] * s;
    const ang = (Math.PI * k) / (2 * n);
    const c = Math.cos(ang), sn = Math.sin(ang);
    re[k] = a * c + b * sn;
    im[k] = a * sn - b * c;
  }
  fft(re.subarray(0, n), im.subarray(0, n), true);
  for (let j = 0; 2 * j < n; j++) out[oo + 2 * j] = re[j] / n;
  for (let j = 0; 2 * j + 1 < n; j++) out[oo + 2 * j + 1] = re[n - 1 - j] / n;
}

function checkVector(op: string, x: unknown): asserts x is Float64Array {
  if (!(x instanceof Float64Array)) throw badInput(`${op}: x must be a Float64Array`, 'x');
}

/**
 * Orthonormal DCT-II, X_k = s_k Σ_j x_j cos(π(2j+1)k / 2N) with s₀ = √(1/N),
 * s_k = √(2/N) (scipy.fft.dct(x, norm='ortho')). O(N log N) for every N:
 * one complex FFT of length N (Makhoul 1980; Bluestein when N is not a power
 * of two). Orthonormal, so {@link idct} inverts it and ‖X‖ = ‖x‖.
 *
 * @param x - length N
 * @returns a new array of N coefficients
 * @example
 * dct(new Float64Array([1, 1, 1, 1])); // => [2, 0, 0, 0]
 */
export function dct(x: Float64Array): Float64Array {
  checkVector('dct', x);
  const n = x.length;
  const out = new Float64Array(n);
  if (n > 0) dctKernel(x, 0, n, out, 0, new Float64Array(n), new Float64Array(n));
  return out;
}

/**
 * Orthonormal DCT-III, the inverse of {@link dct} (scipy.fft.idct(x, norm='ortho')).
 *
 * @param X - length N coefficients
 * @returns a new array of N samples
 * @example
 * idct(new Float64Array([2, 0, 0, 0])); // => [1, 1, 1, 1]
 */
export function idct(X: Float64Array): Float64Array {
  checkVector('idct', X);
  const n = X.length;
  const out = new Float64Array(n);
  if (n > 0) idctKernel(X, 0, n, out, 0, new Float64Array(n), new Float64Array(n));
  return out;
}

function separable(op: string, A: Matrix, kernel: typeof dctKernel): Matrix {
  assertMatrix(op, 'A', A);
  const { rows: m, cols: n } = A;
  if (m === 0 || n === 0) return { rows: m, cols: n, data: new Float64Array(0) };
  const w = Math.max(m, n);
  const re = new Float64Array(w), im = new Float64Array(w);
  const rowsDone = new Float64Array(m * n);
  for (let i = 0; i < m; i++) kernel(A.data, i * n, n, rowsDone, i * n, re, im);
  // Columns: transpose so they are contiguous, transform, transpose back.
  const t = transposeKernel({ rows: m, cols: n, data: rowsDone });
  const colsDone = new Float64Array(m * n);
  for (let j = 0; j < n; j++) kernel(t.data, j * m, m, colsDone, j * m, re, im);
  return transposeKernel({ rows: n, cols: m, data: colsDone });
}

/**
 * 2-D orthonormal DCT-II (rows, then columns), as scipy.fft.dctn(A, norm='ortho').
 *
 * @param A - m x n
 * @returns a new m x n matrix of coefficients
 * @example
 * dct2(Matrix.fromRows([[1, 1], [1, 1]])).data; // => [2, 0, 0, 0]
 */
export function dct2(A: Matrix): Matrix {
  return separable('dct2', A, dctKernel);
}

/**
 * 2-D orthonormal DCT-III, the inverse of {@link dct2}.
 *
 * @param A - m x n coefficients
 * @returns a new m x n matrix
 * @example
 * idct2(dct2(A)); // equals A to rounding
 */
export function idct2(A: Matrix): Matrix {
  return separable('idct2', A, idctKernel);
}
