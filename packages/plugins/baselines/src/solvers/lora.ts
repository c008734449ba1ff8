import {
  Matrix,
  ParsimonyError,
  Type,
  adam,
  applyLora,
  batchSchedule,
  cloneMlp,
  defineSolver,
  gatherRows,
  lossAndGrad,
  peft,
  typescriptBackend,
  type Dataset,
  type LinalgBackend,
  type LoraFactors,
  type Mlp,
  type PeftObservation,
  type PeftSolution,
  type Rng,
  type SolverContext,
  type Static,
  type TaskKind,
} from '@parsimony/core';
import { checkDataset, checkNumber, checkSameArchitecture, checkTrainOptions, reportEvery, type TrainHooks } from '../internal/nn.js';

/** Parameters of {@link lora}. */
export const LoraParams = Type.Object(
  {
    rank: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: "rank r of every adapted layer's factors (capped at min(d_out, d_in)); default observation.budget.rank, else the largest r whose factors fit observation.budget.trainableParams",
      }),
    ),
    alpha: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'LoRA scale α in ΔW = (α/r) B A; default α = r (scale 1: Hu et al. set α to the first r they try and do not tune it)' })),
    lr: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Adam learning rate; default observation.lr' })),
    layers: Type.Optional(Type.Array(Type.Integer({ minimum: 0 }), { minItems: 1, uniqueItems: true, description: 'indices of the layers to adapt; default every layer' })),
  },
  { additionalProperties: false },
);
export type LoraParams = Static<typeof LoraParams>;

/** Options of the plain {@link lora} function. */
export interface LoraOptions extends TrainHooks {
  readonly task: TaskKind;
  /** Rank r (capped per layer at min(d_out, d_in)). */
  readonly rank: number;
  /** Scale α of ΔW = (α/r) B A (default r: scale 1). */
  readonly alpha?: number;
  /** Adam steps. */
  readonly steps: number;
  /** Examples per step (the whole set when larger). */
  readonly batchSize: number;
  readonly lr: number;
  /** Draws A and shuffles the minibatches. */
  readonly rng: Rng;
  /** Layers to adapt (default all). */
  readonly layers?: readonly number[];
  /** Kernels for the factor products (default the TypeScript backend). */
  readonly linalg?: LinalgBackend;
}

/** One adapted layer: W_layer = W0_layer + B A, with the scale α/r folded into B. */
export interface LoraLayer extends LoraFactors {
  readonly layer: number;
}

/** What {@link lora} returns. */
export interface LoraResult {
  /** θ₀ with W0_l + B_l A_l on every adapted layer; biases unchanged. */
  readonly model: Mlp;
  /** The factors, scale folded into B (core's LoRA convention). */
  readonly factors: LoraLayer[];
}

/**
 * Floats of rank-r factors on `layers` of `base` (r capped per layer at
 * min(d_out, d_in)): Σ_l r_l (d_out,l + d_in,l), the count the peft family
 * charges a LoRA adapter.
 *
 * @example
 * loraParamCount(initMlp([64, 128, 10], 'relu', rng), 4, [0, 1]) // => 4·(64 + 128) + 4·(128 + 10) = 1320
 */
export function loraParamCount(base: Mlp, rank: number, layers: readonly number[]): number {
  let s = 0;
  for (const l of layers) {
    const W = base.layers[l].W;
    s += Math.min(rank, W.rows, W.cols) * (W.rows + W.cols);
  }
  return s;
}

