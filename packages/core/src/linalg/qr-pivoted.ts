import { checkedInput, badInput } from './check.js';
import { applyReflector, larfg, orgqr } from './householder.js';
import type { Matrix } from './matrix.js';
import { extractR } from './qr.js';
import { transposeKernel } from './transpose.js';

/** A column-pivoted QR factorization: A[:, perm] = Q R, |R₀₀| >= |R₁₁| >= … */
export interface PivotedQrResult {
  readonly Q: Matrix;
  readonly R: Matrix;
  /** Column j of Q R is column perm[j] of A. */
  readonly perm: Int32Array;
  /** Numerical rank: the number of |R_ii| > tol · |R₀₀|. */
  readonly rank: number;
}

/** Options of {@link qrPivoted}. */
export interface QrPivotedOptions {
  /** Relative threshold for the rank (default max(m, n) · ε). */
  readonly tol?: number;
}

/**
 * Column-pivoted QR in place on column-major storage (LAPACK dlaqp2): picks
 * the column of largest remaining norm at each step and downdates the norms
 * with the safe formula of Drmač & Bujanović (LAPACK 3.2). Returns tau and
 * the permutation.
 */
export function geqp3(a: Float64Array, m: number, n: number): { tau: Float64Array; perm: Int32Array } {
  const k = Math.min(m, n);
  const tau = new Float64Array(k);
  const perm = new Int32Array(n);
  const vn1 = new Float64Array(n), vn2 = new Float64Array(n);
  const tol3z = Math.sqrt(Number.EPSILON);
  for (let j = 0; j < n; j++) {
    perm[j] = j;
    vn1[j] = colNorm(a, j * m, 0, m);
    vn2[j] = vn1[j];
  }
  for (let i = 0; i < k; i++) {
    let p = i;
    for (let j = i + 1; j < n; j++) if (vn1[j] > vn1[p]) p = j;
    if (p !== i) {
      const po = p * m, io = i * m;
      for (let r = 0; r < m; r++) {
        const t = a[po + r];
        a[po + r] = a[io + r];
        a[io + r] = t;
      }
      const tp = perm[p];
      perm[p] = perm[i];
      perm[i] = tp;
      vn1[p] = vn1[i];
      vn2[p] = vn2[i];
    }
    const t = larfg(a, i * m + i, m - i);
    tau[i] = t;
    applyReflector(a, m, m, i, i, t, i + 1, n);
    for (let j = i + 1; j < n; j++) {
      if (vn1[j] === 0) continue;
      let temp = Math.abs(a[j * m + i]) / vn1[j];
      temp = Math.max(0, 1 - temp * temp);
      const ratio = vn1[j] / vn2[j];
      if (temp * ratio * ratio <= tol3z) {
        // Cancellation: recompute the norm of the remaining part exactly.
        vn1[j] = colNorm(a, j * m, i + 1, m);
        vn2[j] = vn1[j];
      } else vn1[j] *= Math.sqrt(temp);
    }
  }
  return { tau, perm };
}

function colNorm(a: Float64Array, off: number, r0: number, r1: number): number {
  let scale = 0, ssq = 1;
  for (let i = off + r0; i < off + r1; i++) {
    const v = Math.abs(a[i]);
    if (v === 0) continue;
    if (scale < v) {
      ssq = 1 + ssq * (scale / v) * (scale / v);
      scale = v;
    } else ssq += (v / scale) * (v / scale);
  }
  return scale * Math.sqrt(ssq);
}

/** Rank from R's diagonal: |R_ii| > tol |R₀₀|. */
export function rankFromR(a: Float64Array, m: number, k: number, tol: number): number {
  const r00 = Math.abs(a[0]);
  if (k === 0 || r00 === 0) return 0;
  let r = 0;
  while (r < k && Math.abs(a[r * m + r]) > tol * r00) r++;
  return r;
}

/** The qrPivoted kernel (no checks). */
export function qrPivotedKernel(a: Matrix, tol: number): PivotedQrResult {
  const { rows: m, cols: n } = a;
  const k = Math.min(m, n);
  const cm = transposeKernel(a).data;
  const { tau, perm } = geqp3(cm, m, n);
  const R = extractR(cm, m, n);
  const rank = rankFromR(cm, m, k, tol);
  const q = cm.length === m * k ? cm : cm.slice(0, m * k);
  orgqr(q, m, k, k, tau);
  return { Q: transposeKernel({ rows: k, cols: m, data: q }), R, perm, rank };
}

/**
 * QR with column pivoting (Businger & Golub 1965; LAPACK dgeqp3):
 * A[:, perm] = Q R with |R₀₀| >= |R₁₁| >= …, which reveals the numerical
 * rank. Unblocked (BLAS-2); use {@link qr} when no pivoting is needed.
 *
 * @param A - m x n, finite
 * @param options - `tol`: relative rank threshold (default max(m, n)·ε)
 * @returns Q (m x k), R (k x n), perm and rank
 * @example
 * qrPivoted(Matrix.fromRows([[1, 2], [2, 4]])).rank; // => 1
 */
export function qrPivoted(A: Matrix, options: QrPivotedOptions = {}): PivotedQrResult {
  checkedInput('qrPivoted', 'A', A);
  const tol = options.tol ?? Math.max(A.rows, A.cols) * Number.EPSILON;
  if (!(tol >= 0)) throw badInput(`qrPivoted: options.tol must be >= 0, got ${tol}`, 'options.tol');
  return qrPivotedKernel(A, tol);
}
