import { checkedInput } from './check.js';
import { gemmStrided } from './gemm.js';
import type { Matrix } from './matrix.js';

/** An LU factorization with partial pivoting: A[perm[i], :] = (L U)[i, :]. */
export interface LuResult {
  /** m x k unit lower triangular (k = min(m, n)). */
  readonly L: Matrix;
  /** k x n upper triangular. */
  readonly U: Matrix;
  /** Row i of L U is row perm[i] of A. */
  readonly perm: Int32Array;
  /** The permutation's sign (+1 or -1): det(A) = sign · Π U_ii for square A. */
  readonly sign: number;
}

/** Packed factors: L (unit, below the diagonal) and U in one m x n array. */
export interface LuPacked {
  readonly lu: Matrix;
  readonly perm: Int32Array;
  readonly sign: number;
}

const BASE = 16;

/** Swaps rows i and p of the row-major array (whole rows: contiguous, O(n)). */
function swapRows(a: Float64Array, n: number, i: number, p: number): void {
  const oi = i * n, op = p * n;
  for (let j = 0; j < n; j++) {
    const t = a[oi + j];
    a[oi + j] = a[op + j];
    a[op + j] = t;
  }
}

interface LuState {
  a: Float64Array;
  m: number;
  n: number;
  perm: Int32Array;
  sign: number;
}

/** B := L⁻¹ B for the unit lower block L at (r0, r0) of order w and B = rows r0.. x columns [c0, c1). Recursive. */
function trsmLeftUnit(s: LuState, r0: number, w: number, c0: number, c1: number): void {
  const { a, n } = s;
  if (c1 <= c0) return;
  if (w <= BASE) {
    for (let i = r0 + 1; i < r0 + w; i++) {
      const oi = i * n;
      for (let p = r0; p < i; p++) {
        const l = a[oi + p];
        if (l === 0) continue;
        const op = p * n;
        for (let j = c0; j < c1; j++) a[oi + j] -= l * a[op + j];
      }
    }
    return;
  }
  const w1 = w >> 1;
  trsmLeftUnit(s, r0, w1, c0, c1);
  // B2 -= L21 B1
  gemmStrided(false, false, w - w1, c1 - c0, w1, -1, a, (r0 + w1) * n + r0, n, a, r0 * n + c0, n, 1, a, (r0 + w1) * n + c0, n);
  trsmLeftUnit(s, r0 + w1, w - w1, c0, c1);
}

/** Recursive LU of columns [c0, c0 + w), rows c0..m (Toledo 1997); row swaps act on whole rows at once. */
function getrfRec(s: LuState, c0: number, w: number): void {
  const { a, m, n } = s;
  if (w <= BASE) {
    for (let j = c0; j < c0 + w && j < m; j++) {
      let p = j, best = Math.abs(a[j * n + j]);
      for (let i = j + 1; i < m; i++) {
        const v = Math.abs(a[i * n + j]);
        if (v > best) {
          best = v;
          p = i;
        }
      }
      if (p !== j) {
        swapRows(a, n, j, p);
        const t = s.perm[j];
        s.perm[j] = s.perm[p];
        s.perm[p] = t;
        s.sign = -s.sign;
      }
      const piv = a[j * n + j];
      // A zero pivot leaves the column as is (LAPACK dgetf2 reports it; U is singular).
      if (piv === 0) continue;
      const inv = 1 / piv;
      const oj = j * n;
      for (let i = j + 1; i < m; i++) {
        const oi = i * n;
        const l = (a[oi + j] *= inv);
        if (l === 0) continue;
        for (let c = j + 1; c < c0 + w; c++) a[oi + c] -= l * a[oj + c];
      }
    }
    return;
  }
  const w1 = w >> 1, w2 = w - w1;
  getrfRec(s, c0, w1);
  // U12 = L11⁻¹ A12, then A22 -= L21 U12.
  trsmLeftUnit(s, c0, w1, c0 + w1, c0 + w);
  if (m > c0 + w1) {
    gemmStrided(false, false, m - c0 - w1, w2, w1, -1, a, (c0 + w1) * n + c0, n, a, c0 * n + c0 + w1, n, 1, a, (c0 + w1) * n + c0 + w1, n);
  }
  getrfRec(s, c0 + w1, w2);
}

/** The LU kernel (no checks): packed factors. */
export function luKernel(A: Matrix): LuPacked {
  const { rows: m, cols: n } = A;
  const k = Math.min(m, n);
  const s: LuState = { a: A.data.slice(), m, n, perm: new Int32Array(m), sign: 1 };
  for (let i = 0; i < m; i++) s.perm[i] = i;
  getrfRec(s, 0, k);
  // Wide A: the columns right of the square part only need U12 = L11⁻¹ A12.
  if (n > k) trsmLeftUnit(s, 0, k, k, n);
  return { lu: { rows: m, cols: n, data: s.a }, perm: s.perm, sign: s.sign };
}

/** Unpacks L (m x k, unit lower) and U (k x n) from the packed form. */
export function unpackLu(p: LuPacked): LuResult {
  const { rows: m, cols: n, data } = p.lu;
  const k = Math.min(m, n);
  const L = new Float64Array(m * k), U = new Float64Array(k * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < Math.min(i, k); j++) L[i * k + j] = data[i * n + j];
    if (i < k) L[i * k + i] = 1;
  }
  for (let i = 0; i < k; i++) for (let j = i; j < n; j++) U[i * n + j] = data[i * n + j];
  return { L: { rows: m, cols: k, data: L }, U: { rows: k, cols: n, data: U }, perm: p.perm, sign: p.sign };
}

/**
 * LU factorization with partial (row) pivoting, A[perm, :] = L U (LAPACK
 * dgetrf). Recursive on column halves (Toledo 1997), so the updates run in
 * GEMM. A singular A still factors (U then has a zero on its diagonal).
 *
 * @param A - m x n, finite
 * @returns L (m x k, unit lower), U (k x n), perm and the permutation's sign
 * @example
 * const { L, U, perm } = lu(Matrix.fromRows([[1, 2], [3, 4]]));
 * perm; // => Int32Array [1, 0]
 */
export function lu(A: Matrix): LuResult {
  return unpackLu(luKernel(checkedInput('lu', 'A', A)));
}
