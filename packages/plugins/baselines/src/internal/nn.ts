import {
  ParsimonyError,
  checkMlp,
  evaluateMlp,
  flattenMlp,
  mlpSizes,
  unflattenMlp,
  optimizerGradient,
  type Dataset,
  type Mlp,
  type MlpGrads,
  type OptimizerObservation,
  type TaskKind,
} from '@parsimony/core';

// ==========================================================================
// Checks
// ==========================================================================

/** Bounds of {@link checkNumber}. */
export interface NumberBounds {
  readonly min?: number;
  readonly max?: number;
  /** Whether `min` itself is excluded (default: included). */
  readonly exclusiveMin?: boolean;
  /** Whether `max` itself is excluded (default: included). */
  readonly exclusiveMax?: boolean;
  readonly integer?: boolean;
}

/**
 * Throws a PARSIMONY_BAD_PARAMS naming the function, the field, the value and
 * the expected form unless `value` is a finite number within `bounds`.
 */
export function checkNumber(fn: string, field: string, value: number, bounds: NumberBounds = {}): void {
  const { min, max, exclusiveMin = false, exclusiveMax = false, integer = false } = bounds;
  const okMin = min === undefined || (exclusiveMin ? value > min : value >= min);
  const okMax = max === undefined || (exclusiveMax ? value < max : value <= max);
  if (typeof value === 'number' && Number.isFinite(value) && okMin && okMax && (!integer || Number.isInteger(value))) return;
  const range: string[] = [];
  if (min !== undefined) range.push(`${exclusiveMin ? '>' : '>='} ${min}`);
  if (max !== undefined) range.push(`${exclusiveMax ? '<' : '<='} ${max}`);
  const expected = `${integer ? 'an integer' : 'a finite number'}${range.length ? ` ${range.join(' and ')}` : ''}`;
  throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: ${field} = ${value}; expected ${expected}`, field);
}

/**
 * Throws a PARSIMONY_BAD_INPUT unless every model has the architecture
 * (widths and activation) of `models[0]`; the message names `<what>[k]`.
 */
export function checkSameArchitecture(fn: string, models: readonly Mlp[], what = 'models'): void {
  if (models.length === 0) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: ${what} is empty; expected at least one model`, what);
  const first = checkMlp(models[0], `${what}[0]`);
  if (first) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: ${first.message}`, first.field);
  const sizes = mlpSizes(models[0]);
  for (let k = 1; k < models.length; k++) {
    const bad = checkMlp(models[k], `${what}[${k}]`, sizes);
    if (bad) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: ${bad.message}`, bad.field);
    if (models[k].activation !== models[0].activation) {
      throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: ${what}[${k}].activation is "${models[k].activation}", ${what}[0] uses "${models[0].activation}"`, `${what}[${k}].activation`);
    }
  }
}

/**
 * Throws a PARSIMONY_BAD_INPUT unless `data` fits `model` for `task`: X has
 * d_in columns and one label (classification, in 0..d_out-1) or one target
 * row of d_out entries (regression) per row.
 */
export function checkDataset(fn: string, model: Mlp, data: Dataset, task: TaskKind, what = 'train'): void {
  const dIn = model.layers[0].W.cols, dOut = model.layers[model.layers.length - 1].W.rows, n = data.X.rows;
  if (data.X.cols !== dIn) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: ${what}.X has ${data.X.cols} columns, the model takes ${dIn} inputs`, `${what}.X`);
  if (n < 1) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: ${what}.X has no rows; expected at least one example`, `${what}.X`);
  if (task === 'classification') {
    const y = data.labels;
    if (!y || y.length !== n) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: ${what}.labels must hold one label per row of X (${n}) for a classification task`, `${what}.labels`);
    const bad = y.findIndex((c) => !(c >= 0 && c < dOut));
    if (bad >= 0) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: ${what}.labels[${bad}] = ${y[bad]} is not a class in 0..${dOut - 1}`, `${what}.labels[${bad}]`);
  } else {
    const t = data.targets;
    if (!t || t.rows !== n || t.cols !== dOut) {
      throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: ${what}.targets must be ${n}x${dOut} (one row of outputs per example) for a regression task`, `${what}.targets`);
    }
  }
}

// ==========================================================================
// Model merging
// ==========================================================================

/**
 * (1/K) Σ_k L_k(model) over the tasks' calibration sets: the validation
 * objective the merging baselines tune their scaling λ on.
 */
export function calibrationLoss(model: Mlp, calibration: readonly Dataset[], task: TaskKind): number {
  let s = 0;
  for (const d of calibration) s += evaluateMlp(model, d, task).loss;
  return s / calibration.length;
}

/** Throws a PARSIMONY_BAD_INPUT unless `base` has the architecture of the models. */
export function checkBase(fn: string, base: Mlp, models: readonly Mlp[]): void {
  checkSameArchitecture(fn, models);
  const bad = checkMlp(base, 'base', mlpSizes(models[0]));
  if (bad) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: ${bad.message}`, bad.field);
  if (base.activation !== models[0].activation) {
    throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: base.activation is "${base.activation}", the models use "${models[0].activation}"`, 'base.activation');
  }
}

/** The flat base θ₀ and task vectors τ_k = θ_k − θ₀ (core's `flattenMlp` order: W_0, b_0, W_1, ...). */
export function taskVectors(base: Mlp, models: readonly Mlp[]): { base: Float64Array; tau: Float64Array[] } {
  const b = flattenMlp(base);
  const tau = models.map((m) => {
    const t = flattenMlp(m);
    for (let j = 0; j < t.length; j++) t[j] -= b[j];
    return t;
  });
  return { base: b, tau };
}

