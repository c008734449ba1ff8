import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Matrix, allFamilies, createRegistry, generateInstance, linearSystem, scoreSolution, solveService, stoppingResidual, type AnySolver } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { greedyBcd, greedyBcdSolver, gsBcdSolver, gsdBcdSolver, gslBcdSolver } from '../src/index.js';
import { topK } from '../src/internal/blocks.js';
import { denseQuadratic } from '../src/internal/quadratic.js';
import { greedyStep } from '../src/solvers/greedy-bcd.js';

/** A small instance of the paper's least-squares task (uneven column scales), to the family's gradient tolerance. */
const LS = { variant: 'least-squares', rows: 60, cols: 20, design: 'scaled', gradTol: 1e-8 } as const;
const invalidParams = [
  { params: { rule: 'gsx' }, message: 'params.rule' },
  { params: { blocks: 'random' }, message: 'params.blocks' },
  { params: { update: 'newton' }, message: 'params.update' },
  { params: { blockSize: 0 }, message: 'params.blockSize must be >= 1' },
  { params: { tol: 0 }, message: 'params.tol must be > 0' },
  { params: { gram: 'sometimes' }, message: 'params.gram' },
];
for (const solver of [greedyBcdSolver, gsBcdSolver, gslBcdSolver, gsdBcdSolver] as AnySolver[]) describeSolverConformance(solver, { instance: LS, invalidParams });

const service = solveService(createRegistry(allFamilies));
const ok = async (solver: AnySolver, inst: object, params: object = {}, seed = 1) => {
  const { observation, truth } = generateInstance(linearSystem, inst, [seed]);
  const { solution } = await service.solve(solver, observation, params, { seed: [seed] });
  return { outcome: scoreSolution(linearSystem, observation, truth, solution), observation, truth, solution: solution as { x?: Float64Array; iterations: number } };
};

