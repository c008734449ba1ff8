/**
 * Kernels shared by the signal baselines (NNLS, FCLS, SUnSAL, FFT peak
 * picking, ESPRIT): a power-of-two FFT on d-dimensional grids, small dense
 * complex linear algebra (QR, Hermitian and general eigenproblems, LU), a
 * Cholesky on a subset of a small Gram matrix, and the block-Hankel operator
 * of d-dimensional harmonic retrieval applied through the FFT.
 *
 * Core's real kernels (GEMM, Cholesky, QR, eigh, SVD) cover the real
 * problems; core has no complex arithmetic and keeps its FFT internal, hence
 * these. Complex matrices are split into `re`/`im` buffers and stored
 * column-major (element (i, j) at `i + j * rows`), as LAPACK does, so that a
 * column is contiguous.
 *
 * Internal module: not exported from the package.
 */
import { ParsimonyError, fft, type Matrix, type SolverContext, type SpectralUnmixingObservation } from '@parsimony/core';

// ==========================================================================
// FFT on power-of-two grids
// ==========================================================================

/** The smallest power of two >= n (1 for n <= 1). */
export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * In-place DFT of a power-of-two length (core's `fft`: radix-2, cached
 * twiddles); the inverse is unnormalized.
 */
export function fftPow2(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if ((n & (n - 1)) !== 0) throw new RangeError(`fftPow2: length ${n} is not a power of two`);
  fft(re, im, inverse);
}

/**
 * In-place d-dimensional DFT of a row-major grid (last dimension fastest)
 * whose every side is a power of two: 1-D transforms along each axis.
 */
export function fftGrid(re: Float64Array, im: Float64Array, shape: readonly number[], inverse = false): void {
  const total = re.length;
  let inner = 1;
  for (let ax = shape.length - 1; ax >= 0; ax--) {
    const n = shape[ax];
    if (n > 1 && inner === 1) {
      // Last axis: the lines are contiguous, transform them in place.
      for (let o = 0; o < total; o += n) fftPow2(re.subarray(o, o + n), im.subarray(o, o + n), inverse);
    } else if (n > 1) {
      const lr = new Float64Array(n), li = new Float64Array(n);
      const outer = total / (n * inner);
      for (let o = 0; o < outer; o++) {
        for (let s = 0; s < inner; s++) {
          const base = o * n * inner + s;
          for (let t = 0, p = base; t < n; t++, p += inner) {
            lr[t] = re[p];
            li[t] = im[p];
          }
          fftPow2(lr, li, inverse);
          for (let t = 0, p = base; t < n; t++, p += inner) {
            re[p] = lr[t];
            im[p] = li[t];
          }
        }
      }
    }
    inner *= n;
  }
}

/**
 * Linear indices into a row-major `grid` of the points `sign·k mod grid`
 * for every multi-index k of the row-major `box` (box[r] <= grid[r]).
 */
export function boxIndices(box: readonly number[], grid: readonly number[], sign: 1 | -1): Int32Array {
  const R = box.length;
  const count = box.reduce((a, b) => a * b, 1);
  const out = new Int32Array(count);
  const idx = new Int32Array(R);
  for (let t = 0; t < count; t++) {
    let lin = 0;
    for (let r = 0; r < R; r++) {
      const v = sign > 0 ? idx[r] : (grid[r] - idx[r]) % grid[r];
      lin = lin * grid[r] + v;
    }
    out[t] = lin;
    // Next multi-index, last dimension fastest.
    for (let r = R - 1; r >= 0; r--) {
      if (++idx[r] < box[r]) break;
      idx[r] = 0;
    }
  }
  return out;
}

// ==========================================================================
// Harmonic retrieval: the block-Hankel operator and least-squares gains
// ==========================================================================


/** Throws a ParsimonyError naming the field when samples, grid and path count do not fit together. */
export function checkHarmonicSamples(fn: string, re: Float64Array, im: Float64Array, shape: readonly number[], paths: number): void {
  if (shape.length === 0 || shape.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `${fn}: shape must be a non-empty list of integers >= 1 (got [${shape.join(', ')}])`, 'shape');
  }
  const total = shape.reduce((a, b) => a * b, 1);
  if (re.length !== total || im.length !== total) {
    throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `${fn}: re and im have ${re.length} and ${im.length} entries, shape [${shape.join(', ')}] needs ${total}`, 're');
  }
  if (!Number.isInteger(paths) || paths < 1) {
    throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `${fn}: paths must be an integer >= 1 (got ${paths})`, 'paths');
  }
  for (let t = 0; t < total; t++) {
    if (!Number.isFinite(re[t]) || !Number.isFinite(im[t])) {
      throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `${fn}: sample ${t} is ${re[t]} + ${im[t]}i; samples must be finite`, 're');
    }
  }
}

/**
 * The (forward-backward) block-Hankel matrix of d-dimensional harmonic
 * retrieval, applied without forming it. For a window M (per dimension,
 * 1 <= M_r <= N_r) and K_r = N_r − M_r + 1, H_f[m, k] = y[m + k] (m, k
 * multi-indices, row-major), and H = [H_f, H_b] where H_b is H_f of the
 * backward data y_b[n] = conj(y[N − 1 − n]) (forward-backward averaging).
 * H x and Hᴴ z are valid cross-correlations, done by FFT on a power-of-two
 * grid P_r >= N_r: O(ΠP log ΠP) per product instead of O(ΠM ΠK).
 */
