/**
 * The engine behind `lasso`: scikit-learn's cyclic coordinate descent
 * (`enet_coordinate_descent`, β = 0) with the same updates in the same order
 * and the same duality-gap rule, organized for speed in V8.
 *
 * Internal module: not exported from the package.
 */
import { SimdColumns, type Matrix } from '@parsimony/core';
import { dotAt, gemvT, sumSq } from './kernels.js';

/** Coordinates handled per fused pass over the residual. */
const B = 4;
/** From this many entries of X, the passes run on resident WebAssembly SIMD copies of X and R. */
const SIMD_MIN = 64 * 64;

/**
 * What depends on X only, computed once and shared by every right-hand side:
 * a column-major copy, the squared column norms, and for each block of four
 * consecutive columns their six inner products.
 */
export interface CdDesign {
  readonly X: Matrix;
  readonly N: number;
  readonly d: number;
  /** Column-major copy: column j is xt[j*N .. (j+1)*N). */
  readonly xt: Float64Array;
  readonly norm2: Float64Array;
  readonly norm: Float64Array;
  /** Per block b: X_iᵀX_j for (i, j) = (0,1), (0,2), (0,3), (1,2), (1,3), (2,3) of columns 4b..4b+3. */
  readonly g: Float64Array;
  /** Number of full blocks of four; the last d mod 4 columns are done one at a time. */
  readonly blocks: number;
}

/**
 * Precomputes the {@link CdDesign} of X: two passes, one writing the
 * column-major copy (eight rows at a time, so each column receives eight
 * consecutive entries per visit), one over the copy for the norms and the
 * block inner products.
 */
export function cdDesign(X: Matrix): CdDesign {
  const { rows: N, cols: d, data } = X;
  const xt = new Float64Array(N * d);
  let i = 0;
  for (; i + 7 < N; i += 8) {
    const o = i * d;
    for (let j = 0, p = i; j < d; j++, p += N) {
      const s = o + j;
      xt[p] = data[s];
      xt[p + 1] = data[s + d];
      xt[p + 2] = data[s + 2 * d];
      xt[p + 3] = data[s + 3 * d];
      xt[p + 4] = data[s + 4 * d];
      xt[p + 5] = data[s + 5 * d];
      xt[p + 6] = data[s + 6 * d];
      xt[p + 7] = data[s + 7 * d];
    }
  }
  for (; i < N; i++) for (let j = 0; j < d; j++) xt[j * N + i] = data[i * d + j];

  const norm2 = new Float64Array(d), norm = new Float64Array(d);
  const blocks = Math.floor(d / B);
  const g = new Float64Array(6 * blocks);
  for (let b = 0; b < blocks; b++) {
    const o = b * B * N;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, g01 = 0, g02 = 0, g03 = 0, g12 = 0, g13 = 0, g23 = 0;
    for (let r = 0; r < N; r++) {
      const k = o + r;
      const x0 = xt[k], x1 = xt[k + N], x2 = xt[k + 2 * N], x3 = xt[k + 3 * N];
      s0 += x0 * x0;
      s1 += x1 * x1;
      s2 += x2 * x2;
      s3 += x3 * x3;
      g01 += x0 * x1;
      g02 += x0 * x2;
      g03 += x0 * x3;
      g12 += x1 * x2;
      g13 += x1 * x3;
      g23 += x2 * x3;
    }
    const j0 = b * B, gb = 6 * b;
    norm2[j0] = s0;
    norm2[j0 + 1] = s1;
    norm2[j0 + 2] = s2;
    norm2[j0 + 3] = s3;
    g[gb] = g01;
    g[gb + 1] = g02;
    g[gb + 2] = g03;
    g[gb + 3] = g12;
    g[gb + 4] = g13;
    g[gb + 5] = g23;
  }
  for (let j = blocks * B; j < d; j++) norm2[j] = dotAt(xt, j * N, xt, j * N, N);
  for (let j = 0; j < d; j++) norm[j] = Math.sqrt(norm2[j]);
  return { X, N, d, xt, norm2, norm, g, blocks };
}

/** Options of {@link cdLasso} (already checked). */
export interface CdOptions {
  readonly alpha: number;
  readonly tol: number;
  readonly maxIter: number;
  readonly signal?: AbortSignal;
  readonly onIteration?: (epoch: number, objective: number) => void;
}

