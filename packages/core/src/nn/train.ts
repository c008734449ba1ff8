import { Matrix } from '../linalg/matrix.js';
import type { Rng } from '../random/rng.js';
import type { Dataset, Mlp, TaskKind } from './types.js';
import { lossAndGrad } from './losses.js';
import { paramArrays } from './mlp.js';
import type { Optimizer } from './optim.js';

/**
 * The rows `idx` of a dataset (a minibatch), copied.
 *
 * @example
 * gatherRows(train, Int32Array.from([0, 5, 9])).X.rows // => 3
 */
export function gatherRows(data: Dataset, idx: ArrayLike<number>): Dataset {
  const take = (a: Matrix): Matrix => {
    const out = Matrix.zeros(idx.length, a.cols);
    for (let i = 0; i < idx.length; i++) out.data.set(a.data.subarray(idx[i] * a.cols, (idx[i] + 1) * a.cols), i * a.cols);
    return out;
  };
  const out: Dataset = { X: take(data.X) };
  if (data.labels) out.labels = Int32Array.from(idx, (i) => data.labels![i]);
  if (data.targets) out.targets = take(data.targets);
  return out;
}

/**
 * Minibatch indices for `steps` steps of `batchSize` examples drawn from `n`:
 * epochs of a fresh random permutation, concatenated, so every example is seen
 * once per epoch. Step t uses entries [t·batchSize, (t+1)·batchSize).
 *
 * @example
 * batchSchedule(100, 10, 32, createRng(1)).length // => 320
 */
export function batchSchedule(n: number, steps: number, batchSize: number, rng: Rng): Int32Array {
  if (n < 1) throw new RangeError(`batchSchedule: need at least one example, got n = ${n}`);
  const out = new Int32Array(steps * batchSize);
  let perm = rng.permutation(n), pos = 0;
  for (let i = 0; i < out.length; i++) {
    if (pos === n) {
      perm = rng.permutation(n);
      pos = 0;
    }
    out[i] = perm[pos++];
  }
  return out;
}

/** Options of {@link trainMlp}. */
export interface TrainOptions {
  readonly task: TaskKind;
  readonly steps: number;
  /** Examples per step; the whole set when it is at least N. */
  readonly batchSize: number;
  readonly optimizer: Optimizer;
  /** Shuffles the minibatches. */
  readonly rng: Rng;
  /**
   * Which parameter arrays train, indexed like `paramArrays` (W_0, b_0, W_1,
   * ...); the others stay frozen. Default: all.
   */
  readonly trainable?: (arrayIndex: number) => boolean;
  /** Called after each step with the minibatch loss (before the update). */
  readonly onStep?: (step: number, loss: number) => void;
}

/**
 * Minibatch training of a model in place: at each step, the loss gradient on
 * the next minibatch (see {@link batchSchedule}) goes to the optimizer.
 * Returns the minibatch loss of every step.
 *
 * @example
 * const trace = trainMlp(net, train, { task: 'classification', steps: 200, batchSize: 32, optimizer: adam({ lr: 1e-2 }), rng });
 */
export function trainMlp(model: Mlp, data: Dataset, options: TrainOptions): Float64Array {
  const n = data.X.rows;
  const bs = Math.min(options.batchSize, n);
  const schedule = batchSchedule(n, options.steps, bs, options.rng);
  const all = paramArrays(model);
  const keep = all.map((_, i) => options.trainable?.(i) ?? true);
  const params = all.filter((_, i) => keep[i]);
  const trace = new Float64Array(options.steps);
  for (let t = 0; t < options.steps; t++) {
    const batch = bs === n ? data : gatherRows(data, schedule.subarray(t * bs, (t + 1) * bs));
    const { loss, grads } = lossAndGrad(model, batch, options.task);
    trace[t] = loss;
    options.onStep?.(t, loss);
    options.optimizer.step(params, paramArrays(grads).filter((_, i) => keep[i]));
  }
  return trace;
}