export class HankelOperator {
  /** Rows ΠM_r. */
  readonly rows: number;
  /** Columns ΠK_r, doubled with forward-backward averaging. */
  readonly cols: number;
  private readonly kBlock: number;
  private readonly fb: boolean;
  private readonly gridSize: number;
  private readonly yfRe: Float64Array;
  private readonly yfIm: Float64Array;
  private readonly ybRe: Float64Array;
  private readonly ybIm: Float64Array;
  private readonly posM: Int32Array;
  private readonly revM: Int32Array;
  private readonly posK: Int32Array;
  private readonly revK: Int32Array;
  private readonly grid: number[];
  private readonly wRe: Float64Array;
  private readonly wIm: Float64Array;
  private readonly vRe: Float64Array;
  private readonly vIm: Float64Array;

  constructor(re: Float64Array, im: Float64Array, shape: readonly number[], window: readonly number[], forwardBackward: boolean) {
    const K = shape.map((n, r) => n - window[r] + 1);
    this.grid = shape.map(nextPow2);
    this.gridSize = this.grid.reduce((a, b) => a * b, 1);
    this.rows = window.reduce((a, b) => a * b, 1);
    this.kBlock = K.reduce((a, b) => a * b, 1);
    this.fb = forwardBackward;
    this.cols = this.kBlock * (forwardBackward ? 2 : 1);
    const total = re.length;
    const pos = boxIndices(shape, this.grid, 1);
    this.yfRe = new Float64Array(this.gridSize);
    this.yfIm = new Float64Array(this.gridSize);
    for (let t = 0; t < total; t++) {
      this.yfRe[pos[t]] = re[t];
      this.yfIm[pos[t]] = im[t];
    }
    fftGrid(this.yfRe, this.yfIm, this.grid);
    this.ybRe = new Float64Array(this.gridSize);
    this.ybIm = new Float64Array(this.gridSize);
    if (forwardBackward) {
      // Reversing every axis of a row-major grid reverses the linear index.
      for (let t = 0; t < total; t++) {
        this.ybRe[pos[t]] = re[total - 1 - t];
        this.ybIm[pos[t]] = -im[total - 1 - t];
      }
      fftGrid(this.ybRe, this.ybIm, this.grid);
    }
    this.posM = boxIndices(window, this.grid, 1);
    this.revM = boxIndices(window, this.grid, -1);
    this.posK = boxIndices(K, this.grid, 1);
    this.revK = boxIndices(K, this.grid, -1);
    this.wRe = new Float64Array(this.gridSize);
    this.wIm = new Float64Array(this.gridSize);
    this.vRe = new Float64Array(this.gridSize);
    this.vIm = new Float64Array(this.gridSize);
  }

  /** out (rows) = H x (cols); all four arrays read/written from the given offsets. */
  apply(xRe: Float64Array, xIm: Float64Array, xOff: number, outRe: Float64Array, outIm: Float64Array, outOff: number): void {
    const { wRe, wIm, vRe, vIm, revK, posM, kBlock } = this;
    // c[m] = Σ_k y[m + k] x[k] = (y ⊛ x̃)[m] with x̃[j] = x[−j mod P].
    wRe.fill(0);
    wIm.fill(0);
    for (let k = 0; k < kBlock; k++) {
      wRe[revK[k]] = xRe[xOff + k];
      wIm[revK[k]] = xIm[xOff + k];
    }
    fftGrid(wRe, wIm, this.grid);
    for (let t = 0; t < this.gridSize; t++) {
      const a = wRe[t], b = wIm[t];
      vRe[t] = a * this.yfRe[t] - b * this.yfIm[t];
      vIm[t] = a * this.yfIm[t] + b * this.yfRe[t];
    }
    if (this.fb) {
      wRe.fill(0);
      wIm.fill(0);
      for (let k = 0; k < kBlock; k++) {
        wRe[revK[k]] = xRe[xOff + kBlock + k];
        wIm[revK[k]] = xIm[xOff + kBlock + k];
      }
      fftGrid(wRe, wIm, this.grid);
      for (let t = 0; t < this.gridSize; t++) {
        const a = wRe[t], b = wIm[t];
        vRe[t] += a * this.ybRe[t] - b * this.ybIm[t];
        vIm[t] += a * this.ybIm[t] + b * this.ybRe[t];
      }
    }
    fftGrid(vRe, vIm, this.grid, true);
    const s = 1 / this.gridSize;
    for (let m = 0; m < this.rows; m++) {
      outRe[outOff + m] = s * vRe[posM[m]];
      outIm[outOff + m] = s * vIm[posM[m]];
    }
  }

