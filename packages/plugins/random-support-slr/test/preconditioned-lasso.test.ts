import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { allFamilies, createRegistry, createRng, generateInstance, Matrix, matvec, solveService, sparseRegression, svd, type SparseRegressionSolution, type TracePoint } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { lasso } from '@parsimony/plugin-baselines';
import { preconditionedLasso, preconditionedLassoSolver, spectralPreconditioner } from '../src/index.js';
import { TASK } from './helpers.js';

/** A smaller instance of the bench task's kind (the kit runs the solver several times). */
const small = { N: 40, d: 80, k: 6, nTest: 10, design: 'factor', factors: 2, factorNoise: 0.01, amplitudes: 'cancelling', noiseStd: 0.1 };

describeSolverConformance(preconditionedLassoSolver, {
  instance: { ...small, N: 100, d: 200, nTest: 50 },
  invalidParams: [
    { params: { tau: 0 }, message: 'params.tau must be > 0' },
    { params: { maxFactors: -1 }, message: 'params.maxFactors must be >= 0' },
    { params: { lambda: 0 }, message: 'params.lambda must be > 0' },
    { params: { maxSweeps: 0 }, message: 'params.maxSweeps must be >= 1' },
    { params: { tol: -1 }, message: 'params.tol must be >= 0' },
    { params: { svd: 'qr' }, message: 'params.svd' },
  ],
});

const task = (seed: number, over: Record<string, unknown> = {}) => generateInstance(sparseRegression, { ...TASK, ...over }, ['unit', seed]);
/** D ĉ from Phase 1's column-major dictionary. */
function dictTimes(D: Float64Array, N: number, c: Float64Array): Float64Array {
  const out = new Float64Array(N);
  for (let j = 0; j < c.length; j++) if (c[j] !== 0) for (let i = 0; i < N; i++) out[i] += c[j] * D[j * N + i];
  return out;
}
const relDiff = (a: Float64Array, b: Float64Array) => Math.hypot(...a.map((v, i) => v - b[i])) / Math.max(Math.hypot(...b), 1e-300);

describe('Phase 1: the spectral preconditioner', () => {
  test('r counts exactly the singular values above tau·median (checked against core svd)', () => {
    const { observation: o } = task(1, { N: 100, d: 200 });
    const pre = spectralPreconditioner(o.X, { k: 8, svd: 'full' });
    const { s } = svd(o.X);
    const sorted = Float64Array.from(s).sort();
    const med = 0.5 * (sorted[49] + sorted[50]);
    expect(pre.reference).toBeCloseTo(med, 10);
    expect(pre.r).toBe(Array.from(s).filter((v) => v > 10 * med).length);
    expect(pre.r).toBeGreaterThanOrEqual(2); // the two factors, plus weakly loaded features when they stand out
    for (let t = 0; t < pre.r; t++) expect(pre.s[t]).toBeCloseTo(s[t], 8);
  });

  test('every feature of D has norm √N, and the residual features are orthogonal to Û', () => {
    const { observation: o } = task(2);
    const { r, D, U } = spectralPreconditioner(o.X, { k: 8 });
    const N = o.X.rows;
    for (let j = 0; j < r + o.X.cols; j++) {
      let nn = 0;
      for (let i = 0; i < N; i++) nn += D[j * N + i] ** 2;
      expect(Math.sqrt(nn / N)).toBeCloseTo(1, 10);
      if (j < r) continue;
      for (let t = 0; t < r; t++) {
        let ip = 0;
        for (let i = 0; i < N; i++) ip += D[j * N + i] * U.data[i * r + t];
        expect(Math.abs(ip)).toBeLessThan(1e-8 * Math.sqrt(N));
      }
    }
  });

  test('maxFactors caps r; maxFactors 0 removes nothing', () => {
    const { observation: o } = task(3);
    expect(spectralPreconditioner(o.X, { maxFactors: 1 }).r).toBe(1);
    expect(spectralPreconditioner(o.X, { maxFactors: 0 }).r).toBe(0);
  });
});

