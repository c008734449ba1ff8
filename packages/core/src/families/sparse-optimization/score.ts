import type { MetricSpec } from '../../plugin/family.js';
import { csrMatvec, matvec } from '../../linalg/index.js';
import { clampMetric } from '../common.js';
import { penaltySum } from './penalty.js';
import type { SparseOptimizationObservation, SparseOptimizationSolution, SparseOptimizationTruth } from './schema.js';

/** The metrics of `sparse-optimization`, one primary (formulas in README.md). */
export const sparseOptimizationMetrics: readonly MetricSpec[] = [
  { id: 'rel_gap', label: 'Relative gap', direction: 'min', primary: true, description: '(F(x̂) - F*) / max(|F*|, 1), F* computed by core' },
  { id: 'iterations', label: 'Iterations', direction: 'min', description: 'iterations the solver reports' },
  { id: 'support_f1', label: 'Support F1', direction: 'max', description: 'F1 of supp(x̂) against supp(x*), entries above 1e-10·max(1, ||x*||∞)' },
];

/**
 * F(x) = ½||Ax - b||² + P(x) (least-squares form) or ½xᵀHx - cᵀx + P(x)
 * (quadratic form), clamped to ±1e300.
 *
 * @example
 * sparseOptimizationObjective(obs, new Float64Array(n)) // => ½||b||² (least-squares)
 */
export function sparseOptimizationObjective(obs: SparseOptimizationObservation, x: Float64Array): number {
  let smooth = 0;
  if (obs.A && obs.b) {
    const r = matvec(obs.A, x);
    for (let i = 0; i < r.length; i++) smooth += (r[i] - obs.b[i]) ** 2;
    smooth *= 0.5;
  } else if (obs.H && obs.c) {
    const h = csrMatvec(obs.H, x);
    for (let i = 0; i < x.length; i++) smooth += x[i] * (0.5 * h[i] - obs.c[i]);
  }
  return clampMetric(smooth + penaltySum(obs.penalty, x));
}

/** F1 of the supports of xhat and x, entries counted when |v| > thresh. */
function supportF1Exact(xhat: Float64Array, x: Float64Array, thresh: number): number {
  let tp = 0, p = 0, t = 0;
  for (let j = 0; j < x.length; j++) {
    const a = Math.abs(xhat[j]) > thresh, b = Math.abs(x[j]) > thresh;
    if (a) p++;
    if (b) t++;
    if (a && b) tp++;
  }
  return p + t === 0 ? 1 : (2 * tp) / (p + t);
}

/**
 * Metrics of a schema-valid solution that passed `checkSolution` (see README.md).
 * Pure: the observation, truth and solution are not mutated; every value is finite.
 */
export function scoreSparseOptimization(obs: SparseOptimizationObservation, truth: SparseOptimizationTruth, sol: SparseOptimizationSolution): Record<string, number> {
  const F = sparseOptimizationObjective(obs, sol.x);
  let inf = 0;
  for (let j = 0; j < truth.xstar.length; j++) inf = Math.max(inf, Math.abs(truth.xstar[j]));
  return {
    rel_gap: clampMetric((F - truth.Fstar) / Math.max(Math.abs(truth.Fstar), 1)),
    iterations: sol.iterations,
    support_f1: supportF1Exact(sol.x, truth.xstar, 1e-10 * Math.max(1, inf)),
  };
}
