import { defineFamily } from '../../plugin/family.js';
import { Matrix, matmul } from '../../linalg/index.js';
import { expectShape } from '../common.js';
import { DictionaryLearningObservation, DictionaryLearningParams, DictionaryLearningSolution, DictionaryLearningTruth } from './schema.js';
import { generateDictionaryLearning } from './generate.js';
import { dictionaryLearningMetrics, scoreDictionaryLearning } from './score.js';

export * from './schema.js';
export { generateDictionaryLearning } from './generate.js';
export { ompCode, matchedCosines, l4Err } from './score.js';

/** ||DᵀD - I||_F above this (relative to √atoms) breaks the orthogonality constraint. */
const ORTHO_TOL = 1e-6;

/**
 * Learn atoms that code the data sparsely (or, coding-only, infer the codes
 * for a given dictionary). See README.md in this folder.
 *
 * @example
 * const { observation, truth } = generateInstance(dictionaryLearning, { n: 8, K: 12, N: 200, k: 2 }, [1]);
 */
export const dictionaryLearning = defineFamily({
  id: 'dictionary-learning',
  title: 'Dictionary learning',
  summary: 'Learn a dictionary D whose atoms code the data Y = D X sparsely, recovering the true atoms.',
  schemas: {
    params: DictionaryLearningParams,
    observation: DictionaryLearningObservation,
    truth: DictionaryLearningTruth,
    solution: DictionaryLearningSolution,
  },
  metrics: dictionaryLearningMetrics,
  presets: {
    quick: { n: 32, K: 64, N: 2000, k: 3 },
    default: { n: 64, K: 128, N: 5000, k: 4 },
    scale: [16, 32, 64, 128, 256].map((n) => ({ n, K: 2 * n, N: 60 * n, k: 3 })),
  },
  generate: generateDictionaryLearning,
  checkObservation(obs) {
    if (obs.D) {
      const p = expectShape('observation.D', obs.D, obs.Y.rows, obs.atoms);
      if (p) return p;
    }
    if (obs.orthogonal && obs.atoms !== obs.Y.rows) return { field: 'observation.atoms', message: `observation.atoms = ${obs.atoms} must equal n = ${obs.Y.rows} for an orthogonal dictionary` };
    return undefined;
  },
  checkSolution(obs, sol) {
    const n = obs.Y.rows, N = obs.Y.cols;
    if (obs.D) {
      if (!sol.X) return { field: 'solution.X', message: 'solution.X is required: the dictionary is given (coding-only)' };
    } else {
      if (!sol.D) return { field: 'solution.D', message: 'solution.D is required' };
      const p = expectShape('solution.D', sol.D, n, obs.atoms);
      if (p) return p;
      if (obs.orthogonal) {
        const G = matmul(sol.D, sol.D, { transA: true });
        let defect = 0;
        for (let a = 0; a < G.rows; a++) for (let b = 0; b < G.cols; b++) defect += (G.data[a * G.cols + b] - (a === b ? 1 : 0)) ** 2;
        if (!(Math.sqrt(defect) <= ORTHO_TOL * Math.sqrt(obs.atoms))) {
          return { field: 'solution.D', message: `solution.D is not orthogonal: ||DᵀD - I||_F = ${Math.sqrt(defect).toExponential(2)} > ${ORTHO_TOL}·√${obs.atoms}` };
        }
      }
    }
    if (sol.X) {
      const p = expectShape('solution.X', sol.X, obs.atoms, N);
      if (p) return p;
      if (obs.D) {
        let nnz = 0;
        for (const v of sol.X.data) if (v !== 0) nnz++;
        if (nnz > obs.k * N) return { field: 'solution.X', message: `solution.X has ${nnz} nonzeros; the matched code density allows k·N = ${obs.k}·${N} = ${obs.k * N}` };
      }
      if (obs.inferenceK !== undefined) {
        // Adaptive sparsity: every column's code within the inference budget.
        for (let j = 0; j < N; j++) {
          let nnz = 0;
          for (let a = 0; a < obs.atoms; a++) if (sol.X.data[a * N + j] !== 0) nnz++;
          if (nnz > obs.inferenceK) return { field: 'solution.X', message: `solution.X column ${j} has ${nnz} nonzeros; observation.inferenceK allows ${obs.inferenceK} per column` };
        }
      }
    }
    return undefined;
  },
  trivialSolution: (obs) => {
    if (obs.D) return { X: Matrix.zeros(obs.atoms, obs.Y.cols) };
    // The first atoms of the identity: orthogonal, and valid for every variant.
    const D = Matrix.zeros(obs.Y.rows, obs.atoms);
    for (let a = 0; a < Math.min(obs.Y.rows, obs.atoms); a++) D.data[a * obs.atoms + a] = 1;
    return { D };
  },
  score: scoreDictionaryLearning,
});
