import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  CsrMatrix,
  Matrix,
  allFamilies,
  createRegistry,
  createRng,
  csrMatvec,
  generateInstance,
  linearSystem,
  matvec,
  primaryMetric,
  scoreSolution,
  solve,
  solveService,
  stoppingResidual,
  type LinearSystemObservation,
  type LinearSystemSolution,
  type ScoreOutcome,
} from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { conjugateGradient, conjugateGradientSolver, projectedWarmStart } from '../src/solvers/conjugate-gradient.js';
import { jacobi, jacobiSolver } from '../src/solvers/jacobi.js';
import { qrLeastSquares, qrLeastSquaresSolver, solveQrLeastSquares } from '../src/solvers/qr-least-squares.js';
import { modelProblemOmega, sor, sorSolver } from '../src/solvers/sor.js';
import { npyMatrix, npyVector, rel } from './helpers.js';

const sequence = { grid: 8, count: 3 };
describeSolverConformance(conjugateGradientSolver, {
  instance: sequence,
  invalidParams: [
    { params: { warmStart: 'recycle' }, message: 'params.warmStart' },
    { params: { tol: 0 }, message: 'params.tol must be > 0' },
    { params: { maxIterations: -1 }, message: 'params.maxIterations must be >= 0' },
  ],
});
describeSolverConformance(jacobiSolver, {
  instance: sequence,
  invalidParams: [
    { params: { omega: 1.5 }, message: 'params.omega must be <= 1' },
    { params: { omega: 0 }, message: 'params.omega must be > 0' },
  ],
});
describeSolverConformance(sorSolver, {
  instance: sequence,
  invalidParams: [
    { params: { omega: 2 }, message: 'params.omega must be < 2' },
    { params: { maxIterations: 0.5 }, message: 'params.maxIterations' },
  ],
});
describeSolverConformance(qrLeastSquaresSolver, {
  instance: { variant: 'least-squares', rows: 60, cols: 8 },
  invalidParams: [
    { params: { rcond: -1 }, message: 'params.rcond must be >= 0' },
    { params: { refinements: 6 }, message: 'params.refinements must be <= 5' },
  ],
});

const service = solveService(createRegistry(allFamilies));
const single = (params: object, seed = 1) => generateInstance(linearSystem, { variant: 'single', ...params }, ['iterative', seed]);
/** The family's g x g Poisson system (CSR) with its exact solution. */
const poisson = (g: number) => {
  const { observation: o, truth } = single({ matrix: 'poisson', grid: g });
  return { system: { Acsr: o.Acsr!, b: o.b! }, xstar: truth.xstar[0] };
};
/** The g x g 5-point Laplacian plus shift·I (CSR), from the family's generator. */
const poisson2d = (g: number, shift = 0): CsrMatrix => {
  const A = single({ matrix: 'poisson', grid: g }).observation.Acsr!;
  const data = A.data.slice();
  for (let i = 0; i < g * g; i++) for (let t = A.indptr[i]; t < A.indptr[i + 1]; t++) if (A.indices[t] === i) data[t] += shift;
  return { ...A, data };
};
/** The metrics of an ok outcome (the reason of an invalid one, thrown). */
const metricsOf = (o: ScoreOutcome): Record<string, number> => {
  if (o.status !== 'ok') throw new Error(`invalid: ${o.reason}`);
  return o.metrics;
};
const relResidual = (A: CsrMatrix | Matrix, b: Float64Array, x: Float64Array) => stoppingResidual('indptr' in A ? { Acsr: A, b } : { A, b }, x, false);

