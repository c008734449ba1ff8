/**
 * Eigen-decomposition of a symmetric tridiagonal matrix T (diagonal d,
 * off-diagonal e): implicit QL for small blocks (EISPACK tql2) and Cuppen's
 * divide and conquer with Gu & Eisenstat's stable eigenvectors for large
 * ones (LAPACK dstedc / dlaed0-dlaed4).
 *
 * Eigenvectors are kept "transposed": eigenvector j is the contiguous run
 * z[zOff + j * ldz .. + n], so every rotation and every merge touches whole
 * contiguous vectors and the merges are GEMMs.
 *
 * Internal module: not re-exported from the package.
 */
import { ParsimonyError } from '../schema/errors.js';
import { gemmStrided } from './gemm.js';

const EPS = Number.EPSILON;

/** Blocks up to this order are solved by QL directly (LAPACK's SMLSIZ is 25). */
const LEAF = 32;

function noConvergence(what: string): ParsimonyError {
  return new ParsimonyError('PARSIMONY_BAD_INPUT', `eigh: ${what} did not converge; the input may hold values near overflow`);
}

/**
 * Implicit QL with Wilkinson-like shifts (EISPACK tql2, as in JAMA) on the
 * order-n tridiagonal d[off..], e[off..] (e[off + i] couples i and i + 1).
 * Eigenvector j of the block is z[zOff + j * ldz + (0..n)], which must hold
 * the identity (or any orthogonal matrix to accumulate into) on entry.
 * Sorts ascending. `e` is destroyed.
 */
export function tql2(n: number, d: Float64Array, e: Float64Array, off: number, z: Float64Array | null, zOff: number, ldz: number): void {
  if (n <= 1) return;
  e[off + n - 1] = 0;
  let f = 0, tst1 = 0;
  const maxIter = 30 * n;
  let iters = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[off + l]) + Math.abs(e[off + l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[off + m]) > EPS * tst1) m++;
    if (m > l) {
      do {
        if (++iters > maxIter) throw noConvergence('the tridiagonal QL iteration');
        let g = d[off + l];
        let p = (d[off + l + 1] - g) / (2 * e[off + l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[off + l] = e[off + l] / (p + r);
        d[off + l + 1] = e[off + l] * (p + r);
        const dl1 = d[off + l + 1];
        let h = g - d[off + l];
        for (let i = l + 2; i < n; i++) d[off + i] -= h;
        f += h;
        p = d[off + m];
        let c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
        const el1 = e[off + l + 1];
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[off + i];
          h = c * p;
          r = Math.hypot(p, e[off + i]);
          e[off + i + 1] = s * r;
          s = e[off + i] / r;
          c = p / r;
          p = c * d[off + i] - s * g;
          d[off + i + 1] = h + s * (c * g + s * d[off + i]);
          if (z) {
            // Rotate eigenvectors i and i + 1 (two contiguous runs).
            let o1 = zOff + i * ldz;
            let o2 = o1 + ldz;
            const end = o1 + n;
            for (; o1 < end; o1++, o2++) {
              const zi = z[o1], zj = z[o2];
              z[o2] = s * zi + c * zj;
              z[o1] = c * zi - s * zj;
            }
          }
        }
        p = (-s * s2 * c3 * el1 * e[off + l]) / dl1;
        e[off + l] = s * p;
        d[off + l] = c * p;
      } while (Math.abs(e[off + l]) > EPS * tst1);
    }
    d[off + l] += f;
    e[off + l] = 0;
  }
  // Selection sort: O(n^2) compares but only n vector swaps.
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[off + i];
    for (let j = i + 1; j < n; j++) {
      if (d[off + j] < p) {
        k = j;
        p = d[off + j];
      }
    }
    if (k !== i) {
      d[off + k] = d[off + i];
      d[off + i] = p;
      if (z) {
        const oi = zOff + i * ldz, ok = zOff + k * ldz;
        for (let t = 0; t < n; t++) {
          const v = z[oi + t];
          z[oi + t] = z[ok + t];
          z[ok + t] = v;
        }
      }
    }
  }
}

/**
 * Root i of the secular equation 1 + rho Σ_j w_j² / (dl_j - λ) = 0 for
 * increasing poles dl[0..k) and rho > 0 (LAPACK dlaed4). Writes
 * delta[j] = dl_j - λ_i, computed from the nearer pole so that the
 * differences that matter keep full relative accuracy, and returns λ_i.
 *
 * Each step fits c + s/(dl_i - λ) + S/(dl_{i+1} - λ) to the function and
 * its derivative at the current point ("middle way", Li 1993) and takes the
 * root of the fit; a bracket on the root guards against bad steps.
 */
