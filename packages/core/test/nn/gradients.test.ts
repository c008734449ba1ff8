import { describe, expect, test } from 'vitest';
import {
  Matrix,
  activate,
  activationBackward,
  countParams,
  createRng,
  flattenMlp,
  initMlp,
  lossAndGrad,
  mlpBackward,
  mlpForward,
  mlpForwardCached,
  mseLoss,
  softmaxCrossEntropy,
  unflattenMlp,
  type Activation,
  type Dataset,
  type Mlp,
  type TaskKind,
} from '../../src/index.js';

/** Central finite difference of the dataset loss with respect to every parameter. */
function numericGrad(model: Mlp, data: Dataset, task: TaskKind, h = 1e-6): Float64Array {
  const theta = flattenMlp(model);
  const g = new Float64Array(theta.length);
  for (let i = 0; i < theta.length; i++) {
    const save = theta[i];
    theta[i] = save + h;
    const up = lossAndGrad(unflattenMlp(model, theta), data, task).loss;
    theta[i] = save - h;
    const down = lossAndGrad(unflattenMlp(model, theta), data, task).loss;
    theta[i] = save;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

function maxRelDiff(a: Float64Array, b: Float64Array): number {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
}

function smallTask(task: TaskKind, act: Activation, seed: number): { model: Mlp; data: Dataset } {
  const rng = createRng(seed);
  const model = initMlp([5, 7, 6, 3], act, rng);
  for (const l of model.layers) rng.fillNormal(l.b, 0, 0.3);
  const X = Matrix.zeros(9, 5);
  rng.fillNormal(X.data);
  if (task === 'classification') return { model, data: { X, labels: Int32Array.from({ length: 9 }, (_, i) => i % 3) } };
  const targets = Matrix.zeros(9, 3);
  rng.fillNormal(targets.data);
  return { model, data: { X, targets } };
}

describe('nn gradients match central finite differences', () => {
  test.each([
    ['classification', 'relu'],
    ['classification', 'gelu'],
    ['classification', 'tanh'],
    ['regression', 'relu'],
    ['regression', 'gelu'],
    ['regression', 'identity'],
  ] as const)('%s loss through a 5-7-6-3 %s MLP', (task, act) => {
    const { model, data } = smallTask(task, act, 11);
    const analytic = flattenMlp(lossAndGrad(model, data, task).grads);
    expect(analytic.length).toBe(countParams(model));
    expect(maxRelDiff(analytic, numericGrad(model, data, task))).toBeLessThan(1e-6);
  });

  test('the input gradient matches finite differences of the inputs', () => {
    const { model, data } = smallTask('regression', 'gelu', 3);
    const { output, cache } = mlpForwardCached(model, data.X);
    const { grad } = mseLoss(output, data.targets!);
    const { dX } = mlpBackward(model, cache, grad, { inputGrad: true });
    const h = 1e-6;
    const num = new Float64Array(data.X.data.length);
    for (let i = 0; i < num.length; i++) {
      const X = Matrix.clone(data.X);
      X.data[i] += h;
      const up = mseLoss(mlpForward(model, X), data.targets!).loss;
      X.data[i] -= 2 * h;
      const down = mseLoss(mlpForward(model, X), data.targets!).loss;
      num[i] = (up - down) / (2 * h);
    }
    expect(maxRelDiff(dX!.data, num)).toBeLessThan(1e-6);
  });

  test.each(['relu', 'gelu', 'tanh', 'identity'] as const)('%s: activationBackward is the derivative of activate', (act) => {
    const z = Float64Array.from([-2.1, -0.7, -0.05, 0.3, 1.2, 3.3]);
    const g = activationBackward(act, z, new Float64Array(z.length).fill(1));
    const h = 1e-6;
    z.forEach((v, i) => {
      const up = activate(act, Float64Array.of(v + h), new Float64Array(1))[0];
      const down = activate(act, Float64Array.of(v - h), new Float64Array(1))[0];
      expect(g[i]).toBeCloseTo((up - down) / (2 * h), 7);
    });
  });
});

describe('nn losses', () => {
  test('softmax cross-entropy of equal logits is log C, and stays finite for huge logits', () => {
    expect(softmaxCrossEntropy(Matrix.fromRows([[0, 0, 0, 0]]), Int32Array.of(2)).loss).toBeCloseTo(Math.log(4), 14);
    const big = softmaxCrossEntropy(Matrix.fromRows([[1e300, -1e300]]), Int32Array.of(0));
    expect(big.loss).toBe(0);
    expect(Array.from(big.grad.data)).toEqual([0, 0]);
  });

  test('the cross-entropy gradient rows sum to zero', () => {
    const { grad } = softmaxCrossEntropy(Matrix.fromRows([[1, 2, 3], [0.5, -1, 2]]), Int32Array.of(0, 2));
    expect(grad.data[0] + grad.data[1] + grad.data[2]).toBeCloseTo(0, 15);
    expect(grad.data[3] + grad.data[4] + grad.data[5]).toBeCloseTo(0, 15);
  });

  test('MSE is the mean over all entries', () => {
    expect(mseLoss(Matrix.fromRows([[1, 2], [3, 4]]), Matrix.fromRows([[1, 0], [0, 4]])).loss).toBe((4 + 9) / 4);
  });

  test('a label out of range is an error naming it', () => {
    expect(() => softmaxCrossEntropy(Matrix.fromRows([[0, 0]]), Int32Array.of(2))).toThrow('label 0 is 2; expected 0..1');
  });
});