  /** out (cols) = Hᴴ z (rows). */
  adjoint(zRe: Float64Array, zIm: Float64Array, zOff: number, outRe: Float64Array, outIm: Float64Array, outOff: number): void {
    const { wRe, wIm, vRe, vIm, revM, posK, kBlock } = this;
    // (Hᴴ z)[k] = conj(Σ_m y[k + m] conj(z[m])): the same correlation, windows swapped.
    wRe.fill(0);
    wIm.fill(0);
    for (let m = 0; m < this.rows; m++) {
      wRe[revM[m]] = zRe[zOff + m];
      wIm[revM[m]] = -zIm[zOff + m];
    }
    fftGrid(wRe, wIm, this.grid);
    const s = 1 / this.gridSize;
    const blocks = this.fb ? 2 : 1;
    for (let b = 0; b < blocks; b++) {
      const yr = b === 0 ? this.yfRe : this.ybRe, yi = b === 0 ? this.yfIm : this.ybIm;
      for (let t = 0; t < this.gridSize; t++) {
        const a = wRe[t], c = wIm[t];
        vRe[t] = a * yr[t] - c * yi[t];
        vIm[t] = a * yi[t] + c * yr[t];
      }
      fftGrid(vRe, vIm, this.grid, true);
      const o = outOff + b * kBlock;
      for (let k = 0; k < kBlock; k++) {
        outRe[o + k] = s * vRe[posK[k]];
        outIm[o + k] = -s * vIm[posK[k]];
      }
    }
  }
}

/**
 * Least-squares complex gains γ of L exponentials with known frequencies
 * (rows of the L x R `freqs`, row-major) on a row-major grid: the normal
 * equations VᴴV γ = Vᴴ y with V[n, l] = Π_r exp(i ω_lr n_r). VᴴV has the
 * closed form Π_r D_{N_r}(ω_br − ω_ar) (Dirichlet kernels) and Vᴴy costs one
 * pass over the samples per path. A tiny ridge (1e-12 · trace) keeps
 * coincident frequencies solvable.
 */
export function harmonicGains(re: Float64Array, im: Float64Array, shape: readonly number[], freqs: Float64Array, L: number): { re: Float64Array; im: Float64Array } {
  const R = shape.length, total = re.length;
  // Gram matrix, column-major L x L.
  const gRe = new Float64Array(L * L), gIm = new Float64Array(L * L);
  for (let a = 0; a < L; a++) {
    for (let b = 0; b < L; b++) {
      // Σ_n exp(i (ω_b − ω_a)·n), one geometric sum per dimension.
      let pr = 1, pi = 0;
      for (let r = 0; r < R; r++) {
        const d = freqs[b * R + r] - freqs[a * R + r];
        let sr = 0, si = 0;
        for (let n = 0; n < shape[r]; n++) {
          sr += Math.cos(d * n);
          si += Math.sin(d * n);
        }
        const t = pr * sr - pi * si;
        pi = pr * si + pi * sr;
        pr = t;
      }
      gRe[a + b * L] = pr;
      gIm[a + b * L] = pi;
    }
  }
  let trace = 0;
  for (let a = 0; a < L; a++) trace += gRe[a + a * L];
  for (let a = 0; a < L; a++) gRe[a + a * L] += 1e-12 * trace;
  // rhs_a = Σ_n conj(V[n, a]) y[n]; the phasor of sample n is a product of per-dimension tables.
  const rhsRe = new Float64Array(L), rhsIm = new Float64Array(L);
  const idx = new Int32Array(R);
  for (let l = 0; l < L; l++) {
    const tabRe: Float64Array[] = [], tabIm: Float64Array[] = [];
    for (let r = 0; r < R; r++) {
      const w = freqs[l * R + r];
      tabRe.push(Float64Array.from({ length: shape[r] }, (_, n) => Math.cos(w * n)));
      tabIm.push(Float64Array.from({ length: shape[r] }, (_, n) => -Math.sin(w * n)));
    }
    idx.fill(0);
    let sr = 0, si = 0;
    for (let t = 0; t < total; t++) {
      let pr = 1, pi = 0;
      for (let r = 0; r < R; r++) {
        const a = tabRe[r][idx[r]], b = tabIm[r][idx[r]];
        const u = pr * a - pi * b;
        pi = pr * b + pi * a;
        pr = u;
      }
      sr += pr * re[t] - pi * im[t];
      si += pr * im[t] + pi * re[t];
      for (let r = R - 1; r >= 0; r--) {
        if (++idx[r] < shape[r]) break;
        idx[r] = 0;
      }
    }
    rhsRe[l] = sr;
    rhsIm[l] = si;
  }
  complexSolve(gRe, gIm, L, rhsRe, rhsIm, 1);
  return { re: rhsRe, im: rhsIm };
}

// ==========================================================================
// Dense complex linear algebra (column-major, small or tall-skinny)
// ==========================================================================

/**
 * Orthonormalizes the k columns (length n, column-major) in place by
 * modified Gram-Schmidt applied twice ("twice is enough", Giraud et al.
 * 2005). A column that is numerically in the span of the previous ones is
 * replaced by the first unit vector e_i that is not, so the result always
 * has k orthonormal columns (k <= n). When `R` is given (k x k, column-major)
 * it receives the triangular factor of the first pass plus the second's
 * correction: A = Q R.
 */
