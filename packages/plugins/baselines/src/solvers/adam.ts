import {
  ParsimonyError,
  Type,
  adam,
  cloneMlp,
  countParams,
  defineSolver,
  optimizer,
  paramArrays,
  type OptimizerObservation,
  type OptimizerSolution,
  type SolverContext,
  type Static,
} from '@parsimony/core';
import { checkMemoryBudget, checkNumber, reportEvery, runOracleLoop, type TrainHooks } from '../internal/nn.js';

/** Parameters of {@link trainAdam}. */
export const AdamParams = Type.Object(
  {
    lr: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'step size α; default observation.lr' })),
    beta1: Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0.9, description: 'β₁, decay of the first-moment estimate (Kingma & Ba 2015 default)' }),
    beta2: Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0.999, description: 'β₂, decay of the second-moment estimate (Kingma & Ba 2015 default)' }),
    eps: Type.Number({ exclusiveMinimum: 0, default: 1e-8, description: 'ε added to √v̂ (Kingma & Ba 2015 default)' }),
    weightDecay: Type.Number({ minimum: 0, default: 0, description: 'decoupled weight decay λ (AdamW, Loshchilov & Hutter 2019); 0: plain Adam' }),
  },
  { additionalProperties: false },
);
export type AdamParams = Static<typeof AdamParams>;

/** Options of the plain {@link trainAdam} function. */
export interface AdamTrainOptions extends TrainHooks {
  /** α (default observation.lr). */
  readonly lr?: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  /** Decoupled weight decay (default 0). */
  readonly weightDecay?: number;
}

/**
 * Adam (Kingma & Ba 2015, Alg. 1) on the instance oracle's minibatch
 * gradients: m ← β₁ m + (1−β₁) g, v ← β₂ v + (1−β₂) g², and
 * θ ← θ − α m̂ / (√v̂ + ε) with the bias corrections m̂ = m / (1−β₁ᵗ),
 * v̂ = v / (1−β₂ᵗ), so the first step is α g / (|g| + ε) ≈ α sign(g)
 * (Sec. 3). Core's `adam` does the update. State: two moments per parameter.
 *
 * @param obs - the optimizer instance: init, data, batch order, step budget
 * @param options - `lr`, `beta1`, `beta2`, `eps`, `weightDecay`, hooks
 * @returns the final model, the loss of every step and the state floats held
 * @example
 * const { model, trainLoss } = trainAdam(observation, { lr: 1e-3 });
 */
export function trainAdam(obs: OptimizerObservation, options: AdamTrainOptions = {}): OptimizerSolution {
  const fn = 'trainAdam';
  const lr = options.lr ?? obs.lr, beta1 = options.beta1 ?? 0.9, beta2 = options.beta2 ?? 0.999, eps = options.eps ?? 1e-8, weightDecay = options.weightDecay ?? 0;
  checkNumber(fn, 'lr', lr, { min: 0, exclusiveMin: true });
  checkNumber(fn, 'beta1', beta1, { min: 0, max: 1, exclusiveMax: true });
  checkNumber(fn, 'beta2', beta2, { min: 0, max: 1, exclusiveMax: true });
  checkNumber(fn, 'eps', eps, { min: 0, exclusiveMin: true });
  checkNumber(fn, 'weightDecay', weightDecay, { min: 0 });
  checkMemoryBudget('baselines/adam', obs, 2 * countParams(obs.init), 'Adam needs two moments per parameter; use a memory-lean optimizer such as baselines/galore');
  const model = cloneMlp(obs.init);
  const params = paramArrays(model);
  const opt = adam({ lr, beta1, beta2, eps, weightDecay });
  const trainLoss = runOracleLoop(obs, model, (grads) => opt.step(params, paramArrays(grads)), options);
  return { model, trainLoss, stateFloats: opt.stateFloats };
}

/** Why the solver does not apply: two moments per parameter exceed observation.memoryBudget. */
export function skipAdam(obs: OptimizerObservation): string | undefined {
  const need = 2 * countParams(obs.init);
  if (obs.memoryBudget === undefined || need <= obs.memoryBudget) return undefined;
  return `its two moments need ${need} optimizer-state floats, over observation.memoryBudget = ${obs.memoryBudget} (a memory-lean optimizer such as baselines/galore fits)`;
}

/** The bench entry. */
export function solveAdam(obs: OptimizerObservation, params: AdamParams, ctx: SolverContext): OptimizerSolution {
  ctx.signal.throwIfAborted();
  const skipped = skipAdam(obs);
  if (skipped) throw new ParsimonyError('PARSIMONY_UNSUPPORTED', `baselines/adam: ${skipped}`, 'observation.memoryBudget');
  const every = reportEvery(obs.steps);
  return trainAdam(obs, {
    lr: params.lr,
    beta1: params.beta1,
    beta2: params.beta2,
    eps: params.eps,
    weightDecay: params.weightDecay,
    signal: ctx.signal,
    onStep: (iteration, loss) => {
      if (iteration % every === 0 || iteration === obs.steps) ctx.report({ iteration, loss });
    },
  });
}

/** `baselines/adam`: {@link trainAdam} as a registered solver. */
export const adamSolver = defineSolver({
  id: 'baselines/adam',
  family: optimizer,
  title: 'Adam',
  summary: 'Adam with bias-corrected first and second moments (Kingma & Ba 2015, Alg. 1); two state floats per parameter.',
  params: AdamParams,
  solve: solveAdam,
  skip: skipAdam,
});
