import { describe, expect, test } from 'vitest';
import {
  allFamilies,
  createRegistry,
  createRng,
  generateInstance,
  primaryMetric,
  scoreSolution,
  solveService,
  weightCompression,
  type AnySolver,
  type Matrix,
  type WeightCompressionObservation,
  type WeightCompressionTruth,
} from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { cubicSparsity, gradualMagnitudePruning, gradualMagnitudePruningSolver } from '../src/solvers/gradual-magnitude-pruning.js';
import { srSte, srSteSolver } from '../src/solvers/sr-ste.js';
import { magnitudePruningSolver } from '../src/solvers/magnitude-pruning.js';

/** A short network instance for the kit's four solves (the quality tests below use the full network defaults). */
const kitNetwork = { variant: 'network', nTrain: 512, nCalib: 128, nTest: 128, steps: 40 };

describeSolverConformance(gradualMagnitudePruningSolver, {
  instance: { ...kitNetwork, budget: { sparsity: 0.8 } },
  invalidParams: [
    { params: { start: 2 }, message: 'params.start must be <= 1' },
    { params: { frequency: 0 }, message: 'params.frequency must be >= 1' },
    { params: { loss: 'mse' }, message: 'params.loss' },
  ],
});
describeSolverConformance(srSteSolver, {
  instance: { ...kitNetwork, budget: { pattern: 'n:m', n: 2, m: 4 } },
  invalidParams: [
    { params: { lambda: -1 }, message: 'params.lambda must be >= 0' },
    { params: { lr: 0 }, message: 'params.lr must be > 0' },
  ],
});

function nnz(a: Matrix): number {
  return a.data.reduce((s, v) => s + (v !== 0 ? 1 : 0), 0);
}

/** The largest number of nonzeros in any group of m consecutive weights of a row. */
function maxPerGroup(a: Matrix, m: number): number {
  let worst = 0;
  for (let r = 0; r < a.rows; r++)
    for (let c0 = 0; c0 < a.cols; c0 += m) {
      let k = 0;
      for (let c = c0; c < c0 + m; c++) if (a.data[r * a.cols + c] !== 0) k++;
      worst = Math.max(worst, k);
    }
  return worst;
}

describe('the cubic schedule of Zhu & Gupta (2017, eq. 1)', () => {
  test('s_t = s_f + (s_i − s_f)(1 − k/n)³: starts at s_i, ends at s_f, hand-worked midpoint', () => {
    expect(cubicSparsity(0.1, 0.9, 0, 10)).toBeCloseTo(0.1, 15);
    expect(cubicSparsity(0, 0.9, 5, 10)).toBeCloseTo(0.7875, 15);
    expect(cubicSparsity(0.1, 0.9, 10, 10)).toBe(0.9);
  });

  test('the realized sparsity follows it: flat before t_0, cubic steps every Δt, s_f from t_0 + nΔt on', () => {
    const { observation } = generateInstance(weightCompression, { ...kitNetwork, steps: 100 }, [1]);
    const net = observation.network!;
    const trace: number[] = [];
    const { model, masks } = gradualMagnitudePruning(net.model, net.train, {
      task: net.task,
      steps: 100,
      batchSize: 32,
      sparsity: 0.8,
      start: 0.1,
      end: 0.6,
      frequency: 10,
      rng: createRng(1),
      onStep: (_t, _loss, s) => trace.push(s),
    });
    // t_0 = 10, n = 5 pruning steps of Δt = 10: targets 0, 0.3904, 0.6272, 0.7568, 0.7936, 0.8.
    const sizes = model.layers.map((l) => l.W.data.length), total = sizes.reduce((a, b) => a + b, 0);
    const expected = (s: number) => 1 - sizes.reduce((a, n) => a + Math.ceil((1 - s) * n - 1e-9), 0) / total;
    expect(trace.slice(0, 10).every((s) => s === 0)).toBe(true);
    for (let k = 0; k <= 5; k++) {
      const s = cubicSparsity(0, 0.8, k, 5);
      expect(trace.slice(10 + 10 * k, k < 5 ? 20 + 10 * k : 100).every((x) => Math.abs(x - expected(s)) < 1e-12)).toBe(true);
    }
    expect(masks.map((m, l) => m.reduce((a, b) => a + b, 0) - nnz(model.layers[l].W)).every((d) => d >= 0)).toBe(true);
    expect(model.layers.map((l) => nnz(l.W)).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(sizes.reduce((a, n) => a + Math.ceil(0.2 * n - 1e-9), 0));
  });

  test('a step budget too short to reach the end of the schedule still ends exactly on the target', () => {
    const { observation } = generateInstance(weightCompression, { ...kitNetwork, steps: 3 }, [2]);
    const net = observation.network!;
    const { model } = gradualMagnitudePruning(net.model, net.train, { task: net.task, steps: 3, batchSize: 32, n: 1, m: 4, rng: createRng(1) });
    for (const l of model.layers) expect(maxPerGroup(l.W, 4)).toBeLessThanOrEqual(1);
  });
});

describe('srSte', () => {
  test('the result is exactly n:m; with λ_W = 0 and no steps it is one-shot n:m magnitude pruning', () => {
    const { observation } = generateInstance(weightCompression, { ...kitNetwork, budget: { pattern: 'n:m', n: 2, m: 8 } }, [3]);
    const net = observation.network!;
    const trained = srSte(net.model, net.train, { task: net.task, steps: 20, batchSize: 32, n: 2, m: 8, rng: createRng(1) });
    for (const l of trained.model.layers) expect(maxPerGroup(l.W, 8)).toBeLessThanOrEqual(2);
    const none = srSte(net.model, net.train, { task: net.task, steps: 0, batchSize: 32, n: 2, m: 8, lambda: 0, rng: createRng(1) });
    for (let l = 0; l < none.model.layers.length; l++) {
      const W = net.model.layers[l].W, What = none.model.layers[l].W;
      for (let i = 0; i < W.data.length; i++) expect(What.data[i] === 0 || What.data[i] === W.data[i]).toBe(true);
      expect(nnz(What)).toBe(W.data.length / 4);
    }
  });

  test('bad options are clear errors', () => {
    const { observation } = generateInstance(weightCompression, kitNetwork, [4]);
    const net = observation.network!;
    const base = { task: net.task, steps: 1, batchSize: 8, rng: createRng(1) };
    expect(() => srSte(net.model, net.train, base)).toThrow('srSte: sparsity or an n:m pattern (n, m) is required: nothing to prune to');
    expect(() => srSte(net.model, net.train, { ...base, n: 2, m: 3 })).toThrow('srSte: m = 3 must divide the row length (W has 64 columns)');
    expect(() => srSte(net.model, net.train, { ...base, sparsity: 0.5, lambda: -1 })).toThrow('srSte: lambda must be a finite number >= 0 (got -1)');
    expect(() => gradualMagnitudePruning(net.model, net.train, { ...base, sparsity: 0.5, start: 0.5, end: 0.2 })).toThrow('gradualMagnitudePruning: end = 0.2 must not come before start = 0.5');
    expect(() => gradualMagnitudePruning(net.model, { X: net.train.X }, { ...base, sparsity: 0.5 })).toThrow('gradualMagnitudePruning: train.labels is required for task "classification"');
  });
});

const service = solveService(createRegistry(allFamilies));
const metric = primaryMetric(weightCompression);

async function score(solver: AnySolver, observation: WeightCompressionObservation, truth: WeightCompressionTruth, params: Record<string, unknown> = {}): Promise<number> {
  const { solution } = await service.solve(solver, observation, params);
  const outcome = scoreSolution(weightCompression, observation, truth, solution);
  expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 'ok' });
  return outcome.status === 'ok' ? outcome.metrics[metric.id] : NaN;
}

