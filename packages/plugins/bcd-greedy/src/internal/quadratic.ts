/**
 * The smooth quadratic f(x) = ½xᵀHx - cᵀx as block coordinate descent sees
 * it: the iterate, a gradient kept up to date after each block step, the
 * curvatures L_i = H_ii and block Hessians. Three storages: a dense H (the
 * Gram matrix AᵀA, or a dense SPD system), a sparse symmetric H in CSR, and
 * the residual form for least squares without a Gram matrix (paper 21's
 * scale task), where the gradient outside the block goes stale between
 * refreshes.
 */
import { ParsimonyError, csrMatvec, dot, matvec, transpose, type CsrMatrix, type Matrix } from '@parsimony/core';

/** The state every block method reads and moves. */
export interface BlockQuadratic {
  /** Unknowns. */
  readonly n: number;
  /** The iterate (starts at 0). */
  readonly x: Float64Array;
  /** ∇f(x) = Hx - c; exact after every move, except outside the moved block in residual mode (see {@link stale}). */
  readonly g: Float64Array;
  /** L_i = H_ii, all > 0. */
  readonly diag: Float64Array;
  /** The linear term c (∇f(0) = -c). */
  readonly c: Float64Array;
  /** True in residual mode: g outside the last blocks is only exact after {@link refresh}. */
  readonly stale: boolean;
  /** H as CSR, when it is sparse (for graph algorithms). */
  readonly csr?: CsrMatrix;
  /** H_ij. */
  entry(i: number, j: number): number;
  /** Makes g exact on the first k entries of idx (a no-op except in residual mode). */
  sync(idx: Int32Array, k: number): void;
  /** x_b += d for the first k entries of idx, and g follows: g += H[:, b]·d. */
  move(idx: Int32Array, k: number, d: Float64Array): void;
  /** Recomputes g from x (drift control, or the refresh of residual mode). */
  refresh(): void;
  /** ||g||² (kept up to date in CSR mode, a pass over g otherwise). */
  gradNorm2(): number;
  /** f(x) - f(0) = ½xᵀHx - cᵀx. */
  objective(): number;
}

function checkDiag(diag: Float64Array, what: string): void {
  for (let i = 0; i < diag.length; i++) {
    if (!(diag[i] > 0)) {
      throw new ParsimonyError(
        'PARSIMONY_BAD_INPUT',
        `bcd-greedy: ${what} has H[${i}][${i}] = ${diag[i]}; block coordinate descent needs a positive diagonal (H symmetric positive definite)`,
        'observation',
      );
    }
  }
}

/** Dense symmetric H (n x n): a move costs O(n·k). */
class DenseQuadratic implements BlockQuadratic {
  readonly x: Float64Array;
  readonly g: Float64Array;
  readonly diag: Float64Array;
  readonly stale = false;
  private readonly h: Float64Array;

  constructor(
    private readonly H: Matrix,
    readonly c: Float64Array,
  ) {
    const n = H.rows;
    this.h = H.data as Float64Array;
    this.x = new Float64Array(n);
    this.g = c.map((v) => -v);
    this.diag = new Float64Array(n);
    for (let i = 0; i < n; i++) this.diag[i] = this.h[i * n + i];
    checkDiag(this.diag, 'the dense system');
  }

  get n(): number {
    return this.H.rows;
  }

  sync(): void {
    // g is exact after every move: nothing to refresh.
  }

  entry(i: number, j: number): number {
    return this.h[i * this.H.rows + j];
  }

  move(idx: Int32Array, k: number, d: Float64Array): void {
    const { h, g, x } = this, n = this.H.rows;
    for (let q = 0; q < k; q++) {
      const dj = d[q];
      if (dj === 0) continue;
      const j = idx[q], off = j * n;
      x[j] += dj;
      // Row j of the symmetric H is its column j.
      for (let i = 0; i < n; i++) g[i] += dj * h[off + i];
    }
  }

  refresh(): void {
    matvec(this.H, this.x, false, this.g);
    for (let i = 0; i < this.g.length; i++) this.g[i] -= this.c[i];
  }

  gradNorm2(): number {
    return dot(this.g, this.g);
  }

  objective(): number {
    let s = 0;
    for (let i = 0; i < this.x.length; i++) s += this.x[i] * (this.g[i] - this.c[i]);
    return 0.5 * s;
  }
}

/** Sparse symmetric H in CSR: a move costs O(k·row length), and ||g||² is kept incrementally. */
class CsrQuadratic implements BlockQuadratic {
  readonly x: Float64Array;
  readonly g: Float64Array;
  readonly diag: Float64Array;
  readonly stale = false;
  private gg = 0;
  /** The largest ||g||² since gg was last summed afresh: the scale of its rounding error. */
  private ggScale = 0;

