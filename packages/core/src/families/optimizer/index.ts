import { defineFamily } from '../../plugin/family.js';
import { checkMlp, cloneMlp, mlpSizes } from '../../nn/mlp.js';
import { OptimizerObservation, OptimizerParams, OptimizerSolution, OptimizerTruth } from './schema.js';
import { generateOptimizer } from './generate.js';
import { optimizerMetrics, scoreOptimizer } from './score.js';

export * from './schema.js';
export { generateOptimizer, optimizerGradient } from './generate.js';
export { countLossSpikes, optimizerMetrics, SPIKE_WINDOW } from './score.js';

/**
 * Train a student MLP from a fixed init with a fixed batch order and step
 * budget, under an optional optimizer-memory budget; the instance's gradient
 * oracle (`optimizerGradient`) may inject spectral spikes. See README.md.
 */
export const optimizer = defineFamily({
  id: 'optimizer',
  title: 'Optimizer',
  summary: 'Train a student MLP from a fixed init and batch order within a step budget, with a memory-lean or stabilized optimizer.',
  schemas: {
    params: OptimizerParams,
    observation: OptimizerObservation,
    truth: OptimizerTruth,
    solution: OptimizerSolution,
  },
  metrics: optimizerMetrics,
  presets: {
    quick: { inputDim: 64, hidden: [128, 128], outputs: 10, steps: 300 },
    default: { inputDim: 128, hidden: [256, 256], outputs: 10, nTrain: 8192, nTest: 2048, steps: 1000, batchSize: 64 },
    scale: [64, 128, 256, 512, 1024].map((w) => ({ inputDim: w / 2, hidden: [w, w], outputs: 10, steps: 300 })),
  },
  generate: generateOptimizer,
  checkObservation(obs) {
    const bad = checkMlp(obs.init, 'observation.init');
    if (bad) return bad;
    const d = obs.init.layers[0].W.cols;
    if (obs.train.X.cols !== d) return { field: 'observation.train.X', message: `observation.train.X has ${obs.train.X.cols} columns, the model takes ${d} inputs` };
    if (obs.task === 'classification' && obs.train.labels?.length !== obs.train.X.rows) {
      return { field: 'observation.train.labels', message: `observation.train.labels must have one label per row of X (${obs.train.X.rows})` };
    }
    if (obs.task === 'regression' && obs.train.targets?.rows !== obs.train.X.rows) {
      return { field: 'observation.train.targets', message: `observation.train.targets must have one row per row of X (${obs.train.X.rows})` };
    }
    if (obs.batchOrder.length !== obs.steps * obs.batchSize) {
      return { field: 'observation.batchOrder', message: `observation.batchOrder has ${obs.batchOrder.length} entries, expected steps · batchSize = ${obs.steps * obs.batchSize}` };
    }
    const n = obs.train.X.rows;
    const out = obs.batchOrder.findIndex((i) => i < 0 || i >= n);
    if (out >= 0) return { field: `observation.batchOrder[${out}]`, message: `observation.batchOrder[${out}] = ${obs.batchOrder[out]} is not a row of train (0..${n - 1})` };
    for (let k = 0; k < (obs.spikes ?? []).length; k++) {
      const s = obs.spikes![k];
      const W = obs.init.layers[s.layer]?.W;
      if (!W) return { field: `observation.spikes[${k}].layer`, message: `observation.spikes[${k}].layer = ${s.layer}, the model has ${obs.init.layers.length} layers` };
      if (s.u.length !== W.rows || s.v.length !== W.cols) {
        return { field: `observation.spikes[${k}]`, message: `observation.spikes[${k}] has u ${s.u.length} and v ${s.v.length} entries; layer ${s.layer} is ${W.rows}x${W.cols}` };
      }
    }
    return undefined;
  },
  checkSolution(obs, sol) {
    const bad = checkMlp(sol.model, 'solution.model', mlpSizes(obs.init));
    if (bad) return bad;
    if (sol.model.activation !== obs.init.activation) {
      return { field: 'solution.model.activation', message: `solution.model.activation is "${sol.model.activation}", the init uses "${obs.init.activation}"` };
    }
    if (sol.trainLoss.length === 0) {
      return { field: 'solution.trainLoss', message: 'solution.trainLoss is empty; report the minibatch loss of every step taken (at least one)' };
    }
    if (sol.trainLoss.length > obs.steps) {
      return { field: 'solution.trainLoss', message: `solution.trainLoss has ${sol.trainLoss.length} entries, more than the step budget observation.steps = ${obs.steps}` };
    }
    if (obs.memoryBudget !== undefined && sol.stateFloats > obs.memoryBudget) {
      return { field: 'solution.stateFloats', message: `solution.stateFloats = ${sol.stateFloats} exceeds observation.memoryBudget = ${obs.memoryBudget}` };
    }
    return undefined;
  },
  trivialSolution: (obs) => ({ model: cloneMlp(obs.init), trainLoss: Float64Array.of(0), stateFloats: 0 }),
  score: scoreOptimizer,
});
