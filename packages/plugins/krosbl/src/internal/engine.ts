/**
 * The EM loop shared by AM-KroSBL and SVD-KroSBL (He & Joseph 2023, Alg. 1
 * and 2): pruning, the Kronecker E-step done mode by mode, and the outer
 * stopping rule. The two algorithms differ only in their M-step, passed in.
 *
 * Internal module: not exported from the package.
 */
import { Matrix, ParsimonyError, kronMatvec, matmul, svd, type SparseRecoveryObservation } from '@parsimony/core';

// ==========================================================================
// Options and results
// ==========================================================================

/** Options of the KroSBL solvers (plain-function form). */
export interface KrosblOptions {
  /** Noise variance σ² (the paper's setting: known). Absent: learned by EM, starting from 0.1‖y‖²/m. */
  noiseVar?: number;
  /** Outer EM iterations at most (R_max; default 150). */
  maxIter?: number;
  /** Stop when ‖γ − γ_old‖/‖γ_old‖ < tol over the full ⊗γ (default 1e-4). */
  tol?: number;
  /** Prune index k of factor i once γ_i[k] < pruneTol · max γ_i (AM default 1e-2, SVD default 1e-3). */
  pruneTol?: number;
  /** Polled once per outer iteration (and per inner AM sweep). */
  signal?: AbortSignal;
  /** Receives (iteration, kept coefficients ∏|γ_i > 0|, relative change of γ) after each outer iteration. */
  onIteration?: (iteration: number, active: number, change: number) => void;
}

/** What a KroSBL solver returns. */
export interface KrosblResult {
  /** Posterior mean μ with the final γ (n); pruned coefficients are 0. */
  x: Float64Array;
  /** The per-factor hyperparameters γ_i (original length N_i; 0 where pruned); ⊗γ_i is the prior variance of x. */
  gammas: Float64Array[];
  /** σ² used at the end (the given one, or the learned one). */
  noiseVar: number;
  /** Outer iterations run. */
  iterations: number;
}

/**
 * A KroSBL M-step: given Λ = diag(Σ) + μ² on the kept grid (an I-way
 * tensor, first factor slowest) and the current γ_i, overwrite the γ_i.
 */
export type KrosblMStep = (lambda: Float64Array, gammas: Float64Array[], signal?: AbortSignal) => void;

// ==========================================================================
// Small helpers
// ==========================================================================

/** v_1 ⊗ v_2 ⊗ … (first slowest); [1] for no vectors. */
export function kronVec(parts: readonly Float64Array[]): Float64Array {
  let out = new Float64Array([1]);
  for (const v of parts) {
    const next = new Float64Array(out.length * v.length);
    for (let a = 0, o = 0; a < out.length; a++) {
      const s = out[a];
      for (let b = 0; b < v.length; b++) next[o++] = s * v[b];
    }
    out = next;
  }
  return out;
}

/** The columns `keep` of A, as a new matrix. */
function columns(A: Matrix, keep: Int32Array): Matrix {
  const out = Matrix.zeros(A.rows, keep.length);
  for (let i = 0; i < A.rows; i++) {
    const src = i * A.cols, dst = i * keep.length;
    for (let t = 0; t < keep.length; t++) out.data[dst + t] = A.data[src + keep[t]];
  }
  return out;
}

/** Scatters ⊗γ_i (kept grid) into the full grid of sizes `dims` (zeros at pruned indices). */
function scatterKron(values: Float64Array, kept: readonly Int32Array[], dims: readonly number[], out: Float64Array): void {
  out.fill(0);
  const I = kept.length;
  const idx = new Int32Array(I); // multi-index on the kept grid
  for (let t = 0; t < values.length; t++) {
    let full = 0;
    for (let i = 0; i < I; i++) full = full * dims[i] + kept[i][idx[i]];
    out[full] = values[t];
    for (let i = I - 1; i >= 0; i--) {
      if (++idx[i] < kept[i].length) break;
      idx[i] = 0;
    }
  }
}

function sumSq(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
}

// ==========================================================================
// E-step
// ==========================================================================

/** Posterior mean and variances of x on the kept grid. */
export interface Posterior {
  mu: Float64Array;
  /** diag(Σ), clamped to [0, γ]. */
  sigmaDiag: Float64Array;
}

