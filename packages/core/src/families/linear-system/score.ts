import type { MetricSpec } from '../../plugin/family.js';
import { nrm2 } from '../../linalg/index.js';
import { clampMetric } from '../common.js';
import { applySystem, linearSystems } from './systems.js';
import type { LinearSystemObservation, LinearSystemSolution, LinearSystemTruth } from './schema.js';

/** The metrics of `linear-system`, one primary (formulas in README.md). */
export const linearSystemMetrics: readonly MetricSpec[] = [
  { id: 'iterations', label: 'Iterations', direction: 'min', primary: true, description: 'total iterations the solver reports over all systems (every square system must reach the tolerance)' },
  { id: 'linf_err', label: 'ℓ∞ error', direction: 'min', description: 'max over systems of ||x̂ - x*||∞' },
  { id: 'residual', label: 'Relative residual', direction: 'min', description: 'max over systems of ||b - A x̂|| / ||b||' },
];

/** The solutions of a solution object, in system order. */
export function solutionVectors(sol: LinearSystemSolution): readonly Float64Array[] {
  return sol.xs ?? (sol.x ? [sol.x] : []);
}

/** ||b - A x|| / max(||b||, 1e-300) for every system. */
export function relativeResiduals(obs: LinearSystemObservation, xs: readonly Float64Array[]): number[] {
  return linearSystems(obs).map((s, t) => {
    const Ax = applySystem(s, xs[t]);
    // Halved so that residuals of absurd iterates cannot overflow.
    const r = s.b.map((v, i) => 0.5 * v - 0.5 * Ax[i]);
    return clampMetric(2 * (nrm2(r) / Math.max(nrm2(s.b), 1e-300)));
  });
}

/**
 * Metrics of a schema-valid solution that passed `checkSolution` (see README.md).
 * Pure: the observation, truth and solution are not mutated; every value is finite.
 */
export function scoreLinearSystem(obs: LinearSystemObservation, truth: LinearSystemTruth, sol: LinearSystemSolution): Record<string, number> {
  const xs = solutionVectors(sol);
  let linf = 0;
  truth.xstar.forEach((x, t) => {
    for (let i = 0; i < x.length; i++) linf = Math.max(linf, Math.abs(xs[t][i] - x[i]));
  });
  return {
    iterations: sol.iterations,
    linf_err: clampMetric(linf),
    residual: Math.max(...relativeResiduals(obs, xs)),
  };
}
