import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  allFamilies,
  createRegistry,
  createRng,
  generateInstance,
  matmul,
  Matrix,
  matrixCompletion,
  primaryMetric,
  scoreSolution,
  solveService,
  svd,
  typescriptBackend,
  type AnySolver,
  type MatrixCompletionObservation,
} from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { svt, svtSolver } from '../src/solvers/svt.js';
import { softImpute, softImputeSolver } from '../src/solvers/soft-impute.js';
import { partialSvd, patternOf, sparsePlusLowRank } from '../src/internal/lowrank.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const fx = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/lowrank/fixtures.json'), 'utf8')) as Record<string, any>;
const toMatrix = (o: { rows: number; cols: number; data: number[] }): Matrix => Matrix.from(o.rows, o.cols, Float64Array.from(o.data));
const toObservation = (o: any): MatrixCompletionObservation => ({
  rows: o.rows,
  cols: o.cols,
  omega: { i: Int32Array.from(o.i), j: Int32Array.from(o.j) },
  values: Float64Array.from(o.values),
  rank: 2,
});
const product = (U: Matrix, V: Matrix) => matmul(U, V, { transB: true });
const maxDiff = (a: Matrix, b: Matrix) => a.data.reduce((s, v, t) => Math.max(s, Math.abs(v - b.data[t])), 0);
const maxAbs = (a: Matrix) => a.data.reduce((s, v) => Math.max(s, Math.abs(v)), 0);

// A 100 x 80 instance keeps the kit's four solves short at the default params (the quick preset's quality is tested below).
const kitInstance = { m: 100, n: 80, rank: 3 };
describeSolverConformance(svtSolver, {
  instance: kitInstance,
  invalidParams: [
    { params: { tau: 0 }, message: 'params.tau must be > 0' },
    { params: { delta: -1 }, message: 'params.delta must be > 0' },
    { params: { tol: 0 }, message: 'params.tol must be > 0' },
    { params: { maxIter: 0 }, message: 'params.maxIter must be >= 1' },
    { params: { increment: 0 }, message: 'params.increment must be >= 1' },
    { params: { maxRank: 1.5 }, message: 'params.maxRank' },
  ],
});
describeSolverConformance(softImputeSolver, {
  instance: kitInstance,
  invalidParams: [
    { params: { lambda: 0 }, message: 'params.lambda must be > 0' },
    { params: { pathLength: 0 }, message: 'params.pathLength must be >= 1' },
    { params: { tol: 0 }, message: 'params.tol must be > 0' },
    { params: { maxIter: 0 }, message: 'params.maxIter must be >= 1' },
    { params: { maxRank: 0 }, message: 'params.maxRank must be >= 1' },
  ],
});

const service = solveService(createRegistry(allFamilies));
const quick = generateInstance(matrixCompletion, matrixCompletion.presets.quick, ['quality', 'matrix-completion']);

describe('the completion baselines on the quick preset (300 x 300, r = 5, noiseless)', () => {
  const metric = primaryMetric(matrixCompletion);
  const trivial = scoreSolution(matrixCompletion, quick.observation, quick.truth, matrixCompletion.trivialSolution!(quick.observation));

  test.each([svtSolver, softImputeSolver].map((s) => [s.id, s as AnySolver] as const))('%s is ok and beats the trivial answer (zeros) by 100x on rmse_test', async (_id, solver) => {
    const { solution } = await service.solve(solver, quick.observation, {}, { seed: ['quality', 1] });
    const outcome = scoreSolution(matrixCompletion, quick.observation, quick.truth, solution);
    expect(outcome.status).toBe('ok');
    expect(trivial.status).toBe('ok');
    if (outcome.status !== 'ok' || trivial.status !== 'ok') return;
    expect(outcome.metrics[metric.id], `${metric.id}: ${outcome.metrics[metric.id]} vs ${trivial.metrics[metric.id]} for zeros`).toBeLessThan(trivial.metrics[metric.id] / 100);
  });
});

