import type { MetricSpec } from '../../plugin/family.js';
import { matmul, type Matrix } from '../../linalg/index.js';
import { clampMetric } from '../common.js';
import type { OrthogonalAlignmentObservation, OrthogonalAlignmentSolution, OrthogonalAlignmentTruth } from './schema.js';

/** The metrics of `orthogonal-alignment`, one primary (formulas in README.md). */
export const orthogonalAlignmentMetrics: readonly MetricSpec[] = [
  { id: 'align_err', label: 'Alignment error', direction: 'min', primary: true, description: "||Xa' Q - Xb'||_F / ||Xb'||_F on the held-out pairs" },
  { id: 'orth_defect', label: 'Orthogonality defect', direction: 'min', description: '||QᵀQ - I||_F' },
  { id: 'match_acc', label: 'Match accuracy', direction: 'max', description: "fraction of rows whose largest |Q_ij| sits where the true map's does (the permutation recovered, for matching tasks)" },
  { id: 'map_err', label: 'Map error', direction: 'min', description: '||Q - T||_F / ||T||_F against the true map T' },
];

/**
 * ||QᵀQ - I||_F.
 *
 * @example
 * orthDefect(Matrix.eye(3)) // => 0
 */
export function orthDefect(Q: Matrix): number {
  const G = matmul(Q, Q, { transA: true });
  let s = 0;
  for (let a = 0; a < G.rows; a++) for (let b = 0; b < G.cols; b++) s += (G.data[a * G.cols + b] - (a === b ? 1 : 0)) ** 2;
  return clampMetric(Math.sqrt(s));
}

/** Column of the largest |entry| in every row (the lowest index on ties). */
function rowArgmax(Q: Matrix): Int32Array {
  const out = new Int32Array(Q.rows);
  for (let i = 0; i < Q.rows; i++) {
    let best = 0;
    for (let j = 1; j < Q.cols; j++) if (Math.abs(Q.data[i * Q.cols + j]) > Math.abs(Q.data[i * Q.cols + best])) best = j;
    out[i] = best;
  }
  return out;
}

/**
 * Metrics of a schema-valid solution that passed `checkSolution` (see README.md).
 * Pure: the observation, truth and solution are not mutated; every value is finite.
 */
export function scoreOrthogonalAlignment(_obs: OrthogonalAlignmentObservation, truth: OrthogonalAlignmentTruth, sol: OrthogonalAlignmentSolution): Record<string, number> {
  const P = matmul(truth.XaTest, sol.Q);
  let num = 0, den = 0;
  for (let t = 0; t < P.data.length; t++) {
    num += (P.data[t] - truth.XbTest.data[t]) ** 2;
    den += truth.XbTest.data[t] ** 2;
  }
  const a = rowArgmax(sol.Q), b = rowArgmax(truth.Q);
  let hit = 0, qe = 0, qn = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) hit++;
  for (let t = 0; t < sol.Q.data.length; t++) {
    qe += (sol.Q.data[t] - truth.Q.data[t]) ** 2;
    qn += truth.Q.data[t] ** 2;
  }
  return {
    align_err: clampMetric(Math.sqrt(num / Math.max(den, 1e-300))),
    orth_defect: orthDefect(sol.Q),
    match_acc: hit / Math.max(a.length, 1),
    map_err: clampMetric(Math.sqrt(qe / Math.max(qn, 1e-300))),
  };
}
