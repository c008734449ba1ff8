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
  type ObservationOf,
  type Rng,
  type SolutionOf,
  type SolverContext,
  type Static,
} from '@parsimony/core';

/** Parameters of {@link mpSae}; defaults live in the schema (the official toy code's optimiser). */
export const MpSaeParams = Type.Object(
  {
    steps: Type.Optional(Type.Integer({ minimum: 1, description: 'training steps; default max(800, ceil(10 N / batch)) (800 steps of 64 in the paper\'s toy)' })),
    batch: Type.Integer({ minimum: 1, default: 64, description: 'samples per step' }),
    lr: Type.Number({ exclusiveMinimum: 0, default: 3e-2, description: 'peak Adam learning rate' }),
    beta1: Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0.5, description: 'Adam β₁' }),
    beta2: Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0.9375, description: 'Adam β₂' }),
    warmup: Type.Integer({ minimum: 0, default: 100, description: 'linear warm-up steps of the warmup-stable-decay schedule' }),
    decay: Type.Number({ minimum: 0, maximum: 1, default: 0.2, description: 'final fraction of the steps over which the rate decays linearly to 0.1×' }),
    clip: Type.Number({ exclusiveMinimum: 0, default: 1, description: 'gradient-norm clipping level' }),
    inferenceSteps: Type.Optional(Type.Integer({ minimum: 1, description: 'MP steps k\' when coding Y for the solution; default observation.inferenceK, else k' })),
    tol: Type.Number({ minimum: 0, default: 0, description: 'inference: stop coding a column once ||r|| <= tol·||x||' }),
  },
  { additionalProperties: false },
);
export type MpSaeParams = Static<typeof MpSaeParams>;

type Observation = ObservationOf<typeof dictionaryLearning>;
type Solution = SolutionOf<typeof dictionaryLearning>;

/** Options of {@link trainMpSae}. */
export interface TrainMpSaeOptions {
  /** Latents m (rows of W). */
  readonly atoms: number;
  /** Unrolled MP steps during training. */
  readonly k: number;
  readonly steps: number;
  readonly batch?: number;
  readonly lr?: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly warmup?: number;
  readonly decay?: number;
  readonly clip?: number;
  /** Initialisation and minibatch order. */
  readonly rng: Rng;
  /** Polled once per step. */
  readonly signal?: AbortSignal;
  /** Receives (step, mean batch loss ||x - x̂||²). */
  readonly onStep?: (step: number, loss: number) => void;
}

/** Codes and residuals of {@link mpEncode}. */
export interface MpCodes {
  /** B x m nonnegative codes, at most `steps` nonzeros per row. */
  readonly Z: Matrix;
  /** B x d residuals r = x - zᵀW. */
  readonly R: Matrix;
}

/**
 * Warmup-stable-decay: linear warm-up over `warmup` steps, flat, then a linear
 * decay to 0.1× over the last `decay` fraction (the official toy schedule).
 */
function wsd(t: number, steps: number, lr: number, warmup: number, decay: number): number {
  if (t < warmup) return (lr * (t + 1)) / warmup;
  const start = Math.floor(steps * (1 - decay));
  if (decay > 0 && t >= start) return lr * (1 - (0.9 * (t - start + 1)) / Math.max(steps - start, 1));
  return lr;
}

function normaliseRows(W: Float64Array, m: number, d: number): void {
  for (let j = 0; j < m; j++) {
    const o = j * d;
    let s = 0;
    for (let i = 0; i < d; i++) s += W[o + i] * W[o + i];
    // A zero row stays zero rather than becoming NaN.
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let i = 0; i < d; i++) W[o + i] *= inv;
  }
}

/**
 * Matching pursuit with nonnegative steps (Alg. 1 of the paper, ReLU on the
 * correlations as in the official toy code): r₀ = x; for t = 1..steps,
 * j = argmax_j relu(⟨W_j, r⟩), v = relu(⟨W_j, r⟩), z_j += v, r -= v W_j.
 * The residual energy never grows: ||r_t||² = ||r_{t-1}||² - v² for unit rows.
 *
 * @param W - m x d dictionary, one unit-norm atom per row
 * @param X - B x d inputs, one per row
 * @param steps - pursuit steps k'
 * @param tol - stop a row once ||r|| <= tol·||x|| (0: run all steps)
 * @returns codes Z (B x m) and residuals R (B x d)
 * @example
 * const { Z, R } = mpEncode(W, X, 4);
 */
