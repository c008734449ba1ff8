import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  allFamilies,
  cloneMlp,
  createRegistry,
  createRng,
  flattenMlp,
  generateInstance,
  initMlp,
  modelMerging,
  primaryMetric,
  scoreSolution,
  solveService,
  type AnySolver,
  type Mlp,
} from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { weightAveraging, weightAveragingSolver } from '../src/solvers/weight-averaging.js';
import { taskArithmetic, taskArithmeticSolver } from '../src/solvers/task-arithmetic.js';
import { tiesMergeVectors, tiesMerging, tiesMergingSolver } from '../src/solvers/ties-merging.js';

// A lighter instance than the quick preset (fewer examples and training steps): generating it trains 1 + K models per check.
const kitInstance = { ...modelMerging.presets.quick, nTrain: 256, nTest: 200, pretrainSteps: 40, finetuneSteps: 20 };

describeSolverConformance(weightAveragingSolver, {
  instance: kitInstance,
  invalidParams: [
    { params: { weights: [] }, message: 'params.weights must NOT have fewer than 1 items' },
    { params: { weights: [1, -1] }, message: 'params.weights[1] must be >= 0' },
  ],
});
describeSolverConformance(taskArithmeticSolver, {
  instance: kitInstance,
  invalidParams: [
    { params: { lambda: -0.1 }, message: 'params.lambda must be >= 0' },
    { params: { lambdaGrid: [] }, message: 'params.lambdaGrid must NOT have fewer than 1 items' },
  ],
});
describeSolverConformance(tiesMergingSolver, {
  instance: kitInstance,
  invalidParams: [
    { params: { density: 0 }, message: 'params.density must be > 0' },
    { params: { density: 1.5 }, message: 'params.density must be <= 1' },
    { params: { lambda: -1 }, message: 'params.lambda must be >= 0' },
  ],
});

/** A random MLP of the given widths (weights and biases all nonzero). */
function randomMlp(sizes: number[], seed: number): Mlp {
  const rng = createRng(seed);
  const m = initMlp(sizes, 'relu', rng);
  for (const l of m.layers) rng.fillNormal(l.b);
  return m;
}

const flat = (m: Mlp) => Array.from(flattenMlp(m));

describe('weight averaging', () => {
  test('averaging K identical models returns the model bit for bit, for any K and any weights (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.01, max: 10, noNaN: true }), { minLength: 1, maxLength: 9 }), fc.nat(1000), (weights, seed) => {
        const m = randomMlp([3, 4, 2], seed);
        const copies = weights.map(() => cloneMlp(m));
        expect(flat(weightAveraging(copies))).toEqual(flat(m));
        expect(flat(weightAveraging(copies, { weights }))).toEqual(flat(m));
      }),
      { seed: 1, numRuns: 20 },
    );
  });

  test('weights are normalized: (1, 3) gives θ = ¼ θ_1 + ¾ θ_2 (hand-worked, one 1x2 layer)', () => {
    const a: Mlp = { activation: 'relu', layers: [{ W: { rows: 1, cols: 2, data: Float64Array.of(4, 8) }, b: Float64Array.of(0) }] };
    const b: Mlp = { activation: 'relu', layers: [{ W: { rows: 1, cols: 2, data: Float64Array.of(0, 4) }, b: Float64Array.of(4) }] };
    expect(flat(weightAveraging([a, b], { weights: [1, 3] }))).toEqual([1, 5, 3]);
    expect(flat(weightAveraging([a, b]))).toEqual([2, 6, 2]);
  });

  test('bad weights and mismatched architectures are errors naming the field', () => {
    const a = randomMlp([3, 4, 2], 1), b = randomMlp([3, 5, 2], 2);
    expect(() => weightAveraging([a, a], { weights: [1] })).toThrow('weightAveraging: weights has 1 entries; expected one per model (2)');
    expect(() => weightAveraging([a, a], { weights: [0, 0] })).toThrow('weightAveraging: weights sum to 0; expected at least one weight > 0');
    expect(() => weightAveraging([a, b])).toThrow('weightAveraging: models[1] has layer widths [3, 5, 2], expected [3, 4, 2]');
    expect(() => weightAveraging([])).toThrow('weightAveraging: models is empty');
  });
});

