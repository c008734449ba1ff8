import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  Matrix,
  adam,
  allFamilies,
  cloneMlp,
  countAdapter,
  createRegistry,
  createRng,
  flattenMlp,
  generateInstance,
  lossAndGrad,
  peft,
  primaryMetric,
  scoreSolution,
  solveService,
  trainLora,
  trainMlp,
  type AnySolver,
  type Mlp,
  type PeftSolution,
} from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { fullFineTuning, fullFineTuningSolver } from '../src/solvers/full-fine-tuning.js';
import { headOnly, headOnlySolver } from '../src/solvers/head-only.js';
import { lora, loraSolver } from '../src/solvers/lora.js';

// The quick preset with 60 of its 300 steps: the kit solves it four times per solver.
const kitInstance = { ...peft.presets.quick, steps: 60 };

describeSolverConformance(fullFineTuningSolver, {
  // The quick budget (rank 4: 1320 floats) is below the model's 9610 parameters: full fine-tuning skips it.
  instance: { ...kitInstance, budgetParams: 20000 },
  invalidParams: [
    { params: { lr: 0 }, message: 'params.lr must be > 0' },
    { params: { weightDecay: -1 }, message: 'params.weightDecay must be >= 0' },
  ],
});
describeSolverConformance(headOnlySolver, {
  instance: kitInstance,
  invalidParams: [{ params: { lr: -1 }, message: 'params.lr must be > 0' }],
});
describeSolverConformance(loraSolver, {
  instance: kitInstance,
  invalidParams: [
    { params: { rank: 0 }, message: 'params.rank must be >= 1' },
    { params: { alpha: 0 }, message: 'params.alpha must be > 0' },
    { params: { layers: [] }, message: 'params.layers must NOT have fewer than 1 items' },
    { params: { layers: [0, 0] }, message: 'params.layers must NOT have duplicate items' },
  ],
});

const flat = (m: Mlp) => Array.from(flattenMlp(m));
const service = solveService(createRegistry(allFamilies));
/** A small peft instance for the identities: 300 examples, MLP 16-32-5. */
const small = (seed: number, extra: Record<string, unknown> = {}) =>
  generateInstance(peft, { inputDim: 16, hidden: [32], outputs: 5, nTrain: 300, nTest: 100, steps: 20, batchSize: 32, ...extra }, ['nn-peft', seed]).observation;