export function mpEncode(W: Matrix, X: Matrix, steps: number, tol = 0): MpCodes {
  const m = W.rows, d = W.cols, B = X.rows;
  if (X.cols !== d) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `mpEncode: X has ${X.cols} columns, W has ${d} (one atom per row)`, 'X');
  const w = W.data, Z = Matrix.zeros(B, m), R = Matrix.zeros(B, d);
  const z = Z.data as Float64Array, r = R.data as Float64Array;
  r.set(X.data);
  for (let b = 0; b < B; b++) {
    const ro = b * d;
    let rr = 0;
    for (let i = 0; i < d; i++) rr += r[ro + i] * r[ro + i];
    const stop = tol * tol * rr;
    for (let t = 0; t < steps; t++) {
      if (tol > 0 && rr <= stop) break;
      let best = -1, bv = 0;
      for (let j = 0; j < m; j++) {
        let c = 0;
        const o = j * d;
        for (let i = 0; i < d; i++) c += w[o + i] * r[ro + i];
        if (c > bv) {
          bv = c;
          best = j;
        }
      }
      // No atom correlates positively: further steps would all be zero.
      if (best < 0) break;
      z[b * m + best] += bv;
      const o = best * d;
      rr = 0;
      for (let i = 0; i < d; i++) {
        r[ro + i] -= bv * w[o + i];
        rr += r[ro + i] * r[ro + i];
      }
    }
  }
  return { Z, R };
}

/** Scratch arrays of {@link mpSaeLossGrad}: residual history, picks, step sizes. */
export interface MpSaeWorkspace {
  readonly hist: Float64Array;
  readonly idx: Int32Array;
  readonly val: Float64Array;
  readonly r: Float64Array;
  readonly g: Float64Array;
}

/** Allocates the scratch arrays of {@link mpSaeLossGrad} for k steps in dimension d. */
export function mpSaeWorkspace(k: number, d: number): MpSaeWorkspace {
  return { hist: new Float64Array(k * d), idx: new Int32Array(k), val: new Float64Array(k), r: new Float64Array(d), g: new Float64Array(d) };
}

/**
 * Loss mean_b ||x_b - x̂_b||² of k unrolled MP steps and its gradient in W,
 * back through the chain with the picked indices held fixed (what autograd
 * does): g = 2 r_k; for t = k..1: s = -⟨g, W_j⟩, ∇W_j += -v_t g + s r_{t-1},
 * g += s W_j (s = 0 when v_t = 0: relu'(0) = 0).
 *
 * @param W - m x d dictionary (rows)
 * @param X - B x d batch (rows)
 * @param dW - m·d gradient, overwritten
 * @returns the loss
 * @example
 * const loss = mpSaeLossGrad(W, X, 4, dW);
 */
export function mpSaeLossGrad(W: Matrix, X: Matrix, k: number, dW: Float64Array, work: MpSaeWorkspace = mpSaeWorkspace(k, W.cols)): number {
  const m = W.rows, d = W.cols, B = X.rows, w = W.data, x = X.data;
  const { hist, idx, val, r, g } = work;
  dW.fill(0);
  let loss = 0;
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < d; i++) r[i] = x[b * d + i];
    // Forward: k steps of MP, keeping r_{t-1} for the backward pass.
    for (let t = 0; t < k; t++) {
      hist.set(r, t * d);
      let best = 0, bv = 0;
      for (let j = 0; j < m; j++) {
        let c = 0;
        const o = j * d;
        for (let i = 0; i < d; i++) c += w[o + i] * r[i];
        if (c > bv) {
          bv = c;
          best = j;
        }
      }
      idx[t] = best;
      val[t] = bv;
      if (bv > 0) {
        const o = best * d;
        for (let i = 0; i < d; i++) r[i] -= bv * w[o + i];
      }
    }
    let rr = 0;
    for (let i = 0; i < d; i++) rr += r[i] * r[i];
    loss += rr / B;
    for (let i = 0; i < d; i++) g[i] = (2 / B) * r[i];
    for (let t = k - 1; t >= 0; t--) {
      const v = val[t];
      if (!(v > 0)) continue;
      const o = idx[t] * d, ho = t * d;
      let s = 0;
      for (let i = 0; i < d; i++) s -= g[i] * w[o + i];
      for (let i = 0; i < d; i++) {
        dW[o + i] += -v * g[i] + s * hist[ho + i];
        g[i] += s * w[o + i];
      }
    }
  }
  return loss;
}