describe('the sparse + low-rank operator and its partial SVD (internal)', () => {
  const { observation: o } = generateInstance(matrixCompletion, { m: 40, n: 30, rank: 2, samples: 200, nTest: 10 }, ['op', 1]);
  const rng = createRng('op', 2);
  const low = { r: 2, U: rng.fillNormal(new Float64Array(80)), d: Float64Array.of(3, 0.5), V: rng.fillNormal(new Float64Array(60)) };
  const s = rng.fillNormal(new Float64Array(o.values.length));
  const A = product(Matrix.from(40, 2, low.U.map((u, t) => u * low.d[t % 2])), Matrix.from(30, 2, low.V));
  s.forEach((v, t) => (A.data[o.omega.i[t] * 30 + o.omega.j[t]] += v));

  test('sparse and dense storage both multiply by S + U diag(d) Vᵀ and its transpose (to 1e-12)', () => {
    const B = rng.fillNormal(new Float64Array(30 * 3)), C = rng.fillNormal(new Float64Array(40 * 3));
    const want = matmul(A, Matrix.from(30, 3, B)), wantT = matmul(A, Matrix.from(40, 3, C), { transA: true });
    for (const dense of [false, true]) {
      const op = sparsePlusLowRank({ ...patternOf(40, 30, o.omega.i, o.omega.j), dense }, s, low, typescriptBackend);
      const out = new Float64Array(120), outT = new Float64Array(90);
      op.mul(B, 3, out);
      op.mulT(C, 3, outT);
      expect(maxDiff(Matrix.from(40, 3, out), want)).toBeLessThan(1e-12);
      expect(maxDiff(Matrix.from(30, 3, outT), wantT)).toBeLessThan(1e-12);
    }
  });

  test('subspace iteration finds the leading singular values of core\'s full SVD (to 1e-8), cold or warm-started', () => {
    const op = sparsePlusLowRank({ ...patternOf(40, 30, o.omega.i, o.omega.j), dense: false }, s, low, typescriptBackend);
    const exact = svd(A).s;
    const cold = partialSvd(op, 3, { linalg: typescriptBackend, rng: createRng(1), tol: 1e-12, maxIter: 500 });
    Array.from(cold.s).forEach((v, a) => expect(v).toBeCloseTo(exact[a], 8));
    const warm = partialSvd(op, 3, { linalg: typescriptBackend, rng: createRng(1), tol: 1e-12, maxIter: 500, start: cold.basis });
    expect(warm.products).toBeLessThan(cold.products);
  });
});