describe('conjugate-gradient', () => {
  test('solves a 2 x 2 SPD system in at most 2 steps', () => {
    const { x, iterations } = conjugateGradient({ A: Matrix.fromRows([[4, 1], [1, 3]]), b: new Float64Array([1, 2]) }, { tol: 1e-14 });
    expect(iterations).toBeLessThanOrEqual(2);
    expect(x[0]).toBeCloseTo(1 / 11, 14);
    expect(x[1]).toBeCloseTo(7 / 11, 14);
  });

  test.each([8, 16, 32])('reaches relative residual 1e-10 on the Poisson grid of side %i within the √κ bound, in O(√n) rather than n steps', (g) => {
    const { system, xstar } = poisson(g);
    const { x, iterations, residual } = conjugateGradient(system, { tol: 1e-10 });
    expect(residual).toBeLessThanOrEqual(1e-10);
    expect(relResidual(system.Acsr, system.b, x)).toBeLessThanOrEqual(1e-10);
    expect(rel(x, xstar)).toBeLessThan(1e-9);
    // ‖r_k‖/‖r_0‖ <= 2√κ((√κ − 1)/(√κ + 1))^k with κ = (1 + cos πh)/(1 − cos πh).
    const c = Math.cos(Math.PI / (g + 1)), sk = Math.sqrt((1 + c) / (1 - c));
    const bound = Math.ceil(Math.log((2 * sk) / 1e-10) / Math.log((sk + 1) / (sk - 1)));
    expect(iterations).toBeLessThanOrEqual(bound);
    expect(iterations).toBeLessThanOrEqual(5 * (g + 1));
  });

  test('converges on random SPD systems GGᵀ + I to the LU solution', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.nat(), (n, seed) => {
        const G = Matrix.zeros(n, n);
        createRng(seed).fillNormal(G.data);
        const A = Matrix.zeros(n, n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) A.data[i * n + j] += G.data[i * n + k] * G.data[j * n + k];
        for (let i = 0; i < n; i++) A.data[i * n + i] += 1;
        const b = createRng(seed + 1).fillNormal(new Float64Array(n));
        const { x, iterations } = conjugateGradient({ A, b }, { tol: 1e-12 });
        expect(relResidual(A, b, x)).toBeLessThanOrEqual(1e-12);
        expect(iterations).toBeLessThanOrEqual(3 * n);
        expect(rel(x, solve(A, b))).toBeLessThan(1e-9);
      }),
      { seed: 1, numRuns: 20 },
    );
  });

  test('the projected warm start is never farther from x* in the A-norm than 0, and is exact from x* itself', () => {
    const { observation: o, truth } = generateInstance(linearSystem, { grid: 8, count: 10 }, ['iterative', 3]);
    const aNorm2 = (A: CsrMatrix, v: Float64Array) => v.reduce((s, vi, i) => s + vi * csrMatvec(A, v)[i], 0);
    for (let t = 1; t < 10; t++) {
      const s = o.sequence![t], xs = truth.xstar[t];
      const x0 = projectedWarmStart(s, truth.xstar[t - 1]);
      expect(aNorm2(s.Acsr!, x0.map((v, i) => v - xs[i]))).toBeLessThanOrEqual(aNorm2(s.Acsr!, xs) * (1 + 1e-12));
      expect(conjugateGradient(s, { x0: projectedWarmStart(s, xs), tol: 1e-8 }).iterations).toBe(0);
    }
  });

  test("solves the family's quick preset (50 shifted 32 x 32 Poisson systems) with every residual below tol", async () => {
    const family = linearSystem;
    const { observation, truth } = generateInstance(family, family.presets.quick, ['iterative', 1]);
    const { solution, trace } = await service.solve(conjugateGradientSolver, observation, {}, { seed: [1] });
    const score = scoreSolution(family, observation, truth, solution);
    expect(score.status).toBe('ok');
    expect(primaryMetric(family).id).toBe('iterations');
    // About √κ·ln(2/tol)/2 per system: far below n = 1024 each.
    expect(metricsOf(score).iterations).toBeLessThan(50 * 200);
    expect(trace.at(-1)!.iteration).toBe((solution as LinearSystemSolution).iterations);
  });

  test('goes through the normal equations (CGLS) for least squares to gradTol and for a nonsymmetric system', async () => {
    for (const params of [{ variant: 'least-squares', rows: 120, cols: 20, design: 'scaled', gradTol: 1e-8 }, { variant: 'single', matrix: 'dense-general', n: 40 }]) {
      const { observation, truth } = generateInstance(linearSystem, params, ['iterative', 4]);
      const { solution } = await service.solve(conjugateGradientSolver, observation, {}, { seed: [1] });
      expect(scoreSolution(linearSystem, observation, truth, solution).status).toBe('ok');
    }
  });

  test('an indefinite symmetric matrix is reported, not iterated on', () => {
    expect(() => conjugateGradient({ A: Matrix.fromRows([[1, 0], [0, -1]]), b: new Float64Array([1, 1]) })).toThrow(
      "conjugateGradient: pᵀAp = 0 at iteration 1; A is not positive definite (use method 'cgls')",
    );
  });
});

