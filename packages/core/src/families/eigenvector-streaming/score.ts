import type { MetricSpec } from '../../plugin/family.js';
import { clampMetric } from '../common.js';
import type { EigenvectorStreamingObservation, EigenvectorStreamingSolution, EigenvectorStreamingTruth } from './schema.js';

/** The metrics of `eigenvector-streaming`, one primary (formulas in README.md). */
export const eigenvectorStreamingMetrics: readonly MetricSpec[] = [
  { id: 'alignment', label: 'Alignment', direction: 'max', primary: true, description: '⟨v, v₁⟩² / ‖v‖² with v₁ the top eigenvector of Σ a_t a_tᵀ (1 = exact)' },
  {
    id: 'memory_floats',
    label: 'Memory',
    direction: 'min',
    unit: 'floats',
    description: 'n (the answer) + the state declared before the first row + the largest batch of rows held at once (rows·n, counted by core); n + T·n when scored without a session',
  },
  { id: 'rows_read', label: 'Rows read', direction: 'min', unit: 'rows', description: 'rows the session delivered (≤ T; fewer means the solver stopped early); T when scored without a session' },
  {
    id: 'heavy_errors',
    label: 'Heavy-row errors',
    direction: 'min',
    unit: 'rows',
    description: "planted heavy rows missing from solution.heavy plus rows listed there that are not heavy (0 = exact detection; a solution without 'heavy' misses them all)",
  },
];

/** |a \ b| + |b \ a| for two strictly ascending integer lists (a merge). */
function symmetricDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let i = 0, j = 0, same = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      same++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return a.length + b.length - 2 * same;
}

/**
 * Metrics of a valid solution. `usage` is what the session counted; without
 * it (a solution scored offline) the solver is charged as if it had held the
 * whole stream.
 */
export function scoreEigenvectorStreaming(
  obs: EigenvectorStreamingObservation,
  truth: EigenvectorStreamingTruth,
  sol: EigenvectorStreamingSolution,
  usage?: Record<string, number>,
): Record<string, number> {
  const v = sol.v, v1 = truth.v1;
  // Scale by the largest entry so that squaring cannot overflow.
  let big = 0;
  for (let i = 0; i < v.length; i++) big = Math.max(big, Math.abs(v[i]));
  let dot = 0, nn = 0;
  if (big > 0) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i] / big;
      dot += x * v1[i];
      nn += x * x;
    }
  }
  const alignment = nn > 0 ? Math.min(1, (dot * dot) / nn) : 0;
  const memory = usage?.memory_floats ?? obs.n + obs.T * obs.n;
  const rows = usage?.rows_delivered ?? obs.T;
  const heavyErrors = symmetricDifference(truth.heavy, sol.heavy ?? []);
  return { alignment: clampMetric(alignment, 0), memory_floats: clampMetric(memory), rows_read: clampMetric(rows), heavy_errors: heavyErrors };
}
