/**
 * Helpers of the low-rank baselines (SVT, SoftImpute): a matrix known only
 * through block products — a sparse part on the observed set Ω plus a
 * low-rank part U diag(d) Vᵀ — and a warm-startable partial SVD of such an
 * operator by subspace iteration with Rayleigh-Ritz (Halko, Martinsson &
 * Tropp 2011, Alg. 4.4 + 5.1; QR and the small SVD come from core), plus the
 * input checks the completion solvers share.
 *
 * Internal module: not exported from the package.
 */
import { ParsimonyError, type LinalgBackend, type Matrix, type MatrixCompletionObservation, type Rng } from '@parsimony/core';
import { groupBy, type Groups } from './completion.js';

// ==========================================================================
// Operators
// ==========================================================================

/** A rows x cols matrix given by its block products (all buffers row-major). */
export interface BlockOperator {
  readonly rows: number;
  readonly cols: number;
  /** out (rows x b) = A B, for B cols x b. */
  mul(B: Float64Array, b: number, out: Float64Array): void;
  /** out (cols x b) = Aᵀ B, for B rows x b. */
  mulT(B: Float64Array, b: number, out: Float64Array): void;
}

/** A low-rank term U diag(d) Vᵀ: U rows x r, V cols x r (row-major buffers). */
export interface LowRankTerm {
  readonly r: number;
  readonly U: Float64Array;
  readonly d: Float64Array;
  readonly V: Float64Array;
}

/** out (p x b) += X diag(d) (Yᵀ B), X p x r, Y q x r, B q x b; `t` (r x b) is scratch. */
function addLowRankProduct(X: Float64Array, d: Float64Array, Y: Float64Array, r: number, p: number, q: number, B: Float64Array, b: number, out: Float64Array, t: Float64Array): void {
  t.fill(0, 0, r * b);
  for (let row = 0; row < q; row++) {
    const oy = row * r, ob = row * b;
    for (let a = 0; a < r; a++) {
      const y = Y[oy + a];
      if (y === 0) continue;
      const ot = a * b;
      for (let c = 0; c < b; c++) t[ot + c] += y * B[ob + c];
    }
  }
  for (let a = 0; a < r; a++) {
    const ot = a * b, da = d[a];
    for (let c = 0; c < b; c++) t[ot + c] *= da;
  }
  for (let row = 0; row < p; row++) {
    const ox = row * r, oo = row * b;
    for (let a = 0; a < r; a++) {
      const x = X[ox + a];
      if (x === 0) continue;
      const ot = a * b;
      for (let c = 0; c < b; c++) out[oo + c] += x * t[ot + c];
    }
  }
}

/** The observed positions of a rows x cols matrix, grouped by row and by column once. */
export interface Pattern {
  readonly rows: number;
  readonly cols: number;
  readonly i: Int32Array;
  readonly j: Int32Array;
  readonly byRow: Groups;
  readonly byCol: Groups;
  /** Operators are formed densely (at least a quarter of the entries observed). */
  readonly dense: boolean;
}

/**
 * Groups the positions (i[t], j[t]) by row and by column, and decides the
 * storage: dense once 4|Ω| >= rows·cols, where a dense GEMM (about 4x
 * cheaper per entry than the indexed sparse loop, measured at 300 x 300) is
 * faster than touching only the observed entries.
 */
export function patternOf(rows: number, cols: number, i: Int32Array, j: Int32Array): Pattern {
  return { rows, cols, i, j, byRow: groupBy(i, rows), byCol: groupBy(j, cols), dense: 4 * i.length >= rows * cols };
}

/** A row-major buffer as a Matrix. */
const asMatrix = (rows: number, cols: number, data: Float64Array): Matrix => ({ rows, cols, data });

/**
 * S + U diag(d) Vᵀ as a {@link BlockOperator}, S the sparse matrix with value
 * s[t] at (i[t], j[t]): SoftImpute's P_Ω(X − Z) + Z (Mazumder et al. 2010,
 * Sec. 5.1) and SVT's Y (no low-rank part). Treat it as a snapshot (the
 * dense form copies s and the term): build a new one after changing either.
 * Sparse storage costs |Ω| b + (rows + cols) r b
 * multiply-adds a product, the entries visited row by row for A B and
 * column by column for Aᵀ B so every output row is accumulated in one place
 * (measured 2x faster than scattering); dense storage (see {@link patternOf})
 * forms the matrix once (rows·cols·r, or takes over `full`, the dense low-rank
 * term from {@link termOnPattern}) and multiplies by `linalg.matmul`.
 */
