import { defineFamily } from '../../plugin/family.js';
import { Matrix } from '../../linalg/index.js';
import { expectShape } from '../common.js';
import { MatrixCompletionObservation, MatrixCompletionParams, MatrixCompletionSolution, MatrixCompletionTruth } from './schema.js';
import { generateMatrixCompletion } from './generate.js';
import { matrixCompletionMetrics, scoreMatrixCompletion } from './score.js';

export * from './schema.js';
export { generateMatrixCompletion, defaultSamples } from './generate.js';
export { entryOf } from './score.js';

/**
 * Fill in a low-rank matrix from a few observed entries. See README.md in this folder.
 *
 * @example
 * const { observation } = generateInstance(matrixCompletion, { m: 50, n: 40, rank: 2 }, [1]);
 */
/** The positions of the first entry of Ω listed twice, or undefined (sorts the keys i·cols + j: O(|Ω| log |Ω|)). */
function firstDuplicate(i: ArrayLike<number>, j: ArrayLike<number>, cols: number): [number, number] | undefined {
  const keys = new Float64Array(i.length);
  for (let t = 0; t < i.length; t++) keys[t] = i[t] * cols + j[t];
  const sorted = keys.slice().sort();
  for (let t = 1; t < sorted.length; t++) {
    if (sorted[t] !== sorted[t - 1]) continue;
    const first = keys.indexOf(sorted[t]);
    return [first, keys.indexOf(sorted[t], first + 1)];
  }
  return undefined;
}

export const matrixCompletion = defineFamily({
  id: 'matrix-completion',
  title: 'Matrix completion',
  summary: 'Recover a rank-r matrix M = U Vᵀ from a few (noisy) entries sampled uniformly at random.',
  schemas: {
    params: MatrixCompletionParams,
    observation: MatrixCompletionObservation,
    truth: MatrixCompletionTruth,
    solution: MatrixCompletionSolution,
  },
  metrics: matrixCompletionMetrics,
  presets: {
    quick: { m: 300, n: 300, rank: 5 },
    // Paper 13's default: p = 0.1, |Ω| ≈ 5x the degrees of freedom.
    default: { m: 1000, n: 1000, rank: 10, samples: 100_000 },
    // Paper 13's scale rule |Ω| = 6 (m + n) r.
    scale: [500, 1000, 2000, 3000, 5000].map((n) => ({ m: n, n, rank: 10, samples: 6 * 2 * n * 10 })),
  },
  generate: generateMatrixCompletion,
  checkObservation(obs) {
    const { i, j } = obs.omega;
    if (i.length !== obs.values.length) return { field: 'observation.omega.i', message: `observation.omega.i has ${i.length} entries, values has ${obs.values.length}` };
    if (j.length !== obs.values.length) return { field: 'observation.omega.j', message: `observation.omega.j has ${j.length} entries, values has ${obs.values.length}` };
    for (let t = 0; t < i.length; t++) {
      if (i[t] < 0 || i[t] >= obs.rows) return { field: `observation.omega.i[${t}]`, message: `observation.omega.i[${t}] = ${i[t]} is outside 0..${obs.rows - 1}` };
      if (j[t] < 0 || j[t] >= obs.cols) return { field: `observation.omega.j[${t}]`, message: `observation.omega.j[${t}] = ${j[t]} is outside 0..${obs.cols - 1}` };
    }
    const dup = firstDuplicate(i, j, obs.cols);
    if (dup) return { field: `observation.omega`, message: `observation.omega lists entry (${i[dup[0]]}, ${j[dup[0]]}) twice, at positions ${dup[0]} and ${dup[1]}; each observed entry must appear once` };
    if (obs.rank > Math.min(obs.rows, obs.cols)) return { field: 'observation.rank', message: `observation.rank = ${obs.rank} exceeds min(rows, cols) = ${Math.min(obs.rows, obs.cols)}` };
    return undefined;
  },
  checkSolution(obs, sol) {
    if (sol.U.cols < 1 || sol.U.cols > Math.min(obs.rows, obs.cols)) {
      return { field: 'solution.U', message: `solution.U has ${sol.U.cols} columns; expected 1..${Math.min(obs.rows, obs.cols)} (r = ${obs.rank})` };
    }
    return expectShape('solution.U', sol.U, obs.rows, sol.U.cols) ?? expectShape('solution.V', sol.V, obs.cols, sol.U.cols);
  },
  trivialSolution: (obs) => ({ U: Matrix.zeros(obs.rows, 1), V: Matrix.zeros(obs.cols, 1) }),
  score: scoreMatrixCompletion,
});
