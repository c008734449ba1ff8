import { Matrix } from '../linalg/matrix.js';
import type { Dataset, Mlp, MlpGrads, TaskKind } from './types.js';
import { mlpBackward, mlpForward, mlpForwardCached } from './mlp.js';

/** A loss value and its gradient with respect to the predictions. */
export interface LossResult {
  readonly loss: number;
  /** dLoss/dPred, same shape as the predictions. */
  readonly grad: Matrix;
}

/**
 * Mean squared error over all entries, (1/(N d)) Σ (ŷ - y)², and its gradient
 * 2 (ŷ - y) / (N d).
 *
 * @example
 * mseLoss(Matrix.fromRows([[1, 2]]), Matrix.fromRows([[0, 0]])).loss // => 2.5
 */
export function mseLoss(pred: Matrix, target: Matrix): LossResult {
  if (pred.rows !== target.rows || pred.cols !== target.cols) {
    throw new RangeError(`mseLoss: predictions are ${pred.rows}x${pred.cols}, targets ${target.rows}x${target.cols}`);
  }
  const n = pred.data.length;
  const grad = Matrix.zeros(pred.rows, pred.cols);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = pred.data[i] - target.data[i];
    s += d * d;
    grad.data[i] = (2 * d) / n;
  }
  return { loss: n === 0 ? 0 : s / n, grad };
}

/**
 * Mean softmax cross-entropy, (1/N) Σ_i [logsumexp(z_i) - z_i,y_i], computed
 * stably (max subtracted), and its gradient (softmax(z_i) - e_{y_i}) / N.
 *
 * @example
 * softmaxCrossEntropy(Matrix.fromRows([[0, 0]]), Int32Array.from([1])).loss // => Math.LN2
 */
export function softmaxCrossEntropy(logits: Matrix, labels: Int32Array): LossResult {
  const { rows: N, cols: C } = logits;
  if (labels.length !== N) throw new RangeError(`softmaxCrossEntropy: ${labels.length} labels for ${N} rows of logits`);
  const grad = Matrix.zeros(N, C);
  let total = 0;
  for (let i = 0; i < N; i++) {
    const o = i * C;
    const y = labels[i];
    if (!(y >= 0 && y < C)) throw new RangeError(`softmaxCrossEntropy: label ${i} is ${y}; expected 0..${C - 1}`);
    let mx = -Infinity;
    for (let j = 0; j < C; j++) if (logits.data[o + j] > mx) mx = logits.data[o + j];
    let se = 0;
    for (let j = 0; j < C; j++) {
      const e = Math.exp(logits.data[o + j] - mx);
      grad.data[o + j] = e;
      se += e;
    }
    total += Math.log(se) + mx - logits.data[o + y];
    for (let j = 0; j < C; j++) grad.data[o + j] /= se * N;
    grad.data[o + y] -= 1 / N;
  }
  return { loss: N === 0 ? 0 : total / N, grad };
}

/** Index of the largest entry of each row (ties: the lowest index). */
export function argmaxRows(a: Matrix): Int32Array {
  const out = new Int32Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    const o = i * a.cols;
    let best = 0;
    for (let j = 1; j < a.cols; j++) if (a.data[o + j] > a.data[o + best]) best = j;
    out[i] = best;
  }
  return out;
}

/**
 * Fraction of rows whose argmax is `labels[i]`.
 *
 * @example
 * accuracy(Matrix.fromRows([[0, 1], [2, 0]]), Int32Array.from([1, 1])) // => 0.5
 */
export function accuracy(logits: Matrix, labels: Int32Array): number {
  const pred = argmaxRows(logits);
  let hit = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === labels[i]) hit++;
  return pred.length === 0 ? 0 : hit / pred.length;
}

/**
 * Agreement of regression outputs with their targets as a classification
 * proxy: the fraction of rows where argmax ŷ = argmax y (d_out ≥ 2), or where
 * the signs agree (d_out = 1).
 */
export function argmaxAgreement(pred: Matrix, target: Matrix): number {
  if (pred.rows === 0) return 0;
  if (pred.cols === 1) {
    let hit = 0;
    for (let i = 0; i < pred.rows; i++) if (pred.data[i] > 0 === target.data[i] > 0) hit++;
    return hit / pred.rows;
  }
  return accuracy(pred, argmaxRows(target));
}

function requireLabels(data: Dataset, task: TaskKind): void {
  if (task === 'classification' && !data.labels) throw new RangeError('dataset has no labels (needed for a classification task)');
  if (task === 'regression' && !data.targets) throw new RangeError('dataset has no targets (needed for a regression task)');
}

/** The task loss of predictions on a dataset: cross-entropy on labels, or MSE on targets. */
export function taskLoss(pred: Matrix, data: Dataset, task: TaskKind): LossResult {
  requireLabels(data, task);
  return task === 'classification' ? softmaxCrossEntropy(pred, data.labels!) : mseLoss(pred, data.targets!);
}

/**
 * Loss and parameter gradients of a model on a batch.
 *
 * @example
 * const { loss, grads } = lossAndGrad(net, batch, 'classification');
 */
export function lossAndGrad(model: Mlp, data: Dataset, task: TaskKind): { loss: number; grads: MlpGrads; output: Matrix } {
  const { output, cache } = mlpForwardCached(model, data.X);
  const { loss, grad } = taskLoss(output, data, task);
  return { loss, grads: mlpBackward(model, cache, grad), output };
}

/**
 * Test loss and accuracy of a model on a dataset (accuracy: argmax vs label,
 * or {@link argmaxAgreement} for regression).
 *
 * @example
 * evaluateMlp(net, test, 'classification') // => { loss: 0.41, acc: 0.87 }
 */
export function evaluateMlp(model: Mlp, data: Dataset, task: TaskKind): { loss: number; acc: number } {
  const pred = mlpForward(model, data.X);
  return evaluatePredictions(pred, data, task);
}

/** Loss and accuracy of given predictions (see {@link evaluateMlp}). */
export function evaluatePredictions(pred: Matrix, data: Dataset, task: TaskKind): { loss: number; acc: number } {
  requireLabels(data, task);
  if (task === 'classification') {
    return { loss: softmaxCrossEntropy(pred, data.labels!).loss, acc: accuracy(pred, data.labels!) };
  }
  return { loss: mseLoss(pred, data.targets!).loss, acc: argmaxAgreement(pred, data.targets!) };
}
