import type { MetricSpec } from '../../plugin/family.js';
import type { SparseRecoveryObservation, SparseRecoverySolution, SparseRecoveryTruth } from './schema.js';

/** relErr(a, b) = ||a - b|| / max(||b||, 1e-300). */
export function relErr(a: Float64Array, b: Float64Array): number {
  let num = 0, den = 0;
  for (let i = 0; i < b.length; i++) {
    const d = a[i] - b[i];
    num += d * d;
    den += b[i] * b[i];
  }
  return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-300);
}

/** F1 of the top-|supp| entries of |xhat| (zeros never count) against supp(x). */
export function supportF1(xhat: Float64Array, x: Float64Array): number {
  const truth: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) truth.push(i);
  const k = truth.length;
  const order = Array.from(xhat.keys()).filter((i) => xhat[i] !== 0);
  order.sort((a, b) => Math.abs(xhat[b]) - Math.abs(xhat[a]) || a - b);
  const pred = order.slice(0, k);
  if (k === 0) return pred.length === 0 ? 1 : 0;
  const inTruth = new Set(truth);
  const tp = pred.filter((i) => inTruth.has(i)).length;
  return (2 * tp) / (pred.length + k);
}

export const sparseRecoveryMetrics: readonly MetricSpec[] = [
  { id: 'nmse_db', label: 'NMSE', direction: 'min', primary: true, unit: 'dB', description: '20 log10 ||x̂ - x|| / ||x|| (floored at -300 dB)' },
  { id: 'support_f1', label: 'Support F1', direction: 'max', description: 'F1 score of the k largest |x̂_i| against supp(x)' },
  { id: 'exact_recovery', label: 'Exact recovery', direction: 'max', description: '1 when relErr(x̂, x) < 1e-3, else 0' },
];

export function scoreSparseRecovery(_obs: SparseRecoveryObservation, truth: SparseRecoveryTruth, sol: SparseRecoverySolution): Record<string, number> {
  const e = relErr(sol.x, truth.x);
  return {
    nmse_db: 20 * Math.log10(Math.max(e, 1e-15)),
    support_f1: supportF1(sol.x, truth.x),
    exact_recovery: e < 1e-3 ? 1 : 0,
  };
}