  constructor(
    readonly csr: CsrMatrix,
    readonly c: Float64Array,
  ) {
    const n = csr.rows;
    this.x = new Float64Array(n);
    this.g = c.map((v) => -v);
    this.gg = this.ggScale = dot(this.g, this.g);
    this.diag = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let t = csr.indptr[i]; t < csr.indptr[i + 1]; t++) if (csr.indices[t] === i) this.diag[i] += csr.data[t];
    checkDiag(this.diag, 'the sparse system');
  }

  get n(): number {
    return this.csr.rows;
  }

  sync(): void {
    // g is exact after every move: nothing to refresh.
  }

  entry(i: number, j: number): number {
    const { indptr, indices, data } = this.csr;
    // Binary search: the columns of a CSR row are sorted.
    let lo = indptr[i], hi = indptr[i + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1, col = indices[mid];
      if (col === j) return data[mid];
      if (col < j) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  move(idx: Int32Array, k: number, d: Float64Array): void {
    const { indptr, indices, data } = this.csr, { g, x } = this;
    let gg = this.gg;
    for (let q = 0; q < k; q++) {
      const dj = d[q];
      if (dj === 0) continue;
      const j = idx[q];
      x[j] += dj;
      for (let t = indptr[j]; t < indptr[j + 1]; t++) {
        const i = indices[t], old = g[i], nw = old + dj * data[t];
        g[i] = nw;
        gg += nw * nw - old * old;
      }
    }
    // Cancellation can push the running sum below 0 near convergence; callers refresh before trusting a small value.
    this.gg = Math.max(gg, 0);
  }

  refresh(): void {
    csrMatvec(this.csr, this.x, false, this.g);
    for (let i = 0; i < this.g.length; i++) this.g[i] -= this.c[i];
    this.gg = this.ggScale = dot(this.g, this.g);
  }

  /** The running sum errs by ~1e-16 of the largest value it held: it is summed afresh once it has fallen 10⁴-fold. */
  gradNorm2(): number {
    this.ggScale = Math.max(this.ggScale, this.gg);
    if (this.gg < 1e-4 * this.ggScale) this.gg = this.ggScale = dot(this.g, this.g);
    return this.gg;
  }

  objective(): number {
    let s = 0;
    for (let i = 0; i < this.x.length; i++) s += this.x[i] * (this.g[i] - this.c[i]);
    return 0.5 * s;
  }
}

/**
 * f = ½||Ax - b||² - ½||b||² without forming AᵀA: the residual r = Ax - b is
 * kept (O(m·k) per move), the moved block's gradient entries are recomputed
 * exactly, and the rest of g is refreshed (O(mn)) when the caller asks.
 */
class ResidualQuadratic implements BlockQuadratic {
  readonly x: Float64Array;
  readonly g: Float64Array;
  readonly diag: Float64Array;
  readonly c: Float64Array;
  readonly stale = true;
  private readonly at: Float64Array;
  private readonly At: Matrix;
  private readonly r: Float64Array;
  private readonly m: number;

  constructor(
    A: Matrix,
    private readonly b: Float64Array,
  ) {
    const { rows: m, cols: n } = A;
    this.m = m;
    // Columns of A stored contiguously: every per-column product below is a unit-stride dot.
    this.At = transpose(A);
    this.at = this.At.data as Float64Array;
    this.x = new Float64Array(n);
    this.r = b.map((v) => -v);
    this.c = matvec(this.At, b);
    this.g = this.c.map((v) => -v);
    this.diag = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = j * m; i < (j + 1) * m; i++) s += this.at[i] * this.at[i];
      this.diag[j] = s;
    }
    checkDiag(this.diag, 'AᵀA (an all-zero column of A)');
  }

  get n(): number {
    return this.x.length;
  }

  entry(i: number, j: number): number {
    const { at, m } = this;
    let s = 0;
    for (let t = 0; t < m; t++) s += at[i * m + t] * at[j * m + t];
    return s;
  }

  sync(idx: Int32Array, k: number): void {
    const { at, m, r, g } = this;
    for (let q = 0; q < k; q++) {
      const off = idx[q] * m;
      let s = 0;
      for (let t = 0; t < m; t++) s += at[off + t] * r[t];
      g[idx[q]] = s;
    }
  }

  move(idx: Int32Array, k: number, d: Float64Array): void {
    const { at, m, r, x } = this;
    for (let q = 0; q < k; q++) {
      const dj = d[q];
      if (dj === 0) continue;
      const j = idx[q], off = j * m;
      x[j] += dj;
      for (let t = 0; t < m; t++) r[t] += dj * at[off + t];
    }
    this.sync(idx, k);
  }

  refresh(): void {
    matvec(this.At, this.r, false, this.g);
  }

  gradNorm2(): number {
    return dot(this.g, this.g);
  }

  objective(): number {
    return 0.5 * dot(this.r, this.r) - 0.5 * dot(this.b, this.b);
  }
}

/** A dense symmetric H with its linear term. */
export function denseQuadratic(H: Matrix, c: Float64Array): BlockQuadratic {
  return new DenseQuadratic(H, c);
}

/** A sparse symmetric H (CSR) with its linear term. */
export function csrQuadratic(H: CsrMatrix, c: Float64Array): BlockQuadratic {
  return new CsrQuadratic(H, c);
}

/** ½||Ax - b||² kept through its residual, no Gram matrix. */
export function residualQuadratic(A: Matrix, b: Float64Array): BlockQuadratic {
  return new ResidualQuadratic(A, b);
}
