import { describe, expect, test } from 'vitest';
import { Matrix, allFamilies, createRegistry, generateInstance, matvec, prox1d, scoreSolution, solveService, sparseOptimization, type SparseOptimizationObservation } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { proxGradientBcdSolver, proxGreedyBcd, proxGreedyBcdSolver } from '../src/index.js';

/** A small instance of the paper's L1 task: uneven column scales, b mostly noise, λ = 0.1·||Aᵀb||∞. */
const L1 = { m: 120, n: 60, columnScales: 'lognormal', lambdaRatio: 0.1, snrDb: -40, tol: 1e-10 } as const;
const invalidParams = [
  { params: { update: 'bfgs' }, message: 'params.update' },
  { params: { blockSize: 0 }, message: 'params.blockSize must be >= 1' },
  { params: { switchAfter: 0 }, message: 'params.switchAfter must be >= 1' },
  { params: { tol: -1 }, message: 'params.tol must be > 0' },
];
describeSolverConformance(proxGreedyBcdSolver, { instance: L1, invalidParams });
describeSolverConformance(proxGradientBcdSolver, { instance: L1, invalidParams });

/** ∇f(x) of the least-squares form. */
const gradient = (o: SparseOptimizationObservation, x: Float64Array) => matvec(o.A!, matvec(o.A!, x).map((v, i) => v - o.b![i]), true);

describe('prox-greedy-bcd', () => {
  test('one coordinate: min ½(2x - 3)² + |x| is x = 5/4, in one proximal step', () => {
    const r = proxGreedyBcd({ A: Matrix.fromRows([[2]]), b: new Float64Array([3]) }, { kind: 'l1', lambda: 1 }, { tol: 1e-14 });
    expect([r.x[0], r.iterations, r.converged]).toEqual([1.25, 1, true]);
  });

  test('the result satisfies the Lasso optimality conditions; the support settles, then Newton steps finish', () => {
    const { observation: o, truth } = generateInstance(sparseOptimization, L1, [1]);
    const r = proxGreedyBcd(o, o.penalty, { tol: 1e-12 });
    const g = gradient(o, r.x), l = o.penalty.lambda;
    r.x.forEach((v, j) => {
      if (v === 0) expect(Math.abs(g[j])).toBeLessThanOrEqual(l * (1 + 1e-9));
      else expect(Math.abs(g[j] + l * Math.sign(v))).toBeLessThan(1e-9 * l);
    });
    expect(r.converged).toBe(true);
    expect(r.switchedAt).toBeGreaterThan(r.supportSettledAt - 1);
    expect(r.iterations - r.switchedAt).toBeLessThanOrEqual(10);
    expect(scoreSolution(sparseOptimization, o, truth, { x: r.x, iterations: r.iterations })).toMatchObject({ status: 'ok', metrics: { support_f1: 1 } });
  });

  test('with gradient updates it never switches, and reaches the same optimum', () => {
    const { observation: o, truth } = generateInstance(sparseOptimization, L1, [2]);
    const r = proxGreedyBcd(o, o.penalty, { update: 'gradient', tol: 1e-12 });
    expect(r.switchedAt).toBe(-1);
    const out = scoreSolution(sparseOptimization, o, truth, { x: r.x, iterations: r.iterations });
    expect(out.status === 'ok' && out.metrics.rel_gap).toBeLessThan(1e-12);
  });

  test.each(['scad', 'mcp'] as const)('%s: proximal steps only (no Newton switch) reach a coordinate-wise minimum', (penalty) => {
    const { observation: o } = generateInstance(sparseOptimization, { m: 60, n: 40, penalty, lambda: 0.05 }, [3]);
    const r = proxGreedyBcd(o, o.penalty, { tol: 1e-10 });
    expect([r.converged, r.switchedAt]).toEqual([true, -1]);
    const g = gradient(o, r.x), A = o.A!;
    r.x.forEach((v, j) => {
      let L = 0;
      for (let i = 0; i < A.rows; i++) L += A.data[i * A.cols + j] ** 2;
      expect(prox1d(o.penalty, v - g[j] / L, L)).toBeCloseTo(v, 8);
    });
  });

  test('the quadratic (label-propagation) form with a sparse H', async () => {
    const { observation, truth } = generateInstance(sparseOptimization, { form: 'quadratic', n: 64, lambdaRatio: 0.2, tol: 1e-10 }, [4]);
    const { solution } = await solveService(createRegistry(allFamilies)).solve(proxGreedyBcdSolver, observation, {}, { seed: [1] });
    const out = scoreSolution(sparseOptimization, observation, truth, solution);
    expect(out.status === 'ok' && out.metrics.rel_gap).toBeLessThan(1e-10);
  });
});
