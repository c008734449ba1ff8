import type { Rng } from '../../random/rng.js';
import type { Matrix } from '../../linalg/matrix.js';
import type { Instance } from '../../plugin/family.js';
import { cloneMlp, mlpForward } from '../../nn/mlp.js';
import { clusterCenters, clusteredInputs, gaussianInputs, labelData, randomTeacher, weightShift } from '../../nn/teacher.js';
import type { Mlp } from '../../nn/types.js';
import type { PeftObservation, PeftParams, PeftTruth } from './schema.js';

/** The trainable-float budget of the params: explicit, or a rank-r LoRA on every layer. */
export function peftBudget(p: Pick<PeftParams, 'budgetParams' | 'budgetRank' | 'inputDim' | 'hidden' | 'outputs'>): number {
  if (p.budgetParams > 0) return p.budgetParams;
  const sizes = [p.inputDim, ...p.hidden, p.outputs];
  let s = 0;
  for (let l = 1; l < sizes.length; l++) s += sizes[l - 1] + sizes[l];
  return p.budgetRank * s;
}

/** Input sampler of the instance: the same distribution for train and test. */
function inputSampler(p: PeftParams, rng: Rng): (n: number) => Matrix {
  if (p.inputs === 'clustered') {
    const centers = clusterCenters(3 * p.outputs, p.inputDim, 2, rng);
    return (n) => clusteredInputs(n, centers, 1, rng).X;
  }
  if (p.inputs === 'anisotropic') {
    const scale = Float64Array.from({ length: p.inputDim }, () => Math.sqrt(Math.pow(10, rng.uniformIn(-1, 1))));
    return (n) => {
      const X = gaussianInputs(n, p.inputDim, rng);
      for (let i = 0; i < X.data.length; i++) X.data[i] *= scale[i % p.inputDim];
      return X;
    };
  }
  return (n) => gaussianInputs(n, p.inputDim, rng);
}

/**
 * Draws a frozen base model θ₀ (a random teacher T₀, so the base is
 * "perfectly pre-trained" on its own task) and a downstream task whose
 * teacher is T* = T₀ + ΔW* on every layer; see README.md.
 */
export function generatePeft(p: PeftParams, rng: Rng): Instance<PeftObservation, PeftTruth> {
  const sizes = [p.inputDim, ...p.hidden, p.outputs];
  const classification = p.task === 'classification';
  const base: Mlp = randomTeacher(sizes, p.activation, rng, { outputStd: classification ? 3 : 1 });
  const teacher = cloneMlp(base);
  for (const layer of teacher.layers) {
    const d = weightShift(layer.W, p.shift, rng, { relScale: p.shiftScale, rank: p.shiftRank, density: p.shiftDensity });
    for (let i = 0; i < d.data.length; i++) layer.W.data[i] += d.data[i];
  }
  const draw = inputSampler(p, rng);
  const Xtr = draw(p.nTrain);
  let noiseStd = 0;
  if (!classification && p.snrDb !== 'inf') {
    const out = mlpForward(teacher, Xtr);
    let s = 0;
    for (const v of out.data) s += v * v;
    noiseStd = Math.sqrt(s / out.data.length) / Math.pow(10, p.snrDb / 20);
  }
  const train = labelData(teacher, Xtr, p.task, rng, { labelNoise: p.labelNoise, noiseStd });
  const test = labelData(teacher, draw(p.nTest), p.task, rng);
  const budget = peftBudget(p);
  return {
    observation: {
      task: p.task,
      base,
      train,
      budget: p.budgetParams > 0 ? { trainableParams: budget } : { trainableParams: budget, rank: p.budgetRank },
      steps: p.steps,
      batchSize: p.batchSize,
      lr: p.lr,
    },
    truth: { test, teacher },
  };
}