describe('jacobi', () => {
  test('solves a diagonal system exactly in one sweep', () => {
    const { x, iterations } = jacobi({ A: Matrix.fromRows([[2, 0], [0, 4]]), b: new Float64Array([2, 2]) });
    expect([Array.from(x), iterations]).toEqual([[1, 0.5], 1]);
  });

  test('converges on strictly diagonally dominant systems, dense or CSR, to the LU solution', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 25 }), fc.nat(), fc.boolean(), (n, seed, sparse) => {
        const rng = createRng(seed);
        const A = Matrix.zeros(n, n);
        rng.fillNormal(A.data);
        for (let i = 0; i < n; i++) {
          let off = 0;
          for (let j = 0; j < n; j++) if (j !== i) off += Math.abs(A.data[i * n + j]);
          A.data[i * n + i] = (rng.uniform() < 0.5 ? -1 : 1) * (1.2 * off + 0.1);
        }
        const b = rng.fillNormal(new Float64Array(n));
        const { x, converged } = jacobi(sparse ? { Acsr: CsrMatrix.fromDense(A), b } : { A, b }, { tol: 1e-12 });
        expect(converged).toBe(true);
        expect(relResidual(A, b, x)).toBeLessThanOrEqual(1e-12);
        expect(rel(x, solve(A, b))).toBeLessThan(1e-9);
      }),
      { seed: 1, numRuns: 20 },
    );
  });

  test('needs about ln(tol)/ln(cos πh) sweeps on the Poisson grid (ρ = cos πh)', () => {
    for (const g of [8, 16]) {
      const { system } = poisson(g);
      const { iterations, converged } = jacobi(system, { tol: 1e-8 });
      const theory = Math.log(1e-8) / Math.log(Math.cos(Math.PI / (g + 1)));
      expect(converged).toBe(true);
      expect(iterations).toBeGreaterThan(0.5 * theory);
      expect(iterations).toBeLessThan(1.2 * theory);
    }
  });

  test('a divergent iteration stops with a clear error instead of running to the cap', () => {
    // Symmetric positive definite but not diagonally dominant: the Jacobi matrix has radius 2.
    const A = Matrix.fromRows([[1, 0.75, 0.75], [0.75, 1, 0.75], [0.75, 0.75, 1]]);
    expect(() => jacobi({ A, b: new Float64Array([1, 2, 3]) })).toThrow('jacobi: the iteration diverges');
  });

  test('skips the least-squares variant (Jacobi and SOR), naming the alternatives', async () => {
    const { observation } = generateInstance(linearSystem, { variant: 'least-squares', rows: 30, cols: 5 }, [1]);
    for (const solver of [jacobiSolver, sorSolver]) {
      await expect(service.solve(solver, observation)).rejects.toMatchObject({
        code: 'PARSIMONY_UNSUPPORTED',
        message: expect.stringContaining('for least squares use baselines/qr-least-squares or baselines/conjugate-gradient (CGLS)'),
      });
    }
  });
});

