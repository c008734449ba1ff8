/**
 * Pieces shared by the dictionary-learning baselines (K-SVD, MOD, online
 * dictionary learning): input checks, the initial dictionary, batch OMP
 * coding through the plugin's Gram-form OMP, sparse code storage, residuals,
 * the polar factor, and the coding-only path.
 *
 * Storage: the dictionary is kept atom-major, `Dt` (K x n: atom a is the
 * contiguous row a), and the data sample-major, `Yt` (N x n: sample j is the
 * contiguous row j), so every per-atom and per-sample loop is unit-stride.
 *
 * Internal module: not exported from the package.
 */
import {
  gram,
  matmul,
  Matrix,
  ParsimonyError,
  svd,
  transpose,
  type DictionaryLearningObservation,
  type DictionaryLearningSolution,
  type Rng,
} from '@parsimony/core';
import { ompGram } from '../solvers/omp.js';
import { dotAt, sumSq } from './kernels.js';

// ==========================================================================
// Checks
// ==========================================================================

/** Throws unless `v` is an integer >= `min`, naming `options.<field>`. */
export function checkInteger(method: string, field: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) {
    throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${method}: options.${field} must be an integer >= ${min} (got ${v})`, `options.${field}`);
  }
}

/** Checks Y (a finite n x N matrix with n, N >= 1), the number of atoms and the sparsity. */
export function checkDictionaryInputs(method: string, Y: Matrix, atoms: number, k: number): void {
  if (!Y || !(Y.data instanceof Float64Array) || Y.data.length !== Y.rows * Y.cols) {
    throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${method}: Y must be a Matrix {rows, cols, data: Float64Array} with rows·cols entries`, 'Y');
  }
  if (Y.rows < 1 || Y.cols < 1) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${method}: Y is ${Y.rows}x${Y.cols}; it needs at least one row and one column (one sample per column)`, 'Y');
  for (let t = 0; t < Y.data.length; t++) {
    if (!Number.isFinite(Y.data[t])) {
      throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${method}: Y has a non-finite entry ${Y.data[t]} at (${Math.floor(t / Y.cols)}, ${t % Y.cols})`, 'Y');
    }
  }
  checkInteger(method, 'atoms', atoms, 1);
  checkInteger(method, 'k', k, 1);
}

/** Checks a starting dictionary against Y and the number of atoms. */
export function checkStart(method: string, D0: Matrix, n: number, atoms: number): void {
  if (D0.rows !== n || D0.cols !== atoms) {
    throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${method}: options.D0 is ${D0.rows}x${D0.cols}, expected n x atoms = ${n}x${atoms}`, 'options.D0');
  }
  for (const v of D0.data) {
    if (!Number.isFinite(v)) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${method}: options.D0 has a non-finite entry ${v}`, 'options.D0');
  }
}

// ==========================================================================
// Dictionary
// ==========================================================================

/** Scales every row of the K x n buffer to unit norm; a zero row becomes a random unit vector from `rng` (or e_(a mod n)). */
export function normalizeAtoms(Dt: Float64Array, K: number, n: number, rng?: Rng): void {
  for (let a = 0; a < K; a++) {
    const o = a * n;
    let s = Math.sqrt(sumSq(Dt.subarray(o, o + n)));
    if (!(s > 1e-300)) {
      for (let i = 0; i < n; i++) Dt[o + i] = rng ? rng.normal() : i === a % n ? 1 : 0;
      s = Math.sqrt(sumSq(Dt.subarray(o, o + n)));
    }
    for (let i = 0; i < n; i++) Dt[o + i] /= s;
  }
}

/**
 * The usual start of K-SVD, MOD and online DL: `atoms` distinct samples
 * drawn at random, normalized (Gaussian unit atoms when there are fewer
 * samples than atoms, or for a zero sample). Returns Dt (atoms x n).
 */
export function initialAtoms(Yt: Float64Array, N: number, n: number, atoms: number, rng: Rng): Float64Array {
  const Dt = new Float64Array(atoms * n);
  const picks = rng.sampleWithoutReplacement(N, Math.min(atoms, N));
  picks.forEach((j, a) => Dt.set(Yt.subarray(j * n, (j + 1) * n), a * n));
  normalizeAtoms(Dt, atoms, n, rng);
  return Dt;
}

/** Dt (K x n) from a given n x K dictionary, normalized. */
export function atomsOf(D0: Matrix, rng?: Rng): Float64Array {
  const Dt = transpose(D0).data.slice();
  normalizeAtoms(Dt, D0.cols, D0.rows, rng);
  return Dt;
}

/** The orthogonal polar factor U Vᵀ of a square M = U S Vᵀ (core's SVD): the nearest orthogonal matrix, argmax_Q tr(QᵀM). */
export function polarFactor(M: Matrix): Float64Array {
  const { U, V } = svd(M);
  return matmul(U, V, { transB: true }).data;
}

