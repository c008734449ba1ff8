import { gemmStrided, Matrix, normSpectral, ParsimonyError, type Rng } from '@parsimony/core';
import { applyThreshold, lambdaMax, OPERATORS, type Operator } from './thresholds.js';

// ==========================================================================
// Proximal-gradient sparse coding with an interchangeable threshold T
// (Rentzeperis et al. 2023, after Olshausen & Field 1996): per batch,
//   R ← T(R + η Φᵀ(Y − Φ R)),  until ‖R_t − R_{t−1}‖ / (ε + ‖R_{t−1}‖) < ε,
// then one gradient step on the dictionary, Φ ← Φ + η_Φ (Y − Φ R) Rᵀ.
// The gradient is formed as Φᵀy − (ΦᵀΦ) r with the Gram matrix and Φᵀy
// computed once per batch, so an iteration costs K·nnz(r) per sample.
// ==========================================================================

/** Options of {@link sparseCode}. */
export interface SparseCodeOptions {
  /** The thresholding operator T. */
  readonly operator: Operator;
  /** A fixed penalty weight λ; when absent λ is calibrated to `density`. */
  readonly lambda?: number;
  /** Target fraction of nonzero codes ρ (required unless `lambda` is given). */
  readonly density?: number;
  /** λ is accepted when the density lies in [(1 − densityTol) ρ, ρ] (default 0.1). */
  readonly densityTol?: number;
  /** Start of the λ search (a previous λ); default: the λ whose first step keeps a fraction ρ of the entries. */
  readonly lambdaStart?: number;
  /** Bisection steps on log λ (default 20). */
  readonly maxBisect?: number;
  /** Iteration cap of the proximal-gradient loop (default 200). */
  readonly maxIter?: number;
  /** ε of the stopping rule (default 1e-2, the authors' code). */
  readonly tol?: number;
  /** Polled every iteration. */
  readonly signal?: AbortSignal;
}

/** What {@link sparseCode} returns. */
export interface SparseCodeResult {
  /** Codes, atoms x N. */
  readonly X: Matrix;
  /** The λ used. */
  readonly lambda: number;
  /** nnz(X) / (atoms · N). */
  readonly density: number;
  /** Proximal-gradient iterations, summed over the λ search. */
  readonly iterations: number;
}

/** Options of {@link learnDictionary}. */
export interface LearnDictionaryOptions extends Omit<SparseCodeOptions, 'lambdaStart'> {
  /** Number of atoms K. */
  readonly atoms: number;
  /** Passes over the data (default 6). */
  readonly epochs?: number;
  /** Samples per batch (default min(N, 100)). */
  readonly batchSize?: number;
  /** Randomness (dictionary initialisation, batch order). */
  readonly rng: Rng;
  /** Receives each batch's relative residual, code density and λ. */
  readonly onBatch?: (batch: number, relErr: number, density: number, lambda: number) => void;
}

/** What {@link learnDictionary} returns. */
export interface LearnDictionaryResult extends SparseCodeResult {
  /** The learned dictionary, n x atoms, unit columns. */
  readonly D: Matrix;
}

const bad = (field: string, message: string) => new ParsimonyError('PARSIMONY_BAD_PARAMS', `beyond-l1: ${message}`, field);

/** Normalises the columns of the row-major n x K matrix `phi` to unit ℓ2 norm (a zero column stays zero). */
function normaliseColumns(phi: Float64Array, n: number, K: number, norms: Float64Array): void {
  norms.fill(0);
  for (let i = 0; i < n; i++) {
    const o = i * K;
    for (let a = 0; a < K; a++) norms[a] += phi[o + a] * phi[o + a];
  }
  for (let a = 0; a < K; a++) norms[a] = norms[a] > 0 ? 1 / Math.sqrt(norms[a]) : 0;
  for (let i = 0; i < n; i++) {
    const o = i * K;
    for (let a = 0; a < K; a++) phi[o + a] *= norms[a];
  }
}

/**
 * Batch proximal-gradient coder: the workspace (Gram matrix, Φᵀy, codes) for
 * up to `capacity` samples on one n x K dictionary. Codes are stored sample
 * by sample (B x K row-major) so each sample's update is contiguous.
 */
