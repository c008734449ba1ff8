import {
  ParsimonyError,
  Type,
  activate,
  adam,
  cloneMlp,
  defineSolver,
  mlpForward,
  peft,
  trainMlp,
  type Dataset,
  type Matrix,
  type Mlp,
  type PeftObservation,
  type PeftSolution,
  type Rng,
  type SolverContext,
  type Static,
  type TaskKind,
} from '@parsimony/core';
import { checkDataset, checkNumber, checkSameArchitecture, checkTrainOptions, reportEvery, type TrainHooks } from '../internal/nn.js';

/** Parameters of {@link headOnly}. */
export const HeadOnlyParams = Type.Object(
  {
    lr: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Adam learning rate; default observation.lr' })),
    weightDecay: Type.Number({ minimum: 0, default: 0, description: 'decoupled weight decay λ of AdamW on the head (0: plain Adam)' }),
  },
  { additionalProperties: false },
);
export type HeadOnlyParams = Static<typeof HeadOnlyParams>;

/** Options of the plain {@link headOnly} function. */
export interface HeadOnlyOptions extends TrainHooks {
  readonly task: TaskKind;
  /** Adam steps. */
  readonly steps: number;
  /** Examples per step (the whole set when larger). */
  readonly batchSize: number;
  readonly lr: number;
  /** Decoupled weight decay (default 0). */
  readonly weightDecay?: number;
  /** Shuffles the minibatches (epochs of random permutations). */
  readonly rng: Rng;
}

/**
 * The frozen body's features σ(… σ(W_1 x + b_1) …) of every row of X: the
 * inputs of the last layer (X itself for a one-layer model).
 */
function bodyFeatures(base: Mlp, X: Matrix): Matrix {
  const L = base.layers.length;
  if (L === 1) return X;
  // mlpForward leaves its last layer linear: apply the hidden activation to it here.
  const H = mlpForward({ layers: base.layers.slice(0, L - 1), activation: base.activation }, X);
  activate(base.activation, H.data, H.data);
  return H;
}

/**
 * Head-only fine-tuning ("linear probing"): the body of θ₀ stays frozen and
 * only the last layer (W_L, b_L) trains with Adam, the classic transfer
 * baseline (Yosinski et al. 2014; "LP" in Kumar et al. 2022, "Fine-tuning can
 * distort pretrained features", Sec. 2; Hu et al. 2022, Sec. 5.1, report its
 * two-layer cousin FT^Top2). Since the body is frozen, its features are computed once
 * for the whole training set and each step trains a linear (softmax or
 * least-squares) model on a minibatch of them with core's `trainMlp`: the
 * same iterates as training the full model with only the head trainable.
 *
 * @param base - θ₀ (not modified)
 * @param train - the downstream training set
 * @param options - `task`, `steps`, `batchSize`, `lr`, `rng`, `weightDecay`, hooks
 * @returns θ₀ with a retrained last layer
 * @example
 * const model = headOnly(base, train, { task: 'classification', steps: 300, batchSize: 64, lr: 0.01, rng });
 */
export function headOnly(base: Mlp, train: Dataset, options: HeadOnlyOptions): Mlp {
  const fn = 'headOnly';
  checkSameArchitecture(fn, [base], 'base');
  checkDataset(fn, base, train, options.task);
  checkTrainOptions(fn, options);
  checkNumber(fn, 'weightDecay', options.weightDecay ?? 0, { min: 0 });
  options.signal?.throwIfAborted();
  const L = base.layers.length;
  const features: Dataset = { ...train, X: bodyFeatures(base, train.X) };
  const head: Mlp = cloneMlp({ layers: [base.layers[L - 1]], activation: base.activation });
  trainMlp(head, features, {
    task: options.task,
    steps: options.steps,
    batchSize: options.batchSize,
    optimizer: adam({ lr: options.lr, weightDecay: options.weightDecay ?? 0 }),
    rng: options.rng,
    onStep: (t, loss) => {
      options.signal?.throwIfAborted();
      options.onStep?.(t + 1, loss);
    },
  });
  // The body's layers are shared with nothing: copy them so the result owns its arrays.
  const model = cloneMlp(base);
  model.layers[L - 1] = head.layers[0];
  return model;
}

/** Why the solver does not apply: the last layer alone (W_L and b_L) is over the budget. */
export function skipHeadOnly(obs: PeftObservation): string | undefined {
  const last = obs.base.layers[obs.base.layers.length - 1];
  const need = last.W.data.length + last.b.length;
  if (need <= obs.budget.trainableParams) return undefined;
  return `the last layer has ${need} parameters (${last.W.rows}x${last.W.cols} + ${last.b.length}), over observation.budget.trainableParams = ${obs.budget.trainableParams} (baselines/lora fits smaller budgets)`;
}

/** The bench entry. */
export function solveHeadOnly(obs: PeftObservation, params: HeadOnlyParams, ctx: SolverContext): PeftSolution {
  ctx.signal.throwIfAborted();
  const skipped = skipHeadOnly(obs);
  if (skipped) throw new ParsimonyError('PARSIMONY_UNSUPPORTED', `baselines/head-only: ${skipped}`, 'observation.budget.trainableParams');
  const every = reportEvery(obs.steps);
  const model = headOnly(obs.base, obs.train, {
    task: obs.task,
    steps: obs.steps,
    batchSize: obs.batchSize,
    lr: params.lr ?? obs.lr,
    weightDecay: params.weightDecay,
    rng: ctx.rng,
    signal: ctx.signal,
    onStep: (iteration, loss) => {
      if (iteration % every === 0 || iteration === obs.steps) ctx.report({ iteration, loss });
    },
  });
  return { model, adapter: { kind: 'head' } };
}

/** `baselines/head-only`: {@link headOnly} as a registered solver. */
export const headOnlySolver = defineSolver({
  id: 'baselines/head-only',
  family: peft,
  title: 'Head-only fine-tuning',
  summary: 'Freeze the body of θ₀ and train only the last layer with Adam on the body\'s (precomputed) features: linear probing.',
  params: HeadOnlyParams,
  solve: solveHeadOnly,
  skip: skipHeadOnly,
});
