import { describe, expect, test } from 'vitest';
import { Matrix, allFamilies, createRegistry, generateInstance, linearSystem, scoreSolution, solveService } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { redBlackGaussSeidel, redBlackGaussSeidelSolver } from '../src/index.js';
import { colourClasses } from '../src/solvers/red-black-gauss-seidel.js';
import { CdState } from '../src/internal/block-cd.js';

describeSolverConformance(redBlackGaussSeidelSolver, {
  instance: { grid: 8, count: 3 },
  invalidParams: [
    { params: { maxIterations: -1 }, message: 'params.maxIterations must be >= 0' },
    { params: { tol: 0 }, message: 'params.tol must be > 0' },
  ],
});

/** The g x g 5-point Poisson matrix (CSR), from the family's generator. */
const poisson2d = (g: number) => generateInstance(linearSystem, { variant: 'single', matrix: 'poisson', grid: g }, [1]).observation.Acsr!;

describe('red-black-gauss-seidel', () => {
  test('the greedy colouring of the 5-point grid is the red–black checkerboard', () => {
    const g = 5, H = poisson2d(g);
    const classes = colourClasses(new CdState({ sparse: H }, new Float64Array(g * g)));
    expect(classes.length).toBe(2);
    for (const [c, cls] of classes.entries()) for (const i of cls) expect((Math.floor(i / g) + (i % g)) % 2).toBe(c);
  });

  test('a diagonal system is one colour, solved exactly in one iteration', () => {
    const { x, iterations } = redBlackGaussSeidel({ A: Matrix.fromRows([[2, 0], [0, 5]]), b: new Float64Array([4, 5]) });
    expect([Array.from(x), iterations]).toEqual([[2, 1], 1]);
  });

  test('one red update of the 2 x 2 Poisson grid sets the red unknowns to b_i / 4 from x = 0', () => {
    const H = poisson2d(2), b = new Float64Array([4, 8, 12, 16]);
    const { x } = redBlackGaussSeidel({ Acsr: H, b }, { maxIterations: 1 });
    expect(Array.from(x)).toEqual([1, 0, 0, 4]);
  });

  test.each([
    ['Poisson', { variant: 'single', matrix: 'poisson', grid: 12 }],
    ['label propagation (paper 21 (b))', { variant: 'single', matrix: 'label-propagation', grid: 12 }],
    ['dense SPD (one unknown per colour: cyclic coordinate descent)', { variant: 'single', matrix: 'dense-spd', n: 20 }],
  ])('reaches the family tolerance: %s', async (_name, inst) => {
    const { observation, truth } = generateInstance(linearSystem, inst, [4]);
    const { solution } = await solveService(createRegistry(allFamilies)).solve(redBlackGaussSeidelSolver, observation, {}, { seed: [1] });
    expect(scoreSolution(linearSystem, observation, truth, solution)).toMatchObject({ status: 'ok' });
  });
});