/**
 * The Kronecker E-step (the paper's efficient posterior, as its code's
 * `posterior_compute2`): with B_i = A_i Γ_i A_iᵀ = U_i diag(λ_i) U_iᵀ
 * (from the SVD of A_i Γ_i^{1/2}),
 * C = σ²I + A Γ Aᵀ = (⊗U_i)(σ²I + ⊗λ_i)(⊗U_i)ᵀ, so with W_i = U_iᵀA_i and
 * d = 1/(σ² + ⊗λ_i):
 *   μ = γ ∘ (⊗W_i)ᵀ (d ∘ (⊗U_i)ᵀ y),   diag(Σ) = γ − γ² ∘ (⊗W_i∘W_i)ᵀ d.
 * Only small per-factor SVDs (M_i x l_i) and mode-wise products: O(M n) per call.
 */
export function eStep(A: readonly Matrix[], gammas: readonly Float64Array[], s2: number, y: Float64Array): Posterior {
  const U: Matrix[] = [], W: Matrix[] = [], W2: Matrix[] = [], lam: Float64Array[] = [];
  for (let i = 0; i < A.length; i++) {
    const Ai = A[i], g = gammas[i];
    // H = A_i Γ_i^{1/2} = U S Vᵀ gives B_i = H Hᵀ = U S² Uᵀ. The thin U (M_i x min(M_i, l_i)) suffices:
    // once pruning leaves fewer columns than rows, the missing eigenvectors span the null space of
    // B_i, where U_iᵀA_i = 0, so they add nothing to μ or diag(Σ).
    const H = Matrix.zeros(Ai.rows, Ai.cols);
    for (let r = 0; r < Ai.rows; r++) {
      const o = r * Ai.cols;
      for (let c = 0; c < Ai.cols; c++) H.data[o + c] = Ai.data[o + c] * Math.sqrt(g[c]);
    }
    const { U: vectors, s } = svd(H);
    const values = s.map((v) => v * v);
    const Wi = matmul(vectors, Ai, { transA: true });
    const W2i = Matrix.from(Wi.rows, Wi.cols, Wi.data.map((v) => v * v));
    U.push(vectors);
    W.push(Wi);
    W2.push(W2i);
    lam.push(values);
  }
  const d = kronVec(lam);
  for (let r = 0; r < d.length; r++) d[r] = 1 / (s2 + d[r]);
  const z = kronMatvec(U, y, { trans: true });
  for (let r = 0; r < z.length; r++) z[r] *= d[r];
  const t = kronMatvec(W, z, { trans: true });
  const q = kronMatvec(W2, d, { trans: true });
  const gamma = kronVec(gammas);
  const mu = new Float64Array(gamma.length), sigmaDiag = new Float64Array(gamma.length);
  for (let j = 0; j < gamma.length; j++) {
    const g = gamma[j];
    mu[j] = g * t[j];
    sigmaDiag[j] = Math.min(Math.max(g - g * g * q[j], 0), g);
  }
  return { mu, sigmaDiag };
}

// ==========================================================================
// The EM loop
// ==========================================================================

/** The factors a KroSBL solver works with: structure.factors for Kronecker instances, else [A] (I = 1). */
export function factorsOf(obs: SparseRecoveryObservation): Matrix[] {
  return obs.structure?.kind === 'kronecker' ? [...obs.structure.factors] : [obs.A];
}

/**
 * EM for the Kronecker-structured SBL prior x ~ N(0, diag(⊗γ_i)), the
 * loop of the official `am_kroSBL.m`/`svd_kroSBL.m`: prune, E-step, M-step,
 * until the full ⊗γ changes by less than `tol` (relative) or `maxIter`;
 * then one more E-step gives x̂ = μ.
 *
 * @param fn - the calling function's name, for error messages
 * @param factors - A_1 … A_I (A = A_1 ⊗ … ⊗ A_I; one factor is plain SBL)
 * @param y - ∏M_i measurements
 * @param mStep - the algorithm's γ update
 * @param defaults - pruneTol default of the algorithm
 */