function secularRoot(k: number, i: number, dl: Float64Array, w2: Float64Array, rho: number, delta: Float64Array, wnorm2: number): number {
  const last = i === k - 1;
  // Origin: the pole the root is nearer to, decided by the sign at the midpoint.
  let org: number;
  let lo: number, hi: number; // bracket for tau = λ - dl[org]
  if (last) {
    org = i;
    lo = 0;
    hi = rho * wnorm2;
  } else {
    const gap = dl[i + 1] - dl[i];
    const mid = 0.5 * gap;
    let fmid = 1;
    for (let j = 0; j < k; j++) fmid += (rho * w2[j]) / (dl[j] - dl[i] - mid);
    if (fmid > 0) {
      org = i;
      lo = 0;
      hi = mid;
    } else {
      org = i + 1;
      lo = -mid;
      hi = 0;
    }
  }
  const dorg = dl[org];
  for (let j = 0; j < k; j++) delta[j] = dl[j] - dorg;
  // Pole indices on either side of the root.
  const il = i, ir = last ? -1 : i + 1;
  let tau = 0.5 * (lo + hi);
  for (let iter = 0; iter < 100; iter++) {
    // f, and the derivative split into the parts from poles left/right of the root.
    let f = 1, psi1 = 0, phi1 = 0, abs = 0;
    for (let j = 0; j < k; j++) {
      const dj = delta[j] - tau;
      const t = (rho * w2[j]) / dj;
      f += t;
      abs += Math.abs(t);
      if (j <= il) psi1 += t / dj;
      else phi1 += t / dj;
    }
    if (f > 0) hi = Math.min(hi, tau);
    else lo = Math.max(lo, tau);
    if (Math.abs(f) <= 8 * EPS * (1 + abs) || hi - lo <= 4 * EPS * Math.max(Math.abs(lo), Math.abs(hi))) break;
    // Fit f(x) ≈ c + s/(a - x) + S/(b - x) with a = delta[il], b = delta[ir].
    const a = delta[il] - tau;
    let next: number;
    if (ir < 0) {
      // One pole (the last root): c + s/(a - x) with s = a² psi1; its root is x = a + s/c.
      const s = a * a * psi1;
      const c = f - s / a;
      next = c !== 0 ? tau + a + s / c : 0.5 * (lo + hi);
    } else {
      const b = delta[ir] - tau;
      const s = a * a * psi1, S = b * b * phi1;
      const c = f - s / a - S / b;
      // Solve c (a - x)(b - x) + s (b - x) + S (a - x) = 0 for the step x.
      const A2 = c;
      const B1 = -(c * (a + b) + s + S);
      const C0 = c * a * b + s * b + S * a;
      let x: number;
      if (A2 === 0) x = -C0 / B1;
      else {
        const disc = Math.sqrt(Math.max(0, B1 * B1 - 4 * A2 * C0));
        // The stable pair of roots; pick the one between the poles.
        const q = -0.5 * (B1 + (B1 >= 0 ? disc : -disc));
        const x1 = q / A2, x2 = q !== 0 ? C0 / q : x1;
        const l0 = Math.min(a, b), h0 = Math.max(a, b);
        x = x1 > l0 && x1 < h0 ? x1 : x2;
      }
      next = tau + x;
    }
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (next === tau) break;
    tau = next;
  }
  for (let j = 0; j < k; j++) delta[j] -= tau;
  return dorg + tau;
}

/** Scratch shared by the merges of one decomposition. */
interface DcWork {
  readonly z: Float64Array;
  readonly ldz: number;
  readonly tmp: Float64Array; // n * n
  readonly tmp2: Float64Array; // n * n
  readonly u: Float64Array; // n * n
}

/**
 * Divide and conquer on the order-n block at offset lo: on return d holds
 * its eigenvalues (ascending) and eigenvector j is z[(lo + j) * ldz + lo ..].
 */
function dcRec(n: number, lo: number, d: Float64Array, e: Float64Array, wk: DcWork): void {
  const { z, ldz } = wk;
  if (n <= LEAF) {
    for (let j = 0; j < n; j++) {
      const o = (lo + j) * ldz + lo;
      z.fill(0, o, o + n);
      z[o + j] = 1;
    }
    tql2(n, d, e, lo, z, lo * ldz + lo, ldz);
    return;
  }
  const n1 = n >> 1, n2 = n - n1;
  const mid = lo + n1;
  // T = diag(T1, T2) + rho v vᵀ, v = e_{mid-1} + sign(beta) e_mid.
  const beta = e[mid - 1];
  const rho0 = Math.abs(beta);
  d[mid - 1] -= rho0;
  d[mid] -= rho0;
  dcRec(n1, lo, d, e, wk);
  dcRec(n2, mid, d, e, wk);
  merge(n, n1, lo, d, beta, wk);
}