describe('svt (Cai, Candès & Shen 2010, Alg. 1)', () => {
  test('reaches its stopping residual 1e-4 and a relative error below 1e-3 on the noiseless quick instance, at rank 5', () => {
    const trace: number[] = [];
    const res = svt(quick.observation, { rng: createRng(1), onIteration: (it) => trace.push(it.residual) });
    expect(res.converged).toBe(true);
    expect(res.residual).toBeLessThanOrEqual(1e-4);
    expect(res.rank).toBe(5);
    expect(res.tau).toBeCloseTo(5 * 300, 9);
    expect(res.delta).toBeCloseTo((1.2 * 300 * 300) / quick.observation.values.length, 9);
    const s = scoreSolution(matrixCompletion, quick.observation, quick.truth, { U: res.U, V: res.V });
    expect(s.status === 'ok' && s.metrics.rel_err_full).toBeLessThan(1e-3);
    expect(trace.at(-1)).toBe(res.residual);
  });

  test('recovers a noiseless rank-2 matrix observed on a sparse pattern (p = 0.23, sparse storage) to 1e-3', () => {
    const { observation, truth } = generateInstance(matrixCompletion, { m: 200, n: 150, rank: 2, samples: 7000 }, ['svt-sparse', 1]);
    const res = svt(observation, { rng: createRng(1) });
    const s = scoreSolution(matrixCompletion, observation, truth, { U: res.U, V: res.V });
    expect(res.converged).toBe(true);
    expect(s.status === 'ok' && s.metrics.rel_err_full).toBeLessThan(1e-3);
  });

  test('matches a numpy run of Alg. 1 (full SVDs, same τ, δ and k₀) iterate for iterate: X²⁵ to 1e-9', () => {
    const o = fx.svt;
    const res = svt(toObservation(o), { tau: o.tau, delta: o.delta, maxIter: o.iterations, tol: 1e-12 });
    expect(res.iterations).toBe(o.iterations);
    expect(res.rank).toBe(o.rank);
    expect(res.residual).toBeCloseTo(o.residual, 9);
    const X = toMatrix(o.X);
    expect(maxDiff(product(res.U, res.V), X)).toBeLessThan(1e-9 * maxAbs(X));
  });

  test('X is the singular value shrinkage of a matrix supported on Ω: outside Ω its singular values are σ(Y) − τ (property)', () => {
    // At k = 1, Y⁰ = k₀ δ P_Ω(M), so the singular values of X¹ are (σ(P_Ω M) k₀ δ − τ)₊ exactly.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const { observation: o } = generateInstance(matrixCompletion, { m: 12, n: 9, rank: 2, samples: 60, nTest: 10 }, ['svt-prop', seed]);
        const res = svt(o, { maxIter: 1, tau: 10 });
        const P = Matrix.zeros(o.rows, o.cols);
        o.values.forEach((v, t) => (P.data[o.omega.i[t] * o.cols + o.omega.j[t]] = v));
        const sp = svd(P).s;
        const k0 = Math.ceil(10 / (res.delta * sp[0]));
        const want = Array.from(sp).map((v) => Math.max(v * k0 * res.delta - 10, 0)).filter((v) => v > 0);
        const got = svd(product(res.U, res.V)).s.slice(0, want.length);
        want.forEach((v, a) => expect(got[a]).toBeCloseTo(v, 8));
        expect(res.rank).toBe(want.length);
      }),
      { seed: 1, numRuns: 20 },
    );
  });

  test('with a known noise level it stops at the relative noise level instead of fitting the noise', () => {
    const { observation, truth } = generateInstance(matrixCompletion, { m: 100, n: 80, rank: 3, snrDb: 20 }, ['svt-noisy', 1]);
    const res = svt(observation, { rng: createRng(2) });
    const level = (Math.sqrt(observation.values.length) * observation.noiseStd!) / Math.hypot(...observation.values);
    expect(res.tol).toBeCloseTo(level, 12);
    expect(res.converged).toBe(true);
    const s = scoreSolution(matrixCompletion, observation, truth, { U: res.U, V: res.V });
    expect(s.status === 'ok' && s.metrics.rel_err_full).toBeLessThan(0.15);
  });

  test('bad inputs are errors naming the field; an aborted signal stops it; no observed entry gives zeros', () => {
    const o = quick.observation;
    const N = o.values.length;
    expect(() => svt({ ...o, values: o.values.subarray(1) })).toThrow(`svt: omega.i has ${N} entries, values has ${N - 1}; give one (i, j) per observed value`);
    expect(() => svt({ ...o, omega: { i: o.omega.i, j: Int32Array.from(o.omega.j, (v) => v + 1) } })).toThrow('is outside 0..299');
    expect(() => svt(o, { tau: -1 })).toThrow('svt: params.tau = -1; expected a finite number > 0');
    expect(() => svt(o, { maxIter: 0 })).toThrow('svt: params.maxIter = 0; expected an integer >= 1');
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    expect(() => svt(o, { signal: ac.signal })).toThrow('stop');
    const empty = svt({ rows: 3, cols: 2, omega: { i: new Int32Array(0), j: new Int32Array(0) }, values: new Float64Array(0) });
    expect(empty.rank).toBe(0);
    expect(Array.from(empty.U.data)).toEqual([0, 0, 0]);
  });
});

