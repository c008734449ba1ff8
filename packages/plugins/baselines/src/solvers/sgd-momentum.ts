import {
  ParsimonyError,
  Type,
  cloneMlp,
  countParams,
  defineSolver,
  optimizer,
  paramArrays,
  sgd,
  type OptimizerObservation,
  type OptimizerSolution,
  type SolverContext,
  type Static,
} from '@parsimony/core';
import { checkMemoryBudget, checkNumber, reportEvery, runOracleLoop, type TrainHooks } from '../internal/nn.js';

/** Parameters of {@link trainSgdMomentum}. */
export const SgdMomentumParams = Type.Object(
  {
    lr: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'learning rate η; default observation.lr' })),
    momentum: Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0.9, description: 'heavy-ball momentum μ (0: plain SGD, no state)' }),
    nesterov: Type.Boolean({ default: false, description: 'Nesterov momentum (Sutskever et al. 2013, eq. 3-4) instead of heavy ball' }),
    weightDecay: Type.Number({ minimum: 0, default: 0, description: 'L2 penalty λ added to the gradient (coupled weight decay)' }),
  },
  { additionalProperties: false },
);
export type SgdMomentumParams = Static<typeof SgdMomentumParams>;

/** Options of the plain {@link trainSgdMomentum} function. */
export interface SgdMomentumOptions extends TrainHooks {
  /** η (default observation.lr). */
  readonly lr?: number;
  /** μ ∈ [0, 1) (default 0.9). */
  readonly momentum?: number;
  readonly nesterov?: boolean;
  /** Coupled L2 penalty (default 0). */
  readonly weightDecay?: number;
}

/**
 * Minibatch SGD with heavy-ball momentum (Polyak 1964; Rumelhart, Hinton &
 * Williams 1986; in deep learning Sutskever et al. 2013, eq. 1-2):
 * v ← μ v + g, θ ← θ − η v, with g the instance oracle's gradient at each
 * step (its fixed batch order and any injected spikes) and a constant η.
 * Core's `sgd` does the update (PyTorch's convention: the gradient enters v
 * undamped). State: one velocity per parameter (none when μ = 0).
 *
 * @param obs - the optimizer instance: init, data, batch order, step budget
 * @param options - `lr`, `momentum`, `nesterov`, `weightDecay`, hooks
 * @returns the final model, the loss of every step and the state floats held
 * @example
 * const { model, trainLoss } = trainSgdMomentum(observation, { momentum: 0.9 });
 */
export function trainSgdMomentum(obs: OptimizerObservation, options: SgdMomentumOptions = {}): OptimizerSolution {
  const fn = 'trainSgdMomentum';
  const lr = options.lr ?? obs.lr, momentum = options.momentum ?? 0.9, weightDecay = options.weightDecay ?? 0;
  checkNumber(fn, 'lr', lr, { min: 0, exclusiveMin: true });
  checkNumber(fn, 'momentum', momentum, { min: 0, max: 1, exclusiveMax: true });
  checkNumber(fn, 'weightDecay', weightDecay, { min: 0 });
  const stateFloats = momentum > 0 ? countParams(obs.init) : 0;
  checkMemoryBudget('baselines/sgd-momentum', obs, stateFloats, 'set params.momentum = 0 (plain SGD holds no state)');
  const model = cloneMlp(obs.init);
  const params = paramArrays(model);
  const opt = sgd({ lr, momentum, nesterov: options.nesterov ?? false, weightDecay });
  const trainLoss = runOracleLoop(obs, model, (grads) => opt.step(params, paramArrays(grads)), options);
  return { model, trainLoss, stateFloats: opt.stateFloats };
}

/** Why the solver does not apply: the velocities (one per parameter) exceed observation.memoryBudget. */
export function skipSgdMomentum(obs: OptimizerObservation, params: SgdMomentumParams): string | undefined {
  const need = params.momentum > 0 ? countParams(obs.init) : 0;
  if (obs.memoryBudget === undefined || need <= obs.memoryBudget) return undefined;
  return `its velocities need ${need} optimizer-state floats, over observation.memoryBudget = ${obs.memoryBudget} (params.momentum = 0 holds none)`;
}

/** The bench entry. */
export function solveSgdMomentum(obs: OptimizerObservation, params: SgdMomentumParams, ctx: SolverContext): OptimizerSolution {
  ctx.signal.throwIfAborted();
  const skipped = skipSgdMomentum(obs, params);
  if (skipped) throw new ParsimonyError('PARSIMONY_UNSUPPORTED', `baselines/sgd-momentum: ${skipped}`, 'observation.memoryBudget');
  const every = reportEvery(obs.steps);
  return trainSgdMomentum(obs, {
    lr: params.lr,
    momentum: params.momentum,
    nesterov: params.nesterov,
    weightDecay: params.weightDecay,
    signal: ctx.signal,
    onStep: (iteration, loss) => {
      if (iteration % every === 0 || iteration === obs.steps) ctx.report({ iteration, loss });
    },
  });
}

/** `baselines/sgd-momentum`: {@link trainSgdMomentum} as a registered solver. */
export const sgdMomentumSolver = defineSolver({
  id: 'baselines/sgd-momentum',
  family: optimizer,
  title: 'SGD with momentum',
  summary: 'Minibatch SGD with heavy-ball (or Nesterov) momentum at a constant learning rate; one velocity per parameter (Polyak 1964; Sutskever et al. 2013).',
  params: SgdMomentumParams,
  solve: solveSgdMomentum,
  skip: skipSgdMomentum,
});