// ==========================================================================
// Sparse codes
// ==========================================================================

/** Codes of N samples with at most `cap` nonzeros each: sample j's are slots [j·cap, j·cap + cnt[j]). */
export interface SparseCodes {
  readonly N: number;
  readonly cap: number;
  readonly idx: Int32Array;
  readonly val: Float64Array;
  readonly cnt: Int32Array;
}

export function sparseCodes(N: number, cap: number): SparseCodes {
  return { N, cap, idx: new Int32Array(N * cap), val: new Float64Array(N * cap), cnt: new Int32Array(N) };
}

/** The codes as a dense K x N matrix (the family's X). */
export function denseCodes(codes: SparseCodes, K: number): Matrix {
  const { N, cap, idx, val, cnt } = codes;
  const X = Matrix.zeros(K, N);
  for (let j = 0; j < N; j++) for (let t = j * cap, e = t + cnt[j]; t < e; t++) if (val[t] !== 0) X.data[idx[t] * N + j] = val[t];
  return X;
}

/**
 * Batch OMP (Gram form, the plugin's {@link ompGram}) of the samples `rows`
 * of Yt on the atoms Dt: G = Dt Dtᵀ and the correlations Yt_rows Dtᵀ come
 * from two GEMMs, then each sample picks at most k atoms. Writes sample
 * rows[s]'s code into slot block s of `codes` and its squared residual
 * ‖y − D x‖² = ‖y‖² − xᵀDᵀy (exact for the least-squares x of OMP) into
 * err[s]. `Yb` is the samples gathered contiguously (|rows| x n).
 */
export function ompCodes(Dt: Float64Array, K: number, n: number, Yb: Float64Array, count: number, k: number, codes: SparseCodes, err: Float64Array, yy: Float64Array, signal?: AbortSignal): void {
  const Dm = Matrix.from(K, n, Dt);
  const G = gram(Dm, { trans: true });
  const C = matmul(Matrix.from(count, n, Yb.subarray(0, count * n)), Dm, { transB: true }).data;
  const { cap, idx, val, cnt } = codes;
  const kk = Math.min(k, cap, K);
  for (let s = 0; s < count; s++) {
    if ((s & 255) === 0) signal?.throwIfAborted();
    const c = C.subarray(s * K, (s + 1) * K);
    const x = ompGram(G, c, yy[s], { k: kk });
    let m = 0, fit = 0;
    const o = s * cap;
    for (let a = 0; a < K; a++) {
      if (x[a] === 0) continue;
      idx[o + m] = a;
      val[o + m] = x[a];
      fit += x[a] * c[a];
      m++;
    }
    cnt[s] = m;
    err[s] = Math.max(yy[s] - fit, 0);
  }
}

/** Squared norm of every row of an N x n buffer. */
export function rowEnergies(Yt: Float64Array, N: number, n: number): Float64Array {
  const out = new Float64Array(N);
  for (let j = 0; j < N; j++) out[j] = sumSq(Yt.subarray(j * n, (j + 1) * n));
  return out;
}

/** Residuals R_j = y_j − D x_j of every sample (rows of the N x n buffer R), ‖R_j‖² into `err` when given; returns Σ ‖R_j‖². */
export function residuals(Dt: Float64Array, n: number, Yt: Float64Array, codes: SparseCodes, R: Float64Array, err?: Float64Array): number {
  const { N, cap, idx, val, cnt } = codes;
  R.set(Yt.subarray(0, N * n));
  let total = 0;
  for (let j = 0; j < N; j++) {
    const o = j * n;
    for (let t = j * cap, e = t + cnt[j]; t < e; t++) {
      const v = val[t], da = idx[t] * n;
      for (let i = 0; i < n; i++) R[o + i] -= v * Dt[da + i];
    }
    const e = dotAt(R, o, R, o, n);
    if (err) err[j] = e;
    total += e;
  }
  return total;
}

/**
 * Picks, for each atom in `unused`, a replacement: the worst-represented
 * sample (largest squared residual `err`) not picked before, normalized
 * (Aharon et al. 2006, implementation notes of K-SVD). Atoms stay as they are once every
 * residual is (numerically) zero: nothing is left to represent.
 */
export function replaceWithWorst(Dt: Float64Array, n: number, Yt: Float64Array, err: Float64Array, unused: readonly number[]): number {
  if (unused.length === 0) return 0;
  // Indices of the |unused| largest residuals (|unused| is small: a partial selection).
  const order = Array.from(err.keys()).sort((p, q) => err[q] - err[p] || p - q);
  let total = 0;
  for (let i = 0; i < err.length; i++) total += err[i];
  let replaced = 0;
  for (let u = 0, r = 0; u < unused.length && r < order.length; r++) {
    const j = order[r];
    if (!(err[j] > 1e-24 * Math.max(total, 1e-300))) break;
    const yj = Yt.subarray(j * n, (j + 1) * n);
    const s = Math.sqrt(sumSq(yj));
    if (!(s > 0)) continue;
    const o = unused[u++] * n;
    for (let i = 0; i < n; i++) Dt[o + i] = yj[i] / s;
    replaced++;
  }
  return replaced;
}

