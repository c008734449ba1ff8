/**
 * Householder reflectors and their blocked (compact WY) application, on
 * column-major storage: element (i, j) of an m x n array with leading
 * dimension `ld` is `a[off + i + j * ld]`. Column-major makes every
 * reflector a contiguous run, so these routines mirror LAPACK's dlarfg,
 * dgeqr2/dgeqrf, dlarft/dlarfb, dorgqr and dormqr one to one.
 *
 * A row-major m x n matrix *is* a column-major n x m one, so callers
 * transpose once on the way in and once on the way out.
 *
 * Internal module: not re-exported from the package.
 */
import { gemmStrided } from './gemm.js';

/**
 * Panel width of the blocked algorithms (columns per WY block). Measured
 * against 64 and 96 for applying 511 reflectors to 512 columns: wider
 * blocks lose more in the triangular T products than GEMM gains.
 */
export const QR_NB = 32;

/**
 * Generates an elementary reflector H = I - tau v vᵀ with H x = beta e₁
 * (LAPACK dlarfg). x is a[off .. off + len): on return a[off] = beta and the
 * tail holds v (whose first entry, 1, is implicit). Returns tau (0 when x's
 * tail is already zero, so H = I).
 */
export function larfg(a: Float64Array, off: number, len: number): number {
  if (len <= 1) return 0;
  const alpha = a[off];
  let scale = 0, ssq = 1;
  for (let i = off + 1; i < off + len; i++) {
    const v = Math.abs(a[i]);
    if (v === 0) continue;
    if (scale < v) {
      ssq = 1 + ssq * (scale / v) * (scale / v);
      scale = v;
    } else ssq += (v / scale) * (v / scale);
  }
  const xnorm = scale * Math.sqrt(ssq);
  if (xnorm === 0) return 0;
  const beta = -Math.sign(alpha || 1) * Math.hypot(alpha, xnorm);
  const tau = (beta - alpha) / beta;
  const f = 1 / (alpha - beta);
  for (let i = off + 1; i < off + len; i++) a[i] *= f;
  a[off] = beta;
  return tau;
}

/**
 * Applies H = I - tau v vᵀ from the left to columns [c0, c1) of the
 * column-major array, rows [r0, m): v is column `vc` rows [r0, m) with an
 * implicit leading 1 (LAPACK dlarf).
 */
export function applyReflector(
  a: Float64Array, ld: number, m: number, r0: number, vc: number, tau: number, c0: number, c1: number,
): void {
  if (tau === 0) return;
  const vo = vc * ld;
  let c = c0;
  // Two columns per pass: each v_i loaded once serves both dot products and both updates.
  for (; c + 1 < c1; c += 2) {
    const co = c * ld, cp = co + ld;
    let w0 = a[co + r0], w1 = a[cp + r0];
    for (let i = r0 + 1; i < m; i++) {
      const v = a[vo + i];
      w0 += v * a[co + i];
      w1 += v * a[cp + i];
    }
    w0 *= tau;
    w1 *= tau;
    a[co + r0] -= w0;
    a[cp + r0] -= w1;
    for (let i = r0 + 1; i < m; i++) {
      const v = a[vo + i];
      a[co + i] -= w0 * v;
      a[cp + i] -= w1 * v;
    }
  }
  if (c < c1) {
    const co = c * ld;
    let w = a[co + r0];
    for (let i = r0 + 1; i < m; i++) w += a[vo + i] * a[co + i];
    w *= tau;
    a[co + r0] -= w;
    for (let i = r0 + 1; i < m; i++) a[co + i] -= w * a[vo + i];
  }
}

/** Unblocked QR of columns [j0, j1) (rows j0..m), updating columns up to `cEnd` (LAPACK dgeqr2). */
function geqr2(a: Float64Array, ld: number, m: number, j0: number, j1: number, cEnd: number, tau: Float64Array): void {
  for (let j = j0; j < j1 && j < m; j++) {
    const t = larfg(a, j * ld + j, m - j);
    tau[j] = t;
    applyReflector(a, ld, m, j, j, t, j + 1, cEnd);
  }
}

/**
 * Copies reflectors [j0, j0 + jb) into `v` as jb explicit rows of length
 * mm = m - j0 (unit diagonal, zeros above): the row-major "Vᵀ" that the
 * WY products feed to GEMM.
 */