export function orthonormalize(re: Float64Array, im: Float64Array, n: number, k: number, R?: { re: Float64Array; im: Float64Array }): void {
  if (R) {
    R.re.fill(0);
    R.im.fill(0);
  }
  for (let j = 0; j < k; j++) {
    const oj = j * n;
    let before = 0;
    for (let i = 0; i < n; i++) before += re[oj + i] ** 2 + im[oj + i] ** 2;
    before = Math.sqrt(before);
    for (let pass = 0; pass < 2; pass++) {
      for (let q = 0; q < j; q++) {
        const oq = q * n;
        let sr = 0, si = 0;
        for (let i = 0; i < n; i++) {
          // s = q_qᴴ a_j
          sr += re[oq + i] * re[oj + i] + im[oq + i] * im[oj + i];
          si += re[oq + i] * im[oj + i] - im[oq + i] * re[oj + i];
        }
        for (let i = 0; i < n; i++) {
          re[oj + i] -= sr * re[oq + i] - si * im[oq + i];
          im[oj + i] -= sr * im[oq + i] + si * re[oq + i];
        }
        if (R) {
          R.re[q + j * k] += sr;
          R.im[q + j * k] += si;
        }
      }
    }
    let nrm = 0;
    for (let i = 0; i < n; i++) nrm += re[oj + i] ** 2 + im[oj + i] ** 2;
    nrm = Math.sqrt(nrm);
    if (!(nrm > 1e-13 * before) || nrm === 0) {
      // Rank-deficient: keep the factorization (R_jj = 0) and complete the basis.
      for (let e = 0; e < n; e++) {
        re.fill(0, oj, oj + n);
        im.fill(0, oj, oj + n);
        re[oj + e] = 1;
        for (let pass = 0; pass < 2; pass++) {
          for (let q = 0; q < j; q++) {
            const oq = q * n;
            let sr = 0, si = 0;
            for (let i = 0; i < n; i++) {
              sr += re[oq + i] * re[oj + i] + im[oq + i] * im[oj + i];
              si += re[oq + i] * im[oj + i] - im[oq + i] * re[oj + i];
            }
            for (let i = 0; i < n; i++) {
              re[oj + i] -= sr * re[oq + i] - si * im[oq + i];
              im[oj + i] -= sr * im[oq + i] + si * re[oq + i];
            }
          }
        }
        nrm = 0;
        for (let i = 0; i < n; i++) nrm += re[oj + i] ** 2 + im[oj + i] ** 2;
        nrm = Math.sqrt(nrm);
        if (nrm > 0.5) break;
      }
      for (let i = 0; i < n; i++) {
        re[oj + i] /= nrm;
        im[oj + i] /= nrm;
      }
      continue;
    }
    if (R) R.re[j + j * k] = nrm;
    for (let i = 0; i < n; i++) {
      re[oj + i] /= nrm;
      im[oj + i] /= nrm;
    }
  }
}

/** C (p x q) = Aᴴ B for column-major A (n x p) and B (n x q). */
export function gemmCN(aRe: Float64Array, aIm: Float64Array, bRe: Float64Array, bIm: Float64Array, n: number, p: number, q: number): { re: Float64Array; im: Float64Array } {
  const cRe = new Float64Array(p * q), cIm = new Float64Array(p * q);
  for (let j = 0; j < q; j++) {
    for (let i = 0; i < p; i++) {
      let sr = 0, si = 0;
      const oa = i * n, ob = j * n;
      for (let t = 0; t < n; t++) {
        sr += aRe[oa + t] * bRe[ob + t] + aIm[oa + t] * bIm[ob + t];
        si += aRe[oa + t] * bIm[ob + t] - aIm[oa + t] * bRe[ob + t];
      }
      cRe[i + j * p] = sr;
      cIm[i + j * p] = si;
    }
  }
  return { re: cRe, im: cIm };
}

/** C (n x q) = A B for column-major A (n x p) and B (p x q). */
export function gemmNN(aRe: Float64Array, aIm: Float64Array, bRe: Float64Array, bIm: Float64Array, n: number, p: number, q: number): { re: Float64Array; im: Float64Array } {
  const cRe = new Float64Array(n * q), cIm = new Float64Array(n * q);
  for (let j = 0; j < q; j++) {
    const oc = j * n;
    for (let t = 0; t < p; t++) {
      const br = bRe[t + j * p], bi = bIm[t + j * p];
      if (br === 0 && bi === 0) continue;
      const oa = t * n;
      for (let i = 0; i < n; i++) {
        cRe[oc + i] += aRe[oa + i] * br - aIm[oa + i] * bi;
        cIm[oc + i] += aRe[oa + i] * bi + aIm[oa + i] * br;
      }
    }
  }
  return { re: cRe, im: cIm };
}

/**
 * Eigen-decomposition of a small Hermitian matrix by cyclic complex Jacobi
 * rotations (a phase change makes a_pq real, then a real Jacobi rotation
 * zeroes it; Golub & Van Loan §8.5). Returns the eigenvalues in decreasing
 * order and the eigenvectors as columns (column-major n x n). The input is
 * not modified.
 */