// ==========================================================================
// The family's tasks
// ==========================================================================

/** The training sparsity: params.k, else the observation's k (at most the number of atoms). */
export function trainingSparsity(obs: DictionaryLearningObservation, k: number | undefined): number {
  return Math.min(k ?? obs.k, obs.atoms);
}

/** The codes' budget per column in the solution: observation.inferenceK when the task sets it, else the training sparsity. */
export function inferenceSparsity(obs: DictionaryLearningObservation, training: number): number {
  return Math.min(obs.inferenceK ?? training, obs.atoms);
}

/**
 * OMP codes of every column of Y on a dictionary, k per column at most.
 * The dictionary is used as given (its atoms are unit-norm in every task).
 */
export function codeAll(D: Matrix, Y: Matrix, k: number, signal?: AbortSignal): { X: Matrix; err: number } {
  const n = Y.rows, N = Y.cols, K = D.cols;
  const Dt = transpose(D).data;
  const Yt = transpose(Y).data;
  const codes = sparseCodes(N, Math.max(1, Math.min(k, K)));
  const err = new Float64Array(N);
  const yy = rowEnergies(Yt, N, n);
  ompCodes(Dt, K, n, Yt, N, k, codes, err, yy, signal);
  // The exact residual (ompCodes' ‖y‖² − xᵀDᵀy loses digits once the fit is close).
  const e = residuals(Dt, n, Yt, codes, new Float64Array(N * n));
  let s = 0;
  for (let j = 0; j < N; j++) s += yy[j];
  return { X: denseCodes(codes, K), err: Math.sqrt(e / Math.max(s, 1e-300)) };
}

/**
 * Coding-only tasks (the dictionary is given): the sparse coding stage alone,
 * OMP with min(k, observation.k, inferenceK) atoms per column, so both the
 * per-column budget and the matched density nnz(X) <= k·N hold.
 */
export function solveCodingOnly(obs: DictionaryLearningObservation, k: number | undefined, signal: AbortSignal, report: (point: { iteration: number; rep_err: number }) => void): DictionaryLearningSolution {
  const budget = Math.min(k ?? obs.k, obs.k, obs.inferenceK ?? obs.k, obs.atoms);
  const { X, err } = codeAll(obs.D!, obs.Y, budget, signal);
  report({ iteration: 1, rep_err: err });
  return { X };
}

// ==========================================================================
// Online dictionary learning: the surrogate's block-coordinate update
// ==========================================================================

/**
 * Block-coordinate descent on the surrogate ½ tr(DᵀD A) − tr(DᵀB) of online
 * dictionary learning (Mairal, Bach, Ponce & Sapiro, JMLR 2010, Alg. 2),
 * over unit-norm atoms: for each atom j in turn,
 * u = b_j − Σ_i A_ij d_i + A_jj d_j (= A_jj times the paper's u_j) and
 * d_j = u / ‖u‖, the exact minimizer over the unit sphere with the other
 * atoms fixed. In place on the atom-major Dt (K x n), with Bt = Bᵀ (K x n)
 * and A (K x K) row-major. `passes` sweeps (the paper warm-starts and notes
 * one usually suffices). Atoms with A_jj <= `purge` (never or seldom used)
 * are handed to `replace` instead (Sec. 3.4.5); returns how many were.
 *
 * Deviation: the paper constrains ‖d_j‖ <= 1 (d_j = u_j / max(‖u_j‖, 1)),
 * which matters with ℓ1 codes (they shrink, so atoms would grow); with the
 * OMP codes used here the scale is free, and unit atoms keep OMP's selection
 * by |dᵀr| fair and match the family's unit-norm model.
 */
export function blockCoordinateDictionary(Dt: Float64Array, K: number, n: number, A: Float64Array, Bt: Float64Array, passes: number, purge = 0, replace?: (atom: number) => void): number {
  const u = new Float64Array(n);
  let replaced = 0;
  for (let p = 0; p < passes; p++) {
    for (let j = 0; j < K; j++) {
      const ajj = A[j * K + j], dj = j * n;
      if (!(ajj > purge)) {
        if (p === 0 && replace) {
          replace(j);
          replaced++;
        }
        continue;
      }
      u.set(Bt.subarray(dj, dj + n));
      for (let i = 0; i < K; i++) {
        const aij = i === j ? 0 : A[j * K + i];
        if (aij === 0) continue;
        const di = i * n;
        for (let t = 0; t < n; t++) u[t] -= aij * Dt[di + t];
      }
      const s = Math.sqrt(sumSq(u));
      // u = 0: the surrogate is flat in d_j; keep it.
      if (s > 0) for (let t = 0; t < n; t++) Dt[dj + t] = u[t] / s;
    }
  }
  return replaced;
}
