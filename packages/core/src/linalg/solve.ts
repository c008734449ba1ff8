import { assertMatrix, badInput, checkedInput, shapeOf, assertFinite, assertFiniteVector } from './check.js';
import { luKernel } from './lu.js';
import type { Matrix } from './matrix.js';
import { trsmKernel } from './triangular.js';

/** Checks the right-hand side of a square solve; returns its column count. */
export function checkRhs(op: string, A: Matrix, B: unknown): number {
  if (B instanceof Float64Array) {
    if (B.length !== A.rows) throw badInput(`${op}: A is ${shapeOf(A)} but b has ${B.length} entries (needs ${A.rows})`, 'b');
    assertFiniteVector(op, 'b', B);
    return 1;
  }
  assertMatrix(op, 'B', B);
  if (B.rows !== A.rows) throw badInput(`${op}: A is ${shapeOf(A)} but B is ${shapeOf(B)} (rows differ)`, 'B');
  assertFinite(op, 'B', B);
  return B.cols;
}

/** The solve kernel (no checks): X with A X = B, by LU with partial pivoting. */
export function solveKernel(A: Matrix, b: Float64Array, k: number): Float64Array {
  const n = A.rows;
  const f = luKernel(A);
  const lu = f.lu.data;
  let max = 0;
  for (let i = 0; i < A.data.length; i++) max = Math.max(max, Math.abs(A.data[i]));
  // A pivot below n ε max|A| means A is singular to working precision.
  for (let i = 0; i < n; i++) {
    if (!(Math.abs(lu[i * n + i]) > n * Number.EPSILON * max)) {
      throw badInput(`solve: A (${shapeOf(A)}) is singular to working precision (pivot ${i} is ${lu[i * n + i]}); use lstsq for a least-squares or minimum-norm solution`, 'A');
    }
  }
  const x = new Float64Array(n * k);
  for (let i = 0; i < n; i++) x.set(b.subarray(f.perm[i] * k, f.perm[i] * k + k), i * k);
  trsmKernel(f.lu, x, k, true, false, true);
  trsmKernel(f.lu, x, k, false, false, false);
  return x;
}

/**
 * Solves the square system A X = B by LU with partial pivoting (LAPACK
 * dgesv). Throws when A is singular to working precision (a pivot below
 * n·ε·max|A|); use {@link lstsq} for singular or rectangular systems and
 * {@link choleskySolve} when A is symmetric positive definite (half the work).
 *
 * @param A - n x n, finite
 * @param B - n x k right-hand sides, or a vector of length n
 * @returns X, of B's kind
 * @example
 * solve(Matrix.fromRows([[2, 1], [1, 3]]), new Float64Array([3, 5])); // => [0.8, 1.4]
 */
export function solve(A: Matrix, B: Float64Array): Float64Array;
export function solve(A: Matrix, B: Matrix): Matrix;
export function solve(A: Matrix, B: Matrix | Float64Array): Matrix | Float64Array {
  checkedInput('solve', 'A', A, true);
  const k = checkRhs('solve', A, B);
  if (B instanceof Float64Array) return solveKernel(A, B, 1);
  return { rows: A.rows, cols: k, data: solveKernel(A, B.data, k) };
}