export function hermitianEig(aRe: Float64Array, aIm: Float64Array, n: number): { values: Float64Array; vRe: Float64Array; vIm: Float64Array } {
  const re = aRe.slice(), im = aIm.slice();
  const vRe = new Float64Array(n * n), vIm = new Float64Array(n * n);
  for (let i = 0; i < n; i++) vRe[i + i * n] = 1;
  let total = 0;
  for (let t = 0; t < n * n; t++) total += re[t] * re[t] + im[t] * im[t];
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let q = 0; q < n; q++) for (let p = 0; p < q; p++) off += re[p + q * n] ** 2 + im[p + q * n] ** 2;
    if (off <= 1e-30 * total || off === 0) break;
    for (let q = 1; q < n; q++) {
      for (let p = 0; p < q; p++) {
        const hr = re[p + q * n], hi = im[p + q * n];
        const h = Math.hypot(hr, hi);
        if (h === 0) continue;
        // Phase: column q times e^{-iφ}, row q times e^{iφ}, so that a_pq = |a_pq|.
        const er = hr / h, ei = -hi / h;
        for (let i = 0; i < n; i++) {
          const x = re[i + q * n], y = im[i + q * n];
          re[i + q * n] = x * er - y * ei;
          im[i + q * n] = x * ei + y * er;
          const u = vRe[i + q * n], w = vIm[i + q * n];
          vRe[i + q * n] = u * er - w * ei;
          vIm[i + q * n] = u * ei + w * er;
        }
        for (let j = 0; j < n; j++) {
          const x = re[q + j * n], y = im[q + j * n];
          re[q + j * n] = x * er + y * ei;
          im[q + j * n] = -x * ei + y * er;
        }
        // Real rotation zeroing the (now real) a_pq.
        const app = re[p + p * n], aqq = re[q + q * n];
        const tau = (aqq - app) / (2 * h);
        const t = tau === 0 ? 1 : Math.sign(tau) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t), s = t * c;
        for (let i = 0; i < n; i++) {
          const xr = re[i + p * n], xi = im[i + p * n], yr = re[i + q * n], yi = im[i + q * n];
          re[i + p * n] = c * xr - s * yr;
          im[i + p * n] = c * xi - s * yi;
          re[i + q * n] = s * xr + c * yr;
          im[i + q * n] = s * xi + c * yi;
          const ur = vRe[i + p * n], ui = vIm[i + p * n], wr = vRe[i + q * n], wi = vIm[i + q * n];
          vRe[i + p * n] = c * ur - s * wr;
          vIm[i + p * n] = c * ui - s * wi;
          vRe[i + q * n] = s * ur + c * wr;
          vIm[i + q * n] = s * ui + c * wi;
        }
        for (let j = 0; j < n; j++) {
          const xr = re[p + j * n], xi = im[p + j * n], yr = re[q + j * n], yi = im[q + j * n];
          re[p + j * n] = c * xr - s * yr;
          im[p + j * n] = c * xi - s * yi;
          re[q + j * n] = s * xr + c * yr;
          im[q + j * n] = s * xi + c * yi;
        }
        re[p + q * n] = im[p + q * n] = re[q + p * n] = im[q + p * n] = 0;
        im[p + p * n] = im[q + q * n] = 0;
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => re[b + b * n] - re[a + a * n] || a - b);
  const values = new Float64Array(n), oRe = new Float64Array(n * n), oIm = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = re[src + src * n];
    oRe.set(vRe.subarray(src * n, src * n + n), dst * n);
    oIm.set(vIm.subarray(src * n, src * n + n), dst * n);
  });
  return { values, vRe: oRe, vIm: oIm };
}

/** Complex square root, principal branch. */
function csqrt(re: number, im: number): [number, number] {
  const m = Math.hypot(re, im);
  if (m === 0) return [0, 0];
  const r = Math.sqrt((m + Math.abs(re)) / 2);
  if (re >= 0) return [r, im / (2 * r)];
  return [Math.abs(im) / (2 * r), im >= 0 ? r : -r];
}

/**
 * Eigenvalues and eigenvectors of a small general complex matrix: Householder
 * reduction to Hessenberg form, then the shifted QR algorithm with Wilkinson
 * shifts and Givens rotations down to the Schur form T = Zᴴ A Z, then back
 * substitution in T for its eigenvectors (Golub & Van Loan Alg. 7.4.2, 7.5;
 * LAPACK zgehrd/zhseqr/ztrevc in spirit). Eigenvectors are unit columns
 * (column-major). The input is not modified.
 */