export function extractV(a: Float64Array, ld: number, m: number, j0: number, jb: number, v: Float64Array): void {
  const mm = m - j0;
  for (let r = 0; r < jb; r++) {
    const row = r * mm;
    const src = (j0 + r) * ld + j0;
    for (let i = 0; i < r; i++) v[row + i] = 0;
    v[row + r] = 1;
    for (let i = r + 1; i < mm; i++) v[row + i] = a[src + i];
  }
}

/**
 * Forms the jb x jb upper triangular T of the compact WY form
 * H₁…H_jb = I - V T Vᵀ (LAPACK dlarft, forward, columnwise), from the
 * explicit reflector rows `v` (jb x mm) and their `tau`s.
 */
export function larft(jb: number, mm: number, v: Float64Array, tau: Float64Array, tauOff: number, t: Float64Array, g: Float64Array): void {
  // g = V Vᵀ: all the inner products vᵢᵀvⱼ in one GEMM.
  gemmStrided(false, true, jb, jb, mm, 1, v, 0, mm, v, 0, mm, 0, g, 0, jb);
  t.fill(0, 0, jb * jb);
  for (let i = 0; i < jb; i++) {
    const ti = tau[tauOff + i];
    t[i * jb + i] = ti;
    // T[0:i, i] = -tau_i T[0:i, 0:i] (Vᵀ v_i)[0:i]
    for (let r = 0; r < i; r++) {
      let s = 0;
      for (let q = r; q < i; q++) s += t[r * jb + q] * g[q * jb + i];
      t[r * jb + i] = -ti * s;
    }
  }
}

/**
 * Applies the block reflector H = I - V T Vᵀ (or Hᵀ when `trans`) from the
 * left to the column-major block C = rows [r0, m) x columns [c0, c1) of `a`
 * (LAPACK dlarfb). `v` holds jb explicit reflector rows of length m - r0.
 * Two GEMMs do nearly all the work: Wᵀ = Cᵀ V and Cᵀ -= (Wᵀ T̃) Vᵀ.
 */
export function larfb(
  trans: boolean, a: Float64Array, ld: number, m: number, r0: number, c0: number, c1: number,
  jb: number, v: Float64Array, t: Float64Array, wt: Float64Array,
): void {
  const nc = c1 - c0, mm = m - r0;
  if (nc <= 0 || mm <= 0 || jb <= 0) return;
  const cOff = c0 * ld + r0;
  // Wᵀ (nc x jb) = Cᵀ V, where Cᵀ is row-major nc x mm with row stride ld.
  gemmStrided(false, true, nc, jb, mm, 1, a, cOff, ld, v, 0, mm, 0, wt, 0, jb);
  // Wᵀ := Wᵀ T (for Hᵀ C = C - V Tᵀ Vᵀ C) or Wᵀ Tᵀ (for H C), in place.
  for (let r = 0; r < nc; r++) {
    const o = r * jb;
    if (trans) {
      for (let c = jb - 1; c >= 0; c--) {
        let s = 0;
        for (let q = 0; q <= c; q++) s += wt[o + q] * t[q * jb + c];
        wt[o + c] = s;
      }
    } else {
      for (let c = 0; c < jb; c++) {
        let s = 0;
        for (let q = c; q < jb; q++) s += wt[o + q] * t[c * jb + q];
        wt[o + c] = s;
      }
    }
  }
  // Cᵀ -= Wᵀ Vᵀ
  gemmStrided(false, false, nc, mm, jb, -1, wt, 0, jb, v, 0, mm, 1, a, cOff, ld);
}

/** Scratch buffers for a blocked sweep. */
export interface WyScratch {
  v: Float64Array;
  t: Float64Array;
  g: Float64Array;
  wt: Float64Array;
}

/** Scratch sized for blocks of `nb` reflectors of length <= m acting on <= n columns. */
export function wyScratch(m: number, n: number, nb = QR_NB): WyScratch {
  return {
    v: new Float64Array(nb * Math.max(m, 1)),
    t: new Float64Array(nb * nb),
    g: new Float64Array(nb * nb),
    wt: new Float64Array(nb * Math.max(n, 1)),
  };
}

/**
 * Blocked Householder QR in place (LAPACK dgeqrf): on return the upper
 * triangle of the column-major m x n array holds R and the part below the
 * diagonal holds the reflectors, whose factors are returned (length
 * min(m, n)).
 */