/**
 * LoRA (Hu et al. 2022, "LoRA: low-rank adaptation of large language
 * models", Sec. 4.1, eq. 3): every adapted weight becomes W0 + (α/r) B A with
 * B (d_out x r) = 0 and A (r x d_in) random Gaussian at the start (here
 * N(0, 1/d_in), as core's `trainLora`), W0 and the biases frozen, and only
 * B and A trained by Adam. Gradients through the product: ∂B = (α/r) ∂W Aᵀ,
 * ∂A = (α/r) Bᵀ ∂W. With α = r the iterates are core's `trainLora`'s.
 * Deviation: the paper adapts the attention projections W_q, W_v of a
 * Transformer; this MLP version adapts every dense layer (or `layers`).
 *
 * @param base - θ₀ (not modified)
 * @param train - the downstream training set
 * @param options - `task`, `rank`, `alpha`, `steps`, `batchSize`, `lr`, `rng`, `layers`, hooks
 * @returns the adapted model and its factors (scale folded into B)
 * @example
 * const { model, factors } = lora(base, train, { task: 'classification', rank: 4, steps: 300, batchSize: 64, lr: 0.01, rng });
 */
export function lora(base: Mlp, train: Dataset, options: LoraOptions): LoraResult {
  const fn = 'lora';
  checkSameArchitecture(fn, [base], 'base');
  checkDataset(fn, base, train, options.task);
  checkTrainOptions(fn, options);
  checkNumber(fn, 'rank', options.rank, { min: 1, integer: true });
  const alpha = options.alpha ?? options.rank;
  checkNumber(fn, 'alpha', alpha, { min: 0, exclusiveMin: true });
  const L = base.layers.length;
  const layers = options.layers ?? Array.from({ length: L }, (_, l) => l);
  layers.forEach((l, i) => {
    if (!Number.isInteger(l) || l < 0 || l >= L) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: layers[${i}] = ${l} is not a layer of the model (0..${L - 1})`, `layers[${i}]`);
    if (layers.indexOf(l) !== i) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: layers[${i}] = ${l} appears twice`, `layers[${i}]`);
  });
  options.signal?.throwIfAborted();
  const linalg = options.linalg ?? typescriptBackend;
  const scale = alpha / options.rank;

  // Same draws, in the same order, as core's trainLora: A of each adapted layer (in layer order), then the batch order.
  // Deviation from paper: A ~ N(0, 1/d_in) (the paper says "random Gaussian" without a scale; its code uses Kaiming-uniform).
  const adapted = [...layers].sort((a, b) => a - b);
  const factors = adapted.map((l) => {
    const W = base.layers[l].W;
    const r = Math.min(options.rank, W.rows, W.cols);
    const A = Matrix.zeros(r, W.cols);
    options.rng.fillNormal(A.data, 0, 1 / Math.sqrt(W.cols));
    return { layer: l, B: Matrix.zeros(W.rows, r), A };
  });
  const params: Float64Array[] = [];
  for (const f of factors) params.push(f.B.data, f.A.data);
  const opt = adam({ lr: options.lr });
  const n = train.X.rows, bs = Math.min(options.batchSize, n);
  const schedule = batchSchedule(n, options.steps, bs, options.rng);
  const model = cloneMlp(base);
  for (let t = 0; t < options.steps; t++) {
    options.signal?.throwIfAborted();
    for (const { layer, B, A } of factors) {
      const W = model.layers[layer].W.data, W0 = base.layers[layer].W.data;
      const BA = linalg.matmul(B, A).data;
      for (let j = 0; j < W.length; j++) W[j] = W0[j] + scale * BA[j];
    }
    const batch = bs === n ? train : gatherRows(train, schedule.subarray(t * bs, (t + 1) * bs));
    const { loss, grads } = lossAndGrad(model, batch, options.task);
    const g: Float64Array[] = [];
    for (const { layer, B, A } of factors) {
      const dW = grads.layers[layer].W;
      const gB = linalg.matmul(dW, A, { transB: true }).data, gA = linalg.matmul(B, dW, { transA: true }).data;
      if (scale !== 1) {
        for (let j = 0; j < gB.length; j++) gB[j] *= scale;
        for (let j = 0; j < gA.length; j++) gA[j] *= scale;
      }
      g.push(gB, gA);
    }
    opt.step(params, g);
    options.onStep?.(t + 1, loss);
  }
  const out: LoraLayer[] = factors.map(({ layer, B, A }) => {
    const Bs = Matrix.clone(B);
    if (scale !== 1) for (let j = 0; j < Bs.data.length; j++) Bs.data[j] *= scale;
    return { layer, B: Bs, A };
  });
  const perLayer: (LoraFactors | null)[] = base.layers.map(() => null);
  for (const f of out) perLayer[f.layer] = { B: f.B, A: f.A };
  return { model: applyLora(base, perLayer), factors: out };
}

