import { ParsimonyError } from '../schema/errors.js';
import { assertFiniteVector, assertMatrix, assertSquare, assertSymmetric, assertVector, badInput, checkedInput, shapeOf } from './check.js';
import { gemmStrided } from './gemm.js';
import type { Matrix } from './matrix.js';
import { checkTriangular, trsmKernel } from './triangular.js';

/** Below this order the recursion stops and a plain loop factors the block. */
const BASE = 32;
/** Below this width the triangular solve substitutes directly instead of recursing. */
const TRSM_BASE = 16;

class NotPositiveDefinite extends Error {
  constructor(readonly order: number, readonly pivot: number) {
    super('not positive definite');
  }
}

/**
 * Unblocked Cholesky of the sz x sz diagonal block at (i0, i0) of the
 * row-major n x n array `l`, lower triangle, in place (row-oriented: every
 * inner product runs along two contiguous rows).
 */
function potf2(l: Float64Array, n: number, i0: number, sz: number): void {
  for (let j = i0; j < i0 + sz; j++) {
    const rj = j * n;
    for (let p = i0; p < j; p++) {
      const rp = p * n;
      let s = l[rj + p];
      for (let q = i0; q < p; q++) s -= l[rj + q] * l[rp + q];
      l[rj + p] = s / l[rp + p];
    }
    let d = l[rj + j];
    for (let q = i0; q < j; q++) d -= l[rj + q] * l[rj + q];
    // `!(d > 0)` also catches NaN.
    if (!(d > 0)) throw new NotPositiveDefinite(j + 1, d);
    l[rj + j] = Math.sqrt(d);
  }
}

/**
 * X := X L⁻ᵀ for the rows [r0, r1) x columns [c0, c0 + sz) of `l`, where L
 * is the (already factored) lower triangular diagonal block at (c0, c0).
 * Recursive, so nearly all of its flops run in GEMM.
 */
function trsmRight(l: Float64Array, n: number, r0: number, r1: number, c0: number, sz: number): void {
  if (r1 <= r0) return;
  if (sz <= TRSM_BASE) {
    // Two rows at a time, so each row of L loaded serves both.
    let i = r0;
    for (; i + 1 < r1; i += 2) {
      const ri = i * n, rj = ri + n;
      for (let p = c0; p < c0 + sz; p++) {
        const rp = p * n;
        let s = l[ri + p], t = l[rj + p];
        for (let q = c0; q < p; q++) {
          const lq = l[rp + q];
          s -= l[ri + q] * lq;
          t -= l[rj + q] * lq;
        }
        const d = l[rp + p];
        l[ri + p] = s / d;
        l[rj + p] = t / d;
      }
    }
    if (i < r1) {
      const ri = i * n;
      for (let p = c0; p < c0 + sz; p++) {
        const rp = p * n;
        let s = l[ri + p];
        for (let q = c0; q < p; q++) s -= l[ri + q] * l[rp + q];
        l[ri + p] = s / l[rp + p];
      }
    }
    return;
  }
  const na = sz >> 1, nc = sz - na;
  trsmRight(l, n, r0, r1, c0, na);
  // X_c -= X_a L_baᵀ
  gemmStrided(false, true, r1 - r0, nc, na, -1, l, r0 * n + c0, n, l, (c0 + na) * n + c0, n, 1, l, r0 * n + c0 + na, n);
  trsmRight(l, n, r0, r1, c0 + na, nc);
}

/** Rows per GEMM in the half-work symmetric update. */
const SYRK_NB = 64;

/** Lower triangle of C -= X Xᵀ, C the sz x sz block at (c0, c0), X the sz x k block at (c0, x0). */
function syrkLower(l: Float64Array, n: number, c0: number, sz: number, x0: number, k: number): void {
  for (let i0 = 0; i0 < sz; i0 += SYRK_NB) {
    const bi = Math.min(SYRK_NB, sz - i0);
    // Block row i0: columns 0 .. i0 + bi (the diagonal block is computed whole).
    gemmStrided(false, true, bi, i0 + bi, k, -1, l, (c0 + i0) * n + x0, n, l, c0 * n + x0, n, 1, l, (c0 + i0) * n + c0, n);
  }
}