export function complexEig(aRe: Float64Array, aIm: Float64Array, n: number): { valRe: Float64Array; valIm: Float64Array; vRe: Float64Array; vIm: Float64Array } {
  const hr = aRe.slice(), hi = aIm.slice();
  const zr = new Float64Array(n * n), zi = new Float64Array(n * n);
  for (let i = 0; i < n; i++) zr[i + i * n] = 1;
  const at = (i: number, j: number) => i + j * n;

  // Hessenberg reduction.
  const vr = new Float64Array(n), vi = new Float64Array(n);
  for (let k = 0; k + 2 < n; k++) {
    let alpha = 0;
    for (let i = k + 1; i < n; i++) alpha += hr[at(i, k)] ** 2 + hi[at(i, k)] ** 2;
    alpha = Math.sqrt(alpha);
    if (alpha === 0) continue;
    const x0r = hr[at(k + 1, k)], x0i = hi[at(k + 1, k)], x0 = Math.hypot(x0r, x0i);
    const er = x0 === 0 ? 1 : x0r / x0, ei = x0 === 0 ? 0 : x0i / x0;
    let vv = 0;
    for (let i = k + 1; i < n; i++) {
      vr[i] = hr[at(i, k)];
      vi[i] = hi[at(i, k)];
    }
    vr[k + 1] += er * alpha;
    vi[k + 1] += ei * alpha;
    for (let i = k + 1; i < n; i++) vv += vr[i] ** 2 + vi[i] ** 2;
    const f = 2 / vv;
    // Left: rows k+1.. of columns k..n-1, A ← A − f v (vᴴ A).
    for (let j = k; j < n; j++) {
      let sr = 0, si = 0;
      for (let i = k + 1; i < n; i++) {
        sr += vr[i] * hr[at(i, j)] + vi[i] * hi[at(i, j)];
        si += vr[i] * hi[at(i, j)] - vi[i] * hr[at(i, j)];
      }
      for (let i = k + 1; i < n; i++) {
        hr[at(i, j)] -= f * (vr[i] * sr - vi[i] * si);
        hi[at(i, j)] -= f * (vr[i] * si + vi[i] * sr);
      }
    }
    // Right: all rows, columns k+1..: A ← A − f (A v) vᴴ; the same on Z.
    for (const [mr, mi] of [
      [hr, hi],
      [zr, zi],
    ]) {
      for (let i = 0; i < n; i++) {
        let sr = 0, si = 0;
        for (let j = k + 1; j < n; j++) {
          sr += mr[at(i, j)] * vr[j] - mi[at(i, j)] * vi[j];
          si += mr[at(i, j)] * vi[j] + mi[at(i, j)] * vr[j];
        }
        for (let j = k + 1; j < n; j++) {
          mr[at(i, j)] -= f * (sr * vr[j] + si * vi[j]);
          mi[at(i, j)] -= f * (si * vr[j] - sr * vi[j]);
        }
      }
    }
    for (let i = k + 2; i < n; i++) hr[at(i, k)] = hi[at(i, k)] = 0;
  }

  // Shifted QR iterations on the active block [lo, hi_].
  const cs = new Float64Array(n), snr = new Float64Array(n), sni = new Float64Array(n);
  let end = n - 1, iter = 0;
  while (end > 0) {
    // Deflate: find the largest lo with a negligible subdiagonal above it.
    let lo = end;
    while (lo > 0) {
      const sub = Math.hypot(hr[at(lo, lo - 1)], hi[at(lo, lo - 1)]);
      const diag = Math.hypot(hr[at(lo, lo)], hi[at(lo, lo)]) + Math.hypot(hr[at(lo - 1, lo - 1)], hi[at(lo - 1, lo - 1)]);
      if (sub <= Number.EPSILON * diag || sub < Number.MIN_VALUE * 1e3) {
        hr[at(lo, lo - 1)] = hi[at(lo, lo - 1)] = 0;
        break;
      }
      lo--;
    }
    if (lo === end) {
      end--;
      iter = 0;
      continue;
    }
    if (++iter > 60 * n) throw new RangeError('complexEig: the QR algorithm did not converge');
    // Wilkinson shift: the eigenvalue of the trailing 2x2 closer to its last diagonal entry.
    const ar = hr[at(end - 1, end - 1)], ai = hi[at(end - 1, end - 1)];
    const br = hr[at(end - 1, end)], bi = hi[at(end - 1, end)];
    const cr = hr[at(end, end - 1)], ci = hi[at(end, end - 1)];
    const dr = hr[at(end, end)], di = hi[at(end, end)];
    let mur: number, mui: number;
    if (iter % 11 === 10) {
      // Exceptional shift breaks rare cycles.
      mur = dr + 0.75 * Math.hypot(cr, ci);
      mui = di;
    } else {
      const hr2 = (ar - dr) / 2, hi2 = (ai - di) / 2;
      const [sr, si] = csqrt(hr2 * hr2 - hi2 * hi2 + (br * cr - bi * ci), 2 * hr2 * hi2 + (br * ci + bi * cr));
      const m1r = (ar + dr) / 2 + sr, m1i = (ai + di) / 2 + si;
      const m2r = (ar + dr) / 2 - sr, m2i = (ai + di) / 2 - si;
      const useFirst = Math.hypot(m1r - dr, m1i - di) <= Math.hypot(m2r - dr, m2i - di);
      mur = useFirst ? m1r : m2r;
      mui = useFirst ? m1i : m2i;
    }
    for (let k = lo; k <= end; k++) {
      hr[at(k, k)] -= mur;
      hi[at(k, k)] -= mui;
    }
    // H − μI = QR by Givens rotations on rows (k, k+1), columns k..n-1.
    for (let k = lo; k < end; k++) {
      const xr = hr[at(k, k)], xi = hi[at(k, k)], yr = hr[at(k + 1, k)], yi = hi[at(k + 1, k)];
      const ax = Math.hypot(xr, xi), r = Math.hypot(ax, Math.hypot(yr, yi));
      let c: number, sr: number, si: number;
      if (r === 0) {
        c = 1;
        sr = si = 0;
      } else if (ax === 0) {
        c = 0;
        sr = 1;
        si = 0;
      } else {
        // s = (x/|x|) conj(y) / r
        c = ax / r;
        const ur = xr / ax, ui = xi / ax;
        sr = (ur * yr + ui * yi) / r;
        si = (ui * yr - ur * yi) / r;
      }
      cs[k] = c;
      snr[k] = sr;
      sni[k] = si;
      for (let j = k; j < n; j++) {
        const pr = hr[at(k, j)], pi = hi[at(k, j)], qr = hr[at(k + 1, j)], qi = hi[at(k + 1, j)];
        // [p; q] ← [c p + s q; −conj(s) p + c q]
        hr[at(k, j)] = c * pr + (sr * qr - si * qi);
        hi[at(k, j)] = c * pi + (sr * qi + si * qr);
        hr[at(k + 1, j)] = c * qr - (sr * pr + si * pi);
        hi[at(k + 1, j)] = c * qi - (sr * pi - si * pr);
      }
    }
    // R Q: columns (k, k+1) times Gᴴ = [[c, −s], [conj(s), c]], rows 0..k+1; Z likewise.
    for (let k = lo; k < end; k++) {
      const c = cs[k], sr = snr[k], si = sni[k];
      const rot = (mr: Float64Array, mi: Float64Array, rowsTo: number) => {
        for (let i = 0; i <= rowsTo; i++) {
          const ur = mr[at(i, k)], ui = mi[at(i, k)], wr = mr[at(i, k + 1)], wi = mi[at(i, k + 1)];
          // u' = u c + w conj(s), w' = −u s + w c
          mr[at(i, k)] = ur * c + (wr * sr + wi * si);
          mi[at(i, k)] = ui * c + (wi * sr - wr * si);
          mr[at(i, k + 1)] = wr * c - (ur * sr - ui * si);
          mi[at(i, k + 1)] = wi * c - (ur * si + ui * sr);
        }
      };
      rot(hr, hi, Math.min(k + 1, end));
      rot(zr, zi, n - 1);
    }
    for (let k = lo; k <= end; k++) {
      hr[at(k, k)] += mur;
      hi[at(k, k)] += mui;
    }
  }

  // Eigenvectors of the upper triangular T, then V = Z X.
  const valRe = new Float64Array(n), valIm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    valRe[i] = hr[at(i, i)];
    valIm[i] = hi[at(i, i)];
  }
  let tnorm = 0;
  for (let t = 0; t < n * n; t++) tnorm = Math.max(tnorm, Math.hypot(hr[t], hi[t]));
  const small = Math.max(tnorm * Number.EPSILON, Number.MIN_VALUE);
  const xRe = new Float64Array(n * n), xIm = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const o = k * n;
    xRe[o + k] = 1;
    for (let i = k - 1; i >= 0; i--) {
      let sr = 0, si = 0;
      for (let j = i + 1; j <= k; j++) {
        sr += hr[at(i, j)] * xRe[o + j] - hi[at(i, j)] * xIm[o + j];
        si += hr[at(i, j)] * xIm[o + j] + hi[at(i, j)] * xRe[o + j];
      }
      let dr = hr[at(i, i)] - valRe[k], di = hi[at(i, i)] - valIm[k];
      if (Math.hypot(dr, di) < small) {
        dr = small;
        di = 0;
      }
      const dd = dr * dr + di * di;
      // x_i = −s / d
      xRe[o + i] = -(sr * dr + si * di) / dd;
      xIm[o + i] = -(si * dr - sr * di) / dd;
    }
  }
  const v = gemmNN(zr, zi, xRe, xIm, n, n, n);
  for (let k = 0; k < n; k++) {
    let nrm = 0;
    for (let i = 0; i < n; i++) nrm += v.re[i + k * n] ** 2 + v.im[i + k * n] ** 2;
    nrm = Math.sqrt(nrm);
    for (let i = 0; i < n; i++) {
      v.re[i + k * n] /= nrm;
      v.im[i + k * n] /= nrm;
    }
  }
  return { valRe, valIm, vRe: v.re, vIm: v.im };
}