/** θ₀ + λ τ as a model shaped like `like`. */
export function addScaled(like: Mlp, base: Float64Array, tau: Float64Array, lambda: number): Mlp {
  const out = new Float64Array(base.length);
  for (let j = 0; j < out.length; j++) out[j] = base[j] + lambda * tau[j];
  return unflattenMlp(like, out);
}

/** What the merging baselines that scale a task vector return. */
export interface ScaledMerge {
  /** The merged model θ₀ + λ τ. */
  readonly model: Mlp;
  /** The λ used. */
  readonly lambda: number;
  /** Mean calibration loss of the merged model, when λ was chosen on calibration data. */
  readonly calibrationLoss?: number;
}

/** How {@link chooseScale} picks λ. */
export interface ScaleChoice {
  /** A fixed λ (wins over calibration). */
  readonly lambda?: number;
  /** Per-task labelled sets to choose λ on. */
  readonly calibration?: readonly Dataset[];
  readonly task?: TaskKind;
  readonly lambdaGrid?: readonly number[];
  /** Polled before each candidate. */
  readonly signal?: AbortSignal;
  /** Called with each candidate's 1-based index, λ and mean calibration loss. */
  readonly onCandidate?: (index: number, lambda: number, loss: number) => void;
}

/**
 * θ₀ + λ τ with λ fixed, or chosen on the calibration sets over a grid (the
 * lowest mean task loss; ties go to the first candidate), or `fallback`.
 */
export function chooseScale(fn: string, like: Mlp, base: Float64Array, tau: Float64Array, choice: ScaleChoice, defaultGrid: readonly number[], fallback: number): ScaledMerge {
  if (choice.lambda !== undefined) {
    checkNumber(fn, 'lambda', choice.lambda, { min: 0 });
    return { model: addScaled(like, base, tau, choice.lambda), lambda: choice.lambda };
  }
  const cal = choice.calibration;
  if (!cal || cal.length === 0) return { model: addScaled(like, base, tau, fallback), lambda: fallback };
  if (choice.task === undefined) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: task is required with calibration data ('classification' or 'regression')`, 'task');
  cal.forEach((d, k) => checkDataset(fn, like, d, choice.task!, `calibration[${k}]`));
  const grid = choice.lambdaGrid ?? defaultGrid;
  checkGrid(fn, 'lambdaGrid', grid);
  let best: ScaledMerge | undefined;
  grid.forEach((lambda, i) => {
    choice.signal?.throwIfAborted();
    const model = addScaled(like, base, tau, lambda);
    const loss = calibrationLoss(model, cal, choice.task!);
    choice.onCandidate?.(i + 1, lambda, loss);
    if (!best || loss < best.calibrationLoss!) best = { model, lambda, calibrationLoss: loss };
  });
  return best!;
}

/** Checks a λ grid: non-empty, finite, >= 0. */
export function checkGrid(fn: string, field: string, grid: readonly number[]): void {
  if (grid.length === 0) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: ${field} is empty; expected at least one λ`, field);
  grid.forEach((v, i) => checkNumber(fn, `${field}[${i}]`, v, { min: 0 }));
}

/** λ₀, λ₀ + step, ..., up to `hi` (inclusive, rounded to 1e-12 so 0.05 steps land on 1). */
export function linspaceStep(lo: number, hi: number, step: number): number[] {
  const out: number[] = [];
  for (let i = 0; lo + i * step <= hi + 1e-12; i++) out.push(Math.round((lo + i * step) * 1e12) / 1e12);
  return out;
}

// ==========================================================================
// Training loops
// ==========================================================================

/** Trace points sent per run: about 50, so reporting stays cheap. */
export function reportEvery(steps: number): number {
  return Math.max(1, Math.floor(steps / 50));
}

/** Hooks of the training loops. */
export interface TrainHooks {
  /** Polled once per step. */
  readonly signal?: AbortSignal;
  /** Called after each step with its 1-based number and the minibatch loss (before the update). */
  readonly onStep?: (step: number, loss: number) => void;
}

/**
 * The optimizer family's training loop: at step t the instance's gradient
 * oracle (`optimizerGradient`: the fixed batch order and any injected spikes)
 * gives the loss and gradients of `model`, and `update` changes `model` in
 * place. Returns the minibatch loss of every step.
 */
export function runOracleLoop(obs: OptimizerObservation, model: Mlp, update: (grads: MlpGrads, t: number) => void, hooks: TrainHooks = {}): Float64Array {
  const trace = new Float64Array(obs.steps);
  for (let t = 0; t < obs.steps; t++) {
    hooks.signal?.throwIfAborted();
    const { loss, grads } = optimizerGradient(obs, model, t);
    trace[t] = loss;
    update(grads, t);
    hooks.onStep?.(t + 1, loss);
  }
  return trace;
}

/** Throws a PARSIMONY_BAD_INPUT when the optimizer-state floats exceed the observation's memory budget. */
export function checkMemoryBudget(solverId: string, obs: OptimizerObservation, stateFloats: number, fix: string): void {
  if (obs.memoryBudget !== undefined && stateFloats > obs.memoryBudget) {
    throw new ParsimonyError(
      'PARSIMONY_BAD_INPUT',
      `${solverId}: needs ${stateFloats} optimizer-state floats, over observation.memoryBudget = ${obs.memoryBudget}; ${fix}`,
      'observation.memoryBudget',
    );
  }
}

/** Checks the common training options (steps, batch size, learning rate). */
export function checkTrainOptions(fn: string, o: { steps: number; batchSize: number; lr: number }): void {
  checkNumber(fn, 'steps', o.steps, { min: 1, integer: true });
  checkNumber(fn, 'batchSize', o.batchSize, { min: 1, integer: true });
  checkNumber(fn, 'lr', o.lr, { min: 0, exclusiveMin: true });
}
