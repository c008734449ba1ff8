import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  Matrix,
  allFamilies,
  bandit,
  cholesky,
  createRegistry,
  createRng,
  generateInstance,
  lstsq,
  primaryMetric,
  scoreSolution,
  solve,
  solveService,
  type AnySolver,
  type BanditObservation,
  type BanditSession,
  type BanditTruth,
  type SolverContext,
} from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import type { LinearBanditEnv } from '../src/internal/bandit.js';
import { solveUniformAllocation, uniformAllocation, uniformAllocationSolver } from '../src/solvers/uniform-allocation.js';
import { gOptimalAllocation, gOptimalDesign, gOptimalDesignSolver, roundDesign } from '../src/solvers/g-optimal-design.js';

const bestArmQuick = { ...bandit.presets.quick, variant: 'best-arm' };

describeSolverConformance(uniformAllocationSolver, {
  instance: bestArmQuick,
  invalidParams: [{ params: { estimator: 'median' }, message: 'params.estimator' }],
});
describeSolverConformance(gOptimalDesignSolver, {
  instance: bestArmQuick,
  invalidParams: [
    { params: { tol: 0 }, message: 'params.tol must be > 0' },
    { params: { maxIter: 0 }, message: 'params.maxIter must be >= 1' },
  ],
});

const service = solveService(createRegistry(allFamilies));
const metric = primaryMetric(bandit);
const instance = (seed: string | number, over: object = {}) => generateInstance(bandit, { ...bestArmQuick, ...over }, ['bandit-best-arm', seed]);

async function play(solver: AnySolver, inst: { observation: BanditObservation; truth: BanditTruth }, params: Record<string, unknown> = {}) {
  const session = bandit.interaction!.open(inst.observation, inst.truth) as BanditSession;
  const { solution } = await service.solve(solver, inst.observation, params, { seed: ['bandit-best-arm', 1], interact: (m, a) => session.handle(m, a) });
  const outcome = scoreSolution(bandit, inst.observation, inst.truth, solution, session.usage());
  const trivial = scoreSolution(bandit, inst.observation, inst.truth, bandit.trivialSolution!(inst.observation));
  if (outcome.status !== 'ok' || trivial.status !== 'ok') throw new Error('scoring failed');
  return { metrics: outcome.metrics, trivial: trivial.metrics, usage: session.usage() };
}

/** An environment on a session, with pullMany, for the plain functions. */
function sessionEnv(inst: { observation: BanditObservation; truth: BanditTruth }): LinearBanditEnv {
  const session = bandit.interaction!.open(inst.observation, inst.truth);
  return {
    arms: inst.observation.arms,
    horizon: inst.observation.horizon,
    pull: (a) => session.handle('pull', [a]) as number,
    pullMany: (arms) => session.handle('pulls', [arms]) as Float64Array,
  };
}

/** max_i x_iᵀ(Σ_j n_j x_j x_jᵀ)⁻¹x_i: the largest prediction variance (in σ² units) of least squares on these counts. */
function maxPredictionVariance(A: Matrix, counts: Float64Array): number {
  const { rows: K, cols: d, data } = A;
  const M = Matrix.zeros(d, d);
  for (let i = 0; i < K; i++) for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) M.data[p * d + q] += counts[i] * data[i * d + p] * data[i * d + q];
  let worst = 0;
  for (let i = 0; i < K; i++) {
    const x = data.slice(i * d, (i + 1) * d);
    const y = solve(M, x);
    let s = 0;
    for (let j = 0; j < d; j++) s += x[j] * y[j];
    worst = Math.max(worst, s);
  }
  return worst;
}

/** log det Σ_i λ_i x_i x_iᵀ, by Cholesky. */
function logDetInformation(A: Matrix, weights: Float64Array): number {
  const { rows: K, cols: d, data } = A;
  const M = Matrix.zeros(d, d);
  for (let i = 0; i < K; i++) for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) M.data[p * d + q] += weights[i] * data[i * d + p] * data[i * d + q];
  const L = cholesky(M);
  let s = 0;
  for (let j = 0; j < d; j++) s += 2 * Math.log(L.data[j * d + j]);
  return s;
}