describe('LoRA', () => {
  test("with α = r it reproduces core's trainLora bit for bit (same draws of A, same batches, same Adam)", () => {
    const o = small(1);
    const opts = { task: o.task, rank: 3, steps: o.steps, batchSize: o.batchSize, lr: o.lr };
    const ours = lora(o.base, o.train, { ...opts, rng: createRng(7) });
    const core = trainLora(o.base, o.train, { ...opts, rng: createRng(7) });
    expect(flat(ours.model)).toEqual(flat(core.model));
    ours.factors.forEach((f) => {
      expect(Array.from(f.B.data)).toEqual(Array.from(core.factors[f.layer]!.B.data));
      expect(Array.from(f.A.data)).toEqual(Array.from(core.factors[f.layer]!.A.data));
    });
  });

  test('after one step the update ΔW is proportional to α, up to Adam\'s ε (Adam normalizes the gradient; α/r then scales B A)', () => {
    const o = small(2);
    const one = (alpha: number) => lora(o.base, o.train, { task: o.task, rank: 2, alpha, steps: 1, batchSize: 32, lr: 0.01, rng: createRng(3) }).model;
    const base = flattenMlp(o.base), d1 = flattenMlp(one(2)), d3 = flattenMlp(one(6));
    let num = 0, den = 0;
    for (let j = 0; j < base.length; j++) {
      const a = d1[j] - base[j], b = d3[j] - base[j];
      num += (b - 3 * a) ** 2;
      den += (3 * a) ** 2;
    }
    expect(den).toBeGreaterThan(0);
    expect(Math.sqrt(num / den)).toBeLessThan(1e-4);
  });

  test('the adapter explains the model: W = W0 + B A on every layer, biases frozen, r·Σ(d_in + d_out) floats', () => {
    const o = small(3);
    const { model, factors } = lora(o.base, o.train, { task: o.task, rank: 2, alpha: 8, steps: 10, batchSize: 32, lr: 0.01, rng: createRng(1) });
    const sol: PeftSolution = { model, adapter: { kind: 'lora', lora: factors } };
    expect(countAdapter(o, sol)).toEqual({ trainable: 2 * (16 + 32) + 2 * (32 + 5), indexFloats: 0 });
    for (let l = 0; l < model.layers.length; l++) expect(Array.from(model.layers[l].b)).toEqual(Array.from(o.base.layers[l].b));
  });

  test('without a budget rank, the bench entry takes the largest rank that fits the budget (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 48 + 37, max: 2000 }), async (budgetParams) => {
        const o = small(4, { budgetParams, steps: 2 });
        const { solution } = await service.solve(loraSolver, o, {}, { seed: [budgetParams] });
        const sol = solution as PeftSolution;
        const count = countAdapter(o, sol);
        expect('trainable' in count && count.trainable).toBeLessThanOrEqual(budgetParams);
        const r = sol.adapter.lora![0].A.rows;
        // Layer 1 (5 x 32) caps at rank 5; rank r + 1 would be over the budget (or past every layer's full rank).
        const need = (k: number) => k * (16 + 32) + Math.min(k, 5) * (32 + 5);
        expect(need(r)).toBeLessThanOrEqual(budgetParams);
        expect(r === 16 || need(r + 1) > budgetParams).toBe(true);
      }),
      { seed: 1, numRuns: 20 },
    );
  });

  test('a rank or layer that does not fit is skipped or refused with a message naming it', async () => {
    const o = generateInstance(peft, kitInstance, ['nn-peft', 'skip']).observation;
    expect(loraSolver.skip!(o, { rank: 5 })).toBe('rank 5 needs 1650 floats, over observation.budget.trainableParams = 1320 (lower params.rank)');
    expect(loraSolver.skip!(o, { rank: 4 })).toBeUndefined();
    await expect(service.solve(loraSolver, o, { layers: [2] })).rejects.toThrow('baselines/lora: params.layers[0] = 2 is not a layer of the base (0..1)');
    expect(() => lora(o.base, o.train, { task: o.task, rank: 2, steps: 1, batchSize: 8, lr: 0, rng: createRng(1) })).toThrow('lora: lr = 0; expected a finite number > 0');
    expect(() => lora(o.base, o.train, { task: o.task, rank: 2, steps: 1, batchSize: 8, lr: 0.1, rng: createRng(1), layers: [3] })).toThrow(
      'lora: layers[0] = 3 is not a layer of the model (0..1)',
    );
  });
});

describe('head-only fine-tuning', () => {
  test('matches training the whole model with only the last layer trainable (core trainMlp), and leaves the body bit-identical', () => {
    const o = small(5);
    const ours = headOnly(o.base, o.train, { task: o.task, steps: o.steps, batchSize: o.batchSize, lr: o.lr, rng: createRng(9) });
    const ref = cloneMlp(o.base);
    const L = ref.layers.length;
    trainMlp(ref, o.train, { task: o.task, steps: o.steps, batchSize: o.batchSize, optimizer: adam({ lr: o.lr }), rng: createRng(9), trainable: (i) => i >= 2 * (L - 1) });
    const a = flattenMlp(ours), b = flattenMlp(ref);
    for (let j = 0; j < a.length; j++) expect(Math.abs(a[j] - b[j])).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(b[j])));
    for (let l = 0; l < L - 1; l++) {
      expect(Array.from(ours.layers[l].W.data)).toEqual(Array.from(o.base.layers[l].W.data));
      expect(Array.from(ours.layers[l].b)).toEqual(Array.from(o.base.layers[l].b));
    }
  });

  test('a one-layer model is trained whole (the head is the model)', () => {
    const o = small(6, { hidden: [] });
    const before = lossAndGrad(o.base, o.train, o.task).loss;
    const m = headOnly(o.base, o.train, { task: o.task, steps: 50, batchSize: 300, lr: 0.05, rng: createRng(1) });
    expect(lossAndGrad(m, o.train, o.task).loss).toBeLessThan(before);
  });

  test('skips a budget smaller than the head and refuses data of the wrong width', async () => {
    const o = generateInstance(peft, { ...kitInstance, budgetParams: 1000 }, ['nn-peft', 'head']).observation;
    const reason = 'the last layer has 1290 parameters (10x128 + 10), over observation.budget.trainableParams = 1000 (baselines/lora fits smaller budgets)';
    expect(headOnlySolver.skip!(o, {} as never)).toBe(reason);
    await expect(service.solve(headOnlySolver, o)).rejects.toThrow(`baselines/head-only does not apply to this observation: ${reason}`);
    const bad = { X: Matrix.zeros(4, 3), labels: Int32Array.of(0, 1, 2, 3) };
    expect(() => headOnly(o.base, bad, { task: 'classification', steps: 1, batchSize: 4, lr: 0.1, rng: createRng(1) })).toThrow('headOnly: train.X has 3 columns, the model takes 64 inputs');
  });
});

