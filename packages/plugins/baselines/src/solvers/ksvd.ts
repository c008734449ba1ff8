import {
  defineSolver,
  dictionaryLearning,
  Matrix,
  ParsimonyError,
  transpose,
  Type,
  type DictionaryLearningObservation,
  type DictionaryLearningSolution,
  type Rng,
  type SolverContext,
  type Static,
} from '@parsimony/core';
import {
  atomsOf,
  checkDictionaryInputs,
  checkInteger,
  checkStart,
  codeAll,
  denseCodes,
  inferenceSparsity,
  initialAtoms,
  ompCodes,
  replaceWithWorst,
  residuals,
  rowEnergies,
  solveCodingOnly,
  sparseCodes,
  trainingSparsity,
} from '../internal/dictionary.js';
import { dotAt } from '../internal/kernels.js';

/** Parameters of {@link ksvd}. */
export const KsvdParams = Type.Object(
  {
    iterations: Type.Integer({ minimum: 1, default: 30, description: 'K-SVD iterations, each a sparse coding stage (OMP) and a sweep of rank-1 updates over all atoms' }),
    powerIters: Type.Integer({
      minimum: 1,
      default: 2,
      description: 'power iterations per rank-1 atom update, started from the current coefficients (1: the approximate K-SVD of Rubinstein et al. 2008; more approach the exact SVD of Aharon et al. 2006)',
    }),
    monotone: Type.Boolean({ default: true, description: "keep a sample's previous code when OMP's new code represents it worse, so the representation error never increases" }),
    k: Type.Optional(Type.Integer({ minimum: 1, description: "atoms per sample in the coding stage; default the observation's k" })),
  },
  { additionalProperties: false },
);
export type KsvdParams = Static<typeof KsvdParams>;

/** Options of the plain {@link ksvd} function. */
export interface KsvdOptions {
  /** Atoms to learn (columns of D). */
  readonly atoms: number;
  /** Nonzeros per sample in the coding stage (OMP). */
  readonly k: number;
  /** Iterations (default 30). */
  readonly iterations?: number;
  /** Power iterations per atom update (default 2). */
  readonly powerIters?: number;
  /** Keep a sample's previous code when OMP's is worse (default true). */
  readonly monotone?: boolean;
  /** Starting dictionary (n x atoms; columns are normalized); default `atoms` random samples from `rng`. */
  readonly D0?: Matrix;
  /** Draws the starting samples when `D0` is not given. */
  readonly rng?: Rng;
  /** Polled once per iteration (and every 256 codes). */
  readonly signal?: AbortSignal;
  /** After each iteration: ‖Y − DX‖_F / ‖Y‖_F of the current pair and the number of unused atoms replaced. */
  readonly onIteration?: (iteration: number, repErr: number, replaced: number) => void;
}

/** What {@link ksvd} returns. */
export interface KsvdResult {
  /** n x atoms, unit columns. */
  readonly D: Matrix;
  /** atoms x N codes, at most k nonzeros per column (refined by the atom updates). */
  readonly X: Matrix;
  /** Final ‖Y − DX‖_F / ‖Y‖_F. */
  readonly repErr: number;
}

/**
 * K-SVD (Aharon, Elad & Bruckstein, IEEE TSP 54(11), 2006, Fig. 2):
 * alternately (1) code every sample with at most k atoms by OMP, and (2)
 * sweep the atoms, replacing each atom d_a and its nonzero coefficients
 * x_a,ω (ω: the samples that use it) by the best rank-1 approximation of the
 * restricted residual E_ω = Y_ω − Σ_{b≠a} d_b x_b,ω, so the
 * supports never change in step (2) and ‖Y − DX‖_F decreases. An atom no
 * sample uses is replaced by the worst-represented sample (the paper's
 * implementation notes).
 *
 * Coding is batch OMP in Gram form (the plugin's `ompGram` on G = DᵀD and
 * DᵀY from two GEMMs); the residual Y − DX is kept up to date through the
 * sweep, so an atom update costs O(n |ω|) per power iteration.
 *
 * Deviation: the rank-1 approximation uses `powerIters` power iterations
 * started from the current coefficients instead of a full SVD of E_ω
 * (powerIters = 1 is the "approximate K-SVD" of Rubinstein, Zibulevsky &
 * Elad 2008); each half-step is a least-squares fit, so the error still
 * never increases, and many iterations give the SVD's answer.
 *
 * Deviation: with `monotone`, a sample keeps its previous code when OMP's
 * new one fits it worse. The paper notes that convergence of the error needs
 * a coding stage that never worsens a representation; greedy OMP does not
 * promise that, this check does.
 *
 * @param Y - n x N samples, one per column
 * @param options - `atoms`, `k`, and `D0` or `rng`
 * @returns D (n x atoms, unit columns), X (atoms x N), the final relative error
 * @example
 * const { D, X } = ksvd(Y, { atoms: 64, k: 3, rng: createRng(1) });
 */
