import { describe, expect, test } from 'vitest';
import { CsrMatrix, Matrix, createRng, generateInstance, linearSystem, scoreSolution, solveService, createRegistry, allFamilies, stoppingResidual } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { randomBcd, randomBcdSolver } from '../src/index.js';

describeSolverConformance(randomBcdSolver, {
  instance: { grid: 6, count: 3 },
  invalidParams: [
    { params: { blockSize: 0 }, message: 'params.blockSize must be >= 1' },
    { params: { sampling: 'greedy' }, message: 'params.sampling' },
    { params: { update: 'newton' }, message: 'params.update' },
    { params: { tol: 0 }, message: 'params.tol must be > 0' },
  ],
});

const single = (params: object, seed = 1) => generateInstance(linearSystem, { variant: 'single', ...params }, [seed]);

describe('random-bcd', () => {
  test('on a diagonal system each coordinate step is exact: done once every coordinate was drawn', () => {
    const A = Matrix.fromRows([
      [2, 0, 0],
      [0, 4, 0],
      [0, 0, 8],
    ]);
    const { x, iterations } = randomBcd({ A, b: new Float64Array([2, 2, 2]) }, { tol: 1e-14 });
    expect(Array.from(x)).toEqual([1, 0.5, 0.25]);
    expect(iterations).toBeGreaterThanOrEqual(3);
  });

  test('one block of size n with matrix updates solves an SPD system in one step', () => {
    const { observation: o, truth } = single({ matrix: 'dense-spd', n: 12 });
    const { x, iterations } = randomBcd({ A: o.A!, b: o.b! }, { blockSize: 12, update: 'matrix', tol: 1e-12 });
    expect(iterations).toBe(1);
    x.forEach((v, i) => expect(v).toBeCloseTo(truth.xstar[0][i], 10));
  });

  test.each([
    ['dense SPD, blocks of 4, Lipschitz sampling', { variant: 'single', matrix: 'dense-spd', n: 40 }, { blockSize: 4, sampling: 'lipschitz' }],
    ['CSR Poisson, coordinate descent', { variant: 'single', matrix: 'poisson', grid: 6 }, {}],
    ['nonsymmetric dense, via the normal equations', { variant: 'single', matrix: 'dense-general', n: 10 }, { blockSize: 2, update: 'matrix' }],
    ['least squares to gradTol', { variant: 'least-squares', rows: 60, cols: 12, design: 'scaled', gradTol: 1e-8 }, { blockSize: 3, update: 'matrix' }],
  ])('reaches the family tolerance: %s', async (_name, inst, params) => {
    const { observation, truth } = generateInstance(linearSystem, inst, [2]);
    const { solution } = await solveService(createRegistry(allFamilies)).solve(randomBcdSolver, observation, params, { seed: [3] });
    expect(scoreSolution(linearSystem, observation, truth, solution)).toMatchObject({ status: 'ok' });
  });

  test('the same rng gives the same iterate; another seed another path to the same solution', () => {
    const { observation: o } = single({ matrix: 'poisson', grid: 5 });
    const run = (seed: number) => randomBcd({ Acsr: o.Acsr!, b: o.b! }, { rng: createRng(seed), tol: 1e-9 });
    const a = run(1), b = run(1), c = run(2);
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(a.iterations).not.toBe(c.iterations);
    expect(stoppingResidual({ Acsr: o.Acsr!, b: o.b! }, c.x, false)).toBeLessThanOrEqual(1e-9);
  });

  test('Lipschitz sampling draws blocks in proportion to L_b, uniform sampling evenly', () => {
    // Two uncoupled coordinates with L = 1 and 9: after one step, x tells which one was drawn.
    const A = CsrMatrix.fromDense(Matrix.fromRows([[1, 0], [0, 9]]));
    const share = (sampling: 'uniform' | 'lipschitz') => {
      let second = 0;
      for (let s = 0; s < 400; s++) if (randomBcd({ Acsr: A, b: new Float64Array([1, 1]) }, { sampling, rng: createRng(s), maxIterations: 1 }).x[1] !== 0) second++;
      return second / 400;
    };
    expect(share('lipschitz')).toBeCloseTo(0.9, 1);
    expect(share('uniform')).toBeCloseTo(0.5, 1);
  });
});
