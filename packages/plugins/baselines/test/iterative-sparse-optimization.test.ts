import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  Matrix,
  allFamilies,
  createRegistry,
  generateInstance,
  primaryMetric,
  prox1d,
  scoreSolution,
  solveService,
  sparseOptimization,
  sparseOptimizationObjective,
  type AnySolver,
  type ScoreOutcome,
  type SparseOptimizationObservation,
  type SparseOptimizationPenalty,
  type SparseOptimizationSolution,
} from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { Penalty } from '../src/internal/iterative.js';
import { cyclicCd, cyclicCdSolver } from '../src/solvers/cyclic-cd.js';
import { fistaPenalized, fistaPenalizedSolver } from '../src/solvers/fista-penalized.js';
import { proxGradient, proxGradientSolver } from '../src/solvers/prox-gradient.js';
import { npyMatrix, npyVector, rel } from './helpers.js';

/** A small instance for the kit (the quick preset's λ search takes a while). */
const small = { m: 40, n: 100, targetNonzeros: 5 };

describeSolverConformance(proxGradientSolver, {
  instance: small,
  invalidParams: [
    { params: { stepRule: 'armijo' }, message: 'params.stepRule' },
    { params: { tol: 0 }, message: 'params.tol must be > 0' },
    { params: { maxIterations: 0 }, message: 'params.maxIterations must be >= 1' },
  ],
});
describeSolverConformance(fistaPenalizedSolver, {
  instance: small,
  invalidParams: [
    { params: { restart: 'yes' }, message: 'params.restart' },
    { params: { stepRule: 'armijo' }, message: 'params.stepRule' },
    { params: { maxIterations: 0 }, message: 'params.maxIterations must be >= 1' },
  ],
});
describeSolverConformance(cyclicCdSolver, {
  instance: small,
  invalidParams: [
    { params: { tol: -1 }, message: 'params.tol must be > 0' },
    { params: { maxIterations: 1.5 }, message: 'params.maxIterations' },
  ],
});

type Plain = (problem: SparseOptimizationObservation, penalty: SparseOptimizationPenalty, options: { tol?: number; maxIterations?: number; onIteration?: (p: { objective: number }) => void }) => {
  x: Float64Array;
  iterations: number;
  objective: number;
};
const plain: readonly [string, Plain][] = [
  ['prox-gradient', proxGradient],
  ['fista-penalized', fistaPenalized],
  ['fista-penalized with restart', (p, pen, o) => fistaPenalized(p, pen, { ...o, restart: true })],
  ['prox-gradient with backtracking', (p, pen, o) => proxGradient(p, pen, { ...o, stepRule: 'backtracking' })],
  ['cyclic-cd', cyclicCd],
];
const solvers: readonly AnySolver[] = [proxGradientSolver, fistaPenalizedSolver, cyclicCdSolver];

/** An observation with A = I (m = n = 3): every penalized problem separates into the scalar proximal maps. */
const identity = (b: number[], penalty: SparseOptimizationPenalty): SparseOptimizationObservation => ({ A: Matrix.eye(3), b: Float64Array.from(b), penalty, tol: 1e-12 });

/** The metrics of an ok outcome (the reason of an invalid one, thrown). */
const metricsOf = (o: ScoreOutcome): Record<string, number> => {
  if (o.status !== 'ok') throw new Error(`invalid: ${o.reason}`);
  return o.metrics;
};

/** rel_gap of x on an instance. */
const relGap = (o: SparseOptimizationObservation, Fstar: number, x: Float64Array) => (sparseOptimizationObjective(o, x) - Fstar) / Math.max(Math.abs(Fstar), 1);

