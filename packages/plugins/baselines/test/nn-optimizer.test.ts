import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  Matrix,
  adam,
  allFamilies,
  countParams,
  createRegistry,
  createRng,
  flattenMlp,
  generateInstance,
  matmul,
  optimizer,
  optimizerGradient,
  primaryMetric,
  scoreSolution,
  solveService,
  svd,
  type AnySolver,
  type OptimizerObservation,
  type OptimizerSolution,
  unflattenMlp,
} from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { sgdMomentumSolver, trainSgdMomentum } from '../src/solvers/sgd-momentum.js';
import { adamSolver, trainAdam } from '../src/solvers/adam.js';
import { GaloreLayer, galoreSolver, galoreStateFloats, trainGalore } from '../src/solvers/galore.js';

// The quick preset with 60 of its 300 steps: the kit solves it four times per solver.
const kitInstance = { ...optimizer.presets.quick, steps: 60 };

describeSolverConformance(sgdMomentumSolver, {
  instance: kitInstance,
  invalidParams: [
    { params: { momentum: 1 }, message: 'params.momentum must be < 1' },
    { params: { lr: 0 }, message: 'params.lr must be > 0' },
    { params: { nesterov: 'yes' }, message: 'params.nesterov' },
  ],
});
describeSolverConformance(adamSolver, {
  instance: kitInstance,
  invalidParams: [
    { params: { beta1: 1 }, message: 'params.beta1 must be < 1' },
    { params: { eps: 0 }, message: 'params.eps must be > 0' },
  ],
});
describeSolverConformance(galoreSolver, {
  instance: kitInstance,
  invalidParams: [
    { params: { rank: 0 }, message: 'params.rank must be >= 1' },
    { params: { updateGap: 0 }, message: 'params.updateGap must be >= 1' },
    { params: { scale: 0 }, message: 'params.scale must be > 0' },
  ],
});

const service = solveService(createRegistry(allFamilies));
/** A small optimizer instance: MLP 8-16-4, 256 examples. */
const small = (seed: number, extra: Record<string, unknown> = {}): OptimizerObservation =>
  generateInstance(optimizer, { inputDim: 8, hidden: [16], outputs: 4, nTrain: 256, nTest: 64, steps: 5, batchSize: 16, ...extra }, ['nn-optimizer', seed]).observation;

describe('SGD with momentum', () => {
  test('two steps are θ₁ = θ₀ − η g₀, θ₂ = θ₁ − η (μ g₀ + g₁) (hand-unrolled, bit for bit)', () => {
    const o = small(1, { steps: 2 });
    const eta = 0.05, mu = 0.9;
    const { model, trainLoss, stateFloats } = trainSgdMomentum(o, { lr: eta, momentum: mu });
    const theta = flattenMlp(o.init);
    const g0 = flattenMlp(optimizerGradient(o, o.init, 0).grads);
    const v = g0.slice();
    for (let j = 0; j < theta.length; j++) theta[j] -= eta * v[j];
    const after1 = unflattenMlp(o.init, theta);
    const g1 = flattenMlp(optimizerGradient(o, after1, 1).grads);
    for (let j = 0; j < theta.length; j++) {
      v[j] = mu * v[j] + g1[j];
      theta[j] -= eta * v[j];
    }
    expect(Array.from(flattenMlp(model))).toEqual(Array.from(theta));
    expect(trainLoss).toHaveLength(2);
    expect(stateFloats).toBe(countParams(o.init));
  });

  test('momentum 0 is plain SGD and holds no state', () => {
    const o = small(2, { steps: 1 });
    const { model, stateFloats } = trainSgdMomentum(o, { lr: 0.1, momentum: 0 });
    const theta = flattenMlp(o.init), g = flattenMlp(optimizerGradient(o, o.init, 0).grads);
    expect(Array.from(flattenMlp(model))).toEqual(Array.from(theta, (t, j) => t - 0.1 * g[j]));
    expect(stateFloats).toBe(0);
  });
});