export function sparsePlusLowRank(pattern: Pattern, s: Float64Array, low: LowRankTerm | undefined, linalg: LinalgBackend, full?: Matrix): BlockOperator {
  const { rows, cols, i, j, byRow, byCol } = pattern;
  const lr = low && low.r > 0 ? low : undefined;
  if (pattern.dense) {
    // `full` (the dense U diag(d) Vᵀ from termOnPattern) is taken over and modified.
    const A = full ?? fullTerm(lr, rows, cols, linalg);
    const a = A.data as Float64Array;
    for (let t = 0; t < s.length; t++) a[i[t] * cols + j[t]] += s[t];
    return denseOperator(A, linalg);
  }
  let scratch = new Float64Array(0);
  const tmp = (len: number): Float64Array => (scratch.length >= len ? scratch : (scratch = new Float64Array(len)));
  // out[g, :] = Σ_{t in group g} s[t] B[other[t], :].
  const grouped = (groups: Groups, count: number, other: Int32Array, B: Float64Array, b: number, out: Float64Array): void => {
    const { ptr, ids } = groups;
    for (let g = 0; g < count; g++) {
      const oo = g * b;
      out.fill(0, oo, oo + b);
      for (let q = ptr[g]; q < ptr[g + 1]; q++) {
        const t = ids[q], v = s[t], ob = other[t] * b;
        for (let c = 0; c < b; c++) out[oo + c] += v * B[ob + c];
      }
    }
  };
  return {
    rows,
    cols,
    mul(B, b, out) {
      grouped(byRow, rows, j, B, b, out);
      if (lr) addLowRankProduct(lr.U, lr.d, lr.V, lr.r, rows, cols, B, b, out, tmp(lr.r * b));
    },
    mulT(B, b, out) {
      grouped(byCol, cols, i, B, b, out);
      if (lr) addLowRankProduct(lr.V, lr.d, lr.U, lr.r, cols, rows, B, b, out, tmp(lr.r * b));
    },
  };
}

/** A dense matrix as a {@link BlockOperator} (`linalg.matmul`); it reads A at every product, so A may be updated in place. */
export function denseOperator(A: Matrix, linalg: LinalgBackend): BlockOperator {
  const { rows, cols } = A;
  return {
    rows,
    cols,
    mul: (B, b, out) => out.set(linalg.matmul(A, asMatrix(cols, b, B)).data),
    mulT: (B, b, out) => out.set(linalg.matmul(A, asMatrix(rows, b, B), { transA: true }).data),
  };
}

/** U diag(d) Vᵀ as a dense rows x cols matrix (one GEMM; zeros without a term). */
function fullTerm(low: LowRankTerm | undefined, rows: number, cols: number, linalg: LinalgBackend): Matrix {
  if (!low || low.r === 0) return asMatrix(rows, cols, new Float64Array(rows * cols));
  const Ud = new Float64Array(rows * low.r);
  for (let t = 0; t < Ud.length; t++) Ud[t] = low.U[t] * low.d[t % low.r];
  return linalg.matmul(asMatrix(rows, low.r, Ud), asMatrix(cols, low.r, low.V), { transB: true });
}

/**
 * Z = U diag(d) Vᵀ at the observed entries, into `out`. With a dense pattern
 * Z is formed whole by one GEMM and gathered (about 10x faster than |Ω|
 * short dot products at 300 x 300), and returned so that the next
 * {@link sparsePlusLowRank} can take it over; otherwise O(|Ω| r) dots.
 */
export function termOnPattern(low: LowRankTerm, pattern: Pattern, linalg: LinalgBackend, out: Float64Array): Matrix | undefined {
  if (!pattern.dense) {
    lowRankAt(low, pattern.i, pattern.j, out);
    return undefined;
  }
  const Z = fullTerm(low, pattern.rows, pattern.cols, linalg);
  const { i, j, cols } = pattern, z = Z.data;
  for (let t = 0; t < out.length; t++) out[t] = z[i[t] * cols + j[t]];
  return Z;
}

// ==========================================================================
// Partial SVD
// ==========================================================================

/** Options of {@link partialSvd}. */
export interface PartialSvdOptions {
  /** Kernels: qr, svd, matmul. */
  readonly linalg: LinalgBackend;
  /** Fills the start block beyond `start` (and the dense fallback never uses it). */
  readonly rng: Rng;
  /** A previous right basis (cols x l₀) to start from: the warm start. */
  readonly start?: Matrix;
  /** Extra columns beyond k (default 5). */
  readonly oversample?: number;
  /** Converged when ‖A v_j − σ_j u_j‖ <= tol σ₁ for the wanted triplets (default 1e-9). */
  readonly tol?: number;
  /** Only triplets with σ_j > threshold must converge (default: all k). */
  readonly threshold?: number;
  /** Subspace iterations at most (default 20). */
  readonly maxIter?: number;
}

