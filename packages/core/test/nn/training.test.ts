import { describe, expect, test } from 'vitest';
import {
  Matrix,
  adam,
  applyLora,
  clusterCenters,
  clusteredInputs,
  combineMlps,
  countParams,
  createRng,
  evaluateMlp,
  fineTuningSuite,
  initMlp,
  mlpForward,
  paramArrays,
  permuteHidden,
  sgd,
  teacherStudentTask,
  toJsonText,
  trainLora,
  trainMlp,
  weightShift,
  checkMlp,
  type Mlp,
} from '../../src/index.js';

const maxAbsDiff = (a: Float64Array, b: Float64Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('nn models', () => {
  const rng = createRng(1);
  const net = initMlp([6, 8, 5, 3], 'relu', rng);
  for (const l of net.layers) rng.fillNormal(l.b, 0, 0.5);
  const X = Matrix.zeros(10, 6);
  rng.fillNormal(X.data);

  test('parameter count: Σ (in + 1) out', () => {
    expect(countParams(net)).toBe(7 * 8 + 9 * 5 + 6 * 3);
    expect(countParams(initMlp([32, 64, 10], 'relu', rng))).toBe(2762);
  });

  test('permuting hidden units leaves the function unchanged', () => {
    const p = permuteHidden(net, [createRng(2).permutation(8), createRng(3).permutation(5)]);
    expect(maxAbsDiff(mlpForward(p, X).data, mlpForward(net, X).data)).toBeLessThan(1e-12);
    expect(maxAbsDiff(p.layers[0].W.data, net.layers[0].W.data)).toBeGreaterThan(0);
  });

  test('combineMlps: the midpoint of a model and itself is the model', () => {
    const mid = combineMlps([net, net], [0.5, 0.5]);
    expect(maxAbsDiff(mlpForward(mid, X).data, mlpForward(net, X).data)).toBeLessThan(1e-12);
  });

  test('checkMlp names a broken field', () => {
    const bad: Mlp = { activation: 'relu', layers: [{ W: Matrix.zeros(4, 3), b: new Float64Array(3) }] };
    expect(checkMlp(bad, 'solution.model')).toEqual({ field: 'solution.model.layers[0].b', message: 'solution.model.layers[0].b has 3 entries, W has 4 rows' });
    expect(checkMlp(net, 'm', [6, 8, 5, 4])?.message).toBe('m has layer widths [6, 8, 5, 3], expected [6, 8, 5, 4]');
  });

  test('weightShift has the requested relative size and structure', () => {
    const W = net.layers[0].W;
    const norm = (a: Float64Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));
    for (const kind of ['gaussian', 'low-rank', 'decaying', 'sparse'] as const) {
      const d = weightShift(W, kind, createRng(4), { relScale: 0.5, rank: 2, density: 0.25 });
      expect(norm(d.data) / norm(W.data)).toBeCloseTo(0.5, 12);
    }
    const sparse = weightShift(W, 'sparse', createRng(4), { relScale: 0.5, density: 0.25 });
    expect(sparse.data.filter((v) => v !== 0).length).toBe(12);
  });
});

