import { describe, expect, test } from 'vitest';
import { allFamilies, createRegistry, generateInstance, primaryMetric, scoreSolution, solveService, type AnySolver } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import plugin, {
  cosampSolver,
  fistaSolver,
  forwardStepwiseSolver,
  ihtSolver,
  istaSolver,
  lassoSolver,
  ompSolver,
  ridgeSolver,
  sblSolver,
} from '../src/index.js';

describeSolverConformance(ompSolver, {
  invalidParams: [
    { params: { k: 0 }, message: 'params.k must be >= 1 (got 0)' },
    { params: { tol: -1 }, message: 'params.tol must be >= 0' },
  ],
});
describeSolverConformance(cosampSolver, {
  invalidParams: [
    { params: { k: 0 }, message: 'params.k must be >= 1 (got 0)' },
    { params: { maxIter: 0 }, message: 'params.maxIter must be >= 1' },
    { params: { tol: -1 }, message: 'params.tol must be >= 0' },
  ],
});
describeSolverConformance(ihtSolver, {
  invalidParams: [
    { params: { k: 1.5 }, message: 'params.k' },
    { params: { maxIter: 0 }, message: 'params.maxIter must be >= 1' },
  ],
});
describeSolverConformance(istaSolver, {
  invalidParams: [
    { params: { lambda: -1 }, message: 'params.lambda must be >= 0' },
    { params: { tol: -1 }, message: 'params.tol must be >= 0' },
  ],
});
describeSolverConformance(fistaSolver, {
  invalidParams: [
    { params: { lambda: -1 }, message: 'params.lambda must be >= 0' },
    { params: { monotone: 'yes' }, message: 'params.monotone' },
  ],
});
describeSolverConformance(sblSolver, {
  invalidParams: [
    { params: { update: 'newton' }, message: 'params.update' },
    { params: { pruneTol: 1 }, message: 'params.pruneTol' },
  ],
});
describeSolverConformance(lassoSolver, {
  invalidParams: [
    { params: { alpha: 0 }, message: 'params.alpha must be > 0' },
    { params: { maxIter: 0 }, message: 'params.maxIter must be >= 1' },
    { params: { tol: -1 }, message: 'params.tol must be >= 0' },
  ],
});
describeSolverConformance(forwardStepwiseSolver, {
  invalidParams: [
    { params: { k: 0 }, message: 'params.k must be >= 1 (got 0)' },
    { params: { tol: -1 }, message: 'params.tol must be >= 0' },
  ],
});
describeSolverConformance(ridgeSolver, {
  invalidParams: [{ params: { lambda: 0 }, message: 'params.lambda must be > 0' }],
});

/** The sparse-recovery and sparse-regression baselines of issue 6 (other families' baselines have their own tests). */
const sparseBaselines: readonly AnySolver[] = [ompSolver, cosampSolver, ihtSolver, istaSolver, fistaSolver, sblSolver, lassoSolver, forwardStepwiseSolver, ridgeSolver];

describe('the sparse baselines on their family\'s quick preset', () => {
  const service = solveService(createRegistry(allFamilies));
  test('each is registered in the plugin under baselines/<method>, once', () => {
    const ids = plugin.solvers.map((s: AnySolver) => s.id);
    for (const s of sparseBaselines) {
      expect(s.id).toMatch(/^baselines\/[a-z]+(-[a-z]+)*$/);
      expect(ids.filter((id: string) => id === s.id)).toEqual([s.id]);
    }
  });

  test.each(sparseBaselines.map((s) => [s.id, s] as const))('%s beats the trivial answer (zeros) on the primary metric', async (_id, solver) => {
    const family = solver.family;
    const { observation, truth } = generateInstance(family, family.presets.quick, ['quality', family.id]);
    const { solution } = await service.solve(solver, observation);
    const outcome = scoreSolution(family, observation, truth, solution);
    const trivial = scoreSolution(family, observation, truth, family.trivialSolution!(observation));
    expect(outcome.status).toBe('ok');
    if (outcome.status !== 'ok' || trivial.status !== 'ok') return;
    const metric = primaryMetric(family);
    const better = metric.direction === 'min' ? outcome.metrics[metric.id] < trivial.metrics[metric.id] : outcome.metrics[metric.id] > trivial.metrics[metric.id];
    expect(better, `${metric.id}: ${outcome.metrics[metric.id]} vs ${trivial.metrics[metric.id]} for zeros`).toBe(true);
  });
});
