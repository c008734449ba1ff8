import { assertSymmetric, checkedInput } from './check.js';
import { gemmStrided } from './gemm.js';
import { larfg, ormqr } from './householder.js';
import type { Matrix } from './matrix.js';
import { transposeKernel } from './transpose.js';
import { tridiagonalEigen } from './tridiagonal.js';

/** A symmetric eigen-decomposition A = V diag(values) Vᵀ. */
export interface EighResult {
  /** Eigenvalues in ascending order (as LAPACK and numpy.linalg.eigh return them). */
  readonly values: Float64Array;
  /** n x n orthogonal; column j is the unit eigenvector of values[j]. */
  readonly vectors: Matrix;
}

/** Columns per panel of the blocked reduction. */
const NB = 32;
/**
 * Below this trailing order the unblocked reduction is faster: its two
 * passes over an L2-resident matrix beat the blocked one's extra low-rank
 * corrections (measured crossover between 256 and 384).
 */
const BLOCKED_MIN = 288;

/**
 * Householder reduction of the symmetric n x n array `a` to tridiagonal form
 * Qᵀ A Q = T (LAPACK dsytrd, lower). A symmetric matrix reads the same in
 * row- and column-major order, so `a` is used as column-major directly:
 * column j of the lower triangle is the contiguous run a[j n + j ..].
 *
 * Blocked as in LAPACK (dlatrd + dsyr2k): a panel of 32 columns is reduced
 * against the not-yet-updated trailing matrix plus low-rank corrections, and
 * the trailing matrix is then updated once, by GEMM. Returns T's diagonal d,
 * off-diagonal e and the reflectors' tau; reflector i stays in column i
 * below the subdiagonal (its leading 1 implicit).
 */
export function sytrd(a: Float64Array, n: number): { d: Float64Array; e: Float64Array; tau: Float64Array } {
  const d = new Float64Array(n), e = new Float64Array(Math.max(n - 1, 0)), tau = new Float64Array(Math.max(n - 1, 0));
  const y = new Float64Array(n);
  let i0 = 0;
  if (n > BLOCKED_MIN) {
    const w = new Float64Array(n * NB); // W(r, c) = w[c n + r]
    const t1 = new Float64Array(NB), t2 = new Float64Array(NB);
    for (; n - i0 > BLOCKED_MIN; i0 += NB) {
      for (let c = 0; c < NB; c++) {
        const i = i0 + c;
        const ci = i * n;
        // Bring column i up to date: A(i:n, i) -= V W(i, :)ᵀ + W V(i, :)ᵀ over the panel so far.
        for (let q = 0; q < c; q++) {
          const vq = (i0 + q) * n, wq = q * n;
          const wiq = w[wq + i], viq = a[vq + i];
          for (let r = i; r < n; r++) a[ci + r] -= a[vq + r] * wiq + w[wq + r] * viq;
        }
        d[i] = a[ci + i];
        const vo = ci + i + 1;
        const p = n - i - 1;
        const t = larfg(a, vo, p);
        e[i] = a[vo];
        tau[i] = t;
        a[vo] = 1;
        const wc = c * n;
        w.fill(0, wc, wc + n);
        if (t === 0) continue;
        symvLower(a, n, (i + 1) * n + i + 1, p, a, vo, w, wc + i + 1);
        // Corrections for the stale trailing matrix: y -= V (Wᵀ v) + W (Vᵀ v).
        for (let q = 0; q < c; q++) {
          const vq = (i0 + q) * n, wq = q * n;
          let s1 = 0, s2 = 0;
          for (let r = i + 1; r < n; r++) {
            const vr = a[vo + r - i - 1];
            s1 += w[wq + r] * vr;
            s2 += a[vq + r] * vr;
          }
          t1[q] = s1;
          t2[q] = s2;
        }
        for (let q = 0; q < c; q++) {
          const vq = (i0 + q) * n, wq = q * n;
          const f1 = t1[q], f2 = t2[q];
          for (let r = i + 1; r < n; r++) w[wc + r] -= a[vq + r] * f1 + w[wq + r] * f2;
        }
        let yv = 0;
        for (let r = i + 1; r < n; r++) {
          w[wc + r] *= t;
          yv += w[wc + r] * a[vo + r - i - 1];
        }
        const alpha = -0.5 * t * yv;
        for (let r = i + 1; r < n; r++) w[wc + r] += alpha * a[vo + r - i - 1];
      }
      // Trailing update A(i1:n, i1:n) -= V Wᵀ + W Vᵀ, lower triangle only. In the
      // row-major view R(x, y) = A(y, x) that is the upper triangle of
      // R -= Wrᵀ Vr + Vrᵀ Wr, where Vr, Wr (NB x p) are the panels' columns as rows.
      const i1 = i0 + NB, p = n - i1, o = i1 * n + i1;
      for (let x0 = 0; x0 < p; x0 += 64) {
        const bx = Math.min(64, p - x0);
        gemmStrided(true, false, bx, p - x0, NB, -1, w, i1 + x0, n, a, i0 * n + i1 + x0, n, 1, a, o + x0 * n + x0, n);
        gemmStrided(true, false, bx, p - x0, NB, -1, a, i0 * n + i1 + x0, n, w, i1 + x0, n, 1, a, o + x0 * n + x0, n);
      }
      for (let c = 0; c < NB; c++) a[(i0 + c) * n + i0 + c + 1] = e[i0 + c];
    }
  }
  // Unblocked (LAPACK dsytd2) on what is left.
  for (let i = i0; i < n - 1; i++) {
    const vo = i * n + i + 1; // v = A(i+1:n, i), contiguous
    const p = n - i - 1;
    const t = larfg(a, vo, p);
    e[i] = a[vo];
    tau[i] = t;
    if (t !== 0) {
      a[vo] = 1;
      symvLower(a, n, (i + 1) * n + i + 1, p, a, vo, y, 0);
      let yv = 0;
      for (let r = 0; r < p; r++) {
        y[r] *= t;
        yv += y[r] * a[vo + r];
      }
      // w = y - (t/2)(yᵀv) v; A22 -= v wᵀ + w vᵀ (dsyr2, lower).
      const alpha = -0.5 * t * yv;
      for (let r = 0; r < p; r++) y[r] += alpha * a[vo + r];
      const o = (i + 1) * n + i + 1;
      for (let j = 0; j < p; j++) {
        const col = o + j * n;
        const vj = a[vo + j], wj = y[j];
        for (let r = j; r < p; r++) a[col + r] -= a[vo + r] * wj + y[r] * vj;
      }
      a[vo] = e[i];
    }
    d[i] = a[i * n + i];
  }
  if (n > 0) d[n - 1] = a[n * n - 1];
  return { d, e, tau };
}

