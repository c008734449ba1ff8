import { createRng, type Rng } from '../random/rng.js';
import { dot, matvec, nrm2 } from './blas.js';
import { assertInt, assertMatrix, assertSquare, assertSymmetric, assertFinite, badInput } from './check.js';
import type { Matrix } from './matrix.js';
import { eighKernel } from './eigh.js';
import { gemmStrided } from './gemm.js';

/** A symmetric linear operator: writes y = A x. */
export type SymmetricOperator = (x: Float64Array, y: Float64Array) => void;

/** Options of {@link lanczos}. */
export interface LanczosOptions {
  /** Which end of the spectrum (default 'largest'; 'magnitude' = largest |λ|). */
  readonly which?: 'largest' | 'smallest' | 'magnitude';
  /** Converged when each residual ‖A v - λ v‖ <= tol · ‖A‖ (estimated; default 1e-10). */
  readonly tol?: number;
  /** Basis size at which the method restarts (default min(n, max(3k, k + 30))). */
  readonly maxBasis?: number;
  /** Restart cap (default 200); past it the result has `converged: false`. */
  readonly maxRestarts?: number;
  /** Start-vector stream (default: a fixed seed). */
  readonly rng?: Rng;
}

/** The result of {@link lanczos}: k eigenpairs, most wanted first. */
export interface LanczosResult {
  readonly values: Float64Array;
  /** n x k, column j the unit eigenvector of values[j]. */
  readonly vectors: Matrix;
  /** Matrix-vector products used. */
  readonly matvecs: number;
  /** True when every residual met `tol`. */
  readonly converged: boolean;
}

/** w -= Q Qᵀ w for the first `rows` basis vectors (rows of q). */
function orthogonalize(q: Float64Array, rows: number, n: number, w: Float64Array): void {
  for (let i = 0; i < rows; i++) {
    const qi = q.subarray(i * n, (i + 1) * n);
    const c = dot(qi, w);
    for (let t = 0; t < n; t++) w[t] -= c * qi[t];
  }
}

function pick(theta: Float64Array, which: 'largest' | 'smallest' | 'magnitude', k: number): number[] {
  const idx = Array.from(theta, (_, i) => i);
  if (which === 'largest') idx.sort((a, b) => theta[b] - theta[a]);
  else if (which === 'smallest') idx.sort((a, b) => theta[a] - theta[b]);
  else idx.sort((a, b) => Math.abs(theta[b]) - Math.abs(theta[a]));
  return idx.slice(0, k);
}

/**
 * The k extreme eigenpairs of a symmetric matrix or operator: Lanczos with
 * full reorthogonalization and thick restarts (Wu & Simon, SIAM J. Matrix
 * Anal. Appl. 22(2), 2000). The Ritz pairs come from the exact projection
 * H = QᵀAQ of the current basis; when the basis reaches `maxBasis`, the
 * best Ritz vectors are kept and the Krylov sequence continues from the
 * last residual. Only mat-vecs touch A, so a {@link SymmetricOperator}
 * works for matrices never formed. A single-vector method finds a repeated
 * eigenvalue late; for small dense matrices use {@link eigh}.
 *
 * @param A - n x n symmetric matrix, or an operator with `options.n` given
 * @param k - number of eigenpairs, 1 <= k <= n
 * @param options - `which`, `tol`, `maxBasis`, `maxRestarts`, `rng`, and `n` for an operator
 * @returns values (most wanted first), vectors (columns), matvecs, converged
 * @example
 * lanczos(A, 3).values; // the 3 largest eigenvalues of A
 */