/** k leading singular triplets, and the right basis to warm-start the next call. */
export interface PartialSvdResult {
  /** rows x k, orthonormal columns. */
  readonly U: Matrix;
  /** k singular values, descending. */
  readonly s: Float64Array;
  /** cols x k, orthonormal columns. */
  readonly V: Matrix;
  /** cols x l (l >= k) right Ritz vectors. */
  readonly basis: Matrix;
  /** Block products with A (each a product and a transposed product counts 2). */
  readonly products: number;
}

/** The first k columns of a row-major rows x c buffer. */
export function leadingColumns(M: Matrix, k: number): Matrix {
  if (M.cols === k) return M;
  const out = new Float64Array(M.rows * k);
  for (let r = 0; r < M.rows; r++) out.set(M.data.subarray(r * M.cols, r * M.cols + k), r * k);
  return { rows: M.rows, cols: k, data: out };
}

/**
 * The k largest singular triplets of a {@link BlockOperator}: block subspace
 * iteration with Rayleigh-Ritz (Halko, Martinsson & Tropp 2011, Alg. 4.4
 * with Alg. 5.1 as the Ritz step) on l = k + oversample columns, started
 * from `start` (warm) padded with Gaussian columns. Each sweep is
 * Y = A V, Q = qr(Y), W = Aᵀ Q = Ũ Σ Ṽᵀ, then U = Q Ṽ, V = Ũ; the next Y
 * gives the residuals ‖A v_j − σ_j u_j‖ for free (‖Aᵀ u_j − σ_j v_j‖ is 0 by
 * construction). When l is at least half of min(rows, cols) the operator is
 * formed densely and core's full SVD is used instead (exact, and cheaper).
 */
export function partialSvd(op: BlockOperator, k: number, options: PartialSvdOptions): PartialSvdResult {
  const { rows: m, cols: n } = op;
  const { linalg, rng } = options;
  const kmax = Math.min(m, n);
  k = Math.max(1, Math.min(k, kmax));
  const l = Math.min(k + (options.oversample ?? 5), kmax);
  const tol = options.tol ?? 1e-9, maxIter = options.maxIter ?? 20;
  const threshold = options.threshold ?? -Infinity;

  if (2 * l >= kmax) {
    // Dense: A = A I, then the full thin SVD.
    const eye = new Float64Array(n * n);
    for (let c = 0; c < n; c++) eye[c * n + c] = 1;
    const A = new Float64Array(m * n);
    op.mul(eye, n, A);
    const { U, s, V } = linalg.svd({ rows: m, cols: n, data: A });
    return { U: leadingColumns(U, k), s: s.slice(0, k), V: leadingColumns(V, k), basis: leadingColumns(V, l), products: 1 };
  }

  // Start block: the warm basis, then Gaussian columns.
  let V: Matrix = { rows: n, cols: l, data: new Float64Array(n * l) };
  const warm = options.start && options.start.rows === n ? Math.min(options.start.cols, l) : 0;
  for (let r = 0; r < n; r++) {
    const o = r * l;
    for (let c = 0; c < warm; c++) V.data[o + c] = options.start!.data[r * options.start!.cols + c];
    for (let c = warm; c < l; c++) V.data[o + c] = rng.normal();
  }
  const Y = new Float64Array(m * l), W = new Float64Array(n * l);
  let U: Matrix | undefined, s: Float64Array = new Float64Array(0);
  let products = 0;
  for (let it = 0; ; it++) {
    // The residual check needs one more product; past the sweep budget, skip it.
    if (U && it >= maxIter) break;
    op.mul(V.data, l, Y);
    products++;
    if (U) {
      // Residuals of the wanted triplets against the largest singular value.
      const bound = tol * Math.max(s[0], 1e-300);
      let ok = true;
      for (let c = 0; c < k && ok; c++) {
        if (!(s[c] > threshold) && c > 0) break;
        let rr = 0;
        for (let r = 0; r < m; r++) rr += (Y[r * l + c] - s[c] * U.data[r * l + c]) ** 2;
        ok = Math.sqrt(rr) <= bound;
      }
      if (ok) break;
    }
    const Q = linalg.qr({ rows: m, cols: l, data: Y }).Q;
    op.mulT(Q.data, l, W);
    products++;
    const small = linalg.svd({ rows: n, cols: l, data: W });
    U = linalg.matmul(Q, small.V);
    s = small.s;
    V = small.U;
  }
  return { U: leadingColumns(U!, k), s: s.slice(0, k), V: leadingColumns(V, k), basis: V, products };
}

/** Options of {@link svdAbove}: those of {@link partialSvd} and the rank search. */
export interface SvdAboveOptions extends Omit<PartialSvdOptions, 'threshold'> {
  /** Triplets computed first (at least 1). */
  readonly initial: number;
  /** Added when the last computed singular value is still above the threshold (SVT's ℓ). */
  readonly increment: number;
  /** At most this many triplets (default min(rows, cols)). */
  readonly maxRank?: number;
}