describe('sor', () => {
  test("recognises the (shifted) 5-point Laplacian and gives Young's ω = 2/(1 + sin πh) for it", () => {
    expect(modelProblemOmega(poisson2d(32))).toBeCloseTo(2 / (1 + Math.sin(Math.PI / 33)), 14);
    // A shift c: ρ_J = 4cos(πh)/(4 + c).
    const rho = (4 * Math.cos(Math.PI / 11)) / 4.5;
    expect(modelProblemOmega(poisson2d(10, 0.5))).toBeCloseTo(2 / (1 + Math.sqrt(1 - rho * rho)), 14);
    expect(modelProblemOmega(single({ matrix: 'label-propagation', grid: 6 }).observation.Acsr!)).toBeUndefined();
    expect(modelProblemOmega(CsrMatrix.fromDense(Matrix.eye(6)))).toBeUndefined();
  });

  test('ω = 1 (Gauss–Seidel) solves a lower triangular system in one sweep', () => {
    const A = Matrix.fromRows([[2, 0, 0], [1, 4, 0], [0, 1, 5]]);
    const { x, iterations } = sor({ A, b: new Float64Array([2, 5, 6]) }, { omega: 1, tol: 1e-14 });
    expect([Array.from(x), iterations]).toEqual([[1, 1, 1], 1]);
  });

  test('the residual it stops on (from the sweep, without a product) equals b − Ax recomputed, dense or CSR, sorted or not', () => {
    const { system } = poisson(12);
    const dense = single({ matrix: 'dense-spd', n: 30 }).observation;
    // The same Poisson matrix with each row's entries stored in decreasing column order.
    const { indptr, indices, data } = system.Acsr;
    const order = Int32Array.from({ length: data.length }, (_, t) => {
      const i = indptr.findIndex((p, k) => p <= t && t < indptr[k + 1]);
      return indptr[i] + indptr[i + 1] - 1 - t;
    });
    const reversed: CsrMatrix = { ...system.Acsr, indices: order.map((t) => indices[t]), data: Float64Array.from(order, (t) => data[t]) };
    for (const [A, b] of [[system.Acsr, system.b], [reversed, system.b], [dense.A!, dense.b!]] as const) {
      for (const omega of [0.7, 1, 1.6]) {
        const r = sor('indptr' in A ? { Acsr: A, b } : { A, b }, { omega, maxIterations: 3 });
        expect(r.iterations).toBe(3);
        expect(r.residual).toBeCloseTo(relResidual(A, b, r.x), 12);
      }
    }
  });

  test('on the Poisson grid, Gauss–Seidel needs half of Jacobi\'s sweeps and SOR with Young\'s ω converges at rate ω − 1', () => {
    const g = 16, { system, xstar } = poisson(g);
    const jac = jacobi(system, { tol: 1e-8 }).iterations;
    const gs = sor(system, { omega: 1, tol: 1e-8 }).iterations;
    const res: number[] = [];
    const opt = sor(system, { tol: 1e-8, onIteration: (p) => res.push(p.residual) });
    expect(gs / jac).toBeGreaterThan(0.35);
    expect(gs / jac).toBeLessThan(0.65);
    expect(opt.iterations).toBeLessThan(gs / 4);
    expect(rel(opt.x, xstar)).toBeLessThan(1e-6);
    const rate = Math.pow(res.at(-1)! / res.at(-11)!, 1 / 10);
    expect(rate).toBeCloseTo(modelProblemOmega(system.Acsr)! - 1, 1);
  });

  test('on a sequence of shifted Poisson systems CG needs fewer iterations than SOR, and SOR far fewer than Jacobi', async () => {
    const { observation, truth } = generateInstance(linearSystem, { grid: 16, count: 6 }, ['iterative', 5]);
    const its = [];
    for (const solver of [conjugateGradientSolver, sorSolver, jacobiSolver]) {
      const { solution } = await service.solve(solver, observation, {}, { seed: [1] });
      const score = scoreSolution(linearSystem, observation, truth, solution);
      expect(score.status).toBe('ok');
      its.push(metricsOf(score).iterations);
    }
    expect(its[0]).toBeLessThan(its[1]);
    expect(its[1] * 10).toBeLessThan(its[2]);
  });

  test('a zero on the diagonal is refused', () => {
    expect(() => sor({ A: Matrix.fromRows([[0, 1], [1, 0]]), b: new Float64Array([1, 1]) })).toThrow('sor: A[0][0] = 0; the diagonal must be nonzero and finite');
  });
});