function trivial(observation: WeightCompressionObservation, truth: WeightCompressionTruth): number {
  const outcome = scoreSolution(weightCompression, observation, truth, weightCompression.trivialSolution!(observation));
  return outcome.status === 'ok' ? outcome.metrics[metric.id] : NaN;
}

describe('on the network variant (MLP 64-256-10, 2048 training examples, 300 steps of 64)', () => {
  test('gradual magnitude pruning at 50% beats the trivial answer and one-shot magnitude pruning on out_err', async () => {
    const { observation, truth } = generateInstance(weightCompression, { variant: 'network', budget: { sparsity: 0.5 } }, ['quality', weightCompression.id]);
    const gmp = await score(gradualMagnitudePruningSolver, observation, truth);
    const oneShot = await score(magnitudePruningSolver, observation, truth);
    console.info(`network, 50%: out_err gmp ${gmp}, one-shot magnitude ${oneShot}, zeros ${trivial(observation, truth)}`);
    expect(gmp).toBeLessThan(trivial(observation, truth));
    expect(gmp).toBeLessThan(oneShot);
  });

  test('sr-ste at 2:4 beats the trivial answer and one-shot 2:4 magnitude pruning on out_err', async () => {
    const { observation, truth } = generateInstance(weightCompression, { variant: 'network', budget: { pattern: 'n:m', n: 2, m: 4 } }, ['quality', weightCompression.id]);
    const sr = await score(srSteSolver, observation, truth);
    const oneShot = await score(magnitudePruningSolver, observation, truth);
    console.info(`network, 2:4: out_err sr-ste ${sr}, one-shot magnitude ${oneShot}, zeros ${trivial(observation, truth)}`);
    expect(sr).toBeLessThan(trivial(observation, truth));
    expect(sr).toBeLessThan(oneShot);
  });

  test('from scratch (no dense model given) both train on the labels and beat the trivial answer; distillation is refused', async () => {
    const { observation, truth } = generateInstance(weightCompression, { ...kitNetwork, steps: 150, networkInit: 'scratch', budget: { pattern: 'n:m', n: 2, m: 4 } }, ['quality', 'scratch']);
    for (const solver of [gradualMagnitudePruningSolver, srSteSolver]) expect(await score(solver, observation, truth)).toBeLessThan(trivial(observation, truth));
    await expect(service.solve(srSteSolver, observation, { loss: 'distill' })).rejects.toThrow(
      'baselines/sr-ste: params.loss = "distill" needs the dense model, but observation.network.fromScratch is true',
    );
  });

  test('the layer variant is refused, saying why', async () => {
    const { observation } = generateInstance(weightCompression, { dOut: 8, dIn: 16, nCalib: 16, nTest: 8 }, [5]);
    await expect(service.solve(gradualMagnitudePruningSolver, observation)).rejects.toThrow(
      'baselines/gradual-magnitude-pruning: variant "layer" is not supported: baselines/gradual-magnitude-pruning retrains a network and needs observation.network',
    );
    await expect(service.solve(srSteSolver, observation)).rejects.toThrow('baselines/sr-ste: variant "layer" is not supported');
  });
});
