/**
 * The approximate regression solver of robust alternating minimization
 * (Gu, Song, Yin & Zhang 2023): a CountSketch of the small design matrix
 * gives a preconditioner R (the R factor of S A), and a few warm-started preconditioned
 * CG steps on the normal equations solve min_v ‖A v − b‖ to moderate accuracy.
 *
 * Internal module: not exported from the package.
 */
import { ParsimonyError, type LinalgBackend, type Matrix, type Rng } from '@parsimony/core';

/** Settings of {@link SketchedRegression}. */
export interface SketchedRegressionOptions {
  /** Columns of A (the rank k). */
  readonly k: number;
  /** CountSketch rows r (>= k). */
  readonly sketchRows: number;
  /** The largest number of rows of A (buffers are sized once). */
  readonly maxRows: number;
  /** q_max: CG iterations per regression. */
  readonly innerIter: number;
  /** ε_reg: stop when one CG step lowers ‖A v − b‖ by less than this fraction. */
  readonly innerTol: number;
  /** Start from the previous iterate (else from 0). */
  readonly warmStart: boolean;
  readonly rng: Rng;
  readonly linalg: LinalgBackend;
}

/**
 * Solves many small least-squares problems min_v ‖F_{rows} v − b‖ (F a
 * row-major factor with k columns), one after another, in preallocated
 * buffers. Counts its flops deterministically with the standard operation
 * counts (a multiply-add is 2 flops; the Gram matrix of r x k is r k(k+1),
 * a k x k Cholesky k³/3).
 */
export class SketchedRegression {
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly res: Float64Array;
  private readonly w: Float64Array;
  private readonly sa: Float64Array;
  /** Lower Cholesky factor of (SA)ᵀSA (= Rᵀ) of the current regression. */
  private l: Matrix;
  private readonly v: Float64Array;
  private readonly g: Float64Array;
  private readonly p: Float64Array;
  private readonly z: Float64Array;
  /** Flops since the last {@link SketchedRegression.takeFlops}. */
  private flops = 0;
  /** CG iterations run, in total. */
  cgIterations = 0;
  /** Regressions solved, in total. */
  solves = 0;

  constructor(private readonly o: SketchedRegressionOptions) {
    const { k, sketchRows: r, maxRows } = o;
    this.a = new Float64Array(maxRows * k);
    this.b = new Float64Array(maxRows);
    this.res = new Float64Array(maxRows);
    this.w = new Float64Array(maxRows);
    this.sa = new Float64Array(r * k);
    this.l = { rows: k, cols: k, data: new Float64Array(k * k) };
    this.v = new Float64Array(k);
    this.g = new Float64Array(k);
    this.p = new Float64Array(k);
    this.z = new Float64Array(k);
  }

  /** Returns the flops counted since the last call and resets the counter. */
  takeFlops(): number {
    const f = this.flops;
    this.flops = 0;
    return f;
  }

