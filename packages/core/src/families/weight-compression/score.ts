import type { MetricSpec } from '../../plugin/family.js';
import type { Matrix } from '../../linalg/matrix.js';
import { nrm2 } from '../../linalg/blas.js';
import { clampMetric } from '../common.js';
import { matmul } from '../../linalg/gemm.js';
import { argmaxRows, evaluatePredictions } from '../../nn/losses.js';
import { mlpForward } from '../../nn/mlp.js';
import type { Mlp } from '../../nn/types.js';
import { attentionOutput } from './generate.js';
import { bitsPerWeight, layerCount } from './budget.js';
import type { WeightCompressionObservation, WeightCompressionSolution, WeightCompressionTruth } from './schema.js';

/** The metrics of weight-compression (out_err is primary for every variant). */
export const weightCompressionMetrics: readonly MetricSpec[] = [
  {
    id: 'out_err',
    label: 'Output error',
    direction: 'min',
    primary: true,
    description:
      "||X'Ŵᵀ - X'Wᵀ||_F / ||X'Wᵀ||_F on held-out X', mean over layers (kv-cache: the attention output error per head; network: the same ratio for the network's outputs against the teacher's)",
  },
  { id: 'test_loss', label: 'Test loss', direction: 'min', description: 'network: cross-entropy or MSE on the test set; layer / kv-cache: mean squared output error ||·||_F² / (N d_out)' },
  { id: 'test_acc', label: 'Test accuracy', direction: 'max', description: 'network: test accuracy; layer: argmax agreement of each output row with the dense one; kv-cache: top-1 attention index agreement' },
  { id: 'budget_ok', label: 'Budget met', direction: 'max', description: '1 (a violated pattern or budget makes the result invalid instead)' },
  { id: 'bits_per_weight', label: 'Bits per weight', direction: 'min', unit: 'bits', description: 'stored bits / weights: values at their declared bits (else 16), 32 bits per quantization group, sparsity index (n:m code or 1-bit mask)' },
  { id: 'sparsity', label: 'Sparsity', direction: 'max', description: '1 - kept / size over the layers under the budget (factored layers: nnz of the factors)' },
];

/** ||A - B||_F / ||B||_F and the mean squared difference, overflow-safe. */
function compare(A: Matrix, B: Matrix): { rel: number; mse: number } {
  const d = new Float64Array(A.data.length);
  for (let i = 0; i < d.length; i++) d[i] = 0.5 * A.data[i] - 0.5 * B.data[i];
  const nd = 2 * nrm2(d);
  return { rel: clampMetric(nd / Math.max(nrm2(B.data), 1e-300)), mse: clampMetric((nd / Math.sqrt(Math.max(d.length, 1))) ** 2) };
}

function agreement(a: Int32Array, b: Int32Array): number {
  let hit = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) hit++;
  return a.length ? hit / a.length : 0;
}

/** The compressed network: solution weights, solution (or given) biases. */
export function compressedNetwork(obs: WeightCompressionObservation, sol: WeightCompressionSolution): Mlp {
  const model = obs.network!.model;
  return { activation: model.activation, layers: model.layers.map((l, i) => ({ W: sol.layers[i].W, b: sol.biases?.[i] ?? l.b })) };
}

/**
 * Scores compressed matrices on held-out inputs (layer), held-out queries
 * (kv-cache) or the test set (network). Call only on a solution that passed
 * `checkSolution` (the budget is checked there).
 *
 * @returns the metrics of {@link weightCompressionMetrics}
 */
export function scoreWeightCompression(obs: WeightCompressionObservation, truth: WeightCompressionTruth, sol: WeightCompressionSolution): Record<string, number> {
  let outErr = 0, testLoss = 0, testAcc = 0;
  if (obs.variant === 'network') {
    const { test, teacher } = truth.network!;
    const net = compressedNetwork(obs, sol);
    const pred = mlpForward(net, test.X);
    const ref = mlpForward(teacher, test.X);
    const r = evaluatePredictions(pred, test, obs.network!.task);
    outErr = compare(pred, ref).rel;
    testLoss = clampMetric(r.loss);
    testAcc = Number.isFinite(r.acc) ? r.acc : 0;
  } else if (obs.variant === 'kv-cache') {
    const H = truth.outputs.length;
    for (let h = 0; h < H; h++) {
      const K = sol.layers[2 * h].W, V = sol.layers[2 * h + 1].W, K0 = obs.layers[2 * h].W;
      const { X: Q, Y } = truth.outputs[h];
      const c = compare(attentionOutput(Q, K, V), Y);
      outErr += c.rel / H;
      testLoss += c.mse / H;
      testAcc += agreement(argmaxRows(matmul(Q, K, { transB: true })), argmaxRows(matmul(Q, K0, { transB: true }))) / H;
    }
  } else {
    const L = truth.outputs.length;
    for (let l = 0; l < L; l++) {
      const { X, Y } = truth.outputs[l];
      const pred = matmul(X, sol.layers[l].W, { transB: true });
      const c = compare(pred, Y);
      outErr += c.rel / L;
      testLoss += c.mse / L;
      testAcc += agreement(argmaxRows(pred), argmaxRows(Y)) / L;
    }
  }
  let kept = 0, size = 0;
  for (let l = 0; l < obs.layers.length; l++) {
    if (obs.layers[l].frozen) continue;
    const c = layerCount(obs, sol.layers[l]);
    kept += c.kept;
    size += c.size;
  }
  return {
    out_err: clampMetric(outErr),
    test_loss: clampMetric(testLoss),
    test_acc: testAcc,
    budget_ok: 1,
    bits_per_weight: bitsPerWeight(obs, sol),
    sparsity: size > 0 ? 1 - kept / size : 0,
  };
}
