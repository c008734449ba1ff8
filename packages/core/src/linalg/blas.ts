import { badInput } from './check.js';
import type { Matrix } from './matrix.js';

/**
 * The inner product x · y (BLAS ddot), with four accumulators. Unchecked
 * kernel for hot loops: x and y must have equal lengths (`ctx.linalg.dot`
 * checks them).
 *
 * @param x - a vector
 * @param y - a vector of the same length
 * @returns Σ x_i y_i
 * @example
 * dot(new Float64Array([1, 2]), new Float64Array([3, 4])); // => 11
 */
export function dot(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  // Four accumulators break the add dependency chain.
  for (; i + 3 < n; i += 4) {
    s0 += x[i] * y[i];
    s1 += x[i + 1] * y[i + 1];
    s2 += x[i + 2] * y[i + 2];
    s3 += x[i + 3] * y[i + 3];
  }
  for (; i < n; i++) s0 += x[i] * y[i];
  return s0 + s1 + s2 + s3;
}

/**
 * y += alpha x, in place (BLAS daxpy). Unchecked kernel: equal lengths.
 *
 * @param alpha - the scale
 * @param x - the vector added
 * @param y - the vector updated
 * @example
 * const y = new Float64Array([1, 1]);
 * axpy(2, new Float64Array([1, 2]), y); // y => [3, 5]
 */
export function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += alpha * x[i];
}

/**
 * Euclidean norm ‖x‖₂ with scaling, so it neither overflows nor underflows
 * (BLAS dnrm2).
 *
 * @param x - a vector
 * @returns ‖x‖₂
 * @example
 * nrm2(new Float64Array([3, 4])); // => 5
 */
export function nrm2(x: Float64Array): number {
  let scale = 0, ssq = 1;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]);
    if (a === 0) continue;
    if (scale < a) {
      ssq = 1 + ssq * (scale / a) * (scale / a);
      scale = a;
    } else {
      ssq += (a / scale) * (a / scale);
    }
  }
  return scale * Math.sqrt(ssq);
}

/**
 * Matrix-vector product y = A x, or Aᵀ x with `trans` (BLAS dgemv), into
 * `out` when given. Row-major Aᵀx streams A once, row by row.
 *
 * @param a - m x n
 * @param x - n entries (m with `trans`)
 * @param trans - multiply by Aᵀ
 * @param out - optional output (m entries, n with `trans`), overwritten
 * @returns y
 * @example
 * matvec(Matrix.fromRows([[1, 2], [3, 4]]), new Float64Array([1, 1])); // => [3, 7]
 */
export function matvec(a: Matrix, x: Float64Array, trans = false, out?: Float64Array): Float64Array {
  const { rows: m, cols: n, data } = a;
  if (!trans) {
    if (x.length !== n) throw badInput(`matvec: x has ${x.length} entries, A has ${n} columns`, 'x');
    const y = out ?? new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let s = 0;
      const o = i * n;
      for (let j = 0; j < n; j++) s += data[o + j] * x[j];
      y[i] = s;
    }
    return y;
  }
  if (x.length !== m) throw badInput(`matvec: x has ${x.length} entries, A has ${m} rows (transposed product)`, 'x');
  const y = out ?? new Float64Array(n);
  y.fill(0);
  // Row-major Aᵀx: accumulate x_i times row i, streaming A once.
  for (let i = 0; i < m; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    const o = i * n;
    for (let j = 0; j < n; j++) y[j] += xi * data[o + j];
  }
  return y;
}
