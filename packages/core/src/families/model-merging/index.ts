import { defineFamily } from '../../plugin/family.js';
import { checkMlp, cloneMlp, combineMlps, mlpSizes } from '../../nn/mlp.js';
import type { Mlp } from '../../nn/types.js';
import { ModelMergingObservation, ModelMergingParams, ModelMergingSolution, ModelMergingTruth } from './schema.js';
import { generateModelMerging } from './generate.js';
import { modelMergingMetrics, scoreModelMerging } from './score.js';

export * from './schema.js';
export { generateModelMerging, randomCayleyRotation } from './generate.js';
export { interpolationBarrier, modelMergingMetrics } from './score.js';

type Problem = { field: string; message: string } | undefined;

function sameArchitecture(model: Mlp, ref: Mlp, field: string): Problem {
  const bad = checkMlp(model, field, mlpSizes(ref));
  if (bad) return bad;
  if (model.activation !== ref.activation) {
    return { field: `${field}.activation`, message: `${field}.activation is "${model.activation}", the models use "${ref.activation}"` };
  }
  return undefined;
}

/** Checks that `perm` is a permutation of 0..n-1. */
function checkPermutation(perm: Int32Array, n: number, field: string): Problem {
  if (perm.length !== n) return { field, message: `${field} has ${perm.length} entries, the hidden layer has ${n} units` };
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const j = perm[i];
    if (j < 0 || j >= n || seen[j]) return { field, message: `${field} is not a permutation of 0..${n - 1}: entry ${i} is ${j}${j >= 0 && j < n ? ' (repeated)' : ''}` };
    seen[j] = 1;
  }
  return undefined;
}

/**
 * Merge K models of one MLP architecture (fine-tuned from a shared θ₀, or
 * trained on one task from different seeds) into one model that serves all K
 * tasks. See README.md in this folder.
 */
export const modelMerging = defineFamily({
  id: 'model-merging',
  title: 'Model merging',
  summary: 'Merge K task-specific models of one MLP architecture (θ₀ + fine-tunes, LoRA factors, OFT experts or same-task seeds) into one model.',
  schemas: {
    params: ModelMergingParams,
    observation: ModelMergingObservation,
    truth: ModelMergingTruth,
    solution: ModelMergingSolution,
  },
  metrics: modelMergingMetrics,
  presets: {
    quick: { inputDim: 32, hidden: [64], outputs: 10, tasks: 4 },
    default: { inputDim: 64, hidden: [128], outputs: 10, tasks: 8, nTrain: 4096, nTest: 2000, pretrainSteps: 300, finetuneSteps: 150 },
    scale: [32, 64, 128, 256, 512].map((w) => ({ inputDim: w / 2, hidden: [w], outputs: 10, tasks: 4 })),
  },
  generate: generateModelMerging,
  checkObservation(obs) {
    const ref = obs.models[0];
    for (let k = 0; k < obs.models.length; k++) {
      const bad = (k === 0 ? checkMlp(ref, 'observation.models[0]') : sameArchitecture(obs.models[k], ref, `observation.models[${k}]`));
      if (bad) return bad;
    }
    if (obs.variant !== 'same-task' && !obs.base) {
      return { field: 'observation.base', message: `observation.base (θ₀) is required for variant "${obs.variant}"` };
    }
    if (obs.base) {
      const bad = sameArchitecture(obs.base, ref, 'observation.base');
      if (bad) return bad;
    }
    if (obs.variant === 'lora' && !obs.lora) return { field: 'observation.lora', message: 'observation.lora is required for variant "lora"' };
    if (obs.lora) {
      if (obs.lora.length !== obs.models.length) {
        return { field: 'observation.lora', message: `observation.lora has ${obs.lora.length} entries, there are ${obs.models.length} models` };
      }
      for (let k = 0; k < obs.lora.length; k++) {
        if (obs.lora[k].length !== ref.layers.length) {
          return { field: `observation.lora[${k}]`, message: `observation.lora[${k}] has ${obs.lora[k].length} layers, the models have ${ref.layers.length}` };
        }
        for (let l = 0; l < ref.layers.length; l++) {
          const { B, A } = obs.lora[k][l], W = ref.layers[l].W;
          if (B.rows !== W.rows || A.cols !== W.cols || B.cols !== A.rows) {
            return { field: `observation.lora[${k}][${l}]`, message: `observation.lora[${k}][${l}] has B ${B.rows}x${B.cols} and A ${A.rows}x${A.cols}; layer ${l} is ${W.rows}x${W.cols}` };
          }
        }
      }
    }
    if (obs.rotations) {
      const d = ref.layers[0].W.cols;
      for (let k = 0; k < obs.rotations.length; k++) {
        const R = obs.rotations[k];
        if (R.rows !== d || R.cols !== d) return { field: `observation.rotations[${k}]`, message: `observation.rotations[${k}] is ${R.rows}x${R.cols}, expected ${d}x${d}` };
      }
    }
    if (obs.calibration) {
      const want = obs.variant === 'same-task' ? 1 : obs.models.length;
      if (obs.calibration.length !== want) {
        return { field: 'observation.calibration', message: `observation.calibration has ${obs.calibration.length} sets, expected ${want}` };
      }
    }
    return undefined;
  },
  checkSolution(obs, sol) {
    const bad = sameArchitecture(sol.model, obs.models[0], 'solution.model');
    if (bad) return bad;
    if (sol.permutations) {
      const K = obs.models.length;
      if (sol.permutations.length !== K) {
        return { field: 'solution.permutations', message: `solution.permutations has ${sol.permutations.length} entries, expected one per model (${K})` };
      }
      const widths = mlpSizes(obs.models[0]).slice(1, -1);
      for (let k = 0; k < K; k++) {
        if (sol.permutations[k].length !== widths.length) {
          return { field: `solution.permutations[${k}]`, message: `solution.permutations[${k}] has ${sol.permutations[k].length} permutations, expected one per hidden layer (${widths.length})` };
        }
        for (let l = 0; l < widths.length; l++) {
          const p = checkPermutation(sol.permutations[k][l], widths[l], `solution.permutations[${k}][${l}]`);
          if (p) return p;
        }
      }
    }
    return undefined;
  },
  trivialSolution: (obs) => ({ model: obs.base ? cloneMlp(obs.base) : combineMlps(obs.models, obs.models.map(() => 1 / obs.models.length)) }),
  score: scoreModelMerging,
});
