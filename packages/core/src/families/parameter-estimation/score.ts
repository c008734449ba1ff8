import type { MetricSpec } from '../../plugin/family.js';
import { Matrix } from '../../linalg/index.js';
import { hungarian } from '../common.js';
import type { ParameterEstimationObservation, ParameterEstimationSolution, ParameterEstimationTruth } from './schema.js';

/** The metrics of `parameter-estimation`, one primary (formulas in README.md). */
export const parameterEstimationMetrics: readonly MetricSpec[] = [
  { id: 'param_rmse', label: 'Parameter RMSE', direction: 'min', primary: true, unit: 'rad', description: '√(mean over paths and dimensions of wrap(ω̂ - ω)²) after optimal matching' },
  { id: 'detected', label: 'Detected', direction: 'max', description: 'fraction of paths whose matched estimate is within 0.25 DFT bin (π/(2 N_r)) in every dimension' },
];

/**
 * An angle mapped to [-π, π).
 *
 * @example
 * wrapAngle(3 * Math.PI / 2) // => -π/2
 */
export function wrapAngle(a: number): number {
  const t = 2 * Math.PI;
  // % is exact in IEEE arithmetic, so even |a| = 1e300 wraps into range.
  let w = a % t;
  if (w >= Math.PI) w -= t;
  else if (w < -Math.PI) w += t;
  return w;
}

/**
 * Metrics of a schema-valid solution that passed `checkSolution` (see README.md).
 * Pure: the observation, truth and solution are not mutated; every value is finite.
 */
export function scoreParameterEstimation(obs: ParameterEstimationObservation, truth: ParameterEstimationTruth, sol: ParameterEstimationSolution): Record<string, number> {
  const f = truth.frequencies, g = sol.frequencies, L = f.rows, R = f.cols;
  const cost = Matrix.zeros(L, L);
  for (let a = 0; a < L; a++)
    for (let b = 0; b < L; b++) {
      let s = 0;
      for (let r = 0; r < R; r++) s += wrapAngle(g.data[b * R + r] - f.data[a * R + r]) ** 2;
      cost.data[a * L + b] = s;
    }
  const match = hungarian(cost);
  let se = 0, hit = 0;
  for (let a = 0; a < L; a++) {
    se += cost.data[a * L + match[a]];
    let ok = true;
    for (let r = 0; r < R; r++) if (Math.abs(wrapAngle(g.data[match[a] * R + r] - f.data[a * R + r])) > Math.PI / (2 * obs.shape[r])) ok = false;
    if (ok) hit++;
  }
  return { param_rmse: Math.sqrt(se / (L * R)), detected: hit / L };
}
