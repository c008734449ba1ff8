import type { MetricSpec } from '../../plugin/family.js';
import { Matrix } from '../../linalg/index.js';
import { clampMetric, hungarian, toDb } from '../common.js';
import type { SpectralUnmixingObservation, SpectralUnmixingSolution, SpectralUnmixingTruth } from './schema.js';

/** The metrics of `spectral-unmixing`, one primary (formulas in README.md). */
export const spectralUnmixingMetrics: readonly MetricSpec[] = [
  { id: 'abundance_rmse', label: 'Abundance RMSE', direction: 'min', primary: true, description: '√(Σ (Ŝ_kj - S_kj)² / (p N)); blind: after matching endmembers' },
  { id: 'sre_db', label: 'SRE', direction: 'max', unit: 'dB', description: '10 log10 ||S||²_F / ||Ŝ - S||²_F (capped at 300 dB)' },
  { id: 'sad', label: 'Spectral angle', direction: 'min', unit: 'rad', description: 'blind: mean angle between matched true and estimated endmembers; 0 when E is given' },
];

/** Angle between columns a of A and b of B, π/2 when either is zero. */
function angle(A: Matrix, a: number, B: Matrix, b: number): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < A.rows; i++) {
    const x = A.data[i * A.cols + a], y = B.data[i * B.cols + b];
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  if (!(aa > 0 && bb > 0) || !Number.isFinite(ab * aa * bb)) return Math.PI / 2;
  return Math.acos(Math.max(-1, Math.min(1, ab / Math.sqrt(aa * bb))));
}

/**
 * Metrics of a schema-valid solution that passed `checkSolution` (see README.md).
 * Pure: the observation, truth and solution are not mutated; every value is finite.
 */
export function scoreSpectralUnmixing(obs: SpectralUnmixingObservation, truth: SpectralUnmixingTruth, sol: SpectralUnmixingSolution): Record<string, number> {
  const { S } = truth, p = S.rows, N = S.cols;
  // row k of Ŝ compared with row k of S; blind: with the row of its matched endmember.
  let rowOf: Int32Array = Int32Array.from({ length: p }, (_, k) => k);
  let sad = 0;
  if (!obs.E && sol.E) {
    const cost = Matrix.zeros(p, p);
    for (let k = 0; k < p; k++) for (let l = 0; l < p; l++) cost.data[k * p + l] = angle(truth.E, k, sol.E, l);
    rowOf = hungarian(cost);
    for (let k = 0; k < p; k++) sad += cost.data[k * p + rowOf[k]];
    sad /= p;
  }
  let se = 0, ss = 0;
  for (let k = 0; k < p; k++) {
    const o = k * N, oh = rowOf[k] * N;
    for (let j = 0; j < N; j++) {
      // Halved difference: entries up to 1e308 cannot overflow the subtraction.
      const d = 0.5 * sol.S.data[oh + j] - 0.5 * S.data[o + j];
      se += 4 * d * d;
      ss += S.data[o + j] ** 2;
    }
  }
  return {
    abundance_rmse: clampMetric(Math.sqrt(se / Math.max(p * N, 1))),
    sre_db: -toDb(se / Math.max(ss, 1e-300)),
    sad,
  };
}