  /**
   * One regression: the rows of A are F's rows `other[ids[t]]`, b the values
   * `values[ids[t]]`, t in [start, end). The solution overwrites `x` (length
   * k), which also holds the warm start.
   */
  solve(F: Float64Array, ids: Int32Array, start: number, end: number, other: Int32Array, values: Float64Array, x: Float64Array): void {
    const { k, sketchRows: r, innerIter, innerTol, rng, linalg } = this.o;
    const { a, b, res, w, sa, v, p, z } = this;
    const s = end - start;
    this.solves++;
    if (s === 0) {
      x.fill(0);
      return;
    }
    for (let t = 0; t < s; t++) {
      const e = ids[start + t], of = other[e] * k, ot = t * k;
      for (let c = 0; c < k; c++) a[ot + c] = F[of + c];
      b[t] = values[e];
    }

    // 1-2. The preconditioner R, the R factor of S A for a CountSketch S (row t of A goes, with a
    //    random sign, to one of r rows), by CholeskyQR: L = chol((SA)ᵀSA) = Rᵀ up to signs. Only
    //    RᵀR = (SA)ᵀSA enters the preconditioned CG, so this is the preconditioner a Householder QR
    //    of S A gives, at r k(k+1) + k³/3 flops instead of 2rk² − 2k³/3.
    //    Deviation from paper: with s <= r rows there is nothing to compress, and collisions would
    //    only weaken the preconditioner, so S is a collision-free signed permutation: (SA)ᵀSA = AᵀA.
    let G: Matrix;
    if (s <= r) {
      G = linalg.gram({ rows: s, cols: k, data: a.subarray(0, s * k) });
      this.flops += s * k * (k + 1) + (k * k * k) / 3;
    } else {
      sa.fill(0);
      for (let t = 0; t < s; t++) {
        const h = rng.int(2 * r);
        const o = (h >> 1) * k, sign = h & 1 ? -1 : 1, ot = t * k;
        for (let c = 0; c < k; c++) sa[o + c] += sign * a[ot + c];
      }
      G = linalg.gram({ rows: r, cols: k, data: sa });
      this.flops += s * k + r * k * (k + 1) + (k * k * k) / 3;
    }
    let trace = 0;
    for (let c = 0; c < k; c++) trace += G.data[c * k + c];
    if (!(trace > 0)) {
      // S A = 0 means A = 0 (up to sign cancellations of measure zero): the least-norm solution is 0.
      x.fill(0);
      return;
    }
    try {
      this.l = linalg.cholesky(G);
    } catch (e) {
      if (!(e instanceof ParsimonyError)) throw e;
      // A rank-deficient sketch (fewer than k independent rows) only weakens the preconditioner.
      for (let c = 0; c < k; c++) G.data[c * k + c] += 1e-10 * (trace / k);
      this.l = linalg.cholesky(G);
      this.flops += (k * k * k) / 3;
    }

    // 3. Preconditioned CG on AᵀA v = Aᵀb from the warm start.
    if (this.o.warmStart) v.set(x);
    else v.fill(0);
    let rn2 = 0;
    for (let t = 0; t < s; t++) {
      const ot = t * k;
      let d = b[t];
      for (let c = 0; c < k; c++) d -= a[ot + c] * v[c];
      res[t] = d;
      rn2 += d * d;
    }
    this.flops += 2 * s * k + 2 * s;
    let rn = Math.sqrt(rn2);
    let gz = this.preconditionedGradient(s);
    p.set(z);
    // Below this the gradient is rounding noise: another step would divide noise by noise.
    const gzFloor = 1e-24 * gz;
    let it = 0;
    while (it < innerIter && rn > 0 && gz > gzFloor) {
      it++;
      // w = A p
      let ww = 0;
      for (let t = 0; t < s; t++) {
        const ot = t * k;
        let d = 0;
        for (let c = 0; c < k; c++) d += a[ot + c] * p[c];
        w[t] = d;
        ww += d * d;
      }
      this.flops += 2 * s * k + 2 * s;
      if (!(ww > 0)) break;
      const alpha = gz / ww;
      for (let c = 0; c < k; c++) v[c] += alpha * p[c];
      let nr2 = 0;
      for (let t = 0; t < s; t++) {
        res[t] -= alpha * w[t];
        nr2 += res[t] * res[t];
      }
      this.flops += 2 * k + 4 * s;
      const nr = Math.sqrt(nr2);
      // Stop when the step barely moved the residual (ε_reg), or at q_max.
      const done = rn - nr <= innerTol * rn || it === innerIter;
      rn = nr;
      if (done) break;
      const gzOld = gz;
      gz = this.preconditionedGradient(s);
      const beta = gz / gzOld;
      for (let c = 0; c < k; c++) p[c] = z[c] + beta * p[c];
      this.flops += 2 * k;
    }
    this.cgIterations += it;
    x.set(v);
  }

  /** g = Aᵀ res and z = (RᵀR)⁻¹ g (into this.z); returns gᵀz. */
  private preconditionedGradient(s: number): number {
    const { k, linalg } = this.o;
    const { a, res, g, z } = this;
    g.fill(0);
    for (let t = 0; t < s; t++) {
      const ot = t * k, rt = res[t];
      for (let c = 0; c < k; c++) g[c] += rt * a[ot + c];
    }
    z.set(linalg.choleskySolve(this.l, g));
    let gz = 0;
    for (let c = 0; c < k; c++) gz += g[c] * z[c];
    this.flops += 2 * s * k + 2 * k * k + 2 * k;
    return gz;
  }
}
