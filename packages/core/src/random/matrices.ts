import { badInput } from '../linalg/check.js';
import type { Matrix } from '../linalg/matrix.js';
import { qrKernel } from '../linalg/qr.js';
import type { Rng } from './rng.js';

function checkRng(op: string, rng: unknown): asserts rng is Rng {
  if (typeof rng !== 'object' || rng === null || typeof (rng as Rng).normal !== 'function') {
    throw badInput(`${op}: rng must be an Rng (createRng(...))`, 'rng');
  }
}

function checkDim(op: string, name: string, v: unknown): asserts v is number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw badInput(`${op}: ${name} must be a non-negative integer, got ${String(v)}`, name);
  }
}

/**
 * A rows x cols matrix of i.i.d. N(0, std²) entries, filled row by row from
 * `rng` (so the same stream gives the same matrix on every platform).
 *
 * @param rows - number of rows
 * @param cols - number of columns
 * @param rng - the stream to draw from
 * @param std - standard deviation (default 1)
 * @returns the matrix
 * @example
 * gaussianMatrix(3, 2, createRng(7), 0.5).data.length; // => 6
 */
export function gaussianMatrix(rows: number, cols: number, rng: Rng, std = 1): Matrix {
  checkDim('gaussianMatrix', 'rows', rows);
  checkDim('gaussianMatrix', 'cols', cols);
  checkRng('gaussianMatrix', rng);
  if (!(std >= 0) || !Number.isFinite(std)) throw badInput(`gaussianMatrix: std must be a finite number >= 0, got ${std}`, 'std');
  return { rows, cols, data: rng.fillNormal(new Float64Array(rows * cols), 0, std) };
}

/**
 * A Haar-distributed (uniformly random) n x n orthogonal matrix: the Q of a
 * QR factorization of a Gaussian matrix, with column j multiplied by
 * sign(R_jj) so the distribution is exactly Haar (Mezzadri, "How to
 * generate random matrices from the classical compact groups", Notices AMS
 * 54(5), 2007, §5).
 *
 * @param n - order
 * @param rng - the stream to draw from
 * @returns Q with Qᵀ Q = I
 * @example
 * const Q = haarOrthogonal(4, createRng(1)); // matmul(Q, Q, { transA: true }) ≈ I
 */
export function haarOrthogonal(n: number, rng: Rng): Matrix {
  checkDim('haarOrthogonal', 'n', n);
  checkRng('haarOrthogonal', rng);
  const { Q, R } = qrKernel(gaussianMatrix(n, n, rng));
  for (let j = 0; j < n; j++) {
    // Deviation from a bare QR: without the sign fix Q is not Haar (LAPACK's R signs are biased).
    if (R.data[j * n + j] < 0) for (let i = 0; i < n; i++) Q.data[i * n + j] = -Q.data[i * n + j];
  }
  return Q;
}