export function lanczos(A: Matrix | SymmetricOperator, k: number, options: LanczosOptions & { n?: number } = {}): LanczosResult {
  let n: number;
  let op: SymmetricOperator;
  if (typeof A === 'function') {
    n = options.n ?? -1;
    assertInt('lanczos', 'options.n', n, 1, Number.MAX_SAFE_INTEGER);
    op = A;
  } else {
    assertMatrix('lanczos', 'A', A);
    assertSquare('lanczos', 'A', A);
    assertFinite('lanczos', 'A', A);
    assertSymmetric('lanczos', 'A', A);
    n = A.rows;
    op = (x, y) => void matvec(A, x, false, y);
  }
  assertInt('lanczos', 'k', k, n === 0 ? 0 : 1, n);
  const which = options.which ?? 'largest';
  if (which !== 'largest' && which !== 'smallest' && which !== 'magnitude') {
    throw badInput(`lanczos: options.which must be 'largest', 'smallest' or 'magnitude', got '${String(which)}'`, 'options.which');
  }
  const tol = options.tol ?? 1e-10;
  const m = Math.min(n, options.maxBasis ?? Math.max(3 * k, k + 30));
  assertInt('lanczos', 'options.maxBasis', m, k, n);
  const maxRestarts = options.maxRestarts ?? 200;
  const rng = options.rng ?? createRng('linalg/lanczos', 0);
  const empty = (): LanczosResult => ({ values: new Float64Array(0), vectors: { rows: n, cols: 0, data: new Float64Array(0) }, matvecs: 0, converged: true });
  if (k === 0) return empty();
  // Basis Q and A Q as rows (m x n); H = QᵀAQ (m x m, dense).
  const q = new Float64Array(m * n), aq = new Float64Array(m * n), h = new Float64Array(m * m);
  const w = new Float64Array(n);
  const start = (j: number): void => {
    // A fresh random direction orthogonal to the basis (start, or an invariant subspace).
    const v = q.subarray(j * n, (j + 1) * n);
    rng.fillNormal(v);
    orthogonalize(q, j, n, v);
    orthogonalize(q, j, n, v);
    const nv = nrm2(v);
    for (let t = 0; t < n; t++) v[t] /= nv;
  };
  start(0);
  let j = 0, matvecs = 0, restarts = 0, anorm = 0;
  for (;;) {
    // Extend: w = A q_j, H's new column, then the orthogonal residual.
    const qj = q.subarray(j * n, (j + 1) * n);
    op(qj, w);
    matvecs++;
    aq.set(w, j * n);
    for (let i = 0; i <= j; i++) {
      const c = dot(q.subarray(i * n, (i + 1) * n), w);
      h[i * m + j] = c;
      h[j * m + i] = c;
    }
    anorm = Math.max(anorm, Math.abs(h[j * m + j]));
    orthogonalize(q, j + 1, n, w);
    // "Twice is enough" (Parlett): a second pass removes what rounding left.
    orthogonalize(q, j + 1, n, w);
    const beta = nrm2(w);
    anorm = Math.max(anorm, beta);
    j++;
    const full = j === m;
    // Rayleigh-Ritz costs O(j³): do it every few steps, and always before a restart.
    const every = Math.max(1, Math.floor((m - k) / 8));
    if (full || beta <= 1e-14 * anorm || (j >= k + 1 && (j - k - 1) % every === 0)) {
      // Rayleigh-Ritz on the basis.
      const H: Matrix = { rows: j, cols: j, data: new Float64Array(j * j) };
      for (let r = 0; r < j; r++) H.data.set(h.subarray(r * m, r * m + j), r * j);
      const { values: theta, vectors: Y } = eighKernel(H);
      const chosen = pick(theta, which, Math.min(k, j));
      // Exact residuals ‖(AQ)ᵀ y - θ Qᵀ y‖ of the chosen Ritz pairs.
      const x = new Float64Array(n), ax = new Float64Array(n);
      let conv = chosen.length === k;
      const ritz = (c: number, out: Float64Array, src: Float64Array): void => {
        out.fill(0);
        for (let r = 0; r < j; r++) {
          const y = Y.data[r * j + c];
          if (y === 0) continue;
          const o = r * n;
          for (let t = 0; t < n; t++) out[t] += y * src[o + t];
        }
      };
      for (const c of chosen) {
        if (!conv) break;
        ritz(c, x, q);
        ritz(c, ax, aq);
        let rr = 0;
        for (let t = 0; t < n; t++) rr += (ax[t] - theta[c] * x[t]) ** 2;
        if (Math.sqrt(rr) > tol * Math.max(anorm, 1e-300)) conv = false;
      }
      if (conv || (full && restarts >= maxRestarts) || (j === n && chosen.length === k)) {
        const vals = new Float64Array(k), vec = new Float64Array(n * k);
        chosen.forEach((c, col) => {
          vals[col] = theta[c];
          ritz(c, x, q);
          for (let t = 0; t < n; t++) vec[t * k + col] = x[t];
        });
        return { values: vals, vectors: { rows: n, cols: k, data: vec }, matvecs, converged: conv || j === n };
      }
      if (full) {
        // Thick restart: keep the best Ritz vectors (Q := Q Y, AQ := AQ Y, H := diag θ).
        restarts++;
        const keep = Math.min(m - 1, Math.max(k, Math.floor((m + k) / 2)));
        const order = pick(theta, which, keep);
        const yk = new Float64Array(keep * j);
        order.forEach((c, r) => {
          for (let i = 0; i < j; i++) yk[r * j + i] = Y.data[i * j + c];
        });
        const nq = new Float64Array(keep * n), naq = new Float64Array(keep * n);
        gemmStrided(false, false, keep, n, j, 1, yk, 0, j, q, 0, n, 0, nq, 0, n);
        gemmStrided(false, false, keep, n, j, 1, yk, 0, j, aq, 0, n, 0, naq, 0, n);
        q.set(nq);
        aq.set(naq);
        h.fill(0);
        order.forEach((c, r) => (h[r * m + r] = theta[c]));
        j = keep;
      }
    }
    if (j < m) {
      if (beta <= 1e-14 * anorm) start(j);
      else {
        const next = q.subarray(j * n, (j + 1) * n);
        for (let t = 0; t < n; t++) next[t] = w[t] / beta;
        // Restarted bases are not exactly orthogonal to w's history: clean once more.
        orthogonalize(q, j, n, next);
        const nn = nrm2(next);
        for (let t = 0; t < n; t++) next[t] /= nn;
      }
    }
  }
}