describe('the penalty', () => {
  test("the closed-form proximal maps agree with core's exact prox1d for every penalty and curvature", () => {
    fc.assert(
      fc.property(
        fc.constantFrom('l1', 'scad', 'mcp'),
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.double({ min: 0.05, max: 20, noNaN: true }),
        fc.double({ min: 0.01, max: 3, noNaN: true }),
        fc.double({ min: 1.05, max: 6, noNaN: true }),
        (kind, z, v, lambda, s) => {
          const spec: SparseOptimizationPenalty = { kind, lambda, ...(kind !== 'l1' && { shape: kind === 'scad' ? s + 1 : s }) };
          expect(new Penalty('test', spec).prox(z, v)).toBeCloseTo(prox1d(spec, z, v), 12);
        },
      ),
      { seed: 1, numRuns: 200 },
    );
  });

  test('an unknown penalty kind is refused with the supported list', () => {
    const o = identity([1, 2, 3], { kind: 'l0' as 'l1', lambda: 1 });
    expect(() => proxGradient(o, o.penalty)).toThrow("proxGradient: penalty.kind = 'l0' is not supported; use 'l1', 'scad' or 'mcp'");
  });

  test('a SCAD shape a <= 2 is refused naming the field', () => {
    const o = identity([1, 2, 3], { kind: 'scad', lambda: 1, shape: 1.5 });
    expect(() => cyclicCd(o, o.penalty)).toThrow('cyclicCd: penalty.shape = 1.5 must be > 2 for SCAD (default 3.7)');
  });
});

describe('hand-worked problems with A = I', () => {
  // F separates: x_j = argmin ½(x − b_j)² + p(|x|), the scalar proximal map at curvature 1.
  test.each([
    ['l1 (soft thresholding)', { kind: 'l1', lambda: 1 }, [3, -0.5, 1.5], [2, 0, 0.5]],
    ['SCAD a = 3.7 (its three pieces)', { kind: 'scad', lambda: 1, shape: 3.7 }, [3, 1.5, -5], [4.4 / 1.7, 0.5, -5]],
    ['MCP γ = 3 (firm thresholding)', { kind: 'mcp', lambda: 1, shape: 3 }, [3.5, 2, -0.5], [3.5, 1.5, 0]],
  ] as const)('cyclic-cd solves %s exactly in one sweep', (_name, penalty, b, x) => {
    const o = identity([...b], penalty);
    const res = cyclicCd(o, penalty, { tol: 1e-12 });
    expect(res.iterations).toBe(1);
    Array.from(res.x).forEach((v, j) => expect(v).toBeCloseTo(x[j], 14));
  });

  test.each(plain)('%s reaches the soft-thresholded b', (_name, solve) => {
    const o = identity([3, -0.5, 1.5], { kind: 'l1', lambda: 1 });
    const { x } = solve(o, o.penalty, { tol: 1e-12 });
    Array.from(x).forEach((v, j) => expect(v).toBeCloseTo([2, 0, 0.5][j], 9));
  });
});

describe('against scikit-learn', () => {
  const ref = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'iterative', 'fixtures.json'), 'utf8')).cases.lasso;
  const o: SparseOptimizationObservation = { A: npyMatrix(ref.A), b: npyVector(ref.b), penalty: { kind: 'l1', lambda: ref.lambda }, tol: 1e-12 };
  const xRef = npyVector(ref.x);
  test.each(plain)("%s matches Lasso(alpha = λ/m) to 1e-6 with the same objective", (_name, solve) => {
    const { x, objective } = solve(o, o.penalty, { tol: 1e-12 });
    expect(rel(x, xRef)).toBeLessThan(1e-6);
    expect(Math.abs(objective - ref.objective) / ref.objective).toBeLessThan(1e-10);
  });
});

