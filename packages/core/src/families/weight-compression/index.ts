import { defineFamily } from '../../plugin/family.js';
import { Matrix } from '../../linalg/matrix.js';
import { checkMlp } from '../../nn/mlp.js';
import type { Mlp } from '../../nn/types.js';
import { WeightCompressionObservation, WeightCompressionParams, WeightCompressionSolution, WeightCompressionTruth, type WeightCompressionSolution as Solution } from './schema.js';
import { generateWeightCompression } from './generate.js';
import { checkBudget, checkCompression } from './budget.js';
import { scoreWeightCompression, weightCompressionMetrics } from './score.js';

export * from './schema.js';
export { generateWeightCompression, attentionOutput } from './generate.js';
export { checkBudget, checkCompression, bitsPerWeight, nmIndexBits, allowedKept, budgetRows, nnz } from './budget.js';
export { compressedNetwork, weightCompressionMetrics } from './score.js';

/**
 * The solution form of a (compressed) MLP for the `network` variant: its
 * weights as `layers`, its biases as `biases`, with optional per-layer bits.
 *
 * @example
 * const solution = compressionSolutionFromMlp(sparseModel);
 */
export function compressionSolutionFromMlp(model: Mlp, bits?: readonly number[]): Solution {
  return {
    layers: model.layers.map((l, i) => ({ W: l.W, ...(bits?.[i] !== undefined && { bits: bits[i] }) })),
    biases: model.layers.map((l) => l.b),
  };
}

/**
 * Prune and/or quantize weights (layers with calibration inputs, an attention
 * KV cache, or a whole MLP that may be retrained) under a sparsity, n:m,
 * bit or global budget. See README.md in this folder.
 */
export const weightCompression = defineFamily({
  id: 'weight-compression',
  title: 'Weight compression',
  summary: 'Prune and/or quantize weight matrices, KV caches or a small MLP under a sparsity, n:m, bit or global budget, keeping outputs close.',
  schemas: {
    params: WeightCompressionParams,
    observation: WeightCompressionObservation,
    truth: WeightCompressionTruth,
    solution: WeightCompressionSolution,
  },
  metrics: weightCompressionMetrics,
  presets: {
    quick: { variant: 'layer', dOut: 256, dIn: 512, nCalib: 512, budget: { sparsity: 0.5 } },
    default: { variant: 'layer', dOut: 512, dIn: 1024, nCalib: 1024, nTest: 1024, budget: { sparsity: 0.5 } },
    scale: [256, 512, 1024, 2048, 4096].map((d) => ({ variant: 'layer' as const, dOut: d / 2, dIn: d, nCalib: 512, budget: { sparsity: 0.5 } })),
  },
  generate: generateWeightCompression,
  checkObservation(obs) {
    const b = checkBudget(obs.budget, obs.layers.filter((l) => !l.frozen).map((l) => l.W.cols), 'observation.budget');
    if (b) return b;
    for (let l = 0; l < obs.layers.length; l++) {
      const { W, X } = obs.layers[l];
      if (X && X.cols !== W.cols) return { field: `observation.layers[${l}].X`, message: `observation.layers[${l}].X has ${X.cols} columns, W has ${W.cols} (inputs must match d_in)` };
    }
    if (obs.variant === 'kv-cache') {
      if (obs.layers.length % 2 !== 0) return { field: 'observation.layers', message: `kv-cache: observation.layers has ${obs.layers.length} entries; expected key, value pairs per head` };
      for (let l = 0; l < obs.layers.length; l++) {
        const want = l % 2 === 0 ? 'key' : 'value';
        if (obs.layers[l].role !== want) return { field: `observation.layers[${l}].role`, message: `kv-cache: observation.layers[${l}].role must be "${want}" (key, value per head)` };
      }
    }
    if (obs.variant === 'network') {
      const net = obs.network;
      if (!net) return { field: 'observation.network', message: 'observation.network is required for variant "network"' };
      const bad = checkMlp(net.model, 'observation.network.model');
      if (bad) return bad;
      if (net.model.layers.length !== obs.layers.length) {
        return { field: 'observation.layers', message: `observation.layers has ${obs.layers.length} entries, observation.network.model has ${net.model.layers.length} layers` };
      }
      for (let l = 0; l < obs.layers.length; l++) {
        const W = obs.layers[l].W, M = net.model.layers[l].W;
        if (W.rows !== M.rows || W.cols !== M.cols) return { field: `observation.layers[${l}].W`, message: `observation.layers[${l}].W is ${W.rows}x${W.cols}, model layer ${l} is ${M.rows}x${M.cols}` };
      }
      if (net.train.X.cols !== net.model.layers[0].W.cols) return { field: 'observation.network.train.X', message: `observation.network.train.X has ${net.train.X.cols} columns, the model takes ${net.model.layers[0].W.cols} inputs` };
    }
    return undefined;
  },
  checkSolution(obs, sol) {
    const p = checkCompression(obs, sol);
    if (p) return p;
    if (sol.biases) {
      if (obs.variant !== 'network') return { field: 'solution.biases', message: `solution.biases is only for variant "network" (this is "${obs.variant}")` };
      if (sol.biases.length !== obs.layers.length) return { field: 'solution.biases', message: `solution.biases has ${sol.biases.length} entries, expected ${obs.layers.length}` };
      for (let l = 0; l < sol.biases.length; l++) {
        if (sol.biases[l].length !== obs.layers[l].W.rows) return { field: `solution.biases[${l}]`, message: `solution.biases[${l}] has ${sol.biases[l].length} entries, layer ${l} has ${obs.layers[l].W.rows} outputs` };
      }
    }
    return undefined;
  },
  // All zeros: one distinct value per group, so it fits any bits budget at 1 bit.
  trivialSolution: (obs) => ({
    layers: obs.layers.map((l) => (l.frozen ? { W: Matrix.clone(l.W) } : { W: Matrix.zeros(l.W.rows, l.W.cols), ...(obs.budget.bits !== undefined && { bits: 1 }) })),
  }),
  score: scoreWeightCompression,
});
