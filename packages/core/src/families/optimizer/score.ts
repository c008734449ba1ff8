import type { MetricSpec } from '../../plugin/family.js';
import { clampMetric } from '../common.js';
import { nrm2 } from '../../linalg/blas.js';
import { evaluateMlp } from '../../nn/losses.js';
import type { OptimizerObservation, OptimizerSolution, OptimizerTruth } from './schema.js';

/** Window of the running median that {@link countLossSpikes} compares against. */
export const SPIKE_WINDOW = 20;

/** The metrics of optimizer (test_loss is primary). */
export const optimizerMetrics: readonly MetricSpec[] = [
  { id: 'test_loss', label: 'Test loss', direction: 'min', primary: true, description: 'cross-entropy (classification) or MSE (regression) of the final weights on the held-out set' },
  { id: 'test_acc', label: 'Test accuracy', direction: 'max', description: 'argmax accuracy (regression: argmax/sign agreement with the targets)' },
  { id: 'loss_spikes', label: 'Loss spikes', direction: 'min', description: `steps t ≥ 1 whose training loss exceeds 2x the median of the previous ${SPIKE_WINDOW} steps' losses` },
  { id: 'optimizer_state_floats', label: 'Optimizer state', direction: 'min', unit: 'floats', description: 'optimizer-state floats the solution declares (stateFloats)' },
  { id: 'weight_norm', label: 'Weight norm', direction: 'min', description: 'Frobenius norm of all weight matrices of the final model, √Σ_l ‖W_l‖_F²' },
];

/**
 * Steps t ≥ 1 of a loss trace with loss_t > 2 · median(loss_{t-w..t-1}),
 * w = {@link SPIKE_WINDOW}.
 *
 * @example
 * countLossSpikes(Float64Array.of(1, 1, 1, 5, 1)) // => 1
 */
export function countLossSpikes(trace: Float64Array): number {
  let n = 0;
  for (let t = 1; t < trace.length; t++) {
    const win = Array.from(trace.subarray(Math.max(0, t - SPIKE_WINDOW), t)).sort((a, b) => a - b);
    const m = win.length % 2 ? win[(win.length - 1) / 2] : 0.5 * (win[win.length / 2 - 1] + win[win.length / 2]);
    if (trace[t] > 2 * m) n++;
  }
  return n;
}

/**
 * Scores the final weights on the held-out set, and the declared loss trace
 * and optimizer state.
 *
 * @returns the metrics of {@link optimizerMetrics}
 */
export function scoreOptimizer(obs: OptimizerObservation, truth: OptimizerTruth, sol: OptimizerSolution): Record<string, number> {
  const r = evaluateMlp(sol.model, truth.test, obs.task);
  // Scaled norms (LAPACK dnrm2) per layer, then of the per-layer norms: no overflow.
  const norm = nrm2(Float64Array.from(sol.model.layers, (l) => nrm2(l.W.data)));
  return {
    test_loss: clampMetric(r.loss),
    test_acc: Number.isFinite(r.acc) ? r.acc : 0,
    loss_spikes: countLossSpikes(sol.trainLoss),
    optimizer_state_floats: sol.stateFloats,
    weight_norm: clampMetric(norm),
  };
}
