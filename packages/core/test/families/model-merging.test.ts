import { describe, expect, test } from 'vitest';
import {
  Matrix,
  ParsimonyError,
  applyLora,
  assertObservation,
  cloneMlp,
  combineMlps,
  createRng,
  evaluateMlp,
  generateInstance,
  parseJson,
  resolveFamilyParams,
  initMlp,
  mlpForward,
  modelMerging,
  permuteHidden,
  scoreSolution,
  toJsonText,
  type Mlp,
} from '../../src/index.js';

/** A small, fast instance (the quick size is checked once below). */
const small = { inputDim: 8, hidden: [16], outputs: 4, tasks: 2, nTrain: 256, nTest: 256, pretrainSteps: 60, finetuneSteps: 40 };
const gen = (params: object, seed = 1) => generateInstance(modelMerging, { ...small, ...params }, [seed]);
const metrics = (r: ReturnType<typeof scoreSolution>) => {
  if (r.status !== 'ok') throw new Error(`expected ok, got invalid: ${r.reason}`);
  return r.metrics;
};

describe('model-merging generator', () => {
  test('same seed: byte-identical observation and truth; another seed differs', () => {
    const a = gen({}, 7), b = gen({}, 7), c = gen({}, 8);
    expect(toJsonText(a.observation)).toBe(toJsonText(b.observation));
    expect(toJsonText(a.truth)).toBe(toJsonText(b.truth));
    expect(toJsonText(a.observation)).not.toBe(toJsonText(c.observation));
  });

  test('defaults are the quick size: MLP 32-64-10, K = 4 fine-tuned from θ₀, each better than θ₀ on its task', () => {
    const { observation: o, truth } = generateInstance(modelMerging, {}, [1]);
    assertObservation(modelMerging, o);
    expect(o.models.length).toBe(4);
    expect(o.models[0].layers.map((l) => [l.W.rows, l.W.cols])).toEqual([[64, 32], [10, 64]]);
    expect(o.calibration).toBeUndefined();
    o.models.forEach((m, k) => {
      expect(evaluateMlp(m, truth.tests[k], 'classification').loss).toBeLessThan(evaluateMlp(o.base!, truth.tests[k], 'classification').loss);
    });
  });

  test('lora: every θ_k is θ₀ + B A on each layer, biases unchanged', () => {
    const { observation: o } = gen({ variant: 'lora', loraRank: 2 });
    assertObservation(modelMerging, o);
    expect(o.lora![1][0].B.cols).toBe(2);
    const rebuilt = applyLora(o.base!, o.lora![1]);
    expect(toJsonText(rebuilt)).toBe(toJsonText(o.models[1]));
  });

  test('orthogonal: experts are θ₀ with W₀ R_k, R_k orthogonal, and each expert is its task\'s teacher', () => {
    const { observation: o, truth } = gen({ variant: 'orthogonal', task: 'regression', outputs: 1, oftDim: 4 });
    const R = o.rotations![0];
    for (let i = 0; i < 8; i++)
      for (let j = 0; j < 8; j++) {
        let s = 0;
        for (let p = 0; p < 8; p++) s += R.data[p * 8 + i] * R.data[p * 8 + j];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    expect(evaluateMlp(o.models[0], truth.tests[0], 'regression').loss).toBe(0);
    const W0 = o.base!.layers[0].W, Wk = o.models[0].layers[0].W;
    let s = 0;
    for (let p = 0; p < 8; p++) s += W0.data[3 * 8 + p] * R.data[p * 8 + 5];
    expect(Matrix.get(Wk, 3, 5)).toBeCloseTo(s, 12);
  });

  test('calibrationSize gives each task that many labelled examples', () => {
    const { observation: o } = gen({ calibrationSize: 16 });
    expect(o.calibration!.map((d) => [d.X.rows, d.labels!.length])).toEqual([[16, 16], [16, 16]]);
  });

  test('bad params are errors naming the param', () => {
    expect(() => gen({ variant: 'same-task', tasks: 1 })).toThrow('model-merging: params.tasks = 1: same-task needs at least 2 models');
    expect(() => gen({ variant: 'orthogonal', oftDim: 9 })).toThrow('params.oftDim = 9 exceeds inputDim = 8');
    expect(() => gen({ variant: 'merge' })).toThrow(/params.variant must be/);
    expect(() => gen({ calibrationSize: 999 })).toThrow(ParsimonyError);
  });

  test('presets: quick is the default; the scale ladder grows', () => {
    expect(modelMerging.presets.quick).toMatchObject({ inputDim: 32, hidden: [64], outputs: 10, tasks: 4 });
    const widths = modelMerging.presets.scale.map((p) => p.hidden![0]);
    expect(widths.length).toBeGreaterThanOrEqual(4);
    expect(widths).toEqual([...widths].sort((a, b) => a - b));
  });
});

describe('model-merging scoring', () => {
  const { observation, truth } = gen({ tasks: 1 });

  test('the fine-tuned model is the reference: merged = θ_1 gives normalized_acc 1 and no barrier, and beats θ₀', () => {
    const ref = metrics(scoreSolution(modelMerging, observation, truth, { model: observation.models[0] }));
    const base = metrics(scoreSolution(modelMerging, observation, truth, { model: observation.base! }));
    expect(ref.normalized_acc).toBe(1);
    expect(ref.loss_barrier).toBe(0);
    expect(ref.avg_task_loss).toBeLessThan(base.avg_task_loss);
    expect(base.normalized_loss).toBe(1);
    expect(ref.normalized_loss).toBeLessThan(1);
  });

  test('random weights score worse than weight averaging, and every metric is finite', () => {
    const two = gen({});
    const avg = metrics(scoreSolution(modelMerging, two.observation, two.truth, { model: combineMlps(two.observation.models, [0.5, 0.5]) }));
    const rnd = metrics(scoreSolution(modelMerging, two.observation, two.truth, { model: initMlp([8, 16, 4], 'relu', createRng(99)) }));
    expect(rnd.avg_task_loss).toBeGreaterThan(avg.avg_task_loss);
    expect(rnd.avg_task_acc).toBeLessThan(avg.avg_task_acc);
    for (const v of [...Object.values(avg), ...Object.values(rnd)]) expect(Number.isFinite(v)).toBe(true);
  });

  test('absurd weights give finite (terrible) metrics', () => {
    const huge = cloneMlp(observation.models[0]);
    huge.layers[1].W.data.forEach((_, i, a) => (a[i] = i % 3 === 0 ? 1e200 : -1e200));
    const m = metrics(scoreSolution(modelMerging, observation, truth, { model: huge }));
    for (const v of Object.values(m)) expect(Number.isFinite(v)).toBe(true);
    expect(m.avg_task_loss).toBeGreaterThan(1e100);
  });

  test('scoring does not mutate its inputs', () => {
    const sol = { model: combineMlps([observation.base!, observation.models[0]], [0.5, 0.5]) };
    const before = [toJsonText(observation), toJsonText(truth), toJsonText(sol)];
    scoreSolution(modelMerging, observation, truth, sol);
    expect([toJsonText(observation), toJsonText(truth), toJsonText(sol)]).toEqual(before);
  });

  test('a model of another architecture, or a broken permutation, is invalid with a reason naming the field', () => {
    const wrong = scoreSolution(modelMerging, observation, truth, { model: initMlp([8, 12, 4], 'relu', createRng(1)) });
    expect(wrong).toMatchObject({ status: 'invalid', field: 'solution.model.layers' });
    const act = scoreSolution(modelMerging, observation, truth, { model: { ...observation.models[0], activation: 'tanh' } });
    expect(act).toMatchObject({ status: 'invalid', field: 'solution.model.activation' });
    const perm = Int32Array.from({ length: 16 }, (_, i) => i);
    perm[3] = 4;
    const bad = scoreSolution(modelMerging, observation, truth, { model: observation.models[0], permutations: [[perm]] });
    expect(bad).toMatchObject({ status: 'invalid', field: 'solution.permutations[0][0]' });
    expect(bad.status === 'invalid' && bad.reason).toContain('not a permutation of 0..15: entry 4 is 4 (repeated)');
    const nan = cloneMlp(observation.models[0]);
    nan.layers[0].b[2] = NaN;
    expect(scoreSolution(modelMerging, observation, truth, { model: nan })).toMatchObject({ status: 'invalid', field: 'solution.model.layers[0].b' });
  });

  test('malformed observations are rejected with a message naming the field', () => {
    const two = gen({});
    const o = two.observation;
    const narrow = initMlp([8, 12, 4], 'relu', createRng(3));
    expect(() => assertObservation(modelMerging, { ...o, models: [o.models[0], narrow] })).toThrow('observation.models[1] has layer widths [8, 12, 4], expected [8, 16, 4]');
    expect(() => assertObservation(modelMerging, { ...o, base: undefined })).toThrow('observation.base (θ₀) is required for variant "fine-tuned"');
    expect(() => assertObservation(modelMerging, { ...o, variant: 'lora' })).toThrow('observation.lora is required for variant "lora"');
    expect(() => assertObservation(modelMerging, { ...o, models: [] })).toThrow(/observation.models must NOT have fewer than 1 items/);
  });
});

describe('model-merging same-task', () => {
  const { observation: o, truth } = gen({ variant: 'same-task', tasks: 2, pretrainSteps: 80 });

  test('K models of one task, no base; the barrier of exactly aligned copies is zero', () => {
    expect(o.base).toBeUndefined();
    expect(truth.tests.length).toBe(1);
    const p = createRng(4).permutation(16);
    const copy = permuteHidden(o.models[0], [p]);
    const inverse = new Int32Array(16);
    p.forEach((j, i) => (inverse[j] = i));
    const obs = { ...o, models: [o.models[0], copy] };
    const id = Int32Array.from({ length: 16 }, (_, i) => i);
    const aligned = metrics(scoreSolution(modelMerging, obs, truth, { model: o.models[0], permutations: [[id], [inverse]] }));
    const naive = metrics(scoreSolution(modelMerging, obs, truth, { model: combineMlps(obs.models, [0.5, 0.5]), permutations: [[id], [id]] }));
    expect(Math.abs(aligned.loss_barrier)).toBeLessThan(1e-12);
    expect(naive.loss_barrier).toBeGreaterThan(aligned.loss_barrier);
  });

  test('without permutations the barrier is the merged loss minus the mean individual loss', () => {
    const model: Mlp = combineMlps(o.models, [0.5, 0.5]);
    const m = metrics(scoreSolution(modelMerging, o, truth, { model }));
    const ind = o.models.map((x) => evaluateMlp(x, truth.tests[0], 'classification').loss);
    expect(m.loss_barrier).toBeCloseTo(m.avg_task_loss - (ind[0] + ind[1]) / 2, 12);
    expect(mlpForward(model, truth.tests[0].X).rows).toBe(256);
  });
});

describe('model-merging data', () => {
  test('observation, truth and the trivial solution survive a JSON round trip', () => {
    const { observation, truth } = gen({});
    const sol = modelMerging.trivialSolution!(observation);
    for (const [label, schema, value] of [
      ['observation', modelMerging.schemas.observation, observation],
      ['truth', modelMerging.schemas.truth, truth],
      ['solution', modelMerging.schemas.solution, sol],
    ] as const) {
      expect(toJsonText(parseJson(toJsonText(value), schema, label, 'PARSIMONY_BAD_INPUT'))).toBe(toJsonText(value));
    }
    expect(scoreSolution(modelMerging, observation, truth, sol).status).toBe('ok');
  });

  test('every preset validates against the params schema', () => {
    for (const p of [modelMerging.presets.quick, modelMerging.presets.default, ...modelMerging.presets.scale]) expect(() => resolveFamilyParams(modelMerging, p)).not.toThrow();
  });
});