/**
 * Trains an MP-SAE: tied dictionary W (m x d, unit rows), encoder = k
 * unrolled MP steps, loss mean ||x - zᵀW||², gradient back through the
 * unrolled chain with the selected indices held fixed (what autograd does):
 * g = 2 r_k; for t = k..1: s = -⟨g, W_j⟩, ∇W_j += -v_t g + s r_{t-1}, g += s W_j.
 * Adam, warmup-stable-decay, gradient-norm clipping, rows renormalised after
 * every step.
 *
 * @param X - N x d training samples, one per row
 * @returns W, m x d
 * @example
 * const W = trainMpSae(X, { atoms: 32, k: 4, steps: 800, rng: createRng(1) });
 */
export function trainMpSae(X: Matrix, options: TrainMpSaeOptions): Matrix {
  const N = X.rows, d = X.cols, m = options.atoms, k = options.k, steps = options.steps;
  const B = options.batch ?? 64, clip = options.clip ?? 1, warmup = Math.min(options.warmup ?? 100, steps), decay = options.decay ?? 0.2;
  const lr = options.lr ?? 3e-2;
  const rng = options.rng;
  const Wm = gaussianMatrix(m, d, rng);
  const W = Wm.data as Float64Array;
  normaliseRows(W, m, d);
  const opt = adam({ lr, beta1: options.beta1 ?? 0.5, beta2: options.beta2 ?? 0.9375 });
  const order = batchSchedule(N, steps, B, rng);
  const x = X.data;
  const Xb = Matrix.zeros(B, d), xb = Xb.data as Float64Array, dW = new Float64Array(m * d);
  const work = mpSaeWorkspace(k, d);
  const every = Math.max(1, Math.floor(steps / 100));
  for (let step = 0; step < steps; step++) {
    options.signal?.throwIfAborted();
    for (let bi = 0; bi < B; bi++) {
      const xo = order[step * B + bi] * d;
      for (let i = 0; i < d; i++) xb[bi * d + i] = x[xo + i];
    }
    const loss = mpSaeLossGrad(Wm, Xb, k, dW, work);
    let gn = 0;
    for (let i = 0; i < dW.length; i++) gn += dW[i] * dW[i];
    gn = Math.sqrt(gn);
    if (gn > clip) {
      const sc = clip / gn;
      for (let i = 0; i < dW.length; i++) dW[i] *= sc;
    }
    opt.lr = wsd(step, steps, lr, warmup, decay);
    opt.step([W], [dW]);
    normaliseRows(W, m, d);
    if (options.onStep && (step % every === 0 || step === steps - 1)) options.onStep(step + 1, loss);
  }
  return Wm;
}

/**
 * MP-SAE on a dictionary-learning observation: trains on the columns of Y
 * with the observation's k as the unrolled depth, returns D = Wᵀ and the
 * MP codes of Y with k' = inferenceSteps (or observation.inferenceK, or k) steps.
 *
 * @example
 * const { D, X } = mpSae(observation, { batch: 64, lr: 0.03, beta1: 0.5, beta2: 0.9375, warmup: 100, decay: 0.2, clip: 1, tol: 0 }, ctx);
 */
export function mpSae(observation: Observation, params: MpSaeParams, ctx: SolverContext): Solution {
  ctx.signal.throwIfAborted();
  const Y = observation.Y, N = Y.cols;
  const batch = params.batch ?? 64;
  const steps = params.steps ?? Math.max(800, Math.ceil((10 * N) / batch));
  const samples = transpose(Y);
  const W = trainMpSae(samples, {
    atoms: observation.atoms,
    k: observation.k,
    steps,
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
  const kInfer = params.inferenceSteps ?? observation.inferenceK ?? observation.k;
  const { Z } = mpEncode(W, samples, kInfer, params.tol ?? 0);
  return { D: transpose(W), X: transpose(Z) };
}

/** `mp-sae/mp-sae`: {@link mpSae} as a registered solver. */
export const mpSaeSolver = defineSolver({
  id: 'mp-sae/mp-sae',
  family: dictionaryLearning,
  title: 'MP-SAE',
  summary: 'Sparse autoencoder whose encoder is k unrolled nonnegative matching-pursuit steps on a tied unit-norm dictionary, trained through the unrolled chain.',
  params: MpSaeParams,
  solve: mpSae,
});