describe('preconditionedLasso', () => {
  test('the map back is exact: X ŵ = D ĉ (property; to rounding with the full spectrum, to the randomized SVD\'s accuracy otherwise)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom('full', 'randomized') as fc.Arbitrary<'full' | 'randomized'>, (seed, mode) => {
        const { observation: o } = generateInstance(sparseRegression, small, ['prop', seed]);
        const res = preconditionedLasso(o.X, o.y, { sigma: 0.1, k: 6, svd: mode, rng: createRng('prop', seed) });
        const pre = spectralPreconditioner(o.X, { k: 6, svd: mode, rng: createRng('prop', seed) });
        expect(res.factors).toBe(pre.r);
        // Randomized: X V_r = Û S_r only up to the part of X outside the sketch's range (worst 7e-10 over 300 seeds).
        expect(relDiff(matvec(o.X, res.w), dictTimes(pre.D, o.X.rows, res.c))).toBeLessThan(mode === 'full' ? 1e-8 : 1e-7);
      }),
      { numRuns: 16 },
    );
  });

  test('with no dominant direction it is the Lasso on column-normalized X with λ = 2σ√(2 ln d / N) (vs baselines/lasso)', () => {
    const { observation: o } = generateInstance(sparseRegression, { N: 60, d: 100, k: 5, nTest: 10, noiseStd: 0.3 }, ['r0', 1]);
    const res = preconditionedLasso(o.X, o.y, { sigma: 0.3, k: 5, tol: 1e-13, maxSweeps: 10_000 });
    expect(res.factors).toBe(0);
    expect(res.lambda).toBeCloseTo(0.6 * Math.sqrt((2 * Math.log(100)) / 60), 14);
    const { rows: N, cols: d } = o.X;
    const n = new Float64Array(d);
    for (let i = 0; i < N; i++) for (let j = 0; j < d; j++) n[j] += o.X.data[i * d + j] ** 2;
    for (let j = 0; j < d; j++) n[j] = Math.sqrt(n[j] / N);
    const Xn = Matrix.zeros(N, d);
    for (let i = 0; i < N; i++) for (let j = 0; j < d; j++) Xn.data[i * d + j] = o.X.data[i * d + j] / n[j];
    const ref = lasso(Xn, o.y, { alpha: res.lambda, tol: 1e-14, maxIter: 100_000 }).w.map((v, j) => v / n[j]);
    expect(relDiff(res.w, ref)).toBeLessThan(1e-6);
  });

  test('on the cancelling task: error ≤ 0.05 and the support found, with the full or the randomized SVD', () => {
    const { observation: o, truth } = task(4);
    for (const mode of ['full', 'randomized'] as const) {
      const { w, factors } = preconditionedLasso(o.X, o.y, { sigma: 0.1, k: 8, svd: mode, rng: createRng(4) });
      expect(factors).toBeGreaterThanOrEqual(2);
      const err = matvec(truth.Xtest, w.map((v, j) => v - truth.w[j])).reduce((s, v) => s + v * v, 0) / truth.Xtest.rows;
      expect(err, mode).toBeLessThan(0.05);
    }
  });

  test('σ unknown: the scaled Lasso estimates it near the true 0.1 and predicts as well', () => {
    const { observation: o, truth } = task(5);
    const res = preconditionedLasso(o.X, o.y, { k: 8 });
    expect(res.sigma).toBeGreaterThan(0.07);
    expect(res.sigma).toBeLessThan(0.15);
    const err = matvec(truth.Xtest, res.w.map((v, j) => v - truth.w[j])).reduce((s, v) => s + v * v, 0) / truth.Xtest.rows;
    expect(err).toBeLessThan(0.05);
  });

  test('the bench entry reports a non-increasing Phase-2 objective and its passes; refuses the logistic loss', async () => {
    const service = solveService(createRegistry(allFamilies));
    const { observation: o } = task(6);
    const trace: TracePoint[] = [];
    const { solution } = (await service.solve(preconditionedLassoSolver, o, {}, { onReport: (p) => trace.push(p) })) as { solution: SparseRegressionSolution };
    expect(solution.iterations).toBe(trace.length);
    for (let i = 1; i < trace.length; i++) expect(trace[i].objective).toBeLessThanOrEqual(trace[i - 1].objective * (1 + 1e-12));
    const { observation: l } = generateInstance(sparseRegression, { N: 20, d: 30, k: 2, loss: 'logistic' }, [1]);
    await expect(service.solve(preconditionedLassoSolver, l)).rejects.toThrow("random-support-slr/preconditioned-lasso: observation.loss = 'logistic' is not supported");
  });

  test('bad inputs are errors naming the field', () => {
    const X = Matrix.zeros(3, 4);
    expect(() => preconditionedLasso(X, new Float64Array(2))).toThrow('preconditionedLasso: y has 2 entries, X has 3 rows');
    expect(() => preconditionedLasso(X, new Float64Array(3), { sigma: -1 })).toThrow('preconditionedLasso: sigma must be a finite number >= 0');
    expect(() => preconditionedLasso(X, new Float64Array(3), { maxSweeps: 0 })).toThrow('preconditionedLasso: maxSweeps must be an integer >= 1');
  });

  test('y = 0 gives ŵ = 0', () => {
    const { observation: o } = generateInstance(sparseRegression, small, ['zero', 1]);
    expect(Array.from(preconditionedLasso(o.X, new Float64Array(o.X.rows), { sigma: 0.1, k: 6 }).w).every((v) => v === 0)).toBe(true);
  });
});