/** The scikit-learn duality gap of ½‖R‖² + a‖w‖₁ (cd_fast.pyx, β = 0). */
export function dualGap(a: number, rNorm2: number, dualNorm: number, ry: number, l1: number): number {
  let gap: number, cst: number;
  if (dualNorm > a) {
    cst = a / dualNorm;
    gap = 0.5 * (rNorm2 + rNorm2 * cst * cst);
  } else {
    cst = 1;
    gap = rNorm2;
  }
  return gap + a * l1 - cst * ry;
}

/**
 * Cyclic coordinate descent on ½‖y − Xw‖² + (αN)‖w‖₁, the iterates of
 * scikit-learn's `enet_coordinate_descent` (see `lasso` for the rules).
 *
 * Two ways of doing the same updates with less work:
 * - Blocks of four coordinates share one pass over the residual: the pass
 *   applies the previous block's pending change R += Σ δ_t X_t and computes
 *   the four inner products X_jᵀR at once; the sequential updates inside the
 *   block then correct X_jᵀR by δ_t X_tᵀX_j with the precomputed block Gram
 *   (exact in exact arithmetic: R changes only by δ_t X_t).
 * - A zero coefficient stays zero when |X_jᵀR| ≤ αN. Each coordinate keeps
 *   its last X_jᵀR and how far R has moved since (‖ΔR‖ ≤ Σ|δ_t|‖X_t‖); a
 *   block whose four coefficients are zero and certified that way is skipped.
 */
