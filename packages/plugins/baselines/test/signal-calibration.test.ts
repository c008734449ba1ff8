import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { allFamilies, blindCalibration, createRegistry, generateInstance, Matrix, matvec, pinv, primaryMetric, scoreSolution, solveService, type AnySolver } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { leastSquaresIgnoringGains, leastSquaresIgnoringGainsSolver } from '../src/solvers/least-squares-ignoring-gains.js';
import { rel } from './helpers.js';

describeSolverConformance(leastSquaresIgnoringGainsSolver);

describe('leastSquaresIgnoringGains', () => {
  test('exact when the true gains are all 1 and there is no noise (rho = 0 instance)', () => {
    const { observation, truth } = generateInstance(blindCalibration, { ...blindCalibration.presets.quick, rho: 0 }, [1]);
    expect(Array.from(truth.d).every((v) => v === 1)).toBe(true);
    const { x, d, rank, residual } = leastSquaresIgnoringGains(observation.A, observation.y);
    expect(rel(x, truth.x)).toBeLessThan(1e-12);
    expect(Array.from(d).every((v) => v === 1)).toBe(true);
    expect(rank).toBe(64);
    expect(residual).toBeLessThan(1e-10);
    const s = scoreSolution(blindCalibration, observation, truth, { x, d });
    expect(s.status === 'ok' && s.metrics).toMatchObject({ success: 1 });
    expect(s.status === 'ok' && s.metrics.nmse_db).toBeLessThan(-200);
  });

  test('property: equal gains c are absorbed into x (x̂ = c x, exact after the scorer removes the scale)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.2, max: 5, noNaN: true }), fc.integer({ min: 1, max: 1000 }), (c, seed) => {
        const { observation, truth } = generateInstance(blindCalibration, { n: 12, m: 10, p: 3, rho: 0 }, [seed]);
        const y = observation.y.map((yl) => yl.map((v) => c * v));
        const { x } = leastSquaresIgnoringGains(observation.A, y);
        expect(rel(x, truth.x.map((v) => c * v))).toBeLessThan(1e-10);
      }),
      { seed: 1, numRuns: 20 },
    );
  });

  test('the normal equations hold: Σ_l A_lᵀ (y_l − A_l x) = 0', () => {
    const { observation: o } = generateInstance(blindCalibration, { n: 20, m: 15, p: 3, snrDb: 20 }, [2]);
    const { x } = leastSquaresIgnoringGains(o.A, o.y);
    const g = new Float64Array(20);
    let scale = 0;
    o.A.forEach((Al, l) => {
      const r = matvec(Al, x).map((v, i) => o.y[l][i] - v);
      matvec(Al, r, true).forEach((v, j) => (g[j] += v));
      matvec(Al, o.y[l], true).forEach((v) => (scale = Math.max(scale, Math.abs(v))));
    });
    for (const v of g) expect(Math.abs(v)).toBeLessThan(1e-11 * scale);
  });

  test('p·m < n: the minimum-norm solution, rank p·m', () => {
    const { observation: o } = generateInstance(blindCalibration, { n: 30, m: 8, p: 2 }, [3]);
    const { x, rank, residual } = leastSquaresIgnoringGains(o.A, o.y);
    expect(rank).toBe(16);
    expect(residual).toBeLessThan(1e-10);
    // Minimum norm: the pseudo-inverse solution of the stacked system.
    const stack = Matrix.zeros(16, 30), rhs = new Float64Array(16);
    o.A.forEach((Al, l) => {
      stack.data.set(Al.data, l * 8 * 30);
      rhs.set(o.y[l], l * 8);
    });
    expect(rel(x, matvec(pinv(stack), rhs))).toBeLessThan(1e-10);
  });

  test('bad inputs are clear errors', () => {
    const A = [Matrix.zeros(4, 3), Matrix.zeros(4, 3)];
    expect(() => leastSquaresIgnoringGains(A, [new Float64Array(4)])).toThrow('leastSquaresIgnoringGains: y has 1 snapshots, A has 2 matrices');
    expect(() => leastSquaresIgnoringGains(A, [new Float64Array(4), new Float64Array(5)])).toThrow('leastSquaresIgnoringGains: y[1] has 5 entries, A[1] has 4 rows');
    expect(() => leastSquaresIgnoringGains([Matrix.zeros(4, 3), Matrix.zeros(4, 2)], [new Float64Array(4), new Float64Array(4)])).toThrow(
      'leastSquaresIgnoringGains: A[1] is 4x2, A[0] is 4x3',
    );
    expect(() => leastSquaresIgnoringGains([], [])).toThrow('leastSquaresIgnoringGains: A is empty; give at least one snapshot');
  });
});

describe('least squares ignoring gains on the quick preset (n = m = 64, p = 4, gains 1 ± 0.5)', () => {
  const service = solveService(createRegistry(allFamilies));
  const metric = primaryMetric(blindCalibration);

  test('is ok and beats the trivial answer (x = 0) on nmse_db', async () => {
    const { observation, truth } = generateInstance(blindCalibration, blindCalibration.presets.quick, ['quality', 'blind-calibration']);
    const { solution } = await service.solve(leastSquaresIgnoringGainsSolver as AnySolver, observation);
    const outcome = scoreSolution(blindCalibration, observation, truth, solution);
    const trivial = scoreSolution(blindCalibration, observation, truth, blindCalibration.trivialSolution!(observation));
    expect(outcome.status).toBe('ok');
    if (outcome.status !== 'ok' || trivial.status !== 'ok') return;
    expect(outcome.metrics[metric.id]).toBeLessThan(trivial.metrics[metric.id] - 3);
  });

  test('its error grows with the gain spread rho (the bias it ignores)', async () => {
    const nmse = async (rho: number) => {
      const { observation, truth } = generateInstance(blindCalibration, { ...blindCalibration.presets.quick, rho }, [7]);
      const { solution } = await service.solve(leastSquaresIgnoringGainsSolver as AnySolver, observation);
      const s = scoreSolution(blindCalibration, observation, truth, solution);
      return s.status === 'ok' ? s.metrics.nmse_db : NaN;
    };
    const [a, b, c] = [await nmse(0.1), await nmse(0.3), await nmse(0.9)];
    expect(a).toBeLessThan(b);
    expect(b).toBeLessThan(c);
  });
});