describe('baselines/uniform-allocation', () => {
  test('round-robin: every arm gets ⌊T/K⌋ or ⌈T/K⌉ pulls, and θ̂ is the least squares of all T pulls', async () => {
    const inst = instance('rr', { T: 1037 });
    const res = await uniformAllocation(sessionEnv(inst), { rng: createRng(2) });
    const counts = Array.from(res.counts);
    expect(counts.reduce((a, b) => a + b)).toBe(1037);
    expect(new Set(counts)).toEqual(new Set([10, 11]));
    // One row per pull: arm i repeated n_i times, response its mean reward (same normal equations).
    const { arms } = inst.observation;
    const d = arms.cols;
    const X = Matrix.zeros(1037, d), y = new Float64Array(1037);
    let t = 0;
    for (let i = 0; i < arms.rows; i++) {
      for (let m = 0; m < res.counts[i]; m++, t++) {
        X.data.set(arms.data.subarray(i * d, (i + 1) * d), t * d);
        y[t] = res.sums[i] / res.counts[i];
      }
    }
    const want = lstsq(X, y).x;
    for (let j = 0; j < d; j++) expect(res.theta[j]).toBeCloseTo(want[j], 10);
  });

  test('with T < K it pulls T distinct arms', async () => {
    const res = await uniformAllocation(sessionEnv(instance('few', { T: 30 })), { rng: createRng(3) });
    expect(Array.from(res.counts).filter((n) => n === 1)).toHaveLength(30);
  });

  test('noise-free linear rewards (σ = ε = 0): least squares recovers θ and names the best arm', async () => {
    const inst = instance('exact', { epsilon: 0, noiseStd: 0 });
    const res = await uniformAllocation(sessionEnv(inst));
    for (let j = 0; j < inst.observation.arms.cols; j++) expect(res.theta[j]).toBeCloseTo(inst.truth.theta[j], 10);
    const { metrics } = await play(uniformAllocationSolver, inst);
    expect(metrics.simple_regret).toBe(0);
  });

  test('the mean estimator names the best empirical mean: by hand', async () => {
    const env: LinearBanditEnv = { arms: Matrix.fromRows([[1], [1], [1]]), horizon: 6, pull: (a) => [0.2, 0.9, 0.4][a] };
    const res = await uniformAllocation(env, { estimator: 'mean' });
    expect(Array.from(res.scores).map((s) => +s.toFixed(12))).toEqual([0.2, 0.9, 0.4]);
    expect(res.arm).toBe(1);
    expect(res.theta).toHaveLength(0);
  });

  test('quick best-arm preset: both estimators beat the trivial answer (arm 0)', async () => {
    const inst = instance(1);
    for (const estimator of ['least-squares', 'mean']) {
      const { metrics, trivial, usage } = await play(uniformAllocationSolver, inst, { estimator });
      expect(metrics[metric.id]).toBeLessThan(trivial[metric.id]);
      expect(usage.pulls).toBe(2000);
    }
  });

  test('skips the regret variant, naming the solvers to use; a direct call throws PARSIMONY_UNSUPPORTED', async () => {
    const inst = instance('variant', { variant: 'regret' });
    const reason =
      "observation.variant = 'regret' is not supported; this solver spends a pull budget and names one arm (variant best-arm). For variant 'regret' use baselines/linucb, baselines/epsilon-greedy or baselines/lasso-bandit";
    expect(uniformAllocationSolver.skip!(inst.observation, { estimator: 'least-squares' })).toBe(reason);
    await expect(service.solve(uniformAllocationSolver, inst.observation, {}, { interact: () => 0 })).rejects.toThrow(`baselines/uniform-allocation does not apply to this observation: ${reason}`);
    await expect(solveUniformAllocation(inst.observation, { estimator: 'least-squares' }, {} as SolverContext)).rejects.toMatchObject({
      code: 'PARSIMONY_UNSUPPORTED',
      message: `baselines/uniform-allocation: ${reason}`,
    });
  });

  test('bad input is a clear error naming the field', async () => {
    const env: LinearBanditEnv = { arms: Matrix.fromRows([[1, NaN]]), horizon: 1, pull: () => 0 };
    await expect(uniformAllocation(env)).rejects.toThrow('uniformAllocation: env.arms[0][1] = NaN; arm features must be finite');
    const ok: LinearBanditEnv = { arms: Matrix.fromRows([[1]]), horizon: 1, pull: () => 0 };
    await expect(uniformAllocation(ok, { estimator: 'median' as 'mean' })).rejects.toThrow("uniformAllocation: estimator = median; expected 'least-squares' or 'mean'");
  });
});

