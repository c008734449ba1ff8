import {
  ParsimonyError,
  Type,
  adam,
  cloneMlp,
  countParams,
  defineSolver,
  peft,
  trainMlp,
  type Dataset,
  type Mlp,
  type PeftObservation,
  type PeftSolution,
  type Rng,
  type SolverContext,
  type Static,
  type TaskKind,
} from '@parsimony/core';
import { checkDataset, checkNumber, checkSameArchitecture, checkTrainOptions, reportEvery, type TrainHooks } from '../internal/nn.js';

/** Parameters of {@link fullFineTuning}. */
export const FullFineTuningParams = Type.Object(
  {
    lr: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Adam learning rate; default observation.lr' })),
    weightDecay: Type.Number({ minimum: 0, default: 0, description: 'decoupled weight decay λ of AdamW (0: plain Adam)' }),
  },
  { additionalProperties: false },
);
export type FullFineTuningParams = Static<typeof FullFineTuningParams>;

/** Options of the plain {@link fullFineTuning} function. */
export interface FullFineTuningOptions extends TrainHooks {
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
 * Full fine-tuning: every weight and bias of the pre-trained θ₀ trains with
 * Adam (Kingma & Ba 2015, Alg. 1) on minibatches of the downstream data;
 * the reference that parameter-efficient methods are measured against
 * (Hu et al. 2022, LoRA, Sec. 5.1 "Fine-Tuning (FT)"). Runs core's
 * `trainMlp` (one epoch-wise shuffled minibatch per step).
 *
 * @param base - θ₀ (not modified)
 * @param train - the downstream training set
 * @param options - `task`, `steps`, `batchSize`, `lr`, `rng`, `weightDecay`, hooks
 * @returns the fine-tuned model
 * @example
 * const model = fullFineTuning(base, train, { task: 'classification', steps: 300, batchSize: 64, lr: 0.01, rng });
 */
export function fullFineTuning(base: Mlp, train: Dataset, options: FullFineTuningOptions): Mlp {
  const fn = 'fullFineTuning';
  checkSameArchitecture(fn, [base], 'base');
  checkDataset(fn, base, train, options.task);
  checkTrainOptions(fn, options);
  checkNumber(fn, 'weightDecay', options.weightDecay ?? 0, { min: 0 });
  options.signal?.throwIfAborted();
  const model = cloneMlp(base);
  trainMlp(model, train, {
    task: options.task,
    steps: options.steps,
    batchSize: options.batchSize,
    optimizer: adam({ lr: options.lr, weightDecay: options.weightDecay ?? 0 }),
    rng: options.rng,
    // trainMlp reports before each update: poll the signal there, and number steps from 1.
    onStep: (t, loss) => {
      options.signal?.throwIfAborted();
      options.onStep?.(t + 1, loss);
    },
  });
  return model;
}

/**
 * Why the solver does not apply: full fine-tuning trains every parameter, so
 * a budget below the model's size rules it out (there is no smaller form).
 */
export function skipFullFineTuning(obs: PeftObservation): string | undefined {
  const need = countParams(obs.base);
  if (need <= obs.budget.trainableParams) return undefined;
  return `it trains all ${need} parameters, over observation.budget.trainableParams = ${obs.budget.trainableParams} (a task with budgetParams >= ${need} runs it)`;
}

/** The bench entry. */
export function solveFullFineTuning(obs: PeftObservation, params: FullFineTuningParams, ctx: SolverContext): PeftSolution {
  ctx.signal.throwIfAborted();
  const skipped = skipFullFineTuning(obs);
  if (skipped) throw new ParsimonyError('PARSIMONY_UNSUPPORTED', `baselines/full-fine-tuning: ${skipped}`, 'observation.budget.trainableParams');
  const every = reportEvery(obs.steps);
  const model = fullFineTuning(obs.base, obs.train, {
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
  return { model, adapter: { kind: 'full' } };
}

/** `baselines/full-fine-tuning`: {@link fullFineTuning} as a registered solver. */
export const fullFineTuningSolver = defineSolver({
  id: 'baselines/full-fine-tuning',
  family: peft,
  title: 'Full fine-tuning',
  summary: 'Adam on every weight and bias of θ₀ (the unconstrained reference of Hu et al. 2022); skips tasks whose budget is below the model size.',
  params: FullFineTuningParams,
  solve: solveFullFineTuning,
  skip: skipFullFineTuning,
});
