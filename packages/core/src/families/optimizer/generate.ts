import type { Rng } from '../../random/rng.js';
import type { Instance } from '../../plugin/family.js';
import { initMlp } from '../../nn/mlp.js';
import { lossAndGrad } from '../../nn/losses.js';
import { batchSchedule, gatherRows } from '../../nn/train.js';
import { teacherStudentTask } from '../../nn/teacher.js';
import type { Mlp, MlpGrads } from '../../nn/types.js';
import type { OptimizerObservation, OptimizerParams, OptimizerSpike, OptimizerTruth } from './schema.js';

function unitVector(n: number, rng: Rng): Float64Array {
  const v = rng.fillNormal(new Float64Array(n));
  let s = 0;
  for (const x of v) s += x * x;
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < n; i++) v[i] *= inv;
  return v;
}

/**
 * Draws a teacher–student training problem: a random teacher labels the
 * data, the student's initial weights and the minibatch order are fixed, so
 * every optimizer starts from the same point and sees the same batches.
 */
export function generateOptimizer(p: OptimizerParams, rng: Rng): Instance<OptimizerObservation, OptimizerTruth> {
  const { teacher, train, test } = teacherStudentTask(
    {
      inputDim: p.inputDim, hidden: p.hidden, outputs: p.outputs, activation: p.activation, task: p.task,
      nTrain: p.nTrain, nTest: p.nTest, inputs: p.inputs, labelNoise: p.labelNoise, snrDb: p.snrDb, teacherRank: p.teacherRank,
    },
    rng,
  );
  const sizes = [p.inputDim, ...p.hidden, p.outputs];
  const init = initMlp(sizes, p.activation, rng, p.init);
  if (p.initStd > 0) for (const l of init.layers) rng.fillNormal(l.W.data, 0, p.initStd);
  const batchOrder = batchSchedule(p.nTrain, p.steps, Math.min(p.batchSize, p.nTrain), rng);
  const spikes: OptimizerSpike[] = [];
  if (p.spikeProb > 0) {
    for (let step = 0; step < p.steps; step++) {
      if (rng.uniform() >= p.spikeProb) continue;
      const layer = rng.int(init.layers.length);
      const W = init.layers[layer].W;
      spikes.push({ step, layer, u: unitVector(W.rows, rng), v: unitVector(W.cols, rng) });
    }
  }
  const observation: OptimizerObservation = {
    task: p.task,
    init,
    train,
    steps: p.steps,
    batchSize: Math.min(p.batchSize, p.nTrain),
    batchOrder,
    lr: p.lr,
    ...(p.memoryBudget > 0 && { memoryBudget: p.memoryBudget }),
    ...(p.spikeProb > 0 && { spikes, spikeScale: p.spikeScale }),
  };
  return { observation, truth: { test, teacher } };
}

/**
 * The instance's stochastic-gradient oracle: loss and gradients of `model` on
 * the minibatch of step `step` (from `observation.batchOrder`), with the
 * instance's spectral spikes added to the weight gradients (spikeScale ·
 * ‖G_l‖_F · u vᵀ). Optimizers should take every gradient from here, so that
 * all of them see the same batches and the same spikes.
 *
 * @example
 * const { loss, grads } = optimizerGradient(obs, model, t);
 */
export function optimizerGradient(obs: OptimizerObservation, model: Mlp, step: number): { loss: number; grads: MlpGrads } {
  const bs = obs.batchSize;
  const t = step % obs.steps;
  const batch = gatherRows(obs.train, obs.batchOrder.subarray(t * bs, (t + 1) * bs));
  const { loss, grads } = lossAndGrad(model, batch, obs.task);
  for (const s of obs.spikes ?? []) {
    if (s.step !== step) continue;
    const G = grads.layers[s.layer].W;
    let f = 0;
    for (const v of G.data) f += v * v;
    const c = (obs.spikeScale ?? 0) * Math.sqrt(f);
    for (let i = 0; i < G.rows; i++) {
      const ui = c * s.u[i];
      for (let j = 0; j < G.cols; j++) G.data[i * G.cols + j] += ui * s.v[j];
    }
  }
  return { loss, grads };
}