/** Options of {@link powerIteration}. */
export interface PowerIterationOptions {
  /** Stop when the eigenvalue estimate changes by less than tol relative (default 1e-12). */
  readonly tol?: number;
  /** Iteration cap (default 1000). */
  readonly maxIter?: number;
  /** Start-vector stream (default: a fixed seed). */
  readonly rng?: Rng;
}

/**
 * The dominant (largest |λ|) eigenpair of a symmetric matrix by power
 * iteration with Rayleigh-quotient estimates. Converges like |λ₂/λ₁|^k;
 * prefer {@link lanczos} when the gap is small or several pairs are needed.
 *
 * @param A - n x n symmetric, finite
 * @param options - `tol`, `maxIter`, `rng`
 * @returns value, vector (unit), iterations
 * @example
 * powerIteration(Matrix.fromRows([[2, 0], [0, 1]])).value; // => 2
 */
export function powerIteration(A: Matrix, options: PowerIterationOptions = {}): { value: number; vector: Float64Array; iterations: number } {
  assertMatrix('powerIteration', 'A', A);
  assertSquare('powerIteration', 'A', A);
  assertFinite('powerIteration', 'A', A);
  assertSymmetric('powerIteration', 'A', A);
  const tol = options.tol ?? 1e-12;
  const maxIter = options.maxIter ?? 1000;
  assertInt('powerIteration', 'options.maxIter', maxIter, 1, Number.MAX_SAFE_INTEGER);
  const n = A.rows;
  if (n === 0) return { value: 0, vector: new Float64Array(0), iterations: 0 };
  const rng = options.rng ?? createRng('linalg/powerIteration', 0);
  let x: Float64Array = rng.fillNormal(new Float64Array(n));
  let y: Float64Array = new Float64Array(n);
  let nx = nrm2(x);
  for (let i = 0; i < n; i++) x[i] /= nx;
  let lambda = 0;
  let it = 0;
  while (it < maxIter) {
    it++;
    matvec(A, x, false, y);
    const next = dot(x, y);
    nx = nrm2(y);
    if (nx === 0) return { value: 0, vector: x, iterations: it };
    for (let i = 0; i < n; i++) y[i] /= nx;
    [x, y] = [y, x];
    const done = Math.abs(next - lambda) <= tol * Math.abs(next);
    lambda = next;
    if (done) break;
  }
  return { value: lambda, vector: x, iterations: it };
}