/** Recursive Cholesky of the sz x sz diagonal block at (i0, i0) (Gustavson 1997). */
function potrfRec(l: Float64Array, n: number, i0: number, sz: number): void {
  if (sz <= BASE) {
    potf2(l, n, i0, sz);
    return;
  }
  const n1 = sz >> 1, n2 = sz - n1;
  potrfRec(l, n, i0, n1);
  trsmRight(l, n, i0 + n1, i0 + sz, i0, n1);
  syrkLower(l, n, i0 + n1, n2, i0, n1);
  potrfRec(l, n, i0 + n1, n2);
}

/** The cholesky kernel (no checks): L with L Lᵀ = A, reading A's lower triangle. */
export function choleskyKernel(a: Matrix): Matrix {
  const n = a.rows;
  const l = a.data.slice();
  try {
    potrfRec(l, n, 0, n);
  } catch (e) {
    if (e instanceof NotPositiveDefinite) {
      throw new ParsimonyError(
        'PARSIMONY_BAD_INPUT',
        `cholesky: A (${shapeOf(a)}) is not positive definite: the leading minor of order ${e.order} is not positive (pivot ${e.pivot}); for semidefinite or indefinite A use eigh or lu`,
        'A',
      );
    }
    throw e;
  }
  for (let i = 0; i < n; i++) l.fill(0, i * n + i + 1, (i + 1) * n);
  return { rows: n, cols: n, data: l };
}

/**
 * Cholesky factorization A = L Lᵀ of a symmetric positive definite matrix.
 * Recursive (Gustavson 1997): the two half-size subproblems are joined by a
 * triangular solve and a symmetric update that both run in GEMM. Only the
 * lower triangle of A is used; A must be symmetric to ~1e-8 relative.
 *
 * @param A - n x n symmetric positive definite, finite
 * @returns L, lower triangular with positive diagonal
 * @example
 * cholesky(Matrix.fromRows([[4, 2], [2, 5]])).data; // => [2, 0, 1, 2]
 */
export function cholesky(A: Matrix): Matrix {
  checkedInput('cholesky', 'A', A, true);
  assertSymmetric('cholesky', 'A', A);
  return choleskyKernel(A);
}

/**
 * Solves A X = B given A's Cholesky factor L (A = L Lᵀ): one forward and one
 * backward triangular solve.
 *
 * @param L - n x n lower triangular, from {@link cholesky}
 * @param B - n x k right-hand sides, or a vector of length n
 * @returns X, of B's kind
 * @example
 * choleskySolve(cholesky(A), b); // x with A x = b
 */
export function choleskySolve(L: Matrix, B: Float64Array): Float64Array;
export function choleskySolve(L: Matrix, B: Matrix): Matrix;
export function choleskySolve(L: Matrix, B: Matrix | Float64Array): Matrix | Float64Array {
  const k = checkTriangular('choleskySolve', L, B);
  const x = B instanceof Float64Array ? B.slice() : B.data.slice();
  trsmKernel(L, x, k, true, false, false);
  trsmKernel(L, x, k, true, true, false);
  return B instanceof Float64Array ? x : { rows: B.rows, cols: k, data: x };
}

function checkUpdate(op: string, L: Matrix, x: Float64Array): void {
  assertMatrix(op, 'L', L);
  assertSquare(op, 'L', L);
  assertVector(op, 'x', x, L.rows, `L is ${shapeOf(L)}`);
  assertFiniteVector(op, 'x', x);
}

/**
 * Rank-one update in place: on return L Lᵀ equals the old L Lᵀ + x xᵀ
 * (LINPACK dchud; O(n²) with Givens-like rotations, no refactorization).
 *
 * @param L - n x n lower triangular Cholesky factor, overwritten
 * @param x - n entries (not modified)
 * @returns L
 * @example
 * choleskyUpdate(L, x); // now L Lᵀ = A + x xᵀ
 */
export function choleskyUpdate(L: Matrix, x: Float64Array): Matrix {
  checkUpdate('choleskyUpdate', L, x);
  const n = L.rows, l = L.data;
  const w = x.slice();
  for (let k = 0; k < n; k++) {
    const lkk = l[k * n + k];
    const r = Math.hypot(lkk, w[k]);
    const c = r / lkk, s = w[k] / lkk;
    l[k * n + k] = r;
    for (let i = k + 1; i < n; i++) {
      const lik = (l[i * n + k] + s * w[i]) / c;
      l[i * n + k] = lik;
      w[i] = c * w[i] - s * lik;
    }
  }
  return L;
}