export function geqrf(a: Float64Array, m: number, n: number, ld = m): Float64Array {
  const k = Math.min(m, n);
  const tau = new Float64Array(k);
  const nb = QR_NB;
  if (k <= nb || n <= 2 * nb) {
    geqr2(a, ld, m, 0, k, n, tau);
    return tau;
  }
  const s = wyScratch(m, n);
  for (let j0 = 0; j0 < k; j0 += nb) {
    const jb = Math.min(nb, k - j0);
    geqr2(a, ld, m, j0, j0 + jb, j0 + jb, tau);
    if (j0 + jb < n) {
      extractV(a, ld, m, j0, jb, s.v);
      larft(jb, m - j0, s.v, tau, j0, s.t, s.g);
      larfb(true, a, ld, m, j0, j0 + jb, n, jb, s.v, s.t, s.wt);
    }
  }
  return tau;
}

/**
 * Overwrites the column-major m x nq array `q` (holding the reflectors of
 * {@link geqrf} in its first k columns) with the first nq columns of
 * Q = H₁…H_k (LAPACK dorgqr). Needs nq <= m and k <= nq.
 */
export function orgqr(q: Float64Array, m: number, nq: number, k: number, tau: Float64Array, ld = m): void {
  // Columns k..nq start as unit vectors e_j.
  for (let j = k; j < nq; j++) {
    q.fill(0, j * ld, j * ld + m);
    q[j * ld + j] = 1;
  }
  const nb = QR_NB;
  if (k <= nb || nq <= 2 * nb) {
    // Unblocked (LAPACK dorg2r): columns k-1 down to 0.
    for (let j = k - 1; j >= 0; j--) {
      const co = j * ld;
      const tj = tau[j];
      if (j < nq - 1) {
        q[co + j] = 1;
        applyReflector(q, ld, m, j, j, tj, j + 1, nq);
      }
      for (let i = j + 1; i < m; i++) q[co + i] *= -tj;
      q[co + j] = 1 - tj;
      for (let i = 0; i < j; i++) q[co + i] = 0;
    }
    return;
  }
  const s = wyScratch(m, nq);
  // Blocks from last to first. Each block's columns are reset to e_j and the
  // block reflector is applied to them together with everything to their
  // right, so the panel, too, is formed by GEMM (rows above j0 stay zero).
  for (let j0 = Math.floor((k - 1) / nb) * nb; j0 >= 0; j0 -= nb) {
    const jb = Math.min(nb, k - j0);
    extractV(q, ld, m, j0, jb, s.v);
    larft(jb, m - j0, s.v, tau, j0, s.t, s.g);
    for (let j = j0; j < j0 + jb; j++) {
      q.fill(0, j * ld, j * ld + m);
      q[j * ld + j] = 1;
    }
    larfb(false, q, ld, m, j0, j0, nq, jb, s.v, s.t, s.wt);
  }
}

/**
 * Applies Qᵀ (or Q) of {@link geqrf}'s reflectors from the left to the
 * column-major m x nc array `c` (LAPACK dormqr, side 'L'). `a` holds the k
 * reflectors (column-major, leading dimension lda).
 */
export function ormqr(
  trans: boolean, a: Float64Array, lda: number, m: number, k: number, tau: Float64Array,
  c: Float64Array, ldc: number, nc: number,
): void {
  if (nc <= 0 || k <= 0) return;
  const nb = QR_NB;
  if (k <= nb || nc < 4) {
    // Unblocked: Qᵀ = H_k…H₁ applies H₁ first; Q applies H_k first.
    for (let s = 0; s < k; s++) {
      const j = trans ? s : k - 1 - s;
      const tj = tau[j];
      if (tj === 0) continue;
      const vo = j * lda;
      for (let col = 0; col < nc; col++) {
        const co = col * ldc;
        let w = c[co + j];
        for (let i = j + 1; i < m; i++) w += a[vo + i] * c[co + i];
        w *= tj;
        c[co + j] -= w;
        for (let i = j + 1; i < m; i++) c[co + i] -= w * a[vo + i];
      }
    }
    return;
  }
  const s = wyScratch(m, nc);
  const nBlocks = Math.ceil(k / nb);
  for (let bi = 0; bi < nBlocks; bi++) {
    const j0 = (trans ? bi : nBlocks - 1 - bi) * nb;
    const jb = Math.min(nb, k - j0);
    extractV(a, lda, m, j0, jb, s.v);
    larft(jb, m - j0, s.v, tau, j0, s.t, s.g);
    larfb(trans, c, ldc, m, j0, 0, nc, jb, s.v, s.t, s.wt);
  }
}
