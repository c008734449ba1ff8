import { defineFamily } from '../../plugin/family.js';
import { checkMlp, cloneMlp } from '../../nn/mlp.js';
import { PeftObservation, PeftParams, PeftSolution, PeftTruth } from './schema.js';
import { generatePeft } from './generate.js';
import { countAdapter, peftMetrics, scorePeft } from './score.js';

export * from './schema.js';
export { generatePeft, peftBudget } from './generate.js';
export { countAdapter, peftMetrics, type AdapterCount } from './score.js';

/**
 * Adapt a frozen base MLP to a downstream task under a trainable-parameter
 * budget; the solution is the adapted model plus the adapter in its own form
 * (LoRA factors, sparse positions, ...), from which core counts the
 * trainable floats. See README.md in this folder.
 */
export const peft = defineFamily({
  id: 'peft',
  title: 'Parameter-efficient fine-tuning',
  summary: 'Adapt a frozen base MLP to a new teacher task, training at most a budget of floats (LoRA, sparse, head-only, ...).',
  schemas: {
    params: PeftParams,
    observation: PeftObservation,
    truth: PeftTruth,
    solution: PeftSolution,
  },
  metrics: peftMetrics,
  presets: {
    quick: { inputDim: 64, hidden: [128], outputs: 10, nTrain: 2000 },
    default: { inputDim: 128, hidden: [256], outputs: 10, nTrain: 4000, nTest: 2000, steps: 500 },
    scale: [64, 128, 256, 512, 1024].map((w) => ({ inputDim: w / 2, hidden: [w], outputs: 10, nTrain: 2000 })),
  },
  generate: generatePeft,
  checkObservation(obs) {
    const bad = checkMlp(obs.base, 'observation.base');
    if (bad) return bad;
    const d = obs.base.layers[0].W.cols, out = obs.base.layers[obs.base.layers.length - 1].W.rows;
    if (obs.train.X.cols !== d) return { field: 'observation.train.X', message: `observation.train.X has ${obs.train.X.cols} columns, the base takes ${d} inputs` };
    const n = obs.train.X.rows;
    if (obs.task === 'classification') {
      if (!obs.train.labels) return { field: 'observation.train.labels', message: 'observation.train.labels is required for a classification task' };
      if (obs.train.labels.length !== n) return { field: 'observation.train.labels', message: `observation.train.labels has ${obs.train.labels.length} entries, X has ${n} rows` };
      const badLabel = obs.train.labels.findIndex((y) => y < 0 || y >= out);
      if (badLabel >= 0) return { field: `observation.train.labels[${badLabel}]`, message: `observation.train.labels[${badLabel}] = ${obs.train.labels[badLabel]} is not a class in 0..${out - 1}` };
    } else {
      const t = obs.train.targets;
      if (!t) return { field: 'observation.train.targets', message: 'observation.train.targets is required for a regression task' };
      if (t.rows !== n || t.cols !== out) return { field: 'observation.train.targets', message: `observation.train.targets is ${t.rows}x${t.cols}, expected ${n}x${out}` };
    }
    return undefined;
  },
  checkSolution(obs, sol) {
    const count = countAdapter(obs, sol);
    if ('field' in count) return count;
    if (count.trainable > obs.budget.trainableParams) {
      return {
        field: 'solution.adapter',
        message: `solution.adapter (kind "${sol.adapter.kind}") trains ${count.trainable} floats, over observation.budget.trainableParams = ${obs.budget.trainableParams}`,
      };
    }
    return undefined;
  },
  trivialSolution: (obs) => ({ model: cloneMlp(obs.base), adapter: { kind: 'lora' as const, lora: [] } }),
  score: scorePeft,
});