describe('greedy-bcd', () => {
  test('one block of size n with a matrix update solves an SPD system in one step (exact block minimization)', () => {
    const { observation: o, truth } = generateInstance(linearSystem, { variant: 'single', matrix: 'dense-spd', n: 10 }, [3]);
    const { x, iterations, converged } = greedyBcd({ A: o.A!, b: o.b! }, { blockSize: 10, tol: 1e-12 });
    expect([iterations, converged]).toEqual([1, true]);
    x.forEach((v, i) => expect(v).toBeCloseTo(truth.xstar[0][i], 10));
  });

  test('gradient and diagonal updates on a diagonal system: the first GS step zeroes the largest gradient entry', () => {
    const A = Matrix.fromRows([
      [1, 0, 0],
      [0, 4, 0],
      [0, 0, 100],
    ]);
    const b = new Float64Array([1, 1, 30]);
    // g(0) = -b; GS picks |g| = 30 (coordinate 2), GSD picks g²/L: 1, 0.25, 9 -> also 2; gradient step -g/L = 0.3.
    const trace: number[] = [];
    greedyBcd({ A, b }, { rule: 'gs', blockSize: 1, update: 'gradient', maxIterations: 1, onIteration: (p) => trace.push(p.objective) });
    expect(trace[0]).toBeCloseTo(0.5 * 100 * 0.3 ** 2 - 30 * 0.3, 12);
    const gsd = greedyBcd({ A, b }, { rule: 'gsd', blockSize: 1, update: 'diagonal', tol: 1e-14 });
    expect(Array.from(gsd.x)).toEqual([1, 0.25, 0.3]);
    expect(gsd.iterations).toBe(3);
  });

  test('GSL prefers the block with the larger ||g_b||²/L_b where GS takes the larger ||g_b||', () => {
    // Two fixed blocks of one coordinate: g = (-3, -1), L = (100, 1): GS takes 0, GSL takes 1 (9/100 < 1/1).
    const H = Matrix.fromRows([
      [100, 0],
      [0, 1],
    ]);
    const first = (rule: 'gs' | 'gsl') => {
      const q = denseQuadratic(H, new Float64Array([3, 1]));
      greedyStep(q, { rule, blocks: 'fixed', update: 'gradient', blockSize: 1, lipschitz: 'eig', maxIterations: 0, gram: 'auto' })(1);
      return Array.from(q.x).map((v) => v !== 0);
    };
    expect(first('gs')).toEqual([true, false]);
    expect(first('gsl')).toEqual([false, true]);
  });

  test('topK returns the k largest scores, ties to the lower index', () => {
    const out = new Int32Array(3), vals = new Float64Array(3);
    expect(topK(new Float64Array([1, 5, 3, 5, 0, 2]), 3, out, vals)).toBe(3);
    expect(Array.from(out)).toEqual([1, 3, 2]);
    expect(topK(new Float64Array([7]), 3, out, vals)).toBe(1);
  });

  test.each([
    ['gs', 'fixed', 'gradient'],
    ['gsl', 'fixed', 'matrix'],
    ['gsd', 'fixed', 'diagonal'],
    ['gsq', 'fixed', 'matrix'],
    ['gs', 'variable', 'matrix'],
    ['gsd', 'variable', 'diagonal'],
    ['gsq', 'variable', 'matrix'],
    ['gsq', 'variable', 'gradient'],
  ] as const)('rule %s, %s blocks, %s updates reach the family tolerance', async (rule, blocks, update) => {
    const { outcome } = await ok(greedyBcdSolver, { variant: 'least-squares', rows: 80, cols: 24, gradTol: 1e-8 }, { rule, blocks, update, blockSize: 4, lipschitz: 'sum' });
    expect(outcome).toMatchObject({ status: 'ok' });
  });

  test.each([
    ['a Poisson sequence (CSR)', { grid: 4, count: 3 }],
    ['a nonsymmetric dense system (normal equations, square residual tested)', { variant: 'single', matrix: 'dense-general', n: 12 }],
    ['label propagation (CSR)', { variant: 'single', matrix: 'label-propagation', grid: 6 }],
    ['least squares without a tolerance (the default 1e-10)', { variant: 'least-squares', rows: 40, cols: 8 }],
  ])('solves %s', async (_name, inst) => {
    const { outcome } = await ok(greedyBcdSolver, inst);
    expect(outcome).toMatchObject({ status: 'ok' });
  });

  test('the residual form (no Gram matrix, gradient refreshed every ⌈n/τ⌉ steps) reaches the same solution', async () => {
    const a = await ok(greedyBcdSolver, LS, { gram: 'always' });
    const b = await ok(greedyBcdSolver, LS, { gram: 'never' });
    expect(b.outcome).toMatchObject({ status: 'ok' });
    b.solution.x!.forEach((v, i) => expect(v).toBeCloseTo(a.solution.x![i], 6));
  });

  test("rule 'gsl' with variable blocks is refused, naming the param", async () => {
    const { observation } = generateInstance(linearSystem, LS, [1]);
    await expect(service.solve(greedyBcdSolver, observation, { rule: 'gsl', blocks: 'variable' })).rejects.toThrow("params.rule = 'gsl' needs blocks: 'fixed'");
  });

  test('property: every rule converges on random SPD systems, and never increases f (exact block steps)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.constantFrom('gs', 'gsd', 'gsq'), fc.integer({ min: 1, max: 6 }), (seed, rule, tau) => {
        const { observation: o } = generateInstance(linearSystem, { variant: 'single', matrix: 'dense-spd', n: 15 }, [seed]);
        const f: number[] = [];
        const { x, converged } = greedyBcd({ A: o.A!, b: o.b! }, { rule, blockSize: tau, tol: 1e-10, onIteration: (p) => f.push(p.objective) });
        expect(converged).toBe(true);
        expect(stoppingResidual({ A: o.A!, b: o.b! }, x, false)).toBeLessThanOrEqual(1e-10);
        for (let t = 1; t < f.length; t++) expect(f[t]).toBeLessThanOrEqual(f[t - 1] + 1e-12 * Math.abs(f[t - 1]));
      }),
      { numRuns: 25 },
    );
  });
});