describe("on the family's quick preset (l1, A 200 x 500, 20 nonzeros)", () => {
  const family = sparseOptimization;
  const { observation: o, truth } = generateInstance(family, family.presets.quick, ['iterative', 1]);
  const service = solveService(createRegistry(allFamilies));
  const metric = primaryMetric(family).id;
  const trivial = metricsOf(scoreSolution(family, o, truth, family.trivialSolution!(o)))[metric];

  test.each(solvers)('$id is ok, reaches the reference optimum to the tolerance and beats the trivial x = 0', async (solver) => {
    const { solution: raw, trace } = await service.solve(solver, o, {}, { seed: [1] });
    const solution = raw as SparseOptimizationSolution;
    const score = scoreSolution(family, o, truth, solution);
    expect(score.status).toBe('ok');
    expect(metricsOf(score)[metric]).toBeLessThanOrEqual(o.tol);
    expect(metricsOf(score)[metric]).toBeLessThan(trivial);
    // One trace point per iteration, objective first.
    expect(trace.length).toBe(solution.iterations);
    expect(trace.at(-1)!.objective).toBeCloseTo(sparseOptimizationObjective(o, solution.x), 10);
  });

  test.each([
    ['prox-gradient', plain[0][1]],
    ['cyclic-cd', plain[4][1]],
    ['prox-gradient with backtracking', plain[3][1]],
  ] as const)('the objective of %s never increases', (_name, solve) => {
    const F: number[] = [];
    solve(o, o.penalty, { tol: 1e-9, onIteration: (p) => F.push(p.objective) });
    for (let k = 1; k < F.length; k++) expect(F[k]).toBeLessThanOrEqual(F[k - 1] * (1 + 1e-14));
  });

  test("FISTA's gap is at most ISTA's at equal iterations until ISTA reaches the tolerance, and restarting only helps", () => {
    const gaps = (solve: Plain) => {
      const g: number[] = [];
      solve(o, o.penalty, { tol: 1e-300, maxIterations: 150, onIteration: (p) => g.push((p.objective - truth.Fstar) / Math.max(1, Math.abs(truth.Fstar))) });
      return g;
    };
    const ista = gaps(plain[0][1]), fista = gaps(plain[1][1]), restart = gaps(plain[2][1]);
    const reached = ista.findIndex((g) => g <= o.tol);
    expect(reached).toBeGreaterThan(20);
    for (let k = 0; k <= reached; k++) expect(fista[k]).toBeLessThanOrEqual(ista[k] * (1 + 1e-12));
    // Past 1e-12 the gaps are rounding.
    for (let k = 0; k < 150; k++) if (fista[k] > 1e-12) expect(restart[k]).toBeLessThanOrEqual(fista[k] * (1 + 1e-12));
    // Where the acceleration shows: ten times smaller after 30 steps.
    expect(fista[29]).toBeLessThan(ista[29] / 10);
  });

  test('to the tolerance, restarted FISTA takes fewer steps than ISTA and cyclic CD fewer sweeps than either', () => {
    const its = plain.map(([, solve]) => solve(o, o.penalty, { tol: o.tol }).iterations);
    const [ista, , restart, , cd] = its;
    expect(restart).toBeLessThan(ista / 2);
    expect(cd).toBeLessThan(restart);
  });
});

describe('other forms and penalties', () => {
  test.each([
    ['SCAD', { m: 100, n: 250, targetNonzeros: 10, penalty: 'scad' }],
    ['MCP', { m: 100, n: 250, targetNonzeros: 10, penalty: 'mcp' }],
    ['the quadratic form (label propagation, paper 21 (b))', { form: 'quadratic', n: 400 }],
    ['uneven column scales, λ = 0.1 λ_max (paper 21 (c), smaller)', { m: 200, n: 80, columnScales: 'lognormal', lambdaRatio: 0.1, snrDb: -40, tol: 1e-10 }],
  ])('each baseline reaches the reference minimum on %s', (_name, params) => {
    const { observation: o, truth } = generateInstance(sparseOptimization, params, ['iterative', 2]);
    for (const [name, solve] of plain) {
      const { x } = solve(o, o.penalty, { tol: o.tol });
      expect(Math.abs(relGap(o, truth.Fstar, x)), name).toBeLessThanOrEqual(1e-6);
    }
  });
});

describe('bad input', () => {
  test('b of the wrong length is named with both sizes', () => {
    const o: SparseOptimizationObservation = { A: Matrix.zeros(4, 3), b: new Float64Array(3), penalty: { kind: 'l1', lambda: 1 }, tol: 1e-6 };
    expect(() => proxGradient(o, o.penalty)).toThrow('proxGradient: b has 3 entries, A has 4 rows');
  });

  test('giving both forms is refused', () => {
    const o = { ...identity([1, 2, 3], { kind: 'l1', lambda: 1 }), c: new Float64Array(3) };
    expect(() => fistaPenalized(o, o.penalty)).toThrow('fistaPenalized: give either A and b (least-squares form) or H and c (quadratic form), not both or neither');
  });

  test('λ >= ‖Aᵀb‖∞ gives x = 0 after one step, certified', () => {
    const o = identity([1, -2, 0.5], { kind: 'l1', lambda: 2 });
    for (const [, solve] of plain) {
      const { x, iterations } = solve(o, o.penalty, { tol: 1e-12 });
      expect([Array.from(x), iterations]).toEqual([[0, 0, 0], 1]);
    }
  });
});
