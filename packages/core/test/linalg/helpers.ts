import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Matrix, ParsimonyError, createRng, decodeNpy, gaussianMatrix, haarOrthogonal, matmul, normFro } from '../../src/index.js';

/** A Gaussian m x n matrix from a seed. */
export function randn(m: number, n: number, seed: number, std = 1): Matrix {
  return gaussianMatrix(m, n, createRng('test/linalg', seed), std);
}

/** A fast-check arbitrary of Gaussian matrices with 1..maxM rows and 1..maxN columns, scaled by 10^e. */
export function arbMatrix(maxM: number, maxN: number, opts: { minM?: number; minN?: number; scale?: boolean } = {}): fc.Arbitrary<Matrix> {
  return fc
    .record({
      m: fc.integer({ min: opts.minM ?? 1, max: maxM }),
      n: fc.integer({ min: opts.minN ?? 1, max: maxN }),
      seed: fc.nat(),
      e: opts.scale ? fc.integer({ min: -6, max: 6 }) : fc.constant(0),
    })
    .map(({ m, n, seed, e }) => randn(m, n, seed, 10 ** e));
}

/** A square Gaussian matrix arbitrary. */
export function arbSquare(maxN: number, minN = 1): fc.Arbitrary<Matrix> {
  return fc.record({ n: fc.integer({ min: minN, max: maxN }), seed: fc.nat() }).map(({ n, seed }) => randn(n, n, seed));
}

/** A random symmetric matrix (A + Aᵀ)/2. */
export function symmetric(n: number, seed: number): Matrix {
  const a = randn(n, n, seed);
  const out = Matrix.zeros(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.data[i * n + j] = 0.5 * (a.data[i * n + j] + a.data[j * n + i]);
  return out;
}

/** Q diag(d) Qᵀ with a Haar-random Q: a symmetric matrix with exactly the spectrum d. */
export function withSpectrum(d: number[], seed: number): Matrix {
  const n = d.length;
  const q = haarOrthogonal(n, createRng('test/spectrum', seed));
  const qd = Matrix.clone(q);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) qd.data[i * n + j] *= d[j];
  const a = matmul(qd, q, { transB: true });
  // Exact symmetry, so the input checks see a symmetric matrix.
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a.data[j * n + i] = a.data[i * n + j];
  return a;
}

/** U diag(s) Vᵀ with Haar-random U (m x m) and V (n x n), s padded with zeros. */
export function withSingularValues(m: number, n: number, s: number[], seed: number): Matrix {
  const u = haarOrthogonal(m, createRng('test/u', seed));
  const v = haarOrthogonal(n, createRng('test/v', seed));
  const us = Matrix.zeros(m, n);
  for (let i = 0; i < m; i++) for (let j = 0; j < Math.min(n, s.length); j++) us.data[i * n + j] = u.data[i * m + j] * s[j];
  return matmul(us, v, { transB: true });
}

/** ‖A - B‖_F. */
export function diffFro(a: Matrix, b: Matrix): number {
  if (a.rows !== b.rows || a.cols !== b.cols) throw new Error(`shape mismatch ${a.rows}x${a.cols} vs ${b.rows}x${b.cols}`);
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += (a.data[i] - b.data[i]) ** 2;
  return Math.sqrt(s);
}

/** ‖QᵀQ - I‖_F for a matrix with orthonormal columns. */
export function orthError(q: Matrix): number {
  const g = matmul(q, q, { transA: true });
  return diffFro(g, Matrix.eye(q.cols));
}

/** ‖A‖_F, or 1 for a zero matrix (so relative errors stay defined). */
export function normOr1(a: Matrix): number {
  const f = normFro(a);
  return f === 0 ? 1 : f;
}

/** The naive triple loop, the reference for matmul. */
export function naiveMatmul(a: Matrix, b: Matrix): Matrix {
  const c = Matrix.zeros(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < b.cols; j++) {
      let s = 0;
      for (let p = 0; p < a.cols; p++) s += a.data[i * a.cols + p] * b.data[p * b.cols + j];
      c.data[i * b.cols + j] = s;
    }
  }
  return c;
}

/** U diag(s) Vᵀ. */
export function reconstruct(u: Matrix, s: Float64Array, v: Matrix): Matrix {
  const us = Matrix.clone(u);
  for (let i = 0; i < u.rows; i++) for (let j = 0; j < u.cols; j++) us.data[i * u.cols + j] *= s[j];
  return matmul(us, v, { transB: true });
}

/** A fixture from test/fixtures/linalg as a Matrix (1-D arrays as a single row). */
export function fixture(name: string): Matrix {
  const file = fileURLToPath(new URL(`../fixtures/linalg/${name}.npy`, import.meta.url));
  const a = decodeNpy(new Uint8Array(readFileSync(file)), name);
  if (a.shape.length === 1) return { rows: 1, cols: a.shape[0], data: a.data };
  return { rows: a.shape[0], cols: a.shape[1], data: a.data };
}

/** The ParsimonyError `fn` throws (fails the test when it throws nothing or something else). */
export function errorOf(fn: () => unknown): ParsimonyError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ParsimonyError) return e;
    throw e;
  }
  throw new Error('expected a ParsimonyError');
}

/** Max |x_i - y_i|. */
export function maxDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new Error(`length mismatch ${x.length} vs ${y.length}`);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}