describe('softImpute (Mazumder, Hastie & Tibshirani 2010, Alg. 1)', () => {
  test('matches a numpy run of Alg. 1 at fixed λ: the 5th iterate and the limit (same stopping test, ε = 1e-26) to 1e-10', () => {
    const o = fx.soft_impute;
    const obs = toObservation(o);
    // maxRank = n: no cap, as in Alg. 1 (the default caps at 2r).
    const five = softImpute(obs, { lambda: o.lambda, pathLength: 1, maxIter: 5, tol: 1e-300, maxRank: o.cols });
    expect(five.iterations).toBe(5);
    const Z5 = toMatrix(o.after5);
    expect(maxDiff(product(five.U, five.V), Z5)).toBeLessThan(1e-10 * maxAbs(Z5));
    const limit = softImpute(obs, { lambda: o.lambda, pathLength: 1, maxIter: 5000, tol: 1e-26, maxRank: o.cols });
    expect(Math.abs(limit.iterations - o.limitIterations)).toBeLessThanOrEqual(2);
    const Z = toMatrix(o.limit);
    expect(maxDiff(product(limit.U, limit.V), Z)).toBeLessThan(1e-10 * maxAbs(Z));
    expect(limit.path[0].objective).toBeCloseTo(o.limitObjective, 8);
    expect(limit.rank).toBe(o.limitRank);
  });

  test('the objective ½‖P_Ω(X − Z)‖² + λ‖Z‖_* never increases at a fixed λ (property, Lemma 2)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.double({ min: 0.01, max: 0.5, noNaN: true }), fc.constantFrom(Infinity, 20, 10), (seed, ratio, snrDb) => {
        const { observation: o } = generateInstance(matrixCompletion, { m: 15, n: 12, rank: 3, samples: 90, nTest: 10, snrDb: snrDb === Infinity ? 'inf' : snrDb }, ['si-prop', seed]);
        const { lambdaMax } = softImpute(o, { maxIter: 1, pathLength: 1 });
        const f: number[] = [];
        // No rank cap (maxRank = n): the exact Alg. 1, for which Lemma 2 holds.
        softImpute(o, { lambda: ratio * lambdaMax, pathLength: 1, maxIter: 40, tol: 1e-300, maxRank: 12, onIteration: (it) => f.push(it.objective) });
        const f0 = 0.5 * o.values.reduce((s, v) => s + v * v, 0); // Z = 0
        [f0, ...f].forEach((v, t, all) => t > 0 && expect(v).toBeLessThanOrEqual(all[t - 1] * (1 + 1e-12)));
      }),
      { seed: 1, numRuns: 20 },
    );
  });

  test('along the default path on the quick instance the objective never increases within a λ, and λ decreases geometrically from λ_max', () => {
    const f: { lambda: number; objective: number }[] = [];
    const res = softImpute(quick.observation, { rng: createRng(3), onIteration: (it) => f.push(it) });
    for (let t = 1; t < f.length; t++) if (f[t].lambda === f[t - 1].lambda) expect(f[t].objective).toBeLessThanOrEqual(f[t - 1].objective * (1 + 1e-9));
    const lambdas = res.path.map((p) => p.lambda);
    expect(lambdas).toHaveLength(10);
    expect(res.lambda).toBeCloseTo(1e-4 * res.lambdaMax, 12);
    for (let k = 1; k < lambdas.length; k++) expect(lambdas[k] / lambdas[k - 1]).toBeCloseTo(Math.pow(1e-4, 1 / 10), 12);
  });

  test('the default λ with a known noise level is (√m + √n)√p·σ; a λ above λ_max gives Z = 0; maxRank caps the rank', () => {
    const { observation: o } = generateInstance(matrixCompletion, { m: 60, n: 40, rank: 2, snrDb: 10 }, ['si-noisy', 1]);
    const res = softImpute(o, { pathLength: 4 });
    const p = o.values.length / (60 * 40);
    expect(res.lambda).toBeCloseTo((Math.sqrt(60) + Math.sqrt(40)) * Math.sqrt(p) * o.noiseStd!, 12);
    expect(res.rank).toBeLessThanOrEqual(4); // default cap 2r
    expect(softImpute(o, { pathLength: 2, maxRank: 1 }).rank).toBe(1);
    const zero = softImpute(o, { lambda: 2 * res.lambdaMax });
    expect(zero.rank).toBe(0);
    expect(maxAbs(zero.U)).toBe(0);
  });

  test('warm starts along a path reach the fixed-λ answer in fewer iterations than a cold start', () => {
    const { observation: o } = generateInstance(matrixCompletion, { m: 80, n: 60, rank: 3, snrDb: 20 }, ['si-warm', 1]);
    const cold = softImpute(o, { pathLength: 1, tol: 1e-9, maxIter: 1000, rng: createRng(1) });
    const warm = softImpute(o, { pathLength: 8, tol: 1e-9, maxIter: 1000, rng: createRng(1) });
    expect(warm.lambda).toBeCloseTo(cold.lambda, 12);
    expect(maxDiff(product(warm.U, warm.V), product(cold.U, cold.V))).toBeLessThan(1e-3);
    expect(warm.path.at(-1)!.iterations).toBeLessThan(cold.iterations);
  });

  test('bad inputs are errors naming the field; an aborted signal stops it', () => {
    const o = quick.observation;
    expect(() => softImpute({ ...o, values: Float64Array.from(o.values, (v, t) => (t === 7 ? NaN : v)) })).toThrow('softImpute: values[7] = NaN; observed values must be finite');
    expect(() => softImpute(o, { lambda: -2 })).toThrow('softImpute: params.lambda = -2; expected a finite number > 0');
    expect(() => softImpute(o, { pathLength: 0 })).toThrow('softImpute: params.pathLength = 0; expected an integer >= 1');
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    expect(() => softImpute(o, { signal: ac.signal })).toThrow('stop');
  });
});