export function cdLasso(D: CdDesign, y: Float64Array, o: CdOptions): { w: Float64Array; iterations: number; dualGap: number } {
  const { N, d, xt, norm2, norm, g, blocks } = D;
  const a = o.alpha * N; // cd_fast works on the unscaled objective
  const w = new Float64Array(d);
  // With WebAssembly SIMD, X's columns and R live in its memory and the fused
  // passes run there; R is then a view of that memory.
  const W = N * d >= SIMD_MIN ? SimdColumns.from(xt, N, d) : undefined;
  let R: Float64Array;
  if (W) {
    R = W.r();
    R.set(y);
  } else R = y.slice();
  try {
    const gapTol = o.tol * sumSq(y);
    // Screening: c[j] = X_jᵀR when R had drifted `since[j]` (drift = Σ|δ_t|‖X_t‖ so far).
    const c = new Float64Array(d);
    const since = new Float64Array(d).fill(-Infinity);
    let drift = 0;
    // A coordinate this close to the threshold is always computed (rounding margin).
    const cut = a * (1 - 1e-9);
    const xtr = new Float64Array(d);
    const N2 = 2 * N, N3 = 3 * N;
    const cur = new Float64Array(B); // X_jᵀR of the block's coordinates
    const del = new Float64Array(B); // their changes δ = w_old − w_new (R moves by δ X_j)
    // The last block with a change not yet applied to R, and its changes.
    let pend = -1, p0 = 0, p1 = 0, p2 = 0, p3 = 0;
    /** R += the pending change of block b. */
    const applyPending = (b: number) => {
      if (W) return W.apply4(b * B, p0, p1, p2, p3);
      const q = b * B * N;
      for (let i = 0; i < N; i++) R[i] += p0 * xt[q + i] + p1 * xt[q + N + i] + (p2 * xt[q + N2 + i] + p3 * xt[q + N3 + i]);
    };

    let gap = gapTol + 1;
    let epoch = 0;
    for (; epoch < o.maxIter; epoch++) {
      o.signal?.throwIfAborted();
      let wMax = 0, dwMax = 0;
      for (let b = 0; b <= blocks; b++) {
        const j0 = b * B;
        const size = b < blocks ? B : d - j0;
        if (size === 0) break;
        // Skip a block whose coefficients are all zero and certified to stay zero
        // (|X_jᵀR_old| + ‖X_j‖‖ΔR‖ < αN): the same updates as computing them.
        let skip = true;
        for (let t = 0; t < size && skip; t++) {
          const j = j0 + t;
          skip = w[j] === 0 && Math.abs(c[j]) + norm[j] * (drift - since[j]) < cut;
        }
        if (skip) continue;
        if (size === B && W) {
          W.pass4(pend >= 0 ? pend * B : -1, p0, p1, p2, p3, j0, cur);
          pend = -1;
        } else if (size === B) {
          // One pass: apply the pending change and take the four inner products.
          const ob = j0 * N;
          let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
          if (pend >= 0) {
            const q = pend * B * N;
            for (let i = 0; i < N; i++) {
              const r = R[i] + (p0 * xt[q + i] + p1 * xt[q + N + i] + (p2 * xt[q + N2 + i] + p3 * xt[q + N3 + i]));
              R[i] = r;
              const k = ob + i;
              a0 += xt[k] * r;
              a1 += xt[k + N] * r;
              a2 += xt[k + N2] * r;
              a3 += xt[k + N3] * r;
            }
            pend = -1;
          } else {
            for (let i = 0; i < N; i++) {
              const r = R[i], k = ob + i;
              a0 += xt[k] * r;
              a1 += xt[k + N] * r;
              a2 += xt[k + N2] * r;
              a3 += xt[k + N3] * r;
            }
          }
          cur[0] = a0;
          cur[1] = a1;
          cur[2] = a2;
          cur[3] = a3;
        } else {
          // The last d mod 4 coordinates: apply any pending change, then plain dot products.
          if (pend >= 0) {
            applyPending(pend);
            pend = -1;
          }
          for (let t = 0; t < size; t++) cur[t] = dotAt(xt, (j0 + t) * N, R, 0, N);
        }
        // The coordinates in order; R has moved by δ_u X_u for the earlier ones of the block.
        let changed = false;
        for (let t = 0; t < size; t++) {
          const j = j0 + t;
          let v = cur[t];
          if (size === B) {
            const gb = 6 * b;
            if (t === 1) v += del[0] * g[gb];
            else if (t === 2) v += del[0] * g[gb + 1] + del[1] * g[gb + 3];
            else if (t === 3) v += del[0] * g[gb + 2] + del[1] * g[gb + 4] + del[2] * g[gb + 5];
          } else {
            for (let u = 0; u < t; u++) if (del[u] !== 0) v += del[u] * dotAt(xt, (j0 + u) * N, xt, j * N, N);
          }
          del[t] = 0;
          const n2 = norm2[j];
          if (n2 === 0) continue;
          // scikit-learn's update: tmp = X_jᵀ(R + w_j X_j), w_j ← sign(tmp) max(|tmp| − αN, 0)/‖X_j‖².
          const wj = w[j];
          if (wj === 0) {
            c[j] = v;
            since[j] = drift;
          }
          const tmp = v + wj * n2;
          const wNew = tmp > a ? (tmp - a) / n2 : tmp < -a ? (tmp + a) / n2 : 0;
          const aw = Math.abs(wNew);
          if (aw > wMax) wMax = aw;
          if (wNew === wj) continue;
          const delta = wj - wNew;
          w[j] = wNew;
          del[t] = delta;
          changed = true;
          const dw = Math.abs(delta);
          if (dw > dwMax) dwMax = dw;
          drift += dw * norm[j];
        }
        if (!changed) continue;
        if (size === B) {
          pend = b;
          p0 = del[0];
          p1 = del[1];
          p2 = del[2];
          p3 = del[3];
        } else {
          for (let t = 0; t < size; t++) {
            const dj = del[t];
            if (dj !== 0) for (let i = 0, q = (j0 + t) * N; i < N; i++) R[i] += dj * xt[q + i];
          }
        }
      }
      if (pend >= 0) {
        applyPending(pend);
        pend = -1;
      }
      if (o.onIteration) {
        let l1 = 0;
        for (let j = 0; j < d; j++) l1 += Math.abs(w[j]);
        o.onIteration(epoch + 1, sumSq(R) / (2 * N) + o.alpha * l1);
        if (W) R = W.r(); // the callback may have grown WebAssembly memory
      }
      if (wMax === 0 || dwMax / wMax < o.tol || epoch === o.maxIter - 1) {
        // The duality gap (the stopping rule); XᵀR also refreshes every screening reference.
        if (W) W.xtr(xtr);
        else gemvT(D.X.data, N, d, R, xtr);
        let dualNorm = 0, l1 = 0;
        for (let j = 0; j < d; j++) {
          const v = xtr[j];
          c[j] = v;
          since[j] = drift;
          if (Math.abs(v) > dualNorm) dualNorm = Math.abs(v);
          l1 += Math.abs(w[j]);
        }
        gap = dualGap(a, sumSq(R), dualNorm, dotAt(R, 0, y, 0, N), l1);
        if (gap < gapTol) {
          epoch++;
          break;
        }
      }
    }
    return { w, iterations: Math.min(epoch, o.maxIter), dualGap: gap / N };
  } finally {
    W?.dispose();
  }
}
