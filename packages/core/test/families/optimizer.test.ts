import { describe, expect, test } from 'vitest';
import {
  Matrix,
  adam,
  assertObservation,
  cloneMlp,
  countParams,
  createRng,
  generateInstance,
  parseJson,
  resolveFamilyParams,
  initMlp,
  optimizer,
  optimizerGradient,
  paramArrays,
  scoreSolution,
  sgd,
  toJsonText,
  type OptimizerObservation,
  type Optimizer,
} from '../../src/index.js';
import { countLossSpikes } from '../../src/families/optimizer/index.js';

const small = { inputDim: 16, hidden: [32, 32], outputs: 4, nTrain: 512, nTest: 512, steps: 150 };
const gen = (params: object, seed = 1) => generateInstance(optimizer, { ...small, ...params }, [seed]);
const metrics = (r: ReturnType<typeof scoreSolution>) => {
  if (r.status !== 'ok') throw new Error(`expected ok, got invalid: ${r.reason}`);
  return r.metrics;
};

/** A plain training loop over the instance's gradient oracle. */
function train(obs: OptimizerObservation, opt: Optimizer) {
  const model = cloneMlp(obs.init);
  const trainLoss = new Float64Array(obs.steps);
  for (let t = 0; t < obs.steps; t++) {
    const { loss, grads } = optimizerGradient(obs, model, t);
    trainLoss[t] = loss;
    opt.step(paramArrays(model), paramArrays(grads));
  }
  return { model, trainLoss, stateFloats: opt.stateFloats };
}

describe('optimizer generator', () => {
  test('same seed: byte-identical observation and truth; another seed differs', () => {
    const a = gen({ spikeProb: 0.1 }, 7), b = gen({ spikeProb: 0.1 }, 7), c = gen({ spikeProb: 0.1 }, 8);
    expect(toJsonText(a.observation)).toBe(toJsonText(b.observation));
    expect(toJsonText(a.truth)).toBe(toJsonText(b.truth));
    expect(toJsonText(a.observation)).not.toBe(toJsonText(c.observation));
  });

  test('defaults are the quick size: MLP 64-128-128-10, 300 steps, a fixed batch order', () => {
    const { observation: o } = generateInstance(optimizer, {}, [1]);
    assertObservation(optimizer, o);
    expect(o.init.layers.map((l) => [l.W.rows, l.W.cols])).toEqual([[128, 64], [128, 128], [10, 128]]);
    expect([o.steps, o.batchSize, o.batchOrder.length]).toEqual([300, 32, 9600]);
    expect(o.memoryBudget).toBeUndefined();
    expect(o.spikes).toBeUndefined();
  });

  test('the oracle adds the spikes: ‖G + c‖G‖ u vᵀ‖ ≈ c‖G‖ at a spiked step', () => {
    const { observation: o } = gen({ spikeProb: 0.2, spikeScale: 30 });
    const s = o.spikes![0];
    const plain = optimizerGradient({ ...o, spikes: [] }, o.init, s.step).grads.layers[s.layer].W;
    const spiked = optimizerGradient(o, o.init, s.step).grads.layers[s.layer].W;
    const norm = (m: Matrix) => Math.sqrt(m.data.reduce((a, v) => a + v * v, 0));
    expect(norm(spiked) / norm(plain)).toBeGreaterThan(29);
    expect(norm(spiked) / norm(plain)).toBeLessThan(31.1);
  });

  test('bad params are errors naming the param', () => {
    expect(() => gen({ steps: 0 })).toThrow('params.steps must be >= 1 (got 0)');
    expect(() => gen({ spikeProb: 2 })).toThrow('params.spikeProb must be <= 1 (got 2)');
    expect(() => gen({ init: 'zeros' })).toThrow(/params.init must be/);
  });
});

