import type { MetricSpec } from '../../plugin/family.js';
import type { Matrix } from '../../linalg/index.js';
import { clampMetric } from '../common.js';
import type { MatrixCompletionObservation, MatrixCompletionSolution, MatrixCompletionTruth } from './schema.js';

/** The metrics of `matrix-completion`, one primary (formulas in README.md). */
export const matrixCompletionMetrics: readonly MetricSpec[] = [
  { id: 'rmse_test', label: 'Test RMSE', direction: 'min', primary: true, description: '√(mean over held-out (i, j) of (M̂_ij - M_ij)²)' },
  { id: 'rel_err_full', label: 'Relative error', direction: 'min', description: '||M̂ - M||_F / ||M||_F over all entries' },
];

/** (U Vᵀ)_ij = ⟨U_i:, V_j:⟩. @example entryOf(U, V, 0, 0) */
export function entryOf(U: Matrix, V: Matrix, i: number, j: number): number {
  const k = U.cols, u = U.data, v = V.data;
  const ou = i * k, ov = j * k;
  let s = 0;
  for (let c = 0; c < k; c++) s += u[ou + c] * v[ov + c];
  return s;
}

/**
 * Metrics of a schema-valid solution that passed `checkSolution` (see README.md).
 * Pure: the observation, truth and solution are not mutated; every value is finite.
 */
export function scoreMatrixCompletion(_obs: MatrixCompletionObservation, truth: MatrixCompletionTruth, sol: MatrixCompletionSolution): Record<string, number> {
  const { i, j } = truth.test;
  let se = 0;
  for (let t = 0; t < i.length; t++) se += (entryOf(sol.U, sol.V, i[t], j[t]) - entryOf(truth.U, truth.V, i[t], j[t])) ** 2;
  // Entry by entry over all of M: exact, where the Gram-matrix shortcut would cancel.
  const m = truth.U.rows, n = truth.V.rows;
  let num = 0, den = 0;
  for (let r = 0; r < m; r++)
    for (let c = 0; c < n; c++) {
      const x = entryOf(truth.U, truth.V, r, c);
      const d = entryOf(sol.U, sol.V, r, c) - x;
      num += d * d;
      den += x * x;
    }
  return {
    rmse_test: clampMetric(Math.sqrt(se / Math.max(i.length, 1))),
    rel_err_full: clampMetric(Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-300)),
  };
}