describe('Adam', () => {
  test("the first step is lr · sign(g) elementwise (bias correction), up to ε/|g| (Kingma & Ba 2015, Sec. 3)", () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.double({ min: 1e-4, max: 0.1, noNaN: true }), (seed, lr) => {
        const o = small(seed, { steps: 1 });
        const { model } = trainAdam(o, { lr });
        const theta = flattenMlp(o.init), after = flattenMlp(model), g = flattenMlp(optimizerGradient(o, o.init, 0).grads);
        for (let j = 0; j < g.length; j++) {
          const step = theta[j] - after[j];
          if (g[j] === 0) expect(step).toBe(0);
          else expect(Math.abs(step - lr * Math.sign(g[j]))).toBeLessThanOrEqual(lr * (1e-8 / Math.abs(g[j]) + 1e-12) + 4 * Number.EPSILON * Math.abs(theta[j]));
        }
      }),
      { seed: 1, numRuns: 20 },
    );
  });

  test('holds two moments per parameter and refuses (skips) a memory budget below that', async () => {
    const o = small(3);
    expect(trainAdam(o).stateFloats).toBe(2 * countParams(o.init));
    const tight = small(3, { memoryBudget: 300 });
    const reason = `its two moments need ${2 * countParams(o.init)} optimizer-state floats, over observation.memoryBudget = 300 (a memory-lean optimizer such as baselines/galore fits)`;
    expect(adamSolver.skip!(tight, {} as never)).toBe(reason);
    await expect(service.solve(adamSolver, tight)).rejects.toThrow(`baselines/adam does not apply to this observation: ${reason}`);
    expect(() => trainAdam(tight)).toThrow(`baselines/adam: needs ${2 * countParams(o.init)} optimizer-state floats, over observation.memoryBudget = 300`);
    expect(() => trainAdam(o, { beta2: 1 })).toThrow('trainAdam: beta2 = 1; expected a finite number >= 0 and < 1');
  });
});

describe('GaLore', () => {
  /** A random m x n matrix. */
  const randn = (m: number, n: number, seed: number) => {
    const A = Matrix.zeros(m, n);
    createRng(seed).fillNormal(A.data);
    return A;
  };
  const frob2 = (a: Float64Array) => a.reduce((s, v) => s + v * v, 0);

  test('projects on the smaller side onto the top-r singular vectors: PᵀP = I and ‖PᵀG‖² = σ₁² + … + σ_r²', () => {
    for (const [m, n] of [[6, 10], [10, 6]]) {
      const G = randn(m, n, m), W = new Float64Array(m * n);
      const layer = new GaloreLayer(m, n, 3, { updateGap: 10 });
      layer.step(W, G, 0.1);
      expect(layer.side).toBe(m < n ? 'left' : 'right');
      const P = layer.P!;
      const PtP = matmul(P, P, { transA: true });
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(PtP.data[i * 3 + j]).toBeCloseTo(i === j ? 1 : 0, 12);
      const R = layer.side === 'left' ? matmul(P, G, { transA: true }) : matmul(G, P);
      const s = svd(G).s;
      expect(frob2(R.data)).toBeCloseTo(s[0] ** 2 + s[1] ** 2 + s[2] ** 2, 10);
    }
  });

  test('between projector refreshes every update lies in the rank-r subspace: (I − PPᵀ) ΔW = 0', () => {
    const m = 5, n = 12, r = 2;
    const layer = new GaloreLayer(m, n, r, { updateGap: 100 });
    const W = randn(m, n, 1).data, W0 = W.slice();
    for (let t = 0; t < 6; t++) layer.step(W, randn(m, n, 10 + t), 0.05);
    const dW = Matrix.from(m, n, W.map((v, j) => v - W0[j]));
    const P = layer.P!;
    const proj = matmul(P, matmul(P, dW, { transA: true }));
    const resid = dW.data.map((v, j) => v - proj.data[j]);
    expect(Math.sqrt(frob2(resid))).toBeLessThan(1e-13 * Math.sqrt(frob2(dW.data)));
    expect(svd(dW).s[r]).toBeLessThan(1e-13 * svd(dW).s[0]);
  });

  /** Core's Adam first step on a gradient g: −η m̂ / (√v̂ + ε). */
  const adamFirstStep = (g: Float64Array, eta: number) => {
    const p = new Float64Array(g.length);
    adam({ lr: eta }).step([p], [g]);
    return p;
  };

  test("at full rank with α = 1 the first step is Adam's first step on the rotated gradient: Pᵀ ΔW = Adam(Pᵀ G), ‖ΔW‖_F ≈ η √(mn)", () => {
    const m = 4, n = 7, eta = 0.01;
    const G = randn(m, n, 3), W = new Float64Array(m * n);
    const layer = new GaloreLayer(m, n, m, { updateGap: 1, scale: 1 });
    layer.step(W, G, eta);
    const P = layer.P!;
    expect(P.cols).toBe(m);
    const rotated = matmul(P, Matrix.from(m, n, W), { transA: true }).data;
    const ref = adamFirstStep(matmul(P, G, { transA: true }).data, eta);
    for (let j = 0; j < ref.length; j++) expect(Math.abs(rotated[j] - ref[j])).toBeLessThan(1e-15);
    // Every entry of Adam's first step is ±η (1 − O(ε/|g|)); P is orthogonal.
    expect(Math.sqrt(frob2(W)) / (eta * Math.sqrt(m * n))).toBeCloseTo(1, 4);
  });

  test("at full rank with α = 1, a gradient whose singular vectors are coordinate axes gets Adam's own first step, ≈ −η sign(G)", () => {
    // G = diag(3, -2, 1) padded with zero columns: U is a signed permutation.
    const G = Matrix.fromRows([[3, 0, 0, 0, 0], [0, -2, 0, 0, 0], [0, 0, 1, 0, 0]]);
    const W = new Float64Array(15);
    new GaloreLayer(3, 5, 3, { updateGap: 1, scale: 1 }).step(W, G, 0.01);
    const ref = adamFirstStep(G.data, 0.01);
    for (let j = 0; j < 15; j++) expect(Math.abs(W[j] - ref[j])).toBeLessThan(1e-16);
    for (let j = 0; j < 15; j++) expect(W[j]).toBeCloseTo(-0.01 * Math.sign(G.data[j]), 8);
  });

  test('its state is P plus two projected moments per weight (and two per bias): about half of Adam\'s on the quick MLP', () => {
    const o = generateInstance(optimizer, kitInstance, ['nn-optimizer', 'state']).observation;
    // 64 → 128: right, r = 32 (P 64x32, moments 128x32); 128 → 128: right (128x32, 128x32); 128 → 10: left, r = 10 (10x10, 10x128).
    const expected = 64 * 32 + 2 * 128 * 32 + (128 * 32 + 2 * 128 * 32) + (10 * 10 + 2 * 10 * 128) + 2 * (128 + 128 + 10);
    expect(galoreStateFloats(o.init, 32)).toBe(expected);
    const res = trainGalore({ ...o, steps: 2 });
    expect(res.stateFloats).toBe(expected);
    expect(res.stateFloats).toBeLessThan(0.5 * 2 * countParams(o.init));
  });

  test('lowers its default rank to fit observation.memoryBudget, and skips a fixed rank that does not fit', async () => {
    const o = small(4, { memoryBudget: 200 });
    const fit = trainGalore(o);
    expect(fit.stateFloats).toBeLessThanOrEqual(200);
    const { solution } = await service.solve(galoreSolver, o);
    expect((solution as OptimizerSolution).stateFloats).toBe(fit.stateFloats);
    expect(galoreSolver.skip!(o, { rank: 8 } as never)).toBe(`rank 8 needs ${galoreStateFloats(o.init, 8)} optimizer-state floats, over observation.memoryBudget = 200 (lower params.rank)`);
    expect(() => trainGalore(o, { rank: 8 })).toThrow(`baselines/galore: needs ${galoreStateFloats(o.init, 8)} optimizer-state floats, over observation.memoryBudget = 200; lower the rank`);
  });
});