class Coder {
  readonly G: Float64Array;
  readonly C: Float64Array;
  readonly R: Float64Array;
  private readonly u: Float64Array;
  /** Per sample, the atoms where its code is nonzero (count[j] of them at supp[j·K ..]). */
  private readonly supp: Int32Array;
  private readonly count: Int32Array;
  private phi: Float64Array = new Float64Array(0);
  eta = 0;
  B = 0;
  maxAbsC = 0;

  constructor(
    readonly n: number,
    readonly K: number,
    capacity: number,
    private readonly op: Operator,
    private readonly maxIter: number,
    private readonly tol: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.G = new Float64Array(K * K);
    this.C = new Float64Array(capacity * K);
    this.R = new Float64Array(capacity * K);
    this.u = new Float64Array(K);
    this.supp = new Int32Array(capacity * K);
    this.count = new Int32Array(capacity);
  }

  /** Takes Φ (n x K, row-major): G = ΦᵀΦ and η = 0.9/‖Φ‖₂² (so η < 1 for unit atoms, as CEL0 needs). */
  setDictionary(phi: Float64Array, eta?: number): void {
    const { n, K } = this;
    this.phi = phi;
    gemmStrided(true, false, K, K, n, 1, phi, 0, K, phi, 0, K, 0, this.G, 0, K);
    if (eta !== undefined) this.eta = eta;
    else {
      const s = normSpectral(Matrix.from(n, K, phi), { tol: 1e-6, maxIter: 100 });
      this.eta = s > 0 ? 0.9 / (s * s) : 1;
    }
  }

  /** Takes B samples, column j of the batch at `y[off + i·ld + j]`: C = Yᵀ Φ (B x K). */
  setData(y: Float64Array, off: number, ld: number, B: number): void {
    const { n, K } = this;
    this.B = B;
    gemmStrided(true, false, B, K, n, 1, y, off, ld, this.phi, 0, K, 0, this.C, 0, K);
    let m = 0;
    for (let t = 0; t < B * K; t++) m = Math.max(m, Math.abs(this.C[t]));
    this.maxAbsC = m;
  }

  /** Codes the batch at λ from R = 0; returns [nnz, iterations]. */
  run(lambda: number): [number, number] {
    const { K, B, G, C, R, u, eta, op, tol, supp, count } = this;
    R.fill(0, 0, B * K);
    count.fill(0, 0, B);
    let nnz = 0, it = 0;
    while (it < this.maxIter) {
      this.signal?.throwIfAborted();
      it++;
      let diff = 0, prev = 0;
      nnz = 0;
      for (let j = 0; j < B; j++) {
        const o = j * K, so = j * K, ns = count[j];
        // u = r + η(Φᵀy − G r), reading only the rows of G on r's support.
        for (let a = 0; a < K; a++) u[a] = R[o + a] + eta * C[o + a];
        for (let t = 0; t < ns; t++) {
          const b = supp[so + t], w = eta * R[o + b], g = b * K;
          for (let a = 0; a < K; a++) u[a] -= w * G[g + a];
        }
        nnz += applyThreshold(op, u, lambda, eta);
        let m = 0;
        for (let a = 0; a < K; a++) {
          const r = R[o + a], v = u[a], d = v - r;
          diff += d * d;
          prev += r * r;
          R[o + a] = v;
          if (v !== 0) supp[so + m++] = a;
        }
        count[j] = m;
      }
      if (Math.sqrt(diff) / (tol + Math.sqrt(prev)) < tol) break;
    }
    return [nnz, it];
  }