/**
 * The rank and layers the bench entry uses: params.rank, else the budget's
 * rank, else the largest rank whose factors fit the budget; or why none fits.
 */
function loraPlan(obs: PeftObservation, params: LoraParams): { rank: number; layers: number[]; badLayer?: number } | { reason: string } {
  const L = obs.base.layers.length;
  const layers = params.layers ?? Array.from({ length: L }, (_, l) => l);
  const bad = layers.findIndex((l) => l >= L);
  // Bad input, not a skip: solveLora throws it (a skip must not throw).
  if (bad >= 0) return { rank: 0, layers, badLayer: bad };
  const budget = obs.budget.trainableParams;
  let rank = params.rank ?? obs.budget.rank;
  if (rank === undefined || rank < 1) {
    // The largest rank that fits: the count grows with r until every layer is at full rank.
    const full = Math.max(...layers.map((l) => Math.min(obs.base.layers[l].W.rows, obs.base.layers[l].W.cols)));
    rank = 0;
    while (rank < full && loraParamCount(obs.base, rank + 1, layers) <= budget) rank++;
    if (rank === 0) return { reason: `even rank 1 needs ${loraParamCount(obs.base, 1, layers)} floats, over observation.budget.trainableParams = ${budget} (adapt fewer layers with params.layers)` };
  }
  const need = loraParamCount(obs.base, rank, layers);
  if (need > budget) return { reason: `rank ${rank} needs ${need} floats, over observation.budget.trainableParams = ${budget} (lower params.rank)` };
  return { rank, layers };
}

/** Why the solver does not apply: no rank fits the budget on the chosen layers, or params.rank does not. */
export function skipLora(obs: PeftObservation, params: LoraParams): string | undefined {
  const plan = loraPlan(obs, params);
  return 'reason' in plan ? plan.reason : undefined;
}

/** The bench entry: rank from params, else the budget's rank, else the largest one that fits. */
export function solveLora(obs: PeftObservation, params: LoraParams, ctx: SolverContext): PeftSolution {
  ctx.signal.throwIfAborted();
  const plan = loraPlan(obs, params);
  if ('reason' in plan) throw new ParsimonyError('PARSIMONY_UNSUPPORTED', `baselines/lora: ${plan.reason}`);
  const { rank, layers, badLayer } = plan;
  if (badLayer !== undefined) {
    const L = obs.base.layers.length;
    throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `baselines/lora: params.layers[${badLayer}] = ${layers[badLayer]} is not a layer of the base (0..${L - 1})`, `params.layers[${badLayer}]`);
  }
  const every = reportEvery(obs.steps);
  const { model, factors } = lora(obs.base, obs.train, {
    task: obs.task,
    rank,
    alpha: params.alpha,
    steps: obs.steps,
    batchSize: obs.batchSize,
    lr: params.lr ?? obs.lr,
    rng: ctx.rng,
    layers,
    linalg: ctx.linalg,
    signal: ctx.signal,
    onStep: (iteration, loss) => {
      if (iteration % every === 0 || iteration === obs.steps) ctx.report({ iteration, loss });
    },
  });
  return { model, adapter: { kind: 'lora', lora: factors.map(({ layer, B, A }) => ({ layer, B, A })) } };
}

/** `baselines/lora`: {@link lora} as a registered solver. */
export const loraSolver = defineSolver({
  id: 'baselines/lora',
  family: peft,
  title: 'LoRA',
  summary: 'Frozen θ₀ plus trainable rank-r factors (α/r) B A on every layer, B = 0 at the start, trained by Adam (Hu et al. 2022).',
  params: LoraParams,
  solve: solveLora,
  skip: skipLora,
});
