import type { MetricSpec } from '../../plugin/family.js';
import { matmul, type Matrix } from '../../linalg/index.js';
import { clampMetric } from '../common.js';
import type { VectorQuantizationObservation, VectorQuantizationSolution, VectorQuantizationTruth } from './schema.js';

/** The metrics of `vector-quantization`, one primary (formulas in README.md). */
export const vectorQuantizationMetrics: readonly MetricSpec[] = [
  { id: 'mse', label: 'MSE distortion', direction: 'min', primary: true, description: 'mean over vectors of ||x - x̂||² / ||x||²' },
  { id: 'ip_err', label: 'Inner-product error', direction: 'min', description: 'd · mean over (vector, query) of ⟨y, x - x̂⟩² / (||y||² ||x||²)' },
  { id: 'ip_bias', label: 'Inner-product bias', direction: 'min', description: '|1 - slope| of the least-squares line through 0 of ⟨y, x̂⟩ on ⟨y, x⟩' },
  { id: 'ratio_to_lower_bound', label: 'MSE / 4^-b', direction: 'min', description: 'mse / 4^(-b): the information-theoretic lower bound for unit vectors is 1' },
  { id: 'bits_per_coord', label: 'Bits per coordinate', direction: 'min', description: 'codeBits / (N d)' },
];

function rowNorms2(a: Matrix): Float64Array {
  const out = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    for (let j = 0; j < a.cols; j++) s += a.data[i * a.cols + j] ** 2;
    out[i] = s;
  }
  return out;
}

/**
 * Metrics of a schema-valid solution that passed `checkSolution` (see README.md).
 * Pure: the observation, truth and solution are not mutated; every value is finite.
 */
export function scoreVectorQuantization(obs: VectorQuantizationObservation, truth: VectorQuantizationTruth, sol: VectorQuantizationSolution): Record<string, number> {
  const { X } = obs, { N, d } = { N: X.rows, d: X.cols };
  const E = { rows: N, cols: d, data: new Float64Array(N * d) };
  for (let t = 0; t < E.data.length; t++) E.data[t] = X.data[t] - sol.Xhat.data[t];
  const xx = rowNorms2(X), ee = rowNorms2(E);
  let mse = 0;
  for (let i = 0; i < N; i++) mse += ee[i] / Math.max(xx[i], 1e-300);
  mse /= Math.max(N, 1);

  const Y = truth.queries, yy = rowNorms2(Y);
  // ⟨y_q, x_i⟩ and ⟨y_q, x_i - x̂_i⟩ for all pairs, as two GEMMs.
  const XY = matmul(X, Y, { transB: true }), EY = matmul(E, Y, { transB: true });
  const nq = Y.rows;
  let err = 0, sab = 0, saa = 0;
  for (let i = 0; i < N; i++)
    for (let q = 0; q < nq; q++) {
      const a = XY.data[i * nq + q], e = EY.data[i * nq + q];
      err += (e * e) / Math.max(xx[i] * yy[q], 1e-300);
      sab += a * (a - e);
      saa += a * a;
    }
  const slope = saa > 0 ? sab / saa : 1;
  return {
    mse: clampMetric(mse),
    ip_err: clampMetric((d * err) / Math.max(N * nq, 1)),
    ip_bias: clampMetric(Math.abs(1 - slope)),
    ratio_to_lower_bound: clampMetric(mse * Math.pow(4, obs.bitBudget ?? obs.bits)),
    bits_per_coord: sol.codeBits / Math.max(N * d, 1),
  };
}
