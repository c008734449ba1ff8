import {
  Matrix,
  ParsimonyError,
  Type,
  adam,
  batchSchedule,
  defineSolver,
  dictionaryLearning,
  gaussianMatrix,
  transpose,
  type DictionaryLearningObservation,
  type DictionaryLearningSolution,
  type Rng,
  type SolverContext,
  type Static,
} from '@parsimony/core';

/** Parameters of {@link topkSae}; defaults live in the schema (MP-SAE's toy optimiser, paper 05). */
export const TopkSaeParams = Type.Object(
  {
    steps: Type.Optional(Type.Integer({ minimum: 1, description: 'training steps; default max(800, ceil(10 N / batch))' })),
    batch: Type.Integer({ minimum: 1, default: 64, description: 'samples per step' }),
    lr: Type.Number({ exclusiveMinimum: 0, default: 3e-2, description: 'peak Adam learning rate' }),
    beta1: Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0.5, description: 'Adam β₁' }),
    beta2: Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0.9375, description: 'Adam β₂' }),
    warmup: Type.Integer({ minimum: 0, default: 100, description: 'linear warm-up steps of the warmup-stable-decay schedule' }),
    decay: Type.Number({ minimum: 0, maximum: 1, default: 0.2, description: 'final fraction of the steps over which the rate decays linearly to 0.1×' }),
    clip: Type.Number({ exclusiveMinimum: 0, default: 1, description: 'gradient-norm clipping level' }),
    inferenceK: Type.Optional(Type.Integer({ minimum: 1, description: 'TopK at inference when coding Y for the solution; default observation.inferenceK, else k' })),
  },
  { additionalProperties: false },
);
export type TopkSaeParams = Static<typeof TopkSaeParams>;

/** A trained TopK SAE: z = TopK(relu(W_enc x + b_enc)), x̂ = W_decᵀ z. */
export interface TopkSaeModel {
  /** m x d encoder weights. */
  readonly Wenc: Matrix;
  /** m encoder biases. */
  readonly benc: Float64Array;
  /** m x d decoder, unit-norm rows (the dictionary atoms). */
  readonly Wdec: Matrix;
}

/** Options of {@link trainTopkSae}. */
export interface TrainTopkSaeOptions {
  readonly atoms: number;
  readonly k: number;
  readonly steps: number;
  readonly batch?: number;
  readonly lr?: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly warmup?: number;
  readonly decay?: number;
  readonly clip?: number;
  readonly rng: Rng;
  readonly signal?: AbortSignal;
  readonly onStep?: (step: number, loss: number) => void;
}

/** Warmup-stable-decay learning rate at step t. */
function wsd(t: number, steps: number, lr: number, warmup: number, decay: number): number {
  if (t < warmup) return (lr * (t + 1)) / warmup;
  const start = Math.floor(steps * (1 - decay));
  if (decay > 0 && t >= start) return lr * (1 - (0.9 * (t - start + 1)) / Math.max(steps - start, 1));
  return lr;
}

function normaliseRows(W: Float64Array, m: number, d: number): void {
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let i = 0; i < d; i++) s += W[j * d + i] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let i = 0; i < d; i++) W[j * d + i] *= inv;
  }
}

/**
 * Pre-activations of one sample, then the k largest positive ones kept
 * (indices in `sel`, values in `act`); returns how many were kept.
 */
function topkOf(model: TopkSaeModel, x: Float64Array, xo: number, k: number, pre: Float64Array, sel: Int32Array, act: Float64Array): number {
  const m = model.Wenc.rows, d = model.Wenc.cols, W = model.Wenc.data, b = model.benc;
  for (let j = 0; j < m; j++) {
    let s = b[j];
    for (let i = 0; i < d; i++) s += W[j * d + i] * x[xo + i];
    pre[j] = s;
  }
  // Insertion into a sorted list of at most k entries: k is small.
  let n = 0;
  for (let j = 0; j < m; j++) {
    const v = pre[j];
    if (!(v > 0) || (n === k && v <= act[n - 1])) continue;
    let p = n < k ? n++ : k - 1;
    while (p > 0 && act[p - 1] < v) {
      act[p] = act[p - 1];
      sel[p] = sel[p - 1];
      p--;
    }
    act[p] = v;
    sel[p] = j;
  }
  return n;
}

/**
 * Codes of a trained TopK SAE: z = TopK(relu(W_enc x + b_enc)) with k
 * chosen at inference.
 *
 * @param X - B x d inputs, one per row
 * @returns B x m codes, at most k nonzeros per row
 * @example
 * const Z = topkEncode(model, X, 4);
 */
export function topkEncode(model: TopkSaeModel, X: Matrix, k: number): Matrix {
  const m = model.Wenc.rows, d = model.Wenc.cols;
  if (X.cols !== d) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `topkEncode: X has ${X.cols} columns, the encoder ${d}`, 'X');
  const Z = Matrix.zeros(X.rows, m);
  const pre = new Float64Array(m), sel = new Int32Array(k), act = new Float64Array(k);
  for (let b = 0; b < X.rows; b++) {
    const n = topkOf(model, X.data as Float64Array, b * d, k, pre, sel, act);
    for (let t = 0; t < n; t++) Z.data[b * m + sel[t]] = act[t];
  }
  return Z;
}