describe('task arithmetic', () => {
  const base = randomMlp([4, 6, 3], 10);
  const models = [11, 12, 13].map((s) => randomMlp([4, 6, 3], s));

  test('λ = 0 returns θ₀ exactly', () => {
    const { model, lambda } = taskArithmetic(base, models, { lambda: 0 });
    expect(lambda).toBe(0);
    expect(flat(model)).toEqual(flat(base));
  });

  test('λ = 1/K is the uniform average of the fine-tuned models: θ₀ + (1/K) Σ (θ_k − θ₀) = (1/K) Σ θ_k', () => {
    const ta = flattenMlp(taskArithmetic(base, models, { lambda: 1 / 3 }).model);
    const avg = flattenMlp(weightAveraging(models));
    for (let j = 0; j < avg.length; j++) expect(ta[j]).toBeCloseTo(avg[j], 12);
  });

  test('is θ₀ + λ Σ_k τ_k entry by entry (hand-worked: θ₀ = 1, θ = (2, 4, -1), λ = 0.5 → 1 + 0.5·(1 + 3 − 2) = 2)', () => {
    const one = (v: number): Mlp => ({ activation: 'identity', layers: [{ W: { rows: 1, cols: 1, data: Float64Array.of(v) }, b: Float64Array.of(0) }] });
    expect(flat(taskArithmetic(one(1), [one(2), one(4), one(-1)], { lambda: 0.5 }).model)).toEqual([2, 0]);
  });

  test('without λ or calibration data, uses λ = 0.3', () => {
    const { model, lambda } = taskArithmetic(base, models);
    expect(lambda).toBe(0.3);
    expect(flat(model)).toEqual(flat(taskArithmetic(base, models, { lambda: 0.3 }).model));
  });

  test('with calibration sets, picks the grid λ of lowest mean calibration loss (never worse than the data-free 0.3, which is on the grid)', () => {
    const { observation: o } = generateInstance(modelMerging, { ...kitInstance, calibrationSize: 64 }, ['nn-merging', 'calibration']);
    const seen: [number, number][] = [];
    const res = taskArithmetic(o.base!, o.models, { calibration: o.calibration, task: o.task, onCandidate: (_i, lam, loss) => seen.push([lam, loss]) });
    expect(seen.map(([lam]) => lam)).toEqual(Array.from({ length: 21 }, (_, i) => Math.round(i * 5) / 100));
    const best = Math.min(...seen.map(([, loss]) => loss));
    expect(res.calibrationLoss).toBe(best);
    expect(seen.find(([lam]) => lam === res.lambda)![1]).toBe(best);
    expect(res.calibrationLoss!).toBeLessThanOrEqual(seen.find(([lam]) => lam === 0.3)![1]);
  });

  test('calibration data without a task, a negative λ or a base of another shape are errors naming the field', () => {
    const { observation: o } = generateInstance(modelMerging, { ...kitInstance, calibrationSize: 8 }, ['nn-merging', 'errors']);
    expect(() => taskArithmetic(o.base!, o.models, { calibration: o.calibration })).toThrow("taskArithmetic: task is required with calibration data ('classification' or 'regression')");
    expect(() => taskArithmetic(base, models, { lambda: -1 })).toThrow('taskArithmetic: lambda = -1; expected a finite number >= 0');
    expect(() => taskArithmetic(randomMlp([4, 5, 3], 1), models)).toThrow('taskArithmetic: base has layer widths [4, 5, 3], expected [4, 6, 3]');
  });

  test('skips the same-task variant (no θ₀), saying what to use instead', async () => {
    const { observation } = generateInstance(modelMerging, { ...kitInstance, variant: 'same-task', tasks: 2 }, ['nn-merging', 'same-task']);
    const reason = 'task vectors θ_k − θ₀ need the pre-trained θ₀, which variant "same-task" does not give (use baselines/weight-averaging)';
    expect(taskArithmeticSolver.skip!(observation, {} as never)).toBe(reason);
    expect(tiesMergingSolver.skip!(observation, {} as never)).toBe(reason);
    await expect(solveService(createRegistry(allFamilies)).solve(taskArithmeticSolver, observation)).rejects.toThrow(`baselines/task-arithmetic does not apply to this observation: ${reason}`);
    const { solution } = await solveService(createRegistry(allFamilies)).solve(weightAveragingSolver, observation);
    expect(solution).toHaveProperty('model');
  });
});

