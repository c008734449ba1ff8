import type { MetricSpec } from '../../plugin/family.js';
import { matvec } from '../../linalg/index.js';
import { clampMetric, relErrSafe } from '../common.js';
import { defaultLambda } from './generate.js';
import { supportF1 } from '../sparse-recovery/score.js';
import type { SparseRegressionObservation, SparseRegressionSolution, SparseRegressionTruth } from './schema.js';

/** The metrics of `sparse-regression`, one primary (formulas in README.md). */
export const sparseRegressionMetrics: readonly MetricSpec[] = [
  { id: 'pred_mse', label: 'Prediction MSE', direction: 'min', primary: true, description: "(1/N')||Xtest ŵ + b̂ - Xtest w||² on the held-out design" },
  { id: 'est_err', label: 'Estimation error', direction: 'min', description: '||ŵ - w|| / ||w||' },
  { id: 'support_f1', label: 'Support F1', direction: 'max', description: 'F1 score of the k largest |ŵ_i| against supp(w)' },
  { id: 'objective', label: 'Objective', direction: 'min', description: 'Lasso (1/2N)||y - Xŵ - b̂||² + λ||ŵ||₁ or ℓ1-logistic (1/N)Σ log(1 + exp(-y_i(x_iᵀŵ + b̂))) + λ||ŵ||₁ on the observed data' },
  { id: 'iterations', label: 'Iterations', direction: 'min', description: 'iterations the solver reports (0 when it reports none)' },
];

/**
 * The λ of the reported objective: `observation.lambda`, or (for observations
 * from elsewhere) the generator's default rule with noiseStd (default 0.01).
 */
export function objectiveLambda(obs: SparseRegressionObservation): number {
  return obs.lambda ?? defaultLambda({ N: obs.X.rows, d: obs.X.cols, loss: obs.loss ?? 'squared', noiseStd: obs.noiseStd ?? 0.01 });
}

/** log(1 + exp(t)) without overflow. */
function softplus(t: number): number {
  return t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
}

/**
 * The objective a Lasso / ℓ1-logistic optimizer minimizes, at (w, b), on the observed data.
 *
 * @example
 * sparseRegressionObjective(obs, new Float64Array(obs.X.cols)) // => ||y||² / 2N for squared loss
 */
export function sparseRegressionObjective(obs: SparseRegressionObservation, w: Float64Array, b = 0): number {
  const z = matvec(obs.X, w);
  const n = obs.y.length;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const t = z[i] + b;
    if (obs.loss !== 'logistic') {
      const r = obs.y[i] - t;
      loss += r * r;
    } else {
      loss += softplus(-obs.y[i] * t);
    }
  }
  loss = obs.loss === 'logistic' ? loss / n : loss / (2 * n);
  let l1 = 0;
  for (let j = 0; j < w.length; j++) l1 += Math.abs(w[j]);
  return clampMetric(loss + objectiveLambda(obs) * l1);
}

/**
 * Metrics of a schema-valid solution that passed `checkSolution` (see README.md).
 * Pure: the observation, truth and solution are not mutated; every value is finite.
 */
export function scoreSparseRegression(obs: SparseRegressionObservation, truth: SparseRegressionTruth, sol: SparseRegressionSolution): Record<string, number> {
  const b = sol.b ?? 0;
  const diff = new Float64Array(sol.w.length);
  for (let j = 0; j < diff.length; j++) diff[j] = sol.w[j] - truth.w[j];
  const err = matvec(truth.Xtest, diff);
  let mse = 0;
  for (let i = 0; i < err.length; i++) mse += (err[i] + b) ** 2;
  return {
    pred_mse: clampMetric(mse / err.length),
    est_err: relErrSafe(sol.w, truth.w),
    support_f1: supportF1(sol.w, truth.w),
    objective: sparseRegressionObjective(obs, sol.w, b),
    iterations: sol.iterations ?? 0,
  };
}
