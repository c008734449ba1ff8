import { defineFamily } from '../../plugin/family.js';
import { expectFinite, expectLength } from '../common.js';
import { SparseRegressionObservation, SparseRegressionParams, SparseRegressionSolution, SparseRegressionTruth } from './schema.js';
import { generateSparseRegression } from './generate.js';
import { scoreSparseRegression, sparseRegressionMetrics } from './score.js';

export * from './schema.js';
export { generateSparseRegression, defaultLambda } from './generate.js';
export { sparseRegressionObjective, objectiveLambda } from './score.js';

/**
 * Fit a sparse linear (or logistic) model that predicts well, optionally from
 * locally privatized data. See README.md in this folder.
 *
 * @example
 * const { observation, truth } = generateInstance(sparseRegression, { N: 100, d: 200, k: 5 }, [1]);
 */
export const sparseRegression = defineFamily({
  id: 'sparse-regression',
  title: 'Sparse regression',
  summary: 'Fit a k-sparse linear or logistic model from N samples of d features so that it predicts held-out data well.',
  schemas: {
    params: SparseRegressionParams,
    observation: SparseRegressionObservation,
    truth: SparseRegressionTruth,
    solution: SparseRegressionSolution,
  },
  metrics: sparseRegressionMetrics,
  presets: {
    quick: { N: 200, d: 500, k: 10 },
    default: { N: 400, d: 1000, k: 20 },
    scale: [500, 1000, 2000, 4000, 8000].map((d) => ({ N: (2 * d) / 5, d, k: d / 50 })),
  },
  generate: generateSparseRegression,
  checkObservation(obs) {
    if (obs.y.length !== obs.X.rows) return { field: 'observation.y', message: `observation.y has ${obs.y.length} entries, X has ${obs.X.rows} rows` };
    if (obs.k !== undefined && obs.k > obs.X.cols) return { field: 'observation.k', message: `observation.k = ${obs.k} exceeds the ${obs.X.cols} columns of X` };
    if ((obs.epsilon === undefined) !== (obs.privacy === undefined)) {
      return { field: 'observation.privacy', message: 'observation.epsilon and observation.privacy must be given together' };
    }
    if (obs.loss === 'logistic' && obs.epsilon === undefined) {
      const bad = obs.y.findIndex((v) => v !== 1 && v !== -1);
      if (bad >= 0) return { field: `observation.y[${bad}]`, message: `observation.y[${bad}] = ${obs.y[bad]}; logistic labels must be -1 or +1` };
    }
    return undefined;
  },
  checkSolution(obs, sol) {
    return expectLength('solution.w', sol.w, obs.X.cols, 'd') ?? expectFinite('solution.b', sol.b) ?? expectFinite('solution.iterations', sol.iterations);
  },
  trivialSolution: (obs) => ({ w: new Float64Array(obs.X.cols) }),
  score: scoreSparseRegression,
});