describe('gOptimalDesign', () => {
  test('by hand: three unit vectors 120° apart in ℝ² get 1/3 each and every variance is d = 2', () => {
    const rows = [0, 1, 2].map((k) => [Math.cos((2 * Math.PI * k) / 3), Math.sin((2 * Math.PI * k) / 3)]);
    const r = gOptimalDesign(Matrix.fromRows(rows), { tol: 1e-9 });
    for (const w of r.weights) expect(w).toBeCloseTo(1 / 3, 8);
    for (const g of r.variances) expect(g).toBeCloseTo(2, 8);
    expect(r).toMatchObject({ rank: 2, converged: true });
  });

  test('by hand: e₁, e₂, (e₁ + e₂)/√2: weight ½ on e₁ and e₂, all three variances equal 2', () => {
    const r = gOptimalDesign(Matrix.fromRows([[1, 0], [0, 1], [Math.SQRT1_2, Math.SQRT1_2]]), { tol: 1e-12 });
    expect(r.maxVariance).toBeCloseTo(2, 12);
    // The optimal information matrix diag(½, ½) has no off-diagonal term, so the weights are unique.
    [0.5, 0.5, 0].forEach((w, i) => expect(r.weights[i]).toBeCloseTo(w, 7));
    for (const g of r.variances) expect(g).toBeCloseTo(2, 7);
  });

  test('arms spanning a plane of ℝ³: r = 2 and the max variance is 2', () => {
    const r = gOptimalDesign(Matrix.fromRows([[1, 1, 0], [1, -1, 0], [2, 0, 0], [0, 3, 0]]));
    expect(r.rank).toBe(2);
    expect(r.maxVariance / 2).toBeGreaterThan(1 - 1e-12);
    expect(r.maxVariance / 2).toBeLessThanOrEqual(1 + 1e-3);
  });

  test('Kiefer-Wolfowitz on the quick preset arms: max_x ‖x‖²_{A(λ)⁻¹} = d within 1%, and every reported variance is exact', () => {
    const { arms } = instance('kw').observation;
    const r = gOptimalDesign(arms);
    expect(r.converged).toBe(true);
    expect(r.rank).toBe(50);
    expect(r.maxVariance / 50).toBeGreaterThanOrEqual(1 - 1e-9);
    expect(r.maxVariance / 50).toBeLessThanOrEqual(1.01);
    const M = Matrix.zeros(50, 50);
    for (let i = 0; i < arms.rows; i++) for (let p = 0; p < 50; p++) for (let q = 0; q < 50; q++) M.data[p * 50 + q] += r.weights[i] * arms.data[i * 50 + p] * arms.data[i * 50 + q];
    for (let i = 0; i < arms.rows; i += 7) {
      const x = arms.data.slice(i * 50, (i + 1) * 50);
      const y = solve(M, x);
      expect(r.variances[i]).toBeCloseTo(x.reduce((s, v, j) => s + v * y[j], 0), 8);
    }
  });

  test('property: λ is in the simplex, Σ λ_i g_i = d, d ≤ max g ≤ d(1 + tol), and log det A(λ) beats the uniform design', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 12 }), fc.nat(), (d, extra, seed) => {
        const K = d + extra;
        const A = Matrix.from(K, d, createRng('kw', seed).fillNormal(new Float64Array(K * d)));
        const r = gOptimalDesign(A, { tol: 1e-4 });
        let sum = 0, trace = 0;
        for (let i = 0; i < K; i++) {
          expect(r.weights[i]).toBeGreaterThanOrEqual(0);
          sum += r.weights[i];
          trace += r.weights[i] * r.variances[i];
        }
        expect(sum).toBeCloseTo(1, 12);
        expect(trace).toBeCloseTo(d, 8);
        expect(r.maxVariance).toBeGreaterThanOrEqual(d * (1 - 1e-9));
        expect(r.maxVariance).toBeLessThanOrEqual(d * (1 + 1e-4));
        expect(logDetInformation(A, r.weights)).toBeGreaterThanOrEqual(logDetInformation(A, new Float64Array(K).fill(1 / K)) - 1e-9);
      }),
      { seed: 1, numRuns: 20 },
    );
  });

  test('bad input is a clear error naming the field', () => {
    expect(() => gOptimalDesign(Matrix.fromRows([[1]]), { tol: 0 })).toThrow('gOptimalDesign: tol = 0; expected a finite number > 0');
    expect(() => gOptimalDesign(Matrix.zeros(2, 0))).toThrow('gOptimalDesign: arms is 2x0; it needs at least one arm and one feature');
  });
});