  /**
   * Bisection on log λ until nnz/(B·K) ∈ [(1 − dtol) ρ, ρ]: from `start` (or
   * the first-step quantile λ) it brackets by factors of 2 within
   * [λ_max·1e-6, λ_max], then bisects.
   * When the band is not reached, the largest density ≤ ρ met is kept, so the
   * result never exceeds ρ. Leaves the codes in R; returns [λ, nnz, iterations].
   */
  calibrate(rho: number, dtol: number, maxBisect: number, start?: number): [number, number, number] {
    const total = this.B * this.K;
    const hiT = Math.floor(rho * total + 1e-9), loT = Math.ceil((1 - dtol) * rho * total - 1e-9);
    const lmax = lambdaMax(this.op, this.maxAbsC, this.eta);
    if (!(lmax > 0)) return [1, this.run(1)[0], 1]; // all-zero data: any λ gives zero codes
    const floor = lmax * 1e-6;
    let lo = floor, hi = lmax, loSeen = false, hiSeen = false;
    let lam = Math.min(Math.max(start ?? this.firstStepLambda(rho), floor), lmax);
    let best = lmax, bestNnz = -1, iters = 0, last = NaN, lastNnz = -1;
    for (let step = 0; step < maxBisect; step++) {
      const [nnz, it] = this.run(lam);
      iters += it;
      last = lam;
      lastNnz = nnz;
      if (nnz <= hiT && nnz > bestNnz) {
        best = lam;
        bestNnz = nnz;
      }
      if (nnz >= loT && nnz <= hiT) return [lam, nnz, iters];
      if (nnz > hiT) {
        lo = lam;
        loSeen = true;
      } else {
        hi = lam;
        hiSeen = true;
      }
      const next = !hiSeen ? Math.min(lam * 2, lmax) : !loSeen ? Math.max(lam / 2, floor) : Math.sqrt(lo * hi);
      if (next === lam) break; // stuck at an end of [λ_max·1e-6, λ_max]
      lam = next;
    }
    if (last === best && bestNnz === lastNnz) return [best, lastNnz, iters];
    const [nnz, it] = this.run(best);
    return [best, nnz, iters + it];
  }

  /**
   * The λ whose threshold keeps a fraction ρ of the first step's entries ηΦᵀy
   * (the (1 − ρ) quantile of |Φᵀy|): a start for the λ search near the target,
   * which avoids coding at the very dense small-λ end.
   */
  private firstStepLambda(rho: number): number {
    const total = this.B * this.K;
    const a = new Float64Array(total);
    for (let t = 0; t < total; t++) a[t] = Math.abs(this.C[t]);
    a.sort();
    const q = a[Math.min(total - 1, Math.max(0, Math.floor((1 - rho) * total)))];
    return lambdaMax(this.op, q, this.eta);
  }

  /** The codes as an atoms x B matrix. */
  codes(): Matrix {
    const { K, B, R } = this;
    const X = Matrix.zeros(K, B);
    for (let j = 0; j < B; j++) for (let a = 0; a < K; a++) X.data[a * B + j] = R[j * K + a];
    return X;
  }
}

function checkCommon(o: SparseCodeOptions): void {
  if (!OPERATORS.includes(o.operator)) throw bad('operator', `operator = ${JSON.stringify(o.operator)}; use one of ${OPERATORS.join(', ')}`);
  if (o.lambda !== undefined && !(o.lambda > 0 && Number.isFinite(o.lambda))) throw bad('lambda', `lambda = ${o.lambda} must be a finite number > 0`);
  if (o.lambda === undefined && !(o.density !== undefined && o.density > 0 && o.density <= 1)) {
    throw bad('density', `density = ${o.density} must be in (0, 1] when lambda is not given`);
  }
}

function checkFinite(name: string, A: Matrix): void {
  for (const v of A.data) if (!Number.isFinite(v)) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `beyond-l1: ${name} has a non-finite entry`, name);
}

/**
 * Sparse codes of the columns of Y on a given dictionary D by proximal
 * gradient with threshold T (the paper's inference step), with λ fixed or
 * bisected on log λ until the code density is within [(1 − densityTol) ρ, ρ]
 * — the comparison "at matched sparsity".
 *
 * @param D - n x K dictionary (unit columns; CEL0 assumes them)
 * @param Y - n x N data
 * @param options - operator, λ or target density, iteration limits
 * @returns codes X (K x N), λ, achieved density, iterations
 * @example
 * const { X, density } = sparseCode(D, Y, { operator: 'cel0', density: 3 / 72 });
 */
export function sparseCode(D: Matrix, Y: Matrix, options: SparseCodeOptions): SparseCodeResult {
  checkCommon(options);
  if (D.rows !== Y.rows) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `beyond-l1: D has ${D.rows} rows, Y has ${Y.rows}`, 'D');
  checkFinite('D', D);
  checkFinite('Y', Y);
  const { rows: n, cols: K } = D, N = Y.cols;
  const coder = new Coder(n, K, N, options.operator, options.maxIter ?? 200, options.tol ?? 1e-2, options.signal);
  coder.setDictionary(D.data);
  coder.setData(Y.data, 0, N, N);
  let lambda: number, nnz: number, iterations: number;
  if (options.lambda !== undefined) {
    lambda = options.lambda;
    [nnz, iterations] = coder.run(lambda);
  } else {
    [lambda, nnz, iterations] = coder.calibrate(options.density!, options.densityTol ?? 0.1, options.maxBisect ?? 20, options.lambdaStart);
  }
  return { X: coder.codes(), lambda, density: nnz / Math.max(K * N, 1), iterations };
}