describe('full fine-tuning', () => {
  test('trains every parameter array and lowers the training loss', () => {
    const o = small(7);
    const m = fullFineTuning(o.base, o.train, { task: o.task, steps: 40, batchSize: 64, lr: 0.01, rng: createRng(1) });
    const before = lossAndGrad(o.base, o.train, o.task).loss, after = lossAndGrad(m, o.train, o.task).loss;
    expect(after).toBeLessThan(before);
    m.layers.forEach((layer, l) => {
      expect(Array.from(layer.W.data)).not.toEqual(Array.from(o.base.layers[l].W.data));
      expect(Array.from(layer.b)).not.toEqual(Array.from(o.base.layers[l].b));
    });
  });

  test("skips the quick preset's budget (1320 floats for 9610 parameters), saying which budget runs it", async () => {
    const o = generateInstance(peft, kitInstance, ['nn-peft', 'full']).observation;
    const reason = 'it trains all 9610 parameters, over observation.budget.trainableParams = 1320 (a task with budgetParams >= 9610 runs it)';
    expect(fullFineTuningSolver.skip!(o, {} as never)).toBe(reason);
    await expect(service.solve(fullFineTuningSolver, o)).rejects.toThrow(`baselines/full-fine-tuning does not apply to this observation: ${reason}`);
  });
});

describe('the peft baselines on the quick preset', () => {
  const cases: readonly [AnySolver, Record<string, unknown>][] = [
    [loraSolver, {}],
    [headOnlySolver, {}],
    // Full fine-tuning needs a budget of at least the model's 9610 parameters.
    [fullFineTuningSolver, { budgetParams: 9610 }],
  ];

  test.each(cases.map(([s, extra]) => [s.id, s, extra] as const))('%s beats the trivial answer (θ₀) on the primary metric', async (_id, solver, extra) => {
    const { observation, truth } = generateInstance(peft, { ...peft.presets.quick, ...extra }, ['quality', 'peft']);
    const { solution } = await service.solve(solver, observation);
    const outcome = scoreSolution(peft, observation, truth, solution);
    const trivial = scoreSolution(peft, observation, truth, peft.trivialSolution!(observation));
    expect(outcome.status).toBe('ok');
    if (outcome.status !== 'ok' || trivial.status !== 'ok') return;
    const metric = primaryMetric(peft);
    expect(outcome.metrics[metric.id], `${metric.id} vs θ₀'s ${trivial.metrics[metric.id]}`).toBeLessThan(trivial.metrics[metric.id]);
    expect(outcome.metrics.trainable_params).toBeLessThanOrEqual(observation.budget.trainableParams);
  });

  test('LoRA and head-only also adapt a regression task (MSE) below the base loss', async () => {
    const { observation, truth } = generateInstance(peft, { ...kitInstance, task: 'regression', steps: 150 }, ['quality', 'peft-regression']);
    const trivial = scoreSolution(peft, observation, truth, peft.trivialSolution!(observation));
    for (const solver of [loraSolver, headOnlySolver]) {
      const outcome = scoreSolution(peft, observation, truth, (await service.solve(solver, observation)).solution);
      expect(outcome.status === 'ok' && trivial.status === 'ok' && outcome.metrics.test_loss < trivial.metrics.test_loss, solver.id).toBe(true);
    }
  });
});
