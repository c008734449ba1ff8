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
  blockCoordinateDictionary,
  checkDictionaryInputs,
  checkInteger,
  checkStart,
  codeAll,
  inferenceSparsity,
  initialAtoms,
  ompCodes,
  polarFactor,
  solveCodingOnly,
  sparseCodes,
  trainingSparsity,
} from '../internal/dictionary.js';
import { sumSq } from '../internal/kernels.js';

/** Parameters of {@link onlineDictionaryLearning}. */
export const OnlineDictionaryLearningParams = Type.Object(
  {
    epochs: Type.Number({ exclusiveMinimum: 0, default: 10, description: 'passes over the samples (cycled in a fresh random order each pass); steps = ceil(epochs·N / batch)' }),
    batch: Type.Integer({ minimum: 1, default: 256, description: 'samples per step (the mini-batch size η)' }),
    passes: Type.Integer({ minimum: 1, default: 1, description: 'block-coordinate sweeps over the atoms per step (Alg. 2, warm-started)' }),
    past: Type.Union([Type.Literal('replace'), Type.Literal('decay')], {
      default: 'replace',
      description: "how A and B treat the past: 'replace' removes a revisited sample's previous code (JMLR Sec. 3.4.1, exact for a finite data set); 'decay' down-weights the past by the mini-batch β (ICML 2009)",
    }),
    k: Type.Optional(Type.Integer({ minimum: 1, description: "atoms per sample in the coding stage; default the observation's k" })),
  },
  { additionalProperties: false },
);
export type OnlineDictionaryLearningParams = Static<typeof OnlineDictionaryLearningParams>;

/** Options of the plain {@link onlineDictionaryLearning} function. */
export interface OnlineDictionaryLearningOptions {
  /** Atoms to learn (columns of D). */
  readonly atoms: number;
  /** Nonzeros per sample in the coding stage (OMP). */
  readonly k: number;
  /** Passes over the samples (default 10). */
  readonly epochs?: number;
  /** Samples per step η (default 256). */
  readonly batch?: number;
  /** Block-coordinate sweeps per step (default 1). */
  readonly passes?: number;
  /** 'replace' (default): a revisited sample's previous code leaves A and B; 'decay': the mini-batch weights β. */
  readonly past?: 'replace' | 'decay';
  /** Learn an orthogonal D (needs atoms = n): the surrogate's minimizer over the orthogonal group, polar(B). */
  readonly orthogonal?: boolean;
  /** Starting dictionary (n x atoms; columns are normalized, or its polar factor is taken when `orthogonal`); default `atoms` random samples. */
  readonly D0?: Matrix;
  /** The sample order, the starting samples (without `D0`) and replacements of unused atoms. */
  readonly rng: Rng;
  /** Polled once per step. */
  readonly signal?: AbortSignal;
  /** After each step: the step, the mini-batch's ‖Y_b − D X_b‖_F / ‖Y_b‖_F with its codes on the dictionary before the step, and the atoms replaced. */
  readonly onStep?: (step: number, batchErr: number, replaced: number) => void;
}

/** What {@link onlineDictionaryLearning} returns. */
export interface OnlineDictionaryLearningResult {
  /** n x atoms, unit columns (orthogonal with `orthogonal`). */
  readonly D: Matrix;
  /** atoms x N: OMP codes of Y on the final D, at most k nonzeros per column. */
  readonly X: Matrix;
  /** ‖Y − DX‖_F / ‖Y‖_F of the returned pair. */
  readonly repErr: number;
  /** Steps taken. */
  readonly steps: number;
}