/**
 * Olshausen–Field dictionary learning with threshold T (the paper's model):
 * Φ drawn N(0, 1/K) and column-normalised; for each batch, normalise Φ's
 * columns, code the batch to convergence from R = 0, then take one gradient
 * step Φ += η_Φ (Y − ΦR)Rᵀ with η_Φ = 0.5/‖R‖₂². λ is bisected on the first
 * batch of every epoch (matched density), and after the last epoch on the
 * whole data, whose codes are returned.
 *
 * @param Y - n x N data
 * @param options - atoms, operator, target density (or λ), epochs, batch size, rng
 * @returns D (n x atoms, unit columns), codes X, λ, achieved density
 * @example
 * const { D, X } = learnDictionary(Y, { atoms: 72, operator: 'cel0', density: 3 / 72, rng: createRng('demo', 1) });
 */
export function learnDictionary(Y: Matrix, options: LearnDictionaryOptions): LearnDictionaryResult {
  checkCommon(options);
  checkFinite('Y', Y);
  const { rows: n, cols: N } = Y;
  const K = options.atoms;
  if (!(Number.isInteger(K) && K >= 1)) throw bad('atoms', `atoms = ${K} must be an integer >= 1`);
  const epochs = options.epochs ?? 6;
  const B = Math.min(options.batchSize ?? 100, N);
  const maxIter = options.maxIter ?? 200, tol = options.tol ?? 1e-2, dtol = options.densityTol ?? 0.1, maxBisect = options.maxBisect ?? 20;
  const { rng, signal } = options;
  signal?.throwIfAborted();

  // Φ init N(0, 1/K), then unit columns (the authors' code).
  const phi = rng.fillNormal(new Float64Array(n * K), 0, 1 / Math.sqrt(K));
  const norms = new Float64Array(K);
  normaliseColumns(phi, n, K, norms);

  const coder = new Coder(n, K, B, options.operator, maxIter, tol, signal);
  const yb = new Float64Array(n * B), E = new Float64Array(n * B);
  let lambda = options.lambda ?? NaN;
  let batch = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = rng.permutation(N);
    for (let start = 0; start < N; start += B) {
      signal?.throwIfAborted();
      const Bb = Math.min(B, N - start);
      for (let i = 0; i < n; i++) for (let j = 0; j < Bb; j++) yb[i * Bb + j] = Y.data[i * N + order[start + j]];
      normaliseColumns(phi, n, K, norms);
      coder.setDictionary(phi);
      coder.setData(yb, 0, Bb, Bb);
      let nnz: number;
      if (options.lambda === undefined && start === 0) {
        [lambda, nnz] = coder.calibrate(options.density!, dtol, maxBisect, Number.isNaN(lambda) ? undefined : lambda);
      } else [nnz] = coder.run(lambda);
      // E = Y_b − Φ R (R is Bb x K, sample-major).
      E.set(yb.subarray(0, n * Bb));
      gemmStrided(false, true, n, Bb, K, -1, phi, 0, K, coder.R, 0, K, 1, E, 0, Bb);
      let ee = 0, yy = 0;
      for (let t = 0; t < n * Bb; t++) {
        ee += E[t] * E[t];
        yy += yb[t] * yb[t];
      }
      const rr = normSpectral(Matrix.from(Bb, K, coder.R.subarray(0, Bb * K)), { tol: 1e-3, maxIter: 30 }) ** 2;
      if (rr > 0) gemmStrided(false, false, n, K, Bb, 0.5 / rr, E, 0, Bb, coder.R, 0, K, 1, phi, 0, K);
      options.onBatch?.(batch++, Math.sqrt(ee / Math.max(yy, 1e-300)), nnz / (Bb * K), lambda);
    }
  }
  normaliseColumns(phi, n, K, norms);
  const D = Matrix.from(n, K, phi);
  const coded = sparseCode(D, Y, {
    operator: options.operator,
    maxIter,
    tol,
    maxBisect,
    densityTol: dtol,
    ...(options.signal && { signal: options.signal }),
    ...(options.lambda !== undefined ? { lambda: options.lambda } : { density: options.density!, ...(Number.isNaN(lambda) ? {} : { lambdaStart: lambda }) }),
  });
  return { D, ...coded };
}
