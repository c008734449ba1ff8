import { describe, expect, test } from 'vitest';
import {
  Matrix,
  assertObservation,
  cloneMlp,
  createRng,
  generateInstance,
  parseJson,
  resolveFamilyParams,
  initMlp,
  peft,
  scoreSolution,
  toJsonText,
  trainLora,
  type Mlp,
  type PeftSolution,
} from '../../src/index.js';

const small = { inputDim: 16, hidden: [32], outputs: 4, nTrain: 512, nTest: 512 };
const gen = (params: object, seed = 1) => generateInstance(peft, { ...small, ...params }, [seed]);
const metrics = (r: ReturnType<typeof scoreSolution>) => {
  if (r.status !== 'ok') throw new Error(`expected ok, got invalid: ${r.reason}`);
  return r.metrics;
};
const frozen = (base: Mlp): PeftSolution => ({ model: cloneMlp(base), adapter: { kind: 'lora', lora: [] } });

describe('peft generator', () => {
  test('same seed: byte-identical observation and truth; another seed differs', () => {
    const a = gen({}, 7), b = gen({}, 7), c = gen({}, 8);
    expect(toJsonText(a.observation)).toBe(toJsonText(b.observation));
    expect(toJsonText(a.truth)).toBe(toJsonText(b.truth));
    expect(toJsonText(a.observation)).not.toBe(toJsonText(c.observation));
  });

  test('defaults are the quick size: MLP 64-128-10, 2000 examples, budget of a rank-4 LoRA on every layer', () => {
    const { observation: o, truth } = generateInstance(peft, {}, [1]);
    assertObservation(peft, o);
    expect(o.base.layers.map((l) => [l.W.rows, l.W.cols])).toEqual([[128, 64], [10, 128]]);
    expect([o.train.X.rows, truth.test.X.rows, o.steps]).toEqual([2000, 1000, 300]);
    expect(o.budget).toEqual({ trainableParams: 4 * (64 + 128 + 128 + 10), rank: 4 });
  });

  test('an explicit budgetParams overrides the rank budget', () => {
    expect(gen({ budgetParams: 100 }).observation.budget).toEqual({ trainableParams: 100 });
  });

  test('bad params are errors naming the param', () => {
    expect(() => gen({ budgetRank: -1 })).toThrow('params.budgetRank must be >= 0 (got -1)');
    expect(() => gen({ shift: 'banana' })).toThrow(/params.shift must be/);
    expect(() => gen({ shiftDensity: 0 })).toThrow(/params.shiftDensity must be > 0/);
  });
});