export function krosblEm(
  fn: string,
  factors: readonly Matrix[],
  y: Float64Array,
  mStep: KrosblMStep,
  options: KrosblOptions,
  defaults: { pruneTol: number },
): KrosblResult {
  if (!Array.isArray(factors) || factors.length === 0) {
    throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `${fn}: factors must be a non-empty array of matrices (A = factors[0] ⊗ factors[1] ⊗ …)`, 'factors');
  }
  const I = factors.length;
  const dims = factors.map((f) => f.cols);
  const n = dims.reduce((a, b) => a * b, 1);
  const m = factors.reduce((a, f) => a * f.rows, 1);
  if (y.length !== m) {
    const shape = factors.map((f) => `${f.rows}x${f.cols}`).join(' ⊗ ');
    throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `${fn}: y has ${y.length} entries, ${shape} has ${m} rows`, 'y');
  }
  const maxIter = options.maxIter ?? 150, tol = options.tol ?? 1e-4, pruneTol = options.pruneTol ?? defaults.pruneTol;
  if (options.noiseVar !== undefined && !(options.noiseVar >= 0)) {
    throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: noiseVar must be >= 0 (got ${options.noiseVar})`, 'noiseVar');
  }
  const yy = sumSq(y);
  const x = new Float64Array(n);
  const gammasOut = () => dims.map((N) => new Float64Array(N));
  if (yy === 0 || n === 0) return { x, gammas: gammasOut(), noiseVar: options.noiseVar ?? 0, iterations: 0 };
  // σ² stays above this so C stays well conditioned on noiseless data.
  const floorVar = 1e-8 * (yy / m);
  const learn = options.noiseVar === undefined;
  let s2 = Math.max(options.noiseVar ?? 0.1 * (yy / m), floorVar);

  // Official initialization: γ_i = 1/‖1_{N_i}‖ for i < I, γ_I = ∏_{i<I} ‖1_{N_i}‖, so ⊗γ_i = 1.
  let scale = 1;
  const gammas = dims.map((N, i) => {
    if (i < I - 1) {
      scale *= Math.sqrt(N);
      return new Float64Array(N).fill(1 / Math.sqrt(N));
    }
    return new Float64Array(N);
  });
  gammas[I - 1].fill(scale);
  const kept = dims.map((N) => Int32Array.from({ length: N }, (_, j) => j));
  const A = factors.map((f) => Matrix.clone(f));

  const gFull = new Float64Array(n), gOld = new Float64Array(n);
  scatterKron(kronVec(gammas), kept, dims, gFull);
  let it = 0;
  while (it < maxIter) {
    options.signal?.throwIfAborted();
    gOld.set(gFull);
    // Prune: drop index k of factor i when γ_i[k] < r · max γ_i (the whole slice of x goes).
    for (let i = 0; i < I; i++) {
      const g = gammas[i];
      let gMax = 0;
      for (let k = 0; k < g.length; k++) gMax = Math.max(gMax, g[k]);
      const thr = pruneTol * gMax;
      let count = 0;
      for (let k = 0; k < g.length; k++) if (g[k] >= thr) count++;
      if (count === g.length) continue;
      const keepLocal = new Int32Array(count);
      for (let k = 0, c = 0; k < g.length; k++) if (g[k] >= thr) keepLocal[c++] = k;
      gammas[i] = Float64Array.from(keepLocal, (k) => g[k]);
      kept[i] = Int32Array.from(keepLocal, (k) => kept[i][k]);
      A[i] = columns(A[i], keepLocal);
    }
    const { mu, sigmaDiag } = eStep(A, gammas, s2, y);
    const lambda = new Float64Array(mu.length);
    for (let j = 0; j < mu.length; j++) lambda[j] = sigmaDiag[j] + mu[j] * mu[j];
    if (learn) {
      // EM noise update (Wipf & Rao 2004, eq. 17): σ² = (‖y − Aμ‖² + σ² Σ_j (1 − Σ_jj/γ_j)) / m.
      const fit = kronMatvec(A, mu);
      let rr = 0;
      for (let r = 0; r < m; r++) rr += (y[r] - fit[r]) ** 2;
      const gamma = kronVec(gammas);
      let rho = 0;
      for (let j = 0; j < gamma.length; j++) if (gamma[j] > 0) rho += 1 - sigmaDiag[j] / gamma[j];
      s2 = Math.max((rr + s2 * rho) / m, floorVar);
    }
    mStep(lambda, gammas, options.signal);
    it++;
    scatterKron(kronVec(gammas), kept, dims, gFull);
    let num = 0, den = 0;
    for (let j = 0; j < n; j++) {
      num += (gFull[j] - gOld[j]) ** 2;
      den += gOld[j] * gOld[j];
    }
    const change = Math.sqrt(num / Math.max(den, 1e-300));
    if (!Number.isFinite(change)) {
      throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: the hyperparameters became non-finite at iteration ${it}; check that noiseVar > 0 and A has no zero factor`, 'gamma');
    }
    options.onIteration?.(it, kept.reduce((a, k) => a * k.length, 1), change);
    if (change < tol) break;
  }
  // Re-estimate x with the final γ (the official code's last posterior_compute2 call).
  const { mu } = eStep(A, gammas, s2, y);
  scatterKron(mu, kept, dims, x);
  const gOut = gammasOut();
  for (let i = 0; i < I; i++) kept[i].forEach((k, t) => (gOut[i][k] = gammas[i][t]));
  return { x, gammas: gOut, noiseVar: s2, iterations: it };
}
