import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { allFamilies, createRegistry, generateInstance, matvec, solveService, sparseRegression, type SparseRegressionSolution } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import plugin, { omp, ompRegressionSolver } from '../src/index.js';
import { rel } from './helpers.js';

describeSolverConformance(ompRegressionSolver, {
  invalidParams: [
    { params: { k: 0 }, message: 'params.k must be >= 1 (got 0)' },
    { params: { tol: -1 }, message: 'params.tol must be >= 0' },
  ],
});

describe('baselines/omp-regression', () => {
  const service = solveService(createRegistry(allFamilies));

  test('is registered once, in the sparse-regression family', () => {
    expect(plugin.solvers.filter((s) => s.id === 'baselines/omp-regression')).toEqual([ompRegressionSolver]);
    expect(ompRegressionSolver.family.id).toBe('sparse-regression');
  });

  test('is the plain omp on (X, y) with k from the hint and tol = √N·noiseStd (same bits)', async () => {
    const { observation: o } = generateInstance(sparseRegression, { N: 60, d: 100, k: 5, noiseStd: 0.2 }, [1]);
    const { solution } = (await service.solve(ompRegressionSolver, o)) as { solution: SparseRegressionSolution };
    expect(Array.from(solution.w)).toEqual(Array.from(omp(o.X, o.y, { k: 5, tol: Math.sqrt(60) * 0.2 })));
    expect(solution.iterations).toBe(solution.w.filter((v) => v !== 0).length);
  });

  test('recovers a noiseless k-sparse model exactly in k steps', async () => {
    const { observation: o, truth } = generateInstance(sparseRegression, { N: 60, d: 100, k: 5, noiseStd: 0 }, [3]);
    const { solution } = (await service.solve(ompRegressionSolver, o)) as { solution: SparseRegressionSolution };
    expect(rel(solution.w, truth.w)).toBeLessThan(1e-10);
    expect(solution.iterations).toBe(5);
  });

  test('stops once the mean squared residual reaches tol; the residual is orthogonal to the chosen features', async () => {
    const { observation: o } = generateInstance(sparseRegression, { N: 60, d: 100, k: 5, noiseStd: 0 }, [3]);
    const { solution } = (await service.solve(ompRegressionSolver, o, { k: 30, tol: 1e-20 })) as { solution: SparseRegressionSolution };
    expect(solution.w.filter((v) => v !== 0).length).toBe(5);
    const { observation: n } = generateInstance(sparseRegression, { N: 50, d: 80, k: 6 }, [6]);
    const w = ((await service.solve(ompRegressionSolver, n, { k: 8, tol: 0 })) as { solution: SparseRegressionSolution }).solution.w;
    const fit = matvec(n.X, w);
    const g = matvec(n.X, n.y.map((v, i) => v - fit[i]), true);
    w.forEach((v, j) => v !== 0 && expect(Math.abs(g[j])).toBeLessThan(1e-9));
  });

  test('refuses the logistic loss', async () => {
    const { observation: l } = generateInstance(sparseRegression, { N: 20, d: 30, k: 2, loss: 'logistic' }, [1]);
    await expect(service.solve(ompRegressionSolver, l)).rejects.toThrow("baselines/omp-regression: observation.loss = 'logistic' is not supported");
  });

  test("the README's options table lists exactly the params schema", () => {
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const start = readme.indexOf('### `baselines/omp-regression`');
    expect(start).toBeGreaterThanOrEqual(0);
    const from = readme.indexOf('| option |', start);
    const table = readme.slice(from, readme.indexOf('\n\n', from));
    expect([...table.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]).sort()).toEqual(Object.keys(ompRegressionSolver.params.properties).sort());
  });
});
