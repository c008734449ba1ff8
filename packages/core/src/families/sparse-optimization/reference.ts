import { transpose, type CsrMatrix, type Matrix } from '../../linalg/index.js';
import { prox1d } from './penalty.js';
import type { SparseOptimizationPenalty } from './schema.js';

/** The smooth part of F through what coordinate descent needs. */
interface Smooth {
  readonly n: number;
  /** Curvature ∂²f/∂x_j² (||A_j||² or H_jj). */
  readonly diag: Float64Array;
  /** ∂f/∂x_j at the current x. */
  grad(j: number): number;
  /** Records x_j += delta. */
  move(j: number, delta: number): void;
}

/** f = ½||Ax - b||², keeping the residual r = Ax - b; columns read from a transposed copy. */
function leastSquares(A: Matrix, b: Float64Array, x: Float64Array): Smooth {
  const { rows: m, cols: n } = A;
  const At = transpose(A).data;
  const r = new Float64Array(m);
  for (let j = 0; j < n; j++) if (x[j] !== 0) for (let i = 0; i < m; i++) r[i] += At[j * m + i] * x[j];
  for (let i = 0; i < m; i++) r[i] -= b[i];
  const diag = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += At[j * m + i] ** 2;
    diag[j] = s;
  }
  return {
    n,
    diag,
    grad(j) {
      let s = 0;
      const o = j * m;
      for (let i = 0; i < m; i++) s += At[o + i] * r[i];
      return s;
    },
    move(j, delta) {
      const o = j * m;
      for (let i = 0; i < m; i++) r[i] += delta * At[o + i];
    },
  };
}

/** f = ½xᵀHx - cᵀx with H symmetric (row j of H is column j), keeping w = Hx - c. */
function quadratic(H: CsrMatrix, c: Float64Array, x: Float64Array): Smooth {
  const n = H.rows;
  const w = new Float64Array(n);
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = -c[i];
    for (let t = H.indptr[i]; t < H.indptr[i + 1]; t++) {
      s += H.data[t] * x[H.indices[t]];
      if (H.indices[t] === i) diag[i] += H.data[t];
    }
    w[i] = s;
  }
  return {
    n,
    diag,
    grad: (j) => w[j],
    move(j, delta) {
      for (let t = H.indptr[j]; t < H.indptr[j + 1]; t++) w[H.indices[t]] += delta * H.data[t];
    },
  };
}

/** Options of {@link coordinateDescent}. */
export interface CdOptions {
  /** Stop when a full sweep moves no coordinate by more than tol·max(1, ||x||∞). */
  readonly tol: number;
  readonly maxSweeps: number;
}

/**
 * Cyclic coordinate descent with exact coordinate minimization (prox1d) and
 * an active-set inner loop: after each full sweep, sweep the nonzeros until
 * they settle, then check all coordinates again. For l1 it converges to the
 * Lasso optimum; for SCAD/MCP to a coordinate-wise minimum. Modifies `x` in
 * place and returns the number of coordinate sweeps (full and active).
 */
export function coordinateDescent(f: Smooth, pen: SparseOptimizationPenalty, x: Float64Array, opts: CdOptions): number {
  const { n, diag } = f;
  const update = (j: number): number => {
    const v = diag[j];
    if (!(v > 0)) return 0; // an all-zero column: x_j = 0 is optimal and stays 0
    const xj = x[j];
    const nx = prox1d(pen, xj - f.grad(j) / v, v);
    const d = nx - xj;
    if (d !== 0) {
      x[j] = nx;
      f.move(j, d);
    }
    // Scale the step by √v so the test is in units of the objective's geometry.
    return Math.abs(d) * Math.sqrt(v);
  };
  const scale = () => {
    let s = 1;
    for (let j = 0; j < n; j++) s = Math.max(s, Math.abs(x[j]) * Math.sqrt(diag[j]));
    return s;
  };
  let sweeps = 0;
  while (sweeps < opts.maxSweeps) {
    let big = 0;
    for (let j = 0; j < n; j++) big = Math.max(big, update(j));
    sweeps++;
    if (big <= opts.tol * scale()) break;
    const active: number[] = [];
    for (let j = 0; j < n; j++) if (x[j] !== 0) active.push(j);
    while (sweeps < opts.maxSweeps) {
      let inner = 0;
      for (const j of active) inner = Math.max(inner, update(j));
      sweeps++;
      if (inner <= opts.tol * scale()) break;
    }
  }
  return sweeps;
}

/** The smooth part for either form of the observation. */
export function smoothPart(obs: { A?: Matrix; b?: Float64Array; H?: CsrMatrix; c?: Float64Array }, x: Float64Array): Smooth {
  if (obs.A && obs.b) return leastSquares(obs.A, obs.b, x);
  if (obs.H && obs.c) return quadratic(obs.H, obs.c, x);
  throw new Error('sparse-optimization: the observation has neither (A, b) nor (H, c)');
}
