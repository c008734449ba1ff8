import type { MetricSpec } from '../../plugin/family.js';
import { relErrSafe, toDb } from '../common.js';
import type { BlindCalibrationObservation, BlindCalibrationSolution, BlindCalibrationTruth } from './schema.js';

/** The metrics of `blind-calibration`, one primary (formulas in README.md). */
export const blindCalibrationMetrics: readonly MetricSpec[] = [
  { id: 'nmse_db', label: 'Signal NMSE', direction: 'min', primary: true, unit: 'dB', description: '20 log10 ||c x̂ - x|| / ||x||, c = mean(d̂) (floored at -300 dB)' },
  { id: 'gain_err', label: 'Gain error', direction: 'min', description: '||d̂/c - d|| / ||d||, c = mean(d̂)' },
  { id: 'success', label: 'Success', direction: 'max', description: '1 when ||c x̂ - x|| / ||x|| < 1e-3 (averaged over seeds: the success rate)' },
];

/** The mean of the estimated gains: the global scale removed before scoring. */
export function gainScale(d: Float64Array): number {
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i] / d.length;
  return s;
}

/**
 * Metrics of a schema-valid solution that passed `checkSolution` (see README.md).
 * Pure: the observation, truth and solution are not mutated; every value is finite.
 */
export function scoreBlindCalibration(_obs: BlindCalibrationObservation, truth: BlindCalibrationTruth, sol: BlindCalibrationSolution): Record<string, number> {
  const c = gainScale(sol.d);
  const x = sol.x.map((v) => v * c), d = sol.d.map((v) => v / c);
  const e = relErrSafe(x, truth.x);
  return {
    nmse_db: toDb(e, 20),
    gain_err: relErrSafe(d, truth.d),
    success: e < 1e-3 ? 1 : 0,
  };
}