/** Merges the two solved halves of the block at lo (LAPACK dlaed1-dlaed3). */
function merge(n: number, n1: number, lo: number, d: Float64Array, beta: number, wk: DcWork): void {
  const { z, ldz, tmp, tmp2, u } = wk;
  const sgn = beta < 0 ? -1 : 1;
  // zv = Qᵀ v: the last entry of each eigenvector of T1, sign(beta) x the first of T2's,
  // scaled by 1/√2 so that ‖zv‖ = 1 (and rho doubles).
  const zv = new Float64Array(n);
  const dd = new Float64Array(n);
  const r2 = Math.SQRT1_2;
  for (let j = 0; j < n1; j++) zv[j] = r2 * z[(lo + j) * ldz + lo + n1 - 1];
  for (let j = n1; j < n; j++) zv[j] = sgn * r2 * z[(lo + j) * ldz + lo + n1];
  for (let j = 0; j < n; j++) dd[j] = d[lo + j];
  const rho = 2 * Math.abs(beta);
  // Merge-sort the poles (each half is already ascending).
  const idx = new Int32Array(n);
  {
    let a = 0, b = n1, w = 0;
    while (a < n1 && b < n) idx[w++] = dd[a] <= dd[b] ? a++ : b++;
    while (a < n1) idx[w++] = a++;
    while (b < n) idx[w++] = b++;
  }
  let zmax = 0, dmax = 0;
  for (let j = 0; j < n; j++) {
    zmax = Math.max(zmax, Math.abs(zv[j]));
    dmax = Math.max(dmax, Math.abs(dd[j]));
  }
  const tol = 8 * EPS * Math.max(dmax, zmax);
  // Column type for the block-sparse GEMM: 1 = nonzero in the top half only, 3 = bottom only, 2 = both.
  const ctype = new Int8Array(n);
  for (let j = 0; j < n; j++) ctype[j] = j < n1 ? 1 : 3;
  // Deflation (dlaed2): tiny z components, and close pole pairs rotated together.
  const keep: number[] = []; // non-deflated, ascending poles
  const defl: number[] = [];
  if (rho * zmax <= tol) {
    for (let t = 0; t < n; t++) defl.push(idx[t]);
  } else {
    let pj = -1;
    for (let t = 0; t < n; t++) {
      const nj = idx[t];
      if (rho * Math.abs(zv[nj]) <= tol) {
        defl.push(nj);
        continue;
      }
      if (pj < 0) {
        pj = nj;
        continue;
      }
      // Poles dd[pj] <= dd[nj] close enough that a rotation zeroes zv[pj].
      let s = zv[pj], c = zv[nj];
      const tau = Math.hypot(c, s);
      const tgap = dd[nj] - dd[pj];
      c /= tau;
      s = -s / tau;
      if (Math.abs(tgap * c * s) <= tol) {
        zv[nj] = tau;
        zv[pj] = 0;
        if (ctype[pj] !== ctype[nj]) {
          ctype[pj] = 2;
          ctype[nj] = 2;
        }
        const op = (lo + pj) * ldz + lo, on = (lo + nj) * ldz + lo;
        for (let r = 0; r < n; r++) {
          const x = z[op + r], y = z[on + r];
          z[op + r] = c * x + s * y;
          z[on + r] = c * y - s * x;
        }
        const t2 = dd[pj] * c * c + dd[nj] * s * s;
        dd[nj] = dd[pj] * s * s + dd[nj] * c * c;
        dd[pj] = t2;
        defl.push(pj);
        pj = nj;
      } else {
        keep.push(pj);
        pj = nj;
      }
    }
    if (pj >= 0) keep.push(pj);
  }
  const k = keep.length;
  // Results: eigenvalue and eigenvector (as a row of `tmp`) per output slot.
  const lam = new Float64Array(n);
  if (k > 0) {
    const dl = new Float64Array(k), w2 = new Float64Array(k), ws = new Float64Array(k);
    let wn2 = 0;
    for (let t = 0; t < k; t++) {
      dl[t] = dd[keep[t]];
      const w = zv[keep[t]];
      ws[t] = w;
      w2[t] = w * w;
      wn2 += w * w;
    }
    // delta[i * k + j] = dl_j - λ_i, row i per root.
    const delta = tmp2;
    for (let i = 0; i < k; i++) lam[i] = secularRoot(k, i, dl, w2, rho, delta.subarray(i * k, (i + 1) * k), wn2);
    // Gu-Eisenstat: recompute ẑ from the computed roots so the vectors come out orthogonal.
    const zh = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      let p = delta[j * k + j];
      for (let i = 0; i < k; i++) if (i !== j) p *= delta[i * k + j] / (dl[j] - dl[i]);
      zh[j] = Math.sqrt(Math.max(0, -p)) * (ws[j] < 0 ? -1 : 1);
      if (k === 1) zh[j] = ws[j] < 0 ? -1 : 1;
    }
    // Eigenvector i of the rank-one problem: ẑ_j / (dl_j - λ_i), normalized; row i of u.
    for (let i = 0; i < k; i++) {
      let nn = 0;
      const o = i * k;
      for (let j = 0; j < k; j++) {
        const v = zh[j] / delta[o + j];
        u[o + j] = v;
        nn += v * v;
      }
      const inv = 1 / Math.sqrt(nn);
      for (let j = 0; j < k; j++) u[o + j] *= inv;
    }
    // New vectors = u · (old vectors of the kept poles), block-sparse: the top n1
    // entries only involve type 1/2 columns, the bottom n2 only type 2/3.
    for (let part = 0; part < 2; part++) {
      const cols: number[] = [];
      for (let t = 0; t < k; t++) {
        const ty = ctype[keep[t]];
        if (part === 0 ? ty !== 3 : ty !== 1) cols.push(t);
      }
      const r0 = part === 0 ? 0 : n1, len = part === 0 ? n1 : n - n1;
      const kc = cols.length;
      if (kc === 0) {
        for (let i = 0; i < k; i++) tmp.fill(0, i * n + r0, i * n + r0 + len);
        continue;
      }
      // Gather the old vectors' rows [r0, r0 + len) and u's matching columns.
      const g = tmp2; // delta is no longer needed
      const uc = new Float64Array(k * kc);
      for (let c = 0; c < kc; c++) {
        const src = (lo + keep[cols[c]]) * ldz + lo + r0;
        g.set(z.subarray(src, src + len), c * len);
        for (let i = 0; i < k; i++) uc[i * kc + c] = u[i * k + cols[c]];
      }
      gemmStrided(false, false, k, len, kc, 1, uc, 0, kc, g, 0, len, 0, tmp, r0, n);
    }
  }
  // Deflated pairs keep their (possibly rotated) vectors.
  for (let t = 0; t < defl.length; t++) {
    const j = defl[t];
    lam[k + t] = dd[j];
    const src = (lo + j) * ldz + lo;
    tmp.set(z.subarray(src, src + n), (k + t) * n);
  }
  // Sort all n values ascending (both lists are nearly sorted) and write back.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => lam[a] - lam[b]);
  for (let t = 0; t < n; t++) {
    const s = order[t];
    d[lo + t] = lam[s];
    z.set(tmp.subarray(s * n, s * n + n), (lo + t) * ldz + lo);
  }
}