/**
 * y[yo .. yo + p) = S v for the symmetric p x p block S at `o` (column-major,
 * leading dimension n, lower triangle read) and v = x[xo ..]: one pass over
 * each column does both its dot product and its axpy (BLAS dsymv).
 */
function symvLower(a: Float64Array, n: number, o: number, p: number, x: Float64Array, xo: number, y: Float64Array, yo: number): void {
  y.fill(0, yo, yo + p);
  let j = 0;
  // Four columns per pass: each x[r] and y[r] loaded once serves all four.
  for (; j + 3 < p; j += 4) {
    const c0 = o + j * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
    const v0 = x[xo + j], v1 = x[xo + j + 1], v2 = x[xo + j + 2], v3 = x[xo + j + 3];
    // The 4x4 diagonal block (lower triangle stored): A(j+r, j+q) for r >= q.
    const a00 = a[c0 + j], a10 = a[c0 + j + 1], a20 = a[c0 + j + 2], a30 = a[c0 + j + 3];
    const a11 = a[c1 + j + 1], a21 = a[c1 + j + 2], a31 = a[c1 + j + 3];
    const a22 = a[c2 + j + 2], a32 = a[c2 + j + 3];
    const a33 = a[c3 + j + 3];
    let s0 = a00 * v0 + a10 * v1 + a20 * v2 + a30 * v3;
    let s1 = a10 * v0 + a11 * v1 + a21 * v2 + a31 * v3;
    let s2 = a20 * v0 + a21 * v1 + a22 * v2 + a32 * v3;
    let s3 = a30 * v0 + a31 * v1 + a32 * v2 + a33 * v3;
    for (let r = j + 4; r < p; r++) {
      const b0 = a[c0 + r], b1 = a[c1 + r], b2 = a[c2 + r], b3 = a[c3 + r], xr = x[xo + r];
      y[yo + r] += b0 * v0 + b1 * v1 + b2 * v2 + b3 * v3;
      s0 += b0 * xr;
      s1 += b1 * xr;
      s2 += b2 * xr;
      s3 += b3 * xr;
    }
    y[yo + j] += s0;
    y[yo + j + 1] += s1;
    y[yo + j + 2] += s2;
    y[yo + j + 3] += s3;
  }
  for (; j < p; j++) {
    const c = o + j * n;
    const vj = x[xo + j];
    let s = a[c + j] * vj;
    for (let r = j + 1; r < p; r++) {
      const ar = a[c + r];
      y[yo + r] += ar * vj;
      s += ar * x[xo + r];
    }
    y[yo + j] += s;
  }
}

/** The eigh kernel (no checks). */
export function eighKernel(A: Matrix): EighResult {
  const n = A.rows;
  if (n === 0) return { values: new Float64Array(0), vectors: { rows: 0, cols: 0, data: new Float64Array(0) } };
  const a = A.data.slice();
  // Only the lower triangle is read; symmetrize it into the upper one is unnecessary.
  const { d, e, tau } = sytrd(a, n);
  const z = tridiagonalEigen(n, d, e, true) as Float64Array;
  // Eigenvectors of A = Q · (eigenvectors of T); eigenvector j is the run z[j n ..].
  // Reflector i acts on rows i+1.., so shift both arrays by one row.
  if (n > 1) ormqr(false, a.subarray(1), n, n - 1, n - 1, tau, z.subarray(1), n, n);
  return { values: d, vectors: transposeKernel({ rows: n, cols: n, data: z }) };
}

/**
 * Eigen-decomposition of a real symmetric matrix: A = V diag(values) Vᵀ,
 * values ascending (as LAPACK dsyevd and numpy.linalg.eigh). Householder
 * tridiagonalization, then Cuppen's divide and conquer with Gu & Eisenstat's
 * eigenvectors (implicit QL below order 32), then the back-transformation in
 * compact WY form. Eigenvector signs are arbitrary, as in LAPACK.
 *
 * @param A - n x n symmetric (to ~1e-8 relative; only the lower triangle is used), finite
 * @returns values (ascending) and vectors (columns)
 * @example
 * eigh(Matrix.fromRows([[2, 1], [1, 2]])).values; // => [1, 3]
 */
export function eigh(A: Matrix): EighResult {
  checkedInput('eigh', 'A', A, true);
  assertSymmetric('eigh', 'A', A);
  return eighKernel(A);
}