/**
 * Solves A X = B in place of B for a small square complex A (column-major
 * n x n, not modified) and k right-hand sides (column-major n x k), by
 * Gaussian elimination with partial pivoting. A zero pivot is replaced by
 * ε·max|A| so a singular A still gives a finite (large) answer.
 */
export function complexSolve(aRe: Float64Array, aIm: Float64Array, n: number, bRe: Float64Array, bIm: Float64Array, k: number): void {
  const lr = aRe.slice(), li = aIm.slice();
  let amax = 0;
  for (let t = 0; t < n * n; t++) amax = Math.max(amax, Math.hypot(lr[t], li[t]));
  const tiny = Math.max(amax * Number.EPSILON, Number.MIN_VALUE);
  for (let c = 0; c < n; c++) {
    let piv = c, best = -1;
    for (let i = c; i < n; i++) {
      const m = Math.hypot(lr[i + c * n], li[i + c * n]);
      if (m > best) {
        best = m;
        piv = i;
      }
    }
    if (piv !== c) {
      for (let j = 0; j < n; j++) {
        let t = lr[c + j * n];
        lr[c + j * n] = lr[piv + j * n];
        lr[piv + j * n] = t;
        t = li[c + j * n];
        li[c + j * n] = li[piv + j * n];
        li[piv + j * n] = t;
      }
      for (let j = 0; j < k; j++) {
        let t = bRe[c + j * n];
        bRe[c + j * n] = bRe[piv + j * n];
        bRe[piv + j * n] = t;
        t = bIm[c + j * n];
        bIm[c + j * n] = bIm[piv + j * n];
        bIm[piv + j * n] = t;
      }
    }
    if (best < tiny) {
      lr[c + c * n] = tiny;
      li[c + c * n] = 0;
    }
    const pr = lr[c + c * n], pi = li[c + c * n], pp = pr * pr + pi * pi;
    for (let i = c + 1; i < n; i++) {
      // f = a_ic / a_cc
      const ar = lr[i + c * n], ai = li[i + c * n];
      const fr = (ar * pr + ai * pi) / pp, fi = (ai * pr - ar * pi) / pp;
      if (fr === 0 && fi === 0) continue;
      for (let j = c + 1; j < n; j++) {
        const ur = lr[c + j * n], ui = li[c + j * n];
        lr[i + j * n] -= fr * ur - fi * ui;
        li[i + j * n] -= fr * ui + fi * ur;
      }
      for (let j = 0; j < k; j++) {
        const ur = bRe[c + j * n], ui = bIm[c + j * n];
        bRe[i + j * n] -= fr * ur - fi * ui;
        bIm[i + j * n] -= fr * ui + fi * ur;
      }
    }
  }
  for (let j = 0; j < k; j++) {
    const o = j * n;
    for (let i = n - 1; i >= 0; i--) {
      let sr = bRe[o + i], si = bIm[o + i];
      for (let t = i + 1; t < n; t++) {
        sr -= lr[i + t * n] * bRe[o + t] - li[i + t * n] * bIm[o + t];
        si -= lr[i + t * n] * bIm[o + t] + li[i + t * n] * bRe[o + t];
      }
      const pr = lr[i + i * n], pi = li[i + i * n], pp = pr * pr + pi * pi;
      bRe[o + i] = (sr * pr + si * pi) / pp;
      bIm[o + i] = (si * pr - sr * pi) / pp;
    }
  }
}