/**
 * Online dictionary learning (Mairal, Bach, Ponce & Sapiro, JMLR 11, 2010,
 * Alg. 1 with the dictionary update of Alg. 2): for each mini-batch of η
 * samples, (1) code them on the current dictionary, (2) fold them into the
 * sufficient statistics A = Σ α αᵀ (K x K) and B = Σ y αᵀ (n x K), and (3)
 * minimize the surrogate ½ tr(DᵀD A) − tr(DᵀB) by block-coordinate descent
 * over the atoms, warm-started at the current D. The samples are cycled in
 * a fresh random order each epoch (Sec. 3.4.1). How A and B forget:
 * `past: 'replace'` (default) removes a revisited sample's previous code
 * from them, A ← A + α αᵀ − α_old α_oldᵀ (and likewise B), the exact
 * treatment of a finite data set of Sec. 3.4.1 (the N past codes are kept);
 * `past: 'decay'` uses the mini-batch weights of the ICML 2009 version of
 * the paper: A ← β A + Σ α αᵀ, B ← β B + Σ y αᵀ with β = (θ + 1 − η)/(θ + 1),
 * θ = tη for t < η and η² + t − η after. An atom whose A_jj is
 * (numerically) zero is replaced by a random sample (Sec. 3.4.5).
 *
 * With `orthogonal`, step (3) is solved exactly over the orthogonal group:
 * tr(DᵀD A) is then constant, so the minimizer is D = polar(B).
 *
 * Deviation: the coding stage is OMP with k atoms per sample (the family's
 * k-sparse model), not the ℓ1 (LARS) coding of the paper; and atoms are kept
 * at unit norm rather than in the unit ball (see the block-coordinate update).
 *
 * @param Y - n x N samples, one per column
 * @param options - `atoms`, `k`, `rng`
 * @returns D (n x atoms, unit columns), X (OMP codes on D), the relative error, the steps
 * @example
 * const { D } = onlineDictionaryLearning(Y, { atoms: 64, k: 3, rng: createRng(1) });
 */
export function onlineDictionaryLearning(Y: Matrix, options: OnlineDictionaryLearningOptions): OnlineDictionaryLearningResult {
  const K = options.atoms;
  checkDictionaryInputs('onlineDictionaryLearning', Y, K, options.k);
  const epochs = options.epochs ?? 10, eta = options.batch ?? 256, passes = options.passes ?? 1;
  if (!(epochs > 0) || !Number.isFinite(epochs)) {
    throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `onlineDictionaryLearning: options.epochs must be a finite number > 0 (got ${epochs})`, 'options.epochs');
  }
  checkInteger('onlineDictionaryLearning', 'batch', eta, 1);
  checkInteger('onlineDictionaryLearning', 'passes', passes, 1);
  const rng = options.rng;
  if (!rng) throw new ParsimonyError('PARSIMONY_BAD_INPUT', 'onlineDictionaryLearning: options.rng is required (it orders the samples)', 'options.rng');
  const n = Y.rows, N = Y.cols, k = Math.min(options.k, K), orthogonal = options.orthogonal ?? false;
  if (orthogonal && K !== n) {
    throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `onlineDictionaryLearning: options.orthogonal needs a square dictionary, atoms = n (got atoms = ${K}, n = ${n})`, 'options.orthogonal');
  }
  const Yt = transpose(Y).data;
  let Dt: Float64Array;
  if (options.D0) {
    checkStart('onlineDictionaryLearning', options.D0, n, K);
    Dt = atomsOf(options.D0, rng);
  } else {
    Dt = initialAtoms(Yt, N, n, K, rng);
  }
  if (orthogonal) Dt = polarFactor(Matrix.from(K, n, Dt)).slice();

  const steps = Math.max(1, Math.ceil((epochs * N) / eta));
  const replacePast = (options.past ?? 'replace') === 'replace';
  const A = new Float64Array(K * K), Bt = new Float64Array(K * n);
  const Yb = new Float64Array(eta * n), yyb = new Float64Array(eta), errb = new Float64Array(eta);
  const batchIds = new Int32Array(eta);
  const codes = sparseCodes(eta, k);
  // 'replace': the code each sample last contributed to A and B.
  const last = replacePast ? sparseCodes(N, k) : undefined;
  let order = rng.permutation(N), pos = 0;
  const replace = (atom: number) => {
    const j = rng.int(N), s = Math.sqrt(sumSq(Yt.subarray(j * n, (j + 1) * n)));
    if (s > 0) for (let i = 0; i < n; i++) Dt[atom * n + i] = Yt[j * n + i] / s;
  };
  /** A += sign α αᵀ and Bt += sign α yᵀ for the code in slots [o, o + c) of `cs` and the sample y at Ys[yo..]. */
  const fold = (cs: { idx: Int32Array; val: Float64Array }, o: number, c: number, Ys: Float64Array, yo: number, sign: number) => {
    for (let p = 0; p < c; p++) {
      const a = cs.idx[o + p], v = sign * cs.val[o + p], ba = a * n;
      for (let q = 0; q < c; q++) A[a * K + cs.idx[o + q]] += v * cs.val[o + q];
      for (let i = 0; i < n; i++) Bt[ba + i] += v * Ys[yo + i];
    }
  };

  for (let t = 1; t <= steps; t++) {
    options.signal?.throwIfAborted();
    // Draw the mini-batch: the next η samples of the current random order.
    for (let s = 0; s < eta; s++) {
      if (pos === N) {
        order = rng.permutation(N);
        pos = 0;
      }
      const j = order[pos++];
      batchIds[s] = j;
      Yb.set(Yt.subarray(j * n, (j + 1) * n), s * n);
      yyb[s] = sumSq(Yt.subarray(j * n, (j + 1) * n));
    }
    // (1) Sparse coding of the mini-batch on D_{t-1}.
    ompCodes(Dt, K, n, Yb, eta, k, codes, errb, yyb);
    // (2) Sufficient statistics.
    if (!replacePast) {
      // Mini-batch weights: the past is down-weighted by β.
      const theta = t < eta ? t * eta : eta * eta + t - eta;
      const beta = (theta + 1 - eta) / (theta + 1);
      for (let i = 0; i < K * K; i++) A[i] *= beta;
      for (let i = 0; i < K * n; i++) Bt[i] *= beta;
    }
    let e = 0, yy = 0;
    for (let s = 0; s < eta; s++) {
      const o = s * k, c = codes.cnt[s];
      if (last) {
        // The sample's previous contribution leaves A and B; its new one is stored in its place.
        const j = batchIds[s], lo = j * k;
        fold(last, lo, last.cnt[j], Yt, j * n, -1);
        last.cnt[j] = c;
        last.idx.set(codes.idx.subarray(o, o + c), lo);
        last.val.set(codes.val.subarray(o, o + c), lo);
      }
      fold(codes, o, c, Yb, s * n, 1);
      e += errb[s];
      yy += yyb[s];
    }
    // (3) Dictionary update.
    let replaced = 0;
    if (orthogonal) {
      Dt.set(polarFactor(Matrix.from(K, n, Bt)));
    } else {
      let trace = 0;
      for (let a = 0; a < K; a++) trace += A[a * K + a];
      replaced = blockCoordinateDictionary(Dt, K, n, A, Bt, passes, 1e-10 * (trace / K), replace);
    }
    options.onStep?.(t, Math.sqrt(e / Math.max(yy, 1e-300)), replaced);
  }
  options.signal?.throwIfAborted();
  const D = transpose(Matrix.from(K, n, Dt));
  const { X, err } = codeAll(D, Y, k, options.signal);
  return { D, X, repErr: err, steps };
}