/**
 * All eigenvalues (ascending, into d) and eigenvectors of the order-n
 * symmetric tridiagonal (d, e), e[i] coupling i and i + 1. Eigenvector j is
 * returned as z[j * n .. (j + 1) * n). Scales T to unit max-norm first, as
 * dstedc does, so no intermediate over- or underflows.
 */
export function tridiagonalEigen(n: number, d: Float64Array, e: Float64Array, wantVectors: boolean): Float64Array | null {
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(d[i]));
  for (let i = 0; i < n - 1; i++) scale = Math.max(scale, Math.abs(e[i]));
  const ee = new Float64Array(n);
  ee.set(e.subarray(0, n - 1));
  if (scale === 0) {
    if (!wantVectors) return null;
    const z = new Float64Array(n * n);
    for (let i = 0; i < n; i++) z[i * n + i] = 1;
    return z;
  }
  for (let i = 0; i < n; i++) d[i] /= scale;
  for (let i = 0; i < n; i++) ee[i] /= scale;
  let z: Float64Array | null = null;
  if (!wantVectors) tql2(n, d, ee, 0, null, 0, n);
  else if (n <= LEAF) {
    z = new Float64Array(n * n);
    for (let i = 0; i < n; i++) z[i * n + i] = 1;
    tql2(n, d, ee, 0, z, 0, n);
  } else {
    z = new Float64Array(n * n);
    const wk: DcWork = { z, ldz: n, tmp: new Float64Array(n * n), tmp2: new Float64Array(n * n), u: new Float64Array(n * n) };
    dcRec(n, 0, d, ee, wk);
  }
  for (let i = 0; i < n; i++) d[i] *= scale;
  return z;
}
