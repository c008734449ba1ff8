import { assertMatrix, assertSquare, badInput, shapeOf } from './check.js';
import { gemmStrided } from './gemm.js';
import type { Matrix } from './matrix.js';

/** Options of {@link solveTriangular}. */
export interface TriangularOptions {
  /** T is lower triangular (default true); only that triangle is read. */
  readonly lower?: boolean;
  /** Solve Tᵀ X = B instead of T X = B (no copy of T is made). */
  readonly trans?: boolean;
  /** Assume ones on the diagonal (it is not read). */
  readonly unitDiagonal?: boolean;
}

/** Rows per block: the block is solved directly, everything below it updated by one GEMM. */
const NB = 64;

/**
 * The triangular-solve kernel (no checks): overwrites the row-major n x k
 * array `x` (holding B) with the solution of op(T) X = B (BLAS dtrsm, left).
 */
export function trsmKernel(t: Matrix, x: Float64Array, k: number, lower: boolean, trans: boolean, unit: boolean): void {
  const n = t.rows;
  const td = t.data;
  // op(T) is lower triangular exactly when (lower XOR trans): then solve forwards.
  const forward = lower !== trans;
  if (k === 1) {
    trsvKernel(td, n, x, forward, trans, unit);
    return;
  }
  // Element (i, j) of op(T).
  const at = trans ? (i: number, j: number) => td[j * n + i] : (i: number, j: number) => td[i * n + j];
  const blocked = n > NB && k >= 8;
  const nb = blocked ? NB : n;
  if (forward) {
    for (let i0 = 0; i0 < n; i0 += nb) {
      const i1 = Math.min(i0 + nb, n);
      // X[i0:i1] -= op(T)[i0:i1, 0:i0] X[0:i0]
      if (i0 > 0) {
        if (!trans) gemmStrided(false, false, i1 - i0, k, i0, -1, td, i0 * n, n, x, 0, k, 1, x, i0 * k, k);
        else gemmStrided(true, false, i1 - i0, k, i0, -1, td, i0, n, x, 0, k, 1, x, i0 * k, k);
      }
      for (let i = i0; i < i1; i++) {
        const xi = i * k;
        for (let p = i0; p < i; p++) {
          const e = at(i, p);
          if (e === 0) continue;
          const xp = p * k;
          for (let c = 0; c < k; c++) x[xi + c] -= e * x[xp + c];
        }
        if (!unit) {
          const d = 1 / at(i, i);
          for (let c = 0; c < k; c++) x[xi + c] *= d;
        }
      }
    }
  } else {
    for (let i1 = n; i1 > 0; i1 -= nb) {
      const i0 = Math.max(i1 - nb, 0);
      // X[i0:i1] -= op(T)[i0:i1, i1:n] X[i1:n]
      if (i1 < n) {
        if (!trans) gemmStrided(false, false, i1 - i0, k, n - i1, -1, td, i0 * n + i1, n, x, i1 * k, k, 1, x, i0 * k, k);
        else gemmStrided(true, false, i1 - i0, k, n - i1, -1, td, i1 * n + i0, n, x, i1 * k, k, 1, x, i0 * k, k);
      }
      for (let i = i1 - 1; i >= i0; i--) {
        const xi = i * k;
        for (let p = i + 1; p < i1; p++) {
          const e = at(i, p);
          if (e === 0) continue;
          const xp = p * k;
          for (let c = 0; c < k; c++) x[xi + c] -= e * x[xp + c];
        }
        if (!unit) {
          const d = 1 / at(i, i);
          for (let c = 0; c < k; c++) x[xi + c] *= d;
        }
      }
    }
  }
}

/** One right-hand side: every access runs along a row of T (dot or axpy form). */
function trsvKernel(td: Float64Array, n: number, x: Float64Array, forward: boolean, trans: boolean, unit: boolean): void {
  if (!trans) {
    // Dot form: x_i = (b_i - T[i, ·] x) / T_ii over the solved part.
    if (forward) {
      for (let i = 0; i < n; i++) {
        let s = x[i];
        const o = i * n;
        for (let p = 0; p < i; p++) s -= td[o + p] * x[p];
        x[i] = unit ? s : s / td[o + i];
      }
    } else {
      for (let i = n - 1; i >= 0; i--) {
        let s = x[i];
        const o = i * n;
        for (let p = i + 1; p < n; p++) s -= td[o + p] * x[p];
        x[i] = unit ? s : s / td[o + i];
      }
    }
    return;
  }
  // Axpy form for Tᵀ: once x_p is final, subtract it times row p of T.
  if (forward) {
    for (let p = 0; p < n; p++) {
      const o = p * n;
      const xp = unit ? x[p] : x[p] / td[o + p];
      x[p] = xp;
      if (xp !== 0) for (let i = p + 1; i < n; i++) x[i] -= td[o + i] * xp;
    }
  } else {
    for (let p = n - 1; p >= 0; p--) {
      const o = p * n;
      const xp = unit ? x[p] : x[p] / td[o + p];
      x[p] = xp;
      if (xp !== 0) for (let i = 0; i < p; i++) x[i] -= td[o + i] * xp;
    }
  }
}

/** Checks T and B of a triangular solve; returns the number of right-hand sides. */
export function checkTriangular(op: string, T: unknown, B: unknown): number {
  assertMatrix(op, 'T', T);
  assertSquare(op, 'T', T);
  if (B instanceof Float64Array) {
    if (B.length !== T.rows) throw badInput(`${op}: T is ${shapeOf(T)} but b has ${B.length} entries`, 'b');
    return 1;
  }
  assertMatrix(op, 'B', B);
  if (B.rows !== T.rows) throw badInput(`${op}: T is ${shapeOf(T)} but B is ${shapeOf(B)} (rows differ)`, 'B');
  return B.cols;
}

/**
 * Solves op(T) X = B for triangular T by substitution (BLAS dtrsm/dtrsv);
 * for many right-hand sides, blocks of 64 rows are solved directly and the
 * rest is updated by GEMM. A zero on the diagonal gives ±Infinity/NaN, as
 * in BLAS: check the condition first when T may be singular.
 *
 * @param T - n x n triangular (only the triangle named by `lower` is read)
 * @param B - n x k right-hand sides, or a vector of length n
 * @param options - `lower` (default true), `trans`, `unitDiagonal`
 * @returns X, of B's kind (a new matrix or vector)
 * @example
 * solveTriangular(Matrix.fromRows([[2, 0], [1, 1]]), new Float64Array([2, 3])); // => [1, 2]
 */
export function solveTriangular(T: Matrix, B: Float64Array, options?: TriangularOptions): Float64Array;
export function solveTriangular(T: Matrix, B: Matrix, options?: TriangularOptions): Matrix;
export function solveTriangular(T: Matrix, B: Matrix | Float64Array, options: TriangularOptions = {}): Matrix | Float64Array {
  const k = checkTriangular('solveTriangular', T, B);
  const lower = options.lower ?? true;
  if (B instanceof Float64Array) {
    const x = B.slice();
    trsmKernel(T, x, 1, lower, !!options.trans, !!options.unitDiagonal);
    return x;
  }
  const x = B.data.slice();
  trsmKernel(T, x, k, lower, !!options.trans, !!options.unitDiagonal);
  return { rows: B.rows, cols: k, data: x };
}