describe('peft scoring', () => {
  const { observation: o, truth } = gen({ shift: 'sparse', shiftDensity: 0.05 });

  test('a LoRA within the budget beats the frozen base; the teacher (as a sparse adapter) scores best', () => {
    const { factors, model } = trainLora(o.base, o.train, { task: 'classification', rank: 4, steps: 60, batchSize: 64, lr: 0.02, rng: createRng(3) });
    const lora = metrics(scoreSolution(peft, o, truth, { model, adapter: { kind: 'lora', lora: factors.map((f, layer) => ({ layer, B: f!.B, A: f!.A })) } }));
    const base = metrics(scoreSolution(peft, o, truth, frozen(o.base)));
    const sparse = truth.teacher.layers.map((l, layer) => ({
      layer,
      indices: Int32Array.from(Array.from(l.W.data.keys()).filter((i) => l.W.data[i] !== o.base.layers[layer].W.data[i])),
    }));
    const teacher = metrics(scoreSolution(peft, o, truth, { model: truth.teacher, adapter: { kind: 'sparse', sparse } }));
    expect(lora.trainable_params).toBe(o.budget.trainableParams);
    expect(lora.test_loss).toBeLessThan(base.test_loss);
    expect(lora.gap_closed).toBeGreaterThan(0);
    expect(base).toMatchObject({ loss_ratio: 1, gap_closed: 0, trainable_params: 0, memory_floats: 0 });
    expect(teacher.test_loss).toBeLessThan(lora.test_loss);
    expect(teacher.gap_closed).toBe(1);
    expect(teacher.test_acc).toBe(1);
    // Sparse adapters store one index per trained entry.
    expect(teacher.memory_floats).toBe(4 * teacher.trainable_params);
  });

  test('a random head scores worse than the frozen base', () => {
    const model = cloneMlp(o.base);
    const rnd = initMlp([16, 32, 4], 'relu', createRng(9));
    model.layers[1] = rnd.layers[1];
    const r = metrics(scoreSolution(peft, o, truth, { model, adapter: { kind: 'head' } }));
    expect(r.trainable_params).toBe(32 * 4 + 4);
    expect(r.test_loss).toBeGreaterThan(metrics(scoreSolution(peft, o, truth, frozen(o.base))).test_loss);
  });

  test('a reported memoryFloats is used as is', () => {
    expect(metrics(scoreSolution(peft, o, truth, { ...frozen(o.base), memoryFloats: 1234 })).memory_floats).toBe(1234);
  });

  test('over the budget, or weights the adapter does not explain, is invalid with a reason naming the field', () => {
    const full = scoreSolution(peft, o, truth, { model: truth.teacher, adapter: { kind: 'full' } });
    expect(full).toMatchObject({ status: 'invalid', field: 'solution.adapter' });
    expect(full.status === 'invalid' && full.reason).toBe(
      `solution.adapter (kind "full") trains ${16 * 32 + 32 + 32 * 4 + 4} floats, over observation.budget.trainableParams = ${o.budget.trainableParams}`,
    );
    const B = Matrix.zeros(32, 2), A = Matrix.zeros(2, 16);
    B.data[0] = 1;
    A.data[0] = 1;
    const unexplained = scoreSolution(peft, o, truth, { model: o.base, adapter: { kind: 'lora', lora: [{ layer: 0, B, A }] } });
    expect(unexplained).toMatchObject({ status: 'invalid', field: 'solution.model.layers[0].W' });
    const headBias = cloneMlp(o.base);
    headBias.layers[0].b[0] += 1;
    expect(scoreSolution(peft, o, truth, { model: headBias, adapter: { kind: 'head' } })).toMatchObject({ status: 'invalid', field: 'solution.model.layers[0].b' });
    const stray = cloneMlp(o.base);
    stray.layers[1].W.data[5] += 1;
    const r = scoreSolution(peft, o, truth, { model: stray, adapter: { kind: 'sparse', sparse: [{ layer: 1, indices: Int32Array.of(4) }] } });
    expect(r).toMatchObject({ status: 'invalid', field: 'solution.model.layers[1].W' });
    expect(r.status === 'invalid' && r.reason).toContain('changes entry 5, which adapter kind "sparse" does not train');
    expect(scoreSolution(peft, o, truth, { model: o.base, adapter: { kind: 'lora' } })).toMatchObject({ status: 'invalid', field: 'solution.adapter.lora' });
    expect(scoreSolution(peft, o, truth, { model: initMlp([16, 8, 4], 'relu', createRng(1)), adapter: { kind: 'full' } })).toMatchObject({
      status: 'invalid',
      field: 'solution.model.layers',
    });
  });

  test('custom adapters count their tensors', () => {
    const r = metrics(scoreSolution(peft, o, truth, { model: o.base, adapter: { kind: 'custom', tensors: [new Float64Array(10), new Float64Array(5)] } }));
    expect(r.trainable_params).toBe(15);
  });

  test('scoring does not mutate its inputs', () => {
    const sol: PeftSolution = { model: truth.teacher, adapter: { kind: 'custom', tensors: [new Float64Array(3)] } };
    const before = [toJsonText(o), toJsonText(truth), toJsonText(sol)];
    scoreSolution(peft, o, truth, sol);
    expect([toJsonText(o), toJsonText(truth), toJsonText(sol)]).toEqual(before);
  });

  test('malformed observations are rejected with a message naming the field', () => {
    const labels = o.train.labels!.slice();
    labels[3] = 7;
    expect(() => assertObservation(peft, { ...o, train: { ...o.train, labels } })).toThrow('observation.train.labels[3] = 7 is not a class in 0..3');
    expect(() => assertObservation(peft, { ...o, train: { X: Matrix.zeros(512, 15), labels: o.train.labels } })).toThrow('observation.train.X has 15 columns, the base takes 16 inputs');
    expect(() => assertObservation(peft, { ...o, budget: { trainableParams: -3 } })).toThrow('observation.budget.trainableParams must be >= 0 (got -3)');
  });

  test('regression tasks: MSE loss, argmax agreement as accuracy', () => {
    const reg = gen({ task: 'regression', shift: 'decaying', inputs: 'anisotropic' });
    const base = metrics(scoreSolution(peft, reg.observation, reg.truth, frozen(reg.observation.base)));
    const teacher = metrics(scoreSolution(peft, reg.observation, reg.truth, { model: reg.truth.teacher, adapter: { kind: 'custom', tensors: [] } }));
    expect(teacher.test_loss).toBe(0);
    expect(base.test_loss).toBeGreaterThan(0);
  });
});

describe('peft data', () => {
  test('observation, truth and the trivial solution survive a JSON round trip', () => {
    const { observation, truth } = gen({});
    const sol = peft.trivialSolution!(observation);
    for (const [label, schema, value] of [
      ['observation', peft.schemas.observation, observation],
      ['truth', peft.schemas.truth, truth],
      ['solution', peft.schemas.solution, sol],
    ] as const) {
      expect(toJsonText(parseJson(toJsonText(value), schema, label, 'PARSIMONY_BAD_INPUT'))).toBe(toJsonText(value));
    }
    expect(scoreSolution(peft, observation, truth, sol).status).toBe('ok');
  });

  test('every preset validates against the params schema', () => {
    for (const p of [peft.presets.quick, peft.presets.default, ...peft.presets.scale]) expect(() => resolveFamilyParams(peft, p)).not.toThrow();
  });
});