describe('nn training', () => {
  const task = teacherStudentTask({ inputDim: 16, hidden: [32], outputs: 4, activation: 'relu', task: 'classification', nTrain: 512, nTest: 512 }, createRng(7));

  test('teacher–student tasks are reproducible from the seed', () => {
    const again = teacherStudentTask({ inputDim: 16, hidden: [32], outputs: 4, activation: 'relu', task: 'classification', nTrain: 512, nTest: 512 }, createRng(7));
    expect(toJsonText(again)).toBe(toJsonText(task));
    expect(evaluateMlp(task.teacher, task.test, 'classification').acc).toBe(1);
  });

  test.each([
    ['SGD with momentum', () => sgd({ lr: 0.05, momentum: 0.9 })],
    ['Adam', () => adam({ lr: 0.01 })],
  ])('%s reduces the training and test loss of a student', (_name, make) => {
    const student = initMlp([16, 32, 4], 'relu', createRng(8));
    const before = evaluateMlp(student, task.test, 'classification');
    const opt = make();
    const trace = trainMlp(student, task.train, { task: 'classification', steps: 150, batchSize: 32, optimizer: opt, rng: createRng(9) });
    const after = evaluateMlp(student, task.test, 'classification');
    const head = trace.slice(0, 10).reduce((a, b) => a + b) / 10, tail = trace.slice(-10).reduce((a, b) => a + b) / 10;
    expect(tail).toBeLessThan(0.5 * head);
    expect(after.loss).toBeLessThan(0.5 * before.loss);
    expect(after.acc).toBeGreaterThan(0.7);
  });

  test('optimizer state: SGD momentum keeps one buffer, Adam two', () => {
    const m = initMlp([16, 32, 4], 'relu', createRng(1));
    const g = initMlp([16, 32, 4], 'relu', createRng(2));
    const s = sgd({ lr: 0.1, momentum: 0.9 }), a = adam({ lr: 0.1 }), plain = sgd({ lr: 0.1 });
    for (const o of [s, a, plain]) o.step(paramArrays(m), paramArrays(g));
    expect([plain.stateFloats, s.stateFloats, a.stateFloats]).toEqual([0, countParams(m), 2 * countParams(m)]);
  });

  test('a regression student fits a GELU teacher (MSE falls tenfold)', () => {
    const reg = teacherStudentTask({ inputDim: 8, hidden: [16], outputs: 2, activation: 'gelu', task: 'regression', nTrain: 256, nTest: 256, snrDb: 30 }, createRng(3));
    const student = initMlp([8, 16, 2], 'gelu', createRng(4));
    const before = evaluateMlp(student, reg.test, 'regression').loss;
    trainMlp(student, reg.train, { task: 'regression', steps: 300, batchSize: 64, optimizer: adam({ lr: 0.01 }), rng: createRng(5) });
    expect(evaluateMlp(student, reg.test, 'regression').loss).toBeLessThan(0.1 * before);
  });

  test('LoRA fine-tuning trains only rank-r factors and lowers the loss', () => {
    const base = task.teacher;
    const data = teacherStudentTask({ inputDim: 16, hidden: [32], outputs: 4, activation: 'relu', task: 'classification', nTrain: 512, nTest: 10 }, createRng(13)).train;
    const before = evaluateMlp(base, data, 'classification').loss;
    const { factors, model } = trainLora(base, data, { task: 'classification', rank: 2, steps: 80, batchSize: 64, lr: 0.02, rng: createRng(14) });
    expect(factors.map((f) => [f!.B.cols, f!.A.rows])).toEqual([[2, 2], [2, 2]]);
    expect(evaluateMlp(model, data, 'classification').loss).toBeLessThan(0.7 * before);
    expect(maxAbsDiff(mlpForward(applyLora(base, factors), data.X).data, mlpForward(model, data.X).data)).toBe(0);
    expect(Array.from(model.layers[0].b)).toEqual(Array.from(base.layers[0].b));
  });

  test('clustered inputs: points come from their centre', () => {
    const c = clusterCenters(3, 4, 10, createRng(1));
    const { X, cluster } = clusteredInputs(50, c, 0.01, createRng(2));
    for (let i = 0; i < 50; i++) expect(Math.abs(X.data[i * 4] - c.data[cluster[i] * 4])).toBeLessThan(0.1);
  });

  test('a fine-tuning suite: θ_k beats θ₀ on task k, reproducibly', () => {
    const opts = {
      inputDim: 16, hidden: [32], outputs: 4, activation: 'relu', task: 'classification', nTrain: 384, nTest: 384,
      tasks: 2, taskShift: 0.6, pretrainSteps: 120, finetuneSteps: 80, batchSize: 32, lr: 0.01,
    } as const;
    const suite = fineTuningSuite(opts, createRng(21));
    for (const t of suite.tasks) {
      expect(evaluateMlp(t.model, t.test, 'classification').loss).toBeLessThan(evaluateMlp(suite.base, t.test, 'classification').loss);
    }
    expect(toJsonText(fineTuningSuite(opts, createRng(21)).tasks[1].model)).toBe(toJsonText(suite.tasks[1].model));
    const lora = fineTuningSuite({ ...opts, mode: 'lora', loraRank: 2 }, createRng(21));
    expect(lora.tasks[0].lora?.length).toBe(2);
    const rebuilt = applyLora(lora.base, lora.tasks[0].lora!);
    expect(maxAbsDiff(rebuilt.layers[1].W.data, lora.tasks[0].model.layers[1].W.data)).toBe(0);
  });
});