/**
 * Every singular triplet with σ > threshold, as SVT's Alg. 1 (lines 4-8)
 * finds them: compute s = `initial` triplets; while the s-th is still above
 * the threshold, s += `increment` and recompute (warm-started). Returns the
 * triplets (the first `count` are above the threshold) and the last result's
 * basis.
 */
export function svdAbove(op: BlockOperator, threshold: number, options: SvdAboveOptions): PartialSvdResult & { count: number } {
  const kmax = Math.min(op.rows, op.cols, options.maxRank ?? Infinity);
  let k = Math.max(1, Math.min(options.initial, kmax));
  let res = partialSvd(op, k, { ...options, threshold });
  let products = res.products;
  while (k < kmax && res.s[k - 1] > threshold) {
    k = Math.min(k + options.increment, kmax);
    res = partialSvd(op, k, { ...options, threshold, start: res.basis });
    products += res.products;
  }
  let count = 0;
  while (count < res.s.length && res.s[count] > threshold) count++;
  return { ...res, products, count };
}

// ==========================================================================
// Matrix-completion inputs
// ==========================================================================

/** What the completion solvers read of an observation. */
export type CompletionData = Pick<MatrixCompletionObservation, 'rows' | 'cols' | 'omega' | 'values'> & { readonly noiseStd?: number; readonly rank?: number };

/**
 * Checks the observed entries: equal lengths, indices inside the matrix,
 * finite values. Errors name the field, the value and the expected form.
 * Positions are taken to be distinct, as the family's generator draws them.
 */
export function checkCompletion(who: string, obs: CompletionData): void {
  const bad = (field: string, message: string) => new ParsimonyError('PARSIMONY_BAD_INPUT', `${who}: ${message}`, field);
  const { rows: m, cols: n, values } = obs;
  if (!Number.isInteger(m) || m < 1 || !Number.isInteger(n) || n < 1) throw bad('rows', `rows = ${m} and cols = ${n} must be integers >= 1`);
  const { i, j } = obs.omega;
  if (i.length !== values.length) throw bad('omega.i', `omega.i has ${i.length} entries, values has ${values.length}; give one (i, j) per observed value`);
  if (j.length !== values.length) throw bad('omega.j', `omega.j has ${j.length} entries, values has ${values.length}; give one (i, j) per observed value`);
  for (let t = 0; t < values.length; t++) {
    if (!(i[t] >= 0 && i[t] < m && Number.isInteger(i[t]))) throw bad(`omega.i[${t}]`, `omega.i[${t}] = ${i[t]} is outside 0..${m - 1}`);
    if (!(j[t] >= 0 && j[t] < n && Number.isInteger(j[t]))) throw bad(`omega.j[${t}]`, `omega.j[${t}] = ${j[t]} is outside 0..${n - 1}`);
    if (!Number.isFinite(values[t])) throw bad(`values[${t}]`, `values[${t}] = ${values[t]}; observed values must be finite`);
  }
}

/** Σ_a d_a U_ia V_ja at every observed (i, j), into `out`. O(|Ω| r). */
export function lowRankAt(low: LowRankTerm, i: Int32Array, j: Int32Array, out: Float64Array): Float64Array {
  const { r, U, d, V } = low;
  for (let t = 0; t < i.length; t++) {
    const ou = i[t] * r, ov = j[t] * r;
    let z = 0;
    for (let a = 0; a < r; a++) z += d[a] * U[ou + a] * V[ov + a];
    out[t] = z;
  }
  return out;
}

/** The empty low-rank term (Z = 0). */
export const zeroTerm = (): LowRankTerm => ({ r: 0, U: new Float64Array(0), d: new Float64Array(0), V: new Float64Array(0) });

/** The first `count` triplets of a partial SVD with σ shifted by −shift: D_shift's factors. */
export function shrunkTerm(res: PartialSvdResult, count: number, shift: number): LowRankTerm {
  const d = new Float64Array(count);
  for (let a = 0; a < count; a++) d[a] = res.s[a] - shift;
  return { r: count, U: leadingColumns(res.U, count).data, d, V: leadingColumns(res.V, count).data };
}

/**
 * A solution's factors U diag(d), V (at least one column, zeros when r = 0),
 * m x r and n x r.
 */
export function termToFactors(low: LowRankTerm, m: number, n: number): { U: Matrix; V: Matrix } {
  const r = Math.max(low.r, 1);
  const U = new Float64Array(m * r), V = new Float64Array(n * r);
  if (low.r > 0) {
    for (let row = 0; row < m; row++) for (let a = 0; a < r; a++) U[row * r + a] = low.U[row * r + a] * low.d[a];
    V.set(low.V);
  }
  return { U: { rows: m, cols: r, data: U }, V: { rows: n, cols: r, data: V } };
}