/**
 * Rank-one downdate in place: on return L Lᵀ equals the old L Lᵀ - x xᵀ
 * (LINPACK dchdd). Throws, leaving L unchanged, when the result would not be
 * positive definite.
 *
 * @param L - n x n lower triangular Cholesky factor, overwritten
 * @param x - n entries (not modified)
 * @returns L
 * @example
 * choleskyDowndate(choleskyUpdate(L, x), x); // back to the original factor
 */
export function choleskyDowndate(L: Matrix, x: Float64Array): Matrix {
  checkUpdate('choleskyDowndate', L, x);
  const n = L.rows, l = L.data;
  // Feasibility first (‖L⁻¹x‖ < 1), so a failure leaves L untouched.
  const p = x.slice();
  trsmKernel(L, p, 1, true, false, false);
  let pp = 0;
  for (let i = 0; i < n; i++) pp += p[i] * p[i];
  if (!(pp < 1 - 1e-14)) {
    throw badInput(`choleskyDowndate: L Lᵀ - x xᵀ is not positive definite (‖L⁻¹x‖² = ${pp} >= 1)`, 'x');
  }
  const w = x.slice();
  for (let k = 0; k < n; k++) {
    const lkk = l[k * n + k];
    const r = Math.sqrt((lkk - w[k]) * (lkk + w[k]));
    const c = r / lkk, s = w[k] / lkk;
    l[k * n + k] = r;
    for (let i = k + 1; i < n; i++) {
      const lik = (l[i * n + k] - s * w[i]) / c;
      l[i * n + k] = lik;
      w[i] = c * w[i] - s * lik;
    }
  }
  return L;
}

/**
 * A growing Cholesky factor L (lower triangular, L Lᵀ = G) of a Gram matrix
 * G = A_Sᵀ A_S whose column set S grows one column at a time, as greedy
 * pursuit methods need: appending a column costs O(k^2), not O(k^3).
 *
 * @example
 * const chol = new GrowingCholesky(10);
 * chol.append(new Float64Array(0), 4); // first column, squared norm 4
 * const b = new Float64Array([2]);
 * chol.solveInPlace(b); // b => [0.5]
 */
export class GrowingCholesky {
  /** Packed row-major storage with capacity `cap` x `cap`. */
  private readonly l: Float64Array;
  private k = 0;

  constructor(private readonly cap: number) {
    this.l = new Float64Array(cap * cap);
  }

  /** Current order k. */
  get size(): number {
    return this.k;
  }

  /**
   * Appends a column: `g` holds its inner products with the k current columns
   * (g[0..k-1]) and `diag` its squared norm. Returns false, leaving the factor
   * unchanged, when the new column is (numerically) in the span of the others.
   */
  append(g: Float64Array, diag: number): boolean {
    const { l, k, cap } = this;
    if (k >= cap) throw new RangeError(`GrowingCholesky: capacity ${cap} exceeded`);
    // Solve L w = g (forward substitution) into row k.
    const rowK = k * cap;
    let ww = 0;
    for (let i = 0; i < k; i++) {
      let s = g[i];
      const rowI = i * cap;
      for (let j = 0; j < i; j++) s -= l[rowI + j] * l[rowK + j];
      const w = s / l[rowI + i];
      l[rowK + i] = w;
      ww += w * w;
    }
    const d = diag - ww;
    if (!(d > 1e-12 * Math.max(diag, 1e-300))) return false;
    l[rowK + k] = Math.sqrt(d);
    this.k = k + 1;
    return true;
  }

  /** Solves L Lᵀ x = b in place (b has length k). */
  solveInPlace(b: Float64Array): void {
    const { l, k, cap } = this;
    for (let i = 0; i < k; i++) {
      let s = b[i];
      const row = i * cap;
      for (let j = 0; j < i; j++) s -= l[row + j] * b[j];
      b[i] = s / l[row + i];
    }
    for (let i = k - 1; i >= 0; i--) {
      let s = b[i];
      for (let j = i + 1; j < k; j++) s -= l[j * cap + i] * b[j];
      b[i] = s / l[i * cap + i];
    }
  }
}