// ==========================================================================
// Small real SPD solves on a subset of a Gram matrix (NNLS, FCLS)
// ==========================================================================

/** Throws a PARSIMONY_BAD_OBSERVATION naming the function when the pixels B (bands x N) do not match the library A (bands x p), or either is not finite. */
export function checkLibrary(fn: string, A: Matrix, B: Matrix, aName = 'E', bName = 'Y'): void {
  if (B.rows !== A.rows) {
    throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `${fn}: ${bName} has ${B.rows} rows, ${aName} has ${A.rows} (both are bands x ...)`, bName);
  }
  for (const [name, M] of [[aName, A], [bName, B]] as const) {
    for (let t = 0; t < M.data.length; t++) {
      if (!Number.isFinite(M.data[t])) {
        throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `${fn}: ${name}[${Math.floor(t / M.cols)}, ${t % M.cols}] is ${M.data[t]}; entries must be finite`, name);
      }
    }
  }
}

/**
 * Cholesky factor of G[idx, idx] (G row-major n x n, idx of length s) into
 * `L` (row-major s x s, lower). Returns false when the submatrix is not
 * numerically positive definite (a pivot <= 1e-14 · its diagonal entry).
 */
export function cholSubset(G: Float64Array, n: number, idx: Int32Array, s: number, L: Float64Array): boolean {
  for (let i = 0; i < s; i++) {
    const gi = idx[i] * n;
    for (let j = 0; j <= i; j++) {
      let v = G[gi + idx[j]];
      for (let t = 0; t < j; t++) v -= L[i * s + t] * L[j * s + t];
      if (i === j) {
        if (!(v > 1e-14 * G[gi + idx[i]])) return false;
        L[i * s + i] = Math.sqrt(v);
      } else {
        L[i * s + j] = v / L[j * s + j];
      }
    }
  }
  return true;
}

/** Solves (L Lᵀ) x = b in place of b (L row-major s x s from {@link cholSubset}). */
export function cholSubsetSolve(L: Float64Array, s: number, b: Float64Array): void {
  for (let i = 0; i < s; i++) {
    let v = b[i];
    for (let t = 0; t < i; t++) v -= L[i * s + t] * b[t];
    b[i] = v / L[i * s + i];
  }
  for (let i = s - 1; i >= 0; i--) {
    let v = b[i];
    for (let t = i + 1; t < s; t++) v -= L[t * s + i] * b[t];
    b[i] = v / L[i * s + i];
  }
}

// ==========================================================================
// Unmixing bench entries (NNLS, FCLS, SUnSAL)
// ==========================================================================

/** The endmember library E, or the PARSIMONY_BAD_OBSERVATION of a blind instance naming the method. */
export function libraryOf(id: string, method: string, obs: SpectralUnmixingObservation): Matrix {
  if (!obs.E) throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `${id}: observation.E is absent (blind unmixing); ${method} needs the endmember library`, 'observation.E');
  return obs.E;
}

/** The `skip` of a method that needs the endmember library. */
export function skipBlind(method: string): (obs: SpectralUnmixingObservation) => string | undefined {
  return (obs) => (obs.E ? undefined : `blind unmixing (no endmember library E); ${method} needs the library`);
}

/** An `onColumn` that reports the mean active-set iterations to ctx every 100 pixels and at the last. */
export function pixelProgress(ctx: SolverContext, pixels: number): (j: number, iterations: number) => void {
  let total = 0;
  return (j, iterations) => {
    total += iterations;
    if ((j + 1) % 100 === 0 || j + 1 === pixels) ctx.report({ iteration: j + 1, meanIterations: total / (j + 1) });
  };
}
