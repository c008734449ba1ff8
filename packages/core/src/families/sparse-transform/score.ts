import type { MetricSpec } from '../../plugin/family.js';
import { clampMetric, toDb } from '../common.js';
import type { SparseTransformObservation, SparseTransformSolution, SparseTransformTruth } from './schema.js';

/** The metrics of `sparse-transform`, one primary (formulas in README.md). */
export const sparseTransformMetrics: readonly MetricSpec[] = [
  { id: 'support_f1', label: 'Support F1', direction: 'max', primary: true, description: 'F1 of the listed frequencies with a nonzero value against the true support' },
  { id: 'coef_nmse_db', label: 'Coefficient NMSE', direction: 'min', unit: 'dB', description: '20 log10 ‖X̂ - X‖ / ‖X‖ over all N coefficients (unlisted ones are 0), floored at -300 dB' },
  { id: 'exact_support', label: 'Exact support', direction: 'max', description: '1 when the nonzero listed frequencies are exactly the true support' },
  { id: 'samples', label: 'Samples', direction: 'min', unit: 'samples', description: 'distinct indices queried (counted by the session); N when scored without a session' },
  { id: 'sample_fraction', label: 'Sample fraction', direction: 'min', description: 'samples / N' },
];

/**
 * Metrics of a valid solution (distinct indices in range, checked before).
 * `usage` is what the session counted; without it the solver is charged all
 * N samples.
 */
export function scoreSparseTransform(
  obs: SparseTransformObservation,
  truth: SparseTransformTruth,
  sol: SparseTransformSolution,
  usage?: Record<string, number>,
): Record<string, number> {
  const N = 2 ** obs.n;
  const trueValue = new Map<number, number>();
  for (let i = 0; i < truth.support.length; i++) trueValue.set(truth.support[i], truth.values[i]);

  let tp = 0, predicted = 0;
  // ‖X̂ - X‖² and ‖X‖², halved entries so that finite but huge values cannot overflow a difference.
  let errSq = 0, normSq = 0;
  let big = 1;
  for (const v of sol.values) big = Math.max(big, Math.abs(v));
  for (const v of truth.values) big = Math.max(big, Math.abs(v));
  const listed = new Set<number>();
  for (let i = 0; i < sol.indices.length; i++) {
    const k = sol.indices[i], v = sol.values[i];
    listed.add(k);
    const x = trueValue.get(k) ?? 0;
    const d = (v - x) / big;
    errSq += d * d;
    if (v !== 0) {
      predicted++;
      if (trueValue.has(k)) tp++;
    }
  }
  for (const [k, x] of trueValue) {
    normSq += (x / big) * (x / big);
    if (!listed.has(k)) errSq += (x / big) * (x / big);
  }
  const K = truth.support.length;
  const f1 = K === 0 && predicted === 0 ? 1 : (2 * tp) / (predicted + K);
  const rel = Math.sqrt(errSq) / Math.max(Math.sqrt(normSq), 1e-300);
  const samples = usage?.samples ?? N;
  return {
    support_f1: f1,
    coef_nmse_db: clampMetric(toDb(rel, 20)),
    exact_support: tp === K && predicted === K ? 1 : 0,
    samples: clampMetric(samples),
    sample_fraction: clampMetric(samples / N),
  };
}