describe('roundDesign', () => {
  test('by hand: (½, ¼, ¼) to 8 pulls is (4, 2, 2); (⅓, ⅓, ⅓) to 4 pulls gives one arm the extra pull', () => {
    expect(Array.from(roundDesign(Float64Array.of(0.5, 0.25, 0.25), 8))).toEqual([4, 2, 2]);
    expect(Array.from(roundDesign(Float64Array.of(1, 1, 1).map((v) => v / 3), 4)).sort()).toEqual([1, 1, 2]);
  });

  test('property: counts sum to T; with p ≤ T support points each gets ≥ 1 pull and no other arm any; |n_i − Tλ_i| < p', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 500 }), (raw, T) => {
        const w = Float64Array.from(raw);
        if (w.every((v) => v === 0)) w[0] = 1;
        const total = w.reduce((a, b) => a + b);
        const n = roundDesign(w, T);
        expect(n.reduce((a, b) => a + b, 0)).toBe(T);
        const p = w.filter((v) => v > 0).length;
        for (let i = 0; i < w.length; i++) {
          if (p <= T && T > 0) expect(n[i] > 0).toBe(w[i] > 0);
          expect(Math.abs(n[i] - (T * w[i]) / total)).toBeLessThan(Math.max(p, 1));
        }
      }),
      { seed: 1, numRuns: 100 },
    );
  });

  test('bad input is a clear error naming the field', () => {
    expect(() => roundDesign(Float64Array.of(0.5, -0.5), 4)).toThrow('roundDesign: weights[1] = -0.5; weights must be finite and >= 0');
    expect(() => roundDesign(Float64Array.of(0, 0), 4)).toThrow('roundDesign: the weights sum to 0');
    expect(() => roundDesign(Float64Array.of(1), -1)).toThrow('roundDesign: T = -1; expected an integer >= 0');
  });
});

describe('baselines/g-optimal-design', () => {
  test('noise-free linear rewards: least squares on the rounded design recovers θ and names the best arm', async () => {
    const inst = instance('exact', { epsilon: 0, noiseStd: 0 });
    const res = await gOptimalAllocation(sessionEnv(inst));
    for (let j = 0; j < inst.observation.arms.cols; j++) expect(res.theta[j]).toBeCloseTo(inst.truth.theta[j], 10);
    const { metrics } = await play(gOptimalDesignSolver, inst);
    expect(metrics.simple_regret).toBe(0);
  });

  test('its pull counts give a smaller worst-arm prediction variance than uniform allocation (what the design minimizes)', async () => {
    const inst = instance('variance');
    const g = await gOptimalAllocation(sessionEnv(inst));
    const u = await uniformAllocation(sessionEnv(inst));
    const vg = maxPredictionVariance(inst.observation.arms, g.counts), vu = maxPredictionVariance(inst.observation.arms, u.counts);
    expect(vg).toBeLessThan(vu);
    // The rounded design stays close to the continuous optimum d/T.
    expect(vg * 2000).toBeLessThan(50 * 1.1);
  });

  test('quick best-arm preset: beats the trivial answer (arm 0) and spends the whole budget', async () => {
    const { metrics, trivial, usage } = await play(gOptimalDesignSolver, instance(1));
    expect(metrics[metric.id]).toBeLessThan(trivial[metric.id]);
    expect(usage.pulls).toBe(2000);
  });

  test('skips the regret variant', async () => {
    const inst = instance('variant', { variant: 'regret' });
    await expect(service.solve(gOptimalDesignSolver, inst.observation, {}, { interact: () => 0 })).rejects.toThrow(
      "baselines/g-optimal-design does not apply to this observation: observation.variant = 'regret' is not supported",
    );
  });
});
