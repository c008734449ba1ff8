import { defineFamily } from '../../plugin/family.js';
import { nrm2 } from '../../linalg/index.js';
import { expectLength } from '../common.js';
import { EigenvectorStreamingObservation, EigenvectorStreamingParams, EigenvectorStreamingSolution, EigenvectorStreamingTruth } from './schema.js';
import { generateEigenvectorStreaming } from './generate.js';
import { eigenvectorStreamingMetrics, scoreEigenvectorStreaming } from './score.js';
import { EIGENVECTOR_STREAMING_METHODS, openEigenvectorStream } from './session.js';

export * from './schema.js';
export { generateEigenvectorStreaming } from './generate.js';
export { scoreEigenvectorStreaming } from './score.js';
export { openEigenvectorStream, EIGENVECTOR_STREAMING_METHODS, type EigenvectorStreamingUsage } from './session.js';
export { rowStream, type RowStream, type RowStreamOptions } from './client.js';

/** How far ‖v‖ may be from 1 before a solution is invalid. */
const UNIT_TOL = 1e-6;

/**
 * Top eigenvector of Σ a_t a_tᵀ from a one-pass stream of rows in random
 * order, with the memory the solver holds measured. Interactive: the rows
 * reach the solver only through {@link rowStream}. See README.md in this folder.
 *
 * @example
 * const { observation, truth } = generateInstance(eigenvectorStreaming, { T: 2000, n: 50 }, [1]);
 * const session = eigenvectorStreaming.interaction!.open(observation, truth);
 */
export const eigenvectorStreaming = defineFamily({
  id: 'eigenvector-streaming',
  title: 'Streaming top eigenvector',
  summary: 'Estimate the top eigenvector of Σ a_t a_tᵀ from one pass over T rows delivered in random order, holding little memory.',
  schemas: {
    params: EigenvectorStreamingParams,
    observation: EigenvectorStreamingObservation,
    truth: EigenvectorStreamingTruth,
    solution: EigenvectorStreamingSolution,
  },
  metrics: eigenvectorStreamingMetrics,
  presets: {
    quick: { T: 5000, n: 100, gap: 0.2 },
    default: { T: 20000, n: 128, gap: 0.2 },
    scale: [2500, 5000, 10000, 20000, 40000].map((T) => ({ T, n: 100, gap: 0.2 })),
  },
  generate: generateEigenvectorStreaming,
  checkObservation(obs) {
    if (obs.maxBatch > obs.T) return { field: 'observation.maxBatch', message: `observation.maxBatch = ${obs.maxBatch} exceeds T = ${obs.T}` };
    return undefined;
  },
  checkSolution(obs, sol) {
    const p = expectLength('solution.v', sol.v, obs.n, 'n');
    if (p) return p;
    if (sol.heavy) {
      const h = sol.heavy;
      for (let i = 0; i < h.length; i++) {
        if (h[i] < 0 || h[i] >= obs.T || (i > 0 && h[i] <= h[i - 1])) {
          return {
            field: 'solution.heavy',
            message: `solution.heavy[${i}] = ${h[i]}: heavy rows are stream positions in 0..${obs.T - 1}, strictly ascending (list each kept row once, in arrival order)`,
          };
        }
      }
    }
    const norm = nrm2(sol.v);
    if (!(Math.abs(norm - 1) <= UNIT_TOL)) {
      return { field: 'solution.v', message: `solution.v has norm ${norm.toPrecision(6)}; it must be a unit vector (divide by its norm)` };
    }
    return undefined;
  },
  trivialSolution: (obs) => {
    const v = new Float64Array(obs.n);
    v[0] = 1;
    return { v };
  },
  interaction: { methods: EIGENVECTOR_STREAMING_METHODS, open: openEigenvectorStream },
  score: scoreEigenvectorStreaming,
});