/**
 * Trains a TopK sparse autoencoder (Gao et al., 2024) on N x d samples:
 * untied encoder (W_enc, b_enc), decoder W_dec with unit rows, loss mean
 * ||x - W_decᵀ TopK(relu(W_enc x + b_enc))||², hand-written gradients, Adam,
 * warmup-stable-decay, gradient-norm clipping, decoder rows renormalised
 * after each step. W_enc starts as W_dec (Gaussian, unit rows), b_enc = 0.
 *
 * @param X - N x d samples, one per row
 * @example
 * const model = trainTopkSae(X, { atoms: 32, k: 4, steps: 800, rng: createRng(1) });
 */
export function trainTopkSae(X: Matrix, options: TrainTopkSaeOptions): TopkSaeModel {
  const N = X.rows, d = X.cols, m = options.atoms, k = options.k, steps = options.steps;
  const B = options.batch ?? 64, clip = options.clip ?? 1, warmup = Math.min(options.warmup ?? 100, steps), decay = options.decay ?? 0.2;
  const lr = options.lr ?? 3e-2;
  const Wdec = gaussianMatrix(m, d, options.rng);
  const dec = Wdec.data as Float64Array;
  normaliseRows(dec, m, d);
  const Wenc = Matrix.clone(Wdec);
  const enc = Wenc.data as Float64Array;
  const benc = new Float64Array(m);
  const model: TopkSaeModel = { Wenc, benc, Wdec };
  const opt = adam({ lr, beta1: options.beta1 ?? 0.5, beta2: options.beta2 ?? 0.9375 });
  const order = batchSchedule(N, steps, B, options.rng);
  const x = X.data as Float64Array;
  const pre = new Float64Array(m), sel = new Int32Array(k), act = new Float64Array(k);
  const g = new Float64Array(d);
  const dEnc = new Float64Array(m * d), dB = new Float64Array(m), dDec = new Float64Array(m * d);
  const every = Math.max(1, Math.floor(steps / 100));
  for (let step = 0; step < steps; step++) {
    options.signal?.throwIfAborted();
    dEnc.fill(0);
    dB.fill(0);
    dDec.fill(0);
    let loss = 0;
    for (let bi = 0; bi < B; bi++) {
      const xo = order[step * B + bi] * d;
      const n = topkOf(model, x, xo, k, pre, sel, act);
      // e = x̂ - x, g = dL/dx̂ = 2 e / B.
      for (let i = 0; i < d; i++) g[i] = -x[xo + i];
      for (let t = 0; t < n; t++) {
        const o = sel[t] * d, z = act[t];
        for (let i = 0; i < d; i++) g[i] += z * dec[o + i];
      }
      let ee = 0;
      for (let i = 0; i < d; i++) ee += g[i] * g[i];
      loss += ee / B;
      for (let i = 0; i < d; i++) g[i] *= 2 / B;
      for (let t = 0; t < n; t++) {
        const j = sel[t], o = j * d, z = act[t];
        let dz = 0;
        for (let i = 0; i < d; i++) {
          dz += dec[o + i] * g[i];
          dDec[o + i] += z * g[i];
        }
        // Only kept latents with positive pre-activation pass gradient (TopK and ReLU masks).
        for (let i = 0; i < d; i++) dEnc[o + i] += dz * x[xo + i];
        dB[j] += dz;
      }
    }
    let gn = 0;
    for (let i = 0; i < m * d; i++) gn += dEnc[i] * dEnc[i] + dDec[i] * dDec[i];
    for (let j = 0; j < m; j++) gn += dB[j] * dB[j];
    gn = Math.sqrt(gn);
    if (gn > clip) {
      const sc = clip / gn;
      for (let i = 0; i < m * d; i++) {
        dEnc[i] *= sc;
        dDec[i] *= sc;
      }
      for (let j = 0; j < m; j++) dB[j] *= sc;
    }
    opt.lr = wsd(step, steps, lr, warmup, decay);
    opt.step([enc, benc, dec], [dEnc, dB, dDec]);
    normaliseRows(dec, m, d);
    if (options.onStep && (step % every === 0 || step === steps - 1)) options.onStep(step + 1, loss);
  }
  return model;
}

/**
 * The bench entry: trains on the columns of Y with TopK = observation.k and
 * returns D = W_decᵀ and the codes of Y with TopK = inferenceK (or
 * observation.inferenceK, or k).
 */
export function topkSae(obs: DictionaryLearningObservation, params: TopkSaeParams, ctx: SolverContext): DictionaryLearningSolution {
  ctx.signal.throwIfAborted();
  const N = obs.Y.cols, batch = params.batch ?? 64;
  const samples = transpose(obs.Y);
  const model = trainTopkSae(samples, {
    atoms: obs.atoms,
    k: obs.k,
    steps: params.steps ?? Math.max(800, Math.ceil((10 * N) / batch)),
    batch,
    lr: params.lr,
    beta1: params.beta1,
    beta2: params.beta2,
    warmup: params.warmup,
    decay: params.decay,
    clip: params.clip,
    rng: ctx.rng,
    signal: ctx.signal,
    onStep: (iteration, objective) => ctx.report({ iteration, objective }),
  });
  ctx.signal.throwIfAborted();
  const Z = topkEncode(model, samples, params.inferenceK ?? obs.inferenceK ?? obs.k);
  return { D: transpose(model.Wdec), X: transpose(Z) };
}

/** `baselines/topk-sae`: {@link topkSae} as a registered solver. */
export const topkSaeSolver = defineSolver({
  id: 'baselines/topk-sae',
  family: dictionaryLearning,
  title: 'TopK sparse autoencoder',
  summary: 'Untied encoder with TopK(ReLU) codes and a unit-norm linear decoder, trained by Adam on the reconstruction error.',
  params: TopkSaeParams,
  solve: topkSae,
});