describe('TIES-Merging', () => {
  test('hand-worked: trim to 2 of 3 entries, elect signs by mass, average the agreeing entries', () => {
    // τ1 = (3, -1, 0.5) → (3, -1, 0);  τ2 = (-2, 4, 1) → (-2, 4, 0);  τ3 = (-2, 0.1, -6) → (-2, 0, -6).
    // Mass: (-1, 3, -6) → γ = (-, +, -).  Agreeing: (-2, -2) → -2; (4) → 4; (-6) → -6.
    const tau = [Float64Array.of(3, -1, 0.5), Float64Array.of(-2, 4, 1), Float64Array.of(-2, 0.1, -6)];
    expect(Array.from(tiesMergeVectors(tau, 2 / 3))).toEqual([-2, 4, -6]);
    // No trimming: mass (-1, 3.1, -4.5); agreeing means: (-2), (4 + 0.1)/2, (-6).
    expect(Array.from(tiesMergeVectors(tau, 1))).toEqual([-2, 2.05, -6]);
  });

  test('an entry no task vector keeps is 0; ties at the trim threshold all survive', () => {
    expect(Array.from(tiesMergeVectors([Float64Array.of(1, 0, -1), Float64Array.of(2, 0, 2)], 0.5))).toEqual([1.5, 0, 2]);
    expect(Array.from(tiesMergeVectors([Float64Array.of(2, -2, 1, 2)], 0.25))).toEqual([2, -2, 0, 2]);
  });

  test('with density 1 and a single task, TIES is task arithmetic with the same λ, bit for bit (property)', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.double({ min: 0, max: 3, noNaN: true }), (seed, lambda) => {
        const base = randomMlp([3, 5, 2], seed), model = randomMlp([3, 5, 2], seed + 1);
        const ties = tiesMerging(base, [model], { density: 1, lambda }).model;
        expect(flat(ties)).toEqual(flat(taskArithmetic(base, [model], { lambda }).model));
      }),
      { seed: 1, numRuns: 20 },
    );
  });

  test('without λ or calibration data, uses λ = 1 and k = 20%', () => {
    const base = randomMlp([4, 6, 3], 20), models = [21, 22].map((s) => randomMlp([4, 6, 3], s));
    const res = tiesMerging(base, models);
    expect(res.lambda).toBe(1);
    const b = flattenMlp(base);
    const merged = tiesMergeVectors(models.map((m) => flattenMlp(m).map((v, j) => v - b[j])), 0.2);
    expect(flat(res.model)).toEqual(Array.from(b, (v, j) => v + merged[j]));
  });

  test('bad density and task vectors of different lengths are errors naming the field', () => {
    expect(() => tiesMergeVectors([Float64Array.of(1)], 0)).toThrow('tiesMergeVectors: density = 0; expected a finite number > 0 and <= 1');
    expect(() => tiesMergeVectors([Float64Array.of(1), Float64Array.of(1, 2)], 0.5)).toThrow('tiesMergeVectors: tau[1] has 2 entries, tau[0] has 1');
  });
});

describe('the merging baselines on the quick preset', () => {
  const service = solveService(createRegistry(allFamilies));
  const solvers: readonly AnySolver[] = [weightAveragingSolver, taskArithmeticSolver, tiesMergingSolver];

  let quick: ReturnType<typeof generateInstance<typeof modelMerging>> | undefined;
  test.each(solvers.map((s) => [s.id, s] as const))('%s beats the trivial answer (θ₀) on the primary metric', async (_id, solver) => {
    const family = modelMerging;
    quick ??= generateInstance(family, family.presets.quick, ['quality', family.id]);
    const { observation, truth } = quick;
    const { solution } = await service.solve(solver, observation);
    const outcome = scoreSolution(family, observation, truth, solution);
    const trivial = scoreSolution(family, observation, truth, family.trivialSolution!(observation));
    expect(outcome.status).toBe('ok');
    if (outcome.status !== 'ok' || trivial.status !== 'ok') return;
    const metric = primaryMetric(family);
    expect(outcome.metrics[metric.id], `${metric.id} vs θ₀'s ${trivial.metrics[metric.id]}`).toBeLessThan(trivial.metrics[metric.id]);
  });

  test('task arithmetic and TIES also merge the lora variant and use its calibration sets', async () => {
    const family = modelMerging;
    const { observation, truth } = generateInstance(family, { ...kitInstance, variant: 'lora', calibrationSize: 32 }, ['quality', 'lora']);
    const trivial = scoreSolution(family, observation, truth, family.trivialSolution!(observation));
    for (const solver of [taskArithmeticSolver, tiesMergingSolver]) {
      const { solution, trace } = await service.solve(solver, observation);
      expect(trace.length).toBeGreaterThan(1);
      expect(trace.every((p) => typeof p.calibration_loss === 'number')).toBe(true);
      const outcome = scoreSolution(family, observation, truth, solution);
      expect(outcome.status === 'ok' && trivial.status === 'ok' && outcome.metrics.avg_task_loss < trivial.metrics.avg_task_loss).toBe(true);
    }
  });
});