describe('optimizer scoring', () => {
  const { observation: o, truth } = gen({ memoryBudget: 2 * countParams(initMlp([16, 32, 32, 4], 'relu', createRng(1))) });

  test('Adam beats the init, the teacher scores best, and metrics are finite', () => {
    const trained = train(o, adam({ lr: 0.01 }));
    const r = metrics(scoreSolution(optimizer, o, truth, trained));
    const init = metrics(scoreSolution(optimizer, o, truth, optimizer.trivialSolution!(o)));
    const teacher = metrics(scoreSolution(optimizer, o, truth, { model: truth.teacher, trainLoss: Float64Array.of(0), stateFloats: 0 }));
    expect(r.test_loss).toBeLessThan(0.5 * init.test_loss);
    expect(r.test_acc).toBeGreaterThan(init.test_acc);
    expect(teacher.test_loss).toBeLessThan(r.test_loss);
    expect(teacher.test_acc).toBe(1);
    expect(r.optimizer_state_floats).toBe(o.memoryBudget);
    for (const v of Object.values(r)) expect(Number.isFinite(v)).toBe(true);
  });

  test('random weights score worse than trained ones', () => {
    const trained = metrics(scoreSolution(optimizer, o, truth, train(o, sgd({ lr: 0.05, momentum: 0.9 }))));
    const rnd = initMlp([16, 32, 32, 4], 'relu', createRng(5));
    for (const l of rnd.layers) l.W.data.forEach((v, i, a) => (a[i] = 3 * v));
    const r = metrics(scoreSolution(optimizer, o, truth, { model: rnd, trainLoss: Float64Array.of(1), stateFloats: 0 }));
    expect(r.test_loss).toBeGreaterThan(trained.test_loss);
  });

  test('loss spikes: steps over twice the running median', () => {
    expect(countLossSpikes(Float64Array.of(1, 1, 1, 5, 1, 1))).toBe(1);
    expect(countLossSpikes(Float64Array.of(4, 3, 2, 1, 0.5))).toBe(0);
    const r = metrics(scoreSolution(optimizer, o, truth, { model: o.init, trainLoss: Float64Array.of(1, 1, 9, 1, 9), stateFloats: 0 }));
    expect(r.loss_spikes).toBe(2);
  });

  test('over the memory budget, past the step budget, or another architecture is invalid, naming the field', () => {
    const over = scoreSolution(optimizer, o, truth, { model: o.init, trainLoss: Float64Array.of(1), stateFloats: o.memoryBudget! + 1 });
    expect(over).toMatchObject({ status: 'invalid', field: 'solution.stateFloats', reason: `solution.stateFloats = ${o.memoryBudget! + 1} exceeds observation.memoryBudget = ${o.memoryBudget}` });
    const long = scoreSolution(optimizer, o, truth, { model: o.init, trainLoss: new Float64Array(151), stateFloats: 0 });
    expect(long).toMatchObject({ status: 'invalid', field: 'solution.trainLoss' });
    const arch = scoreSolution(optimizer, o, truth, { model: initMlp([16, 32, 4], 'relu', createRng(1)), trainLoss: Float64Array.of(1), stateFloats: 0 });
    expect(arch).toMatchObject({ status: 'invalid', field: 'solution.model.layers' });
    expect(scoreSolution(optimizer, o, truth, { model: o.init, trainLoss: new Float64Array(0), stateFloats: 0 })).toMatchObject({ status: 'invalid', field: 'solution.trainLoss' });
    const nan = scoreSolution(optimizer, o, truth, { model: o.init, trainLoss: Float64Array.of(NaN), stateFloats: 0 });
    expect(nan).toMatchObject({ status: 'invalid', field: 'solution.trainLoss' });
  });

  test('scoring does not mutate its inputs', () => {
    const sol = { model: truth.teacher, trainLoss: Float64Array.of(3, 2, 1), stateFloats: 10 };
    const before = [toJsonText(o), toJsonText(truth), toJsonText(sol)];
    scoreSolution(optimizer, o, truth, sol);
    expect([toJsonText(o), toJsonText(truth), toJsonText(sol)]).toEqual(before);
  });

  test('malformed observations are rejected with a message naming the field', () => {
    expect(() => assertObservation(optimizer, { ...o, batchOrder: o.batchOrder.subarray(1) })).toThrow('observation.batchOrder has 4799 entries, expected steps · batchSize = 4800');
    const order = o.batchOrder.slice();
    order[10] = 512;
    expect(() => assertObservation(optimizer, { ...o, batchOrder: order })).toThrow('observation.batchOrder[10] = 512 is not a row of train (0..511)');
    expect(() => assertObservation(optimizer, { ...o, steps: 0 })).toThrow('observation.steps must be >= 1 (got 0)');
  });

  test('regression with a low-rank linear teacher (paper 33\'s task)', () => {
    const lin = gen({ hidden: [], task: 'regression', outputs: 8, teacherRank: 2, initStd: 0.02 });
    const trained = train(lin.observation, adam({ lr: 0.01 }));
    const r = metrics(scoreSolution(optimizer, lin.observation, lin.truth, trained));
    const init = metrics(scoreSolution(optimizer, lin.observation, lin.truth, optimizer.trivialSolution!(lin.observation)));
    expect(r.test_loss).toBeLessThan(0.2 * init.test_loss);
  });
});

describe('optimizer data', () => {
  test('observation, truth and the trivial solution survive a JSON round trip', () => {
    const { observation, truth } = gen({ spikeProb: 0.05, memoryBudget: 10 });
    const sol = optimizer.trivialSolution!(observation);
    for (const [label, schema, value] of [
      ['observation', optimizer.schemas.observation, observation],
      ['truth', optimizer.schemas.truth, truth],
      ['solution', optimizer.schemas.solution, sol],
    ] as const) {
      expect(toJsonText(parseJson(toJsonText(value), schema, label, 'PARSIMONY_BAD_INPUT'))).toBe(toJsonText(value));
    }
    expect(scoreSolution(optimizer, observation, truth, sol).status).toBe('ok');
  });

  test('every preset validates against the params schema', () => {
    for (const p of [optimizer.presets.quick, optimizer.presets.default, ...optimizer.presets.scale]) expect(() => resolveFamilyParams(optimizer, p)).not.toThrow();
  });
});