export function ksvd(Y: Matrix, options: KsvdOptions): KsvdResult {
  const K = options.atoms;
  checkDictionaryInputs('ksvd', Y, K, options.k);
  const iterations = options.iterations ?? 30, powerIters = options.powerIters ?? 2, monotone = options.monotone ?? true;
  checkInteger('ksvd', 'iterations', iterations, 1);
  checkInteger('ksvd', 'powerIters', powerIters, 1);
  const n = Y.rows, N = Y.cols, k = Math.min(options.k, K);
  const Yt = transpose(Y).data;
  let Dt: Float64Array;
  if (options.D0) {
    checkStart('ksvd', options.D0, n, K);
    Dt = atomsOf(options.D0, options.rng);
  } else {
    if (!options.rng) throw new ParsimonyError('PARSIMONY_BAD_INPUT', 'ksvd: give options.D0 or options.rng (to draw the starting atoms from the samples)', 'options.rng');
    Dt = initialAtoms(Yt, N, n, K, options.rng);
  }
  const yy = rowEnergies(Yt, N, n);
  let yTotal = 0;
  for (let j = 0; j < N; j++) yTotal += yy[j];
  const scale = Math.max(yTotal, 1e-300);
  const codes = sparseCodes(N, k), trial = sparseCodes(N, k);
  const err = new Float64Array(N), trialErr = new Float64Array(N);
  const R = new Float64Array(N * n);
  // Per-atom lists of the code slots that use it (CSR over atoms).
  const ptr = new Int32Array(K + 1), fill = new Int32Array(K), slots = new Int32Array(N * k);
  const E = new Float64Array(N * n), x = new Float64Array(N), d = new Float64Array(n);
  let total = 0;

  for (let it = 1; it <= iterations; it++) {
    options.signal?.throwIfAborted();
    // (1) Sparse coding.
    if (it === 1 || !monotone) {
      ompCodes(Dt, K, n, Yt, N, k, codes, err, yy, options.signal);
    } else {
      ompCodes(Dt, K, n, Yt, N, k, trial, trialErr, yy, options.signal);
      // err holds ‖R_j‖² of the current codes on the current dictionary.
      for (let j = 0; j < N; j++) {
        if (!(trialErr[j] < err[j])) continue;
        const o = j * k;
        codes.cnt[j] = trial.cnt[j];
        codes.idx.set(trial.idx.subarray(o, o + k), o);
        codes.val.set(trial.val.subarray(o, o + k), o);
      }
    }
    residuals(Dt, n, Yt, codes, R);

    // (2) Dictionary update, atom by atom.
    ptr.fill(0);
    for (let j = 0; j < N; j++) for (let t = j * k, e = t + codes.cnt[j]; t < e; t++) ptr[codes.idx[t] + 1]++;
    for (let a = 0; a < K; a++) ptr[a + 1] += ptr[a];
    fill.set(ptr.subarray(0, K));
    for (let j = 0; j < N; j++) for (let t = j * k, e = t + codes.cnt[j]; t < e; t++) slots[fill[codes.idx[t]]++] = t;
    const unused: number[] = [];
    for (let a = 0; a < K; a++) {
      const p0 = ptr[a], m = ptr[a + 1] - p0, da = a * n;
      if (m === 0) {
        unused.push(a);
        continue;
      }
      // E_ω = R_ω + d_a x_a,ω (rows: the samples), x = the current coefficients.
      for (let s = 0; s < m; s++) {
        const t = slots[p0 + s], j = (t / k) | 0, v = codes.val[t], o = s * n, r = j * n;
        x[s] = v;
        for (let i = 0; i < n; i++) E[o + i] = R[r + i] + v * Dt[da + i];
      }
      d.set(Dt.subarray(da, da + n));
      for (let p = 0; p < powerIters; p++) {
        // d ∝ E_ω x (least squares in d for fixed x, then normalized), x = E_ωᵀ d.
        d.fill(0);
        for (let s = 0; s < m; s++) {
          const xs = x[s], o = s * n;
          for (let i = 0; i < n; i++) d[i] += xs * E[o + i];
        }
        let dd = 0;
        for (let i = 0; i < n; i++) dd += d[i] * d[i];
        if (!(dd > 0)) {
          // E_ω x = 0: keep the atom, refit its coefficients.
          d.set(Dt.subarray(da, da + n));
        } else {
          const inv = 1 / Math.sqrt(dd);
          for (let i = 0; i < n; i++) d[i] *= inv;
        }
        for (let s = 0; s < m; s++) x[s] = dotAt(E, s * n, d, 0, n);
      }
      Dt.set(d, da);
      for (let s = 0; s < m; s++) {
        const t = slots[p0 + s], j = (t / k) | 0, xs = x[s], o = s * n, r = j * n;
        codes.val[t] = xs;
        for (let i = 0; i < n; i++) R[r + i] = E[o + i] - xs * d[i];
      }
    }
    total = 0;
    for (let j = 0; j < N; j++) {
      err[j] = dotAt(R, j * n, R, j * n, n);
      total += err[j];
    }
    // Unused atoms do not touch DX, so replacing them leaves the error as it is.
    const replaced = replaceWithWorst(Dt, n, Yt, err, unused);
    options.onIteration?.(it, Math.sqrt(total / scale), replaced);
  }
  return { D: transpose(Matrix.from(K, n, Dt)), X: denseCodes(codes, K), repErr: Math.sqrt(total / scale) };
}