/**
 * The bench entry: learns `atoms` atoms from Y with k = params.k or the
 * observation's k (an orthogonal D when the task asks for one) and returns D
 * with the OMP codes of Y on it at the task's inference budget; about 100
 * trace points. Coding-only tasks run the coding stage alone on the given D.
 */
export function solveOnlineDictionaryLearning(obs: DictionaryLearningObservation, params: OnlineDictionaryLearningParams, ctx: SolverContext): DictionaryLearningSolution {
  ctx.signal.throwIfAborted();
  if (obs.D) return solveCodingOnly(obs, params.k, ctx.signal, (p) => ctx.report(p));
  const k = trainingSparsity(obs, params.k);
  const budget = inferenceSparsity(obs, k);
  const steps = Math.max(1, Math.ceil((params.epochs * obs.Y.cols) / params.batch));
  const every = Math.max(1, Math.floor(steps / 100));
  const { D, X } = onlineDictionaryLearning(obs.Y, {
    atoms: obs.atoms,
    k,
    epochs: params.epochs,
    batch: params.batch,
    passes: params.passes,
    past: params.past,
    orthogonal: obs.orthogonal ?? false,
    rng: ctx.rng,
    signal: ctx.signal,
    onStep: (iteration, batchErr, replaced) => {
      if (iteration % every === 0 || iteration === steps) ctx.report({ iteration, batch_err: batchErr, replaced });
    },
  });
  return { D, X: budget === k ? X : codeAll(D, obs.Y, budget, ctx.signal).X };
}

/** `baselines/online-dictionary-learning`: {@link onlineDictionaryLearning} as a registered solver. */
export const onlineDictionaryLearningSolver = defineSolver({
  id: 'baselines/online-dictionary-learning',
  family: dictionaryLearning,
  title: 'Online dictionary learning',
  summary: 'Mini-batch OMP coding, running sufficient statistics A = Σ ααᵀ and B = Σ yαᵀ, and block-coordinate atom updates on the surrogate (Mairal, Bach, Ponce & Sapiro 2009/2010).',
  params: OnlineDictionaryLearningParams,
  solve: solveOnlineDictionaryLearning,
});