describe('qr-least-squares', () => {
  const cases = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'iterative', 'fixtures.json'), 'utf8')).cases;
  test.each(['tall', 'scaled', 'square', 'rank_deficient'])('matches numpy.linalg.lstsq to 1e-10: %s', (name) => {
    const c = cases[`lstsq_${name}`];
    const { x, rank } = qrLeastSquares(npyMatrix(c.A), npyVector(c.b));
    expect(rank).toBe(c.rank);
    expect(rel(x, npyVector(c.x))).toBeLessThan(1e-10);
  });

  test.each([
    ['gaussian, no tolerance', { variant: 'least-squares', rows: 300, cols: 20 }],
    ['scaled columns to gradTol 1e-10', { variant: 'least-squares', rows: 200, cols: 40, design: 'scaled', gradTol: 1e-10 }],
    ['coherent (x* = x_true)', { variant: 'least-squares', rows: 200, cols: 16, design: 'coherent' }],
    ['a square nonsymmetric system', { variant: 'single', matrix: 'dense-general', n: 50 }],
    ['a CSR Poisson system, densified', { variant: 'single', matrix: 'poisson', grid: 10 }],
  ])('reaches x* on %s', async (_name, params) => {
    const { observation, truth } = generateInstance(linearSystem, params, ['iterative', 6]);
    const { solution } = await service.solve(qrLeastSquaresSolver, observation, {}, { seed: [1] });
    const score = scoreSolution(linearSystem, observation, truth, solution);
    expect(score.status).toBe('ok');
    expect(metricsOf(score).linf_err).toBeLessThan(1e-10 * Math.max(1, ...truth.xstar[0].map(Math.abs)));
    expect((solution as LinearSystemSolution).iterations).toBe(observation.A?.cols ?? observation.Acsr!.cols);
  });

  test('skips a sequence, pointing to the iterative solvers; called directly, it refuses one naming observation.kind', async () => {
    const { observation } = generateInstance(linearSystem, sequence, [1]);
    await expect(service.solve(qrLeastSquaresSolver, observation as LinearSystemObservation)).rejects.toMatchObject({
      code: 'PARSIMONY_UNSUPPORTED',
      message: expect.stringContaining('use baselines/conjugate-gradient for sequences'),
    });
    expect(() => solveQrLeastSquares(observation as LinearSystemObservation, { rcond: 1e-12, refinements: 2 } as never, { signal: new AbortController().signal } as never)).toThrow(
      "baselines/qr-least-squares: observation.kind = 'sequence' is not supported",
    );
  });

  test('a wide A is refused with its shape', () => {
    expect(() => qrLeastSquares(Matrix.zeros(2, 3), new Float64Array(2))).toThrow('qrLeastSquares: A is 2x3; least squares by QR needs rows >= cols');
  });

  test('matvec of the solution reproduces b on a consistent system', () => {
    const A = Matrix.fromRows([[1, 0], [0, 1], [1, 1]]);
    const { x } = qrLeastSquares(A, new Float64Array([1, 2, 3]));
    expect(Array.from(matvec(A, x)).map((v) => +v.toFixed(12))).toEqual([1, 2, 3]);
  });
});
