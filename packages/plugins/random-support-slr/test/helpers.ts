import { allFamilies, createRegistry, generateInstance, scoreSolution, solveService, sparseRegression, type AnySolver } from '@parsimony/core';

/**
 * The bench task `sparse-regression/random-support-slr` (paper 30): an
 * ill-conditioned factor design (2 dominant directions, idiosyncratic scale
 * 0.01, unit-variance features), a uniformly random support of size 8, and
 * adversarial values that cancel the dominant directions ((1/N)‖Xw*‖² = 1).
 */
export const TASK = { N: 200, d: 400, k: 8, design: 'factor', factors: 2, factorNoise: 0.01, amplitudes: 'cancelling', noiseStd: 0.1 } as const;

/** The control task `sparse-regression/random-support-slr-control`: the same design, w* values i.i.d. N(0, 1) (no cancellation). */
export const CONTROL_TASK = { ...TASK, amplitudes: 'gaussian' } as const;

/** Median of a list (mean of the middle two for an even length). */
export function median(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const service = solveService(createRegistry(allFamilies));

/**
 * Runs each solver (default params, through the solve service) on the task's
 * instances seeded like the bench, `[suite, taskId, seed]`, and returns
 * metric -> solver -> one value per seed.
 */
export async function runTask(
  taskId: string,
  params: Record<string, unknown>,
  seeds: readonly number[],
  solvers: readonly AnySolver[],
): Promise<Map<string, Map<string, number[]>>> {
  const results = new Map<string, Map<string, number[]>>();
  for (const seed of seeds) {
    const { observation, truth } = generateInstance(sparseRegression, params, ['default', taskId, seed]);
    for (const solver of solvers) {
      const { solution } = await service.solve(solver, observation, {}, { seed: ['default', taskId, seed, solver.id] });
      const outcome = scoreSolution(sparseRegression, observation, truth, solution);
      if (outcome.status !== 'ok') throw new Error(`${solver.id} on ${taskId} seed ${seed}: ${outcome.status}`);
      for (const [metric, value] of Object.entries(outcome.metrics)) {
        if (!results.has(metric)) results.set(metric, new Map());
        const bySolver = results.get(metric)!;
        bySolver.set(solver.id, [...(bySolver.get(solver.id) ?? []), value]);
      }
    }
  }
  return results;
}