/** Why K-SVD does not apply: a task that asks for an orthogonal dictionary (coding-only tasks always apply). */
function skipKsvd(obs: DictionaryLearningObservation): string | undefined {
  if (!obs.orthogonal || obs.D) return undefined;
  return "the task asks for an orthogonal D, and K-SVD's atom-by-atom rank-1 updates cannot keep D orthogonal (baselines/mod and baselines/online-dictionary-learning solve it by Procrustes updates)";
}

/**
 * The bench entry: learns `atoms` atoms from Y with k = params.k or the
 * observation's k, and returns D with the K-SVD codes (or, when the task
 * sets a different inferenceK, Y recoded by OMP with that budget).
 * Coding-only tasks run the coding stage alone on the given D.
 */
export function solveKsvd(obs: DictionaryLearningObservation, params: KsvdParams, ctx: SolverContext): DictionaryLearningSolution {
  ctx.signal.throwIfAborted();
  if (obs.D) return solveCodingOnly(obs, params.k, ctx.signal, (p) => ctx.report(p));
  const skipped = skipKsvd(obs);
  if (skipped) throw new ParsimonyError('PARSIMONY_UNSUPPORTED', `baselines/ksvd: ${skipped}`, 'observation.orthogonal');
  const k = trainingSparsity(obs, params.k);
  const { D, X } = ksvd(obs.Y, {
    atoms: obs.atoms,
    k,
    iterations: params.iterations,
    powerIters: params.powerIters,
    monotone: params.monotone,
    rng: ctx.rng,
    signal: ctx.signal,
    onIteration: (iteration, repErr, replaced) => ctx.report({ iteration, rep_err: repErr, replaced }),
  });
  const budget = inferenceSparsity(obs, k);
  return { D, X: budget === k ? X : codeAll(D, obs.Y, budget, ctx.signal).X };
}

/** `baselines/ksvd`: {@link ksvd} as a registered solver. */
export const ksvdSolver = defineSolver({
  id: 'baselines/ksvd',
  family: dictionaryLearning,
  title: 'K-SVD',
  summary: 'Alternate OMP sparse coding and atom-by-atom rank-1 (SVD) updates of each atom with its coefficients (Aharon, Elad & Bruckstein 2006).',
  params: KsvdParams,
  solve: solveKsvd,
  skip: skipKsvd,
});