describe('the optimizer baselines on the quick preset', () => {
  const solvers: readonly AnySolver[] = [sgdMomentumSolver, adamSolver, galoreSolver];
  let quick: ReturnType<typeof generateInstance<typeof optimizer>> | undefined;

  test.each(solvers.map((s) => [s.id, s] as const))('%s beats the trivial answer (the init) on the primary metric, with a loss trace of every step', async (_id, solver) => {
    quick ??= generateInstance(optimizer, optimizer.presets.quick, ['quality', 'optimizer']);
    const { observation, truth } = quick;
    const { solution, trace } = await service.solve(solver, observation);
    const outcome = scoreSolution(optimizer, observation, truth, solution);
    const trivial = scoreSolution(optimizer, observation, truth, optimizer.trivialSolution!(observation));
    expect(outcome.status).toBe('ok');
    if (outcome.status !== 'ok' || trivial.status !== 'ok') return;
    const metric = primaryMetric(optimizer);
    expect(outcome.metrics[metric.id], `${metric.id} vs the init's ${trivial.metrics[metric.id]}`).toBeLessThan(trivial.metrics[metric.id]);
    const sol = solution as OptimizerSolution;
    expect(sol.trainLoss).toHaveLength(observation.steps);
    const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(sol.trainLoss.subarray(-30))).toBeLessThan(mean(sol.trainLoss.subarray(0, 30)));
    expect(trace.length).toBe(50);
  });
});
