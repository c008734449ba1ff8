import { defineFamily } from '../../plugin/family.js';
import { SparseTransformObservation, SparseTransformParams, SparseTransformSolution, SparseTransformTruth } from './schema.js';
import { generateSparseTransform } from './generate.js';
import { scoreSparseTransform, sparseTransformMetrics } from './score.js';
import { SPARSE_TRANSFORM_METHODS, openSparseTransformOracle } from './session.js';

export * from './schema.js';
export { generateSparseTransform } from './generate.js';
export { scoreSparseTransform } from './score.js';
export { openSparseTransformOracle, SPARSE_TRANSFORM_METHODS, type SparseTransformUsage } from './session.js';
export { sparseTransformOracle, type SparseTransformOracle } from './client.js';
export { hashNormal } from './noise.js';

/**
 * Recover a K-sparse Walsh-Hadamard spectrum from few noisy samples of its
 * signal, queried through an oracle that counts them. Interactive: samples
 * reach the solver only through {@link sparseTransformOracle}. See README.md
 * in this folder.
 *
 * @example
 * const { observation, truth } = generateInstance(sparseTransform, { n: 10, K: 8 }, [1]);
 * const session = sparseTransform.interaction!.open(observation, truth);
 */
export const sparseTransform = defineFamily({
  id: 'sparse-transform',
  title: 'Sparse Walsh-Hadamard transform',
  summary: 'Recover the K nonzero Walsh-Hadamard coefficients of a signal on {0,1}^n from as few noisy oracle samples as possible.',
  schemas: {
    params: SparseTransformParams,
    observation: SparseTransformObservation,
    truth: SparseTransformTruth,
    solution: SparseTransformSolution,
  },
  metrics: sparseTransformMetrics,
  presets: {
    quick: { n: 16, K: 20, snrDb: 20 },
    default: { n: 16, K: 32, snrDb: 10 },
    scale: [12, 14, 16, 18, 20, 22].map((n) => ({ n, K: 32, snrDb: 10 })),
  },
  generate: generateSparseTransform,
  checkObservation(obs) {
    const N = 2 ** obs.n;
    if (obs.K > N) return { field: 'observation.K', message: `observation.K = ${obs.K} exceeds N = 2^n = ${N}` };
    return undefined;
  },
  checkSolution(obs, sol) {
    const N = 2 ** obs.n;
    if (sol.values.length !== sol.indices.length) {
      return { field: 'solution.values', message: `solution.values has ${sol.values.length} entries, solution.indices has ${sol.indices.length}; give one value per index` };
    }
    const seen = new Set<number>();
    for (let i = 0; i < sol.indices.length; i++) {
      const k = sol.indices[i];
      if (k < 0 || k >= N) return { field: `solution.indices[${i}]`, message: `solution.indices[${i}] = ${k} is out of range; frequencies are in 0..${N - 1} (n = ${obs.n})` };
      if (seen.has(k)) return { field: `solution.indices[${i}]`, message: `solution.indices[${i}] = ${k} is listed twice; list each frequency once` };
      seen.add(k);
    }
    return undefined;
  },
  trivialSolution: () => ({ indices: new Int32Array(0), values: new Float64Array(0) }),
  interaction: { methods: SPARSE_TRANSFORM_METHODS, open: openSparseTransformOracle },
  score: scoreSparseTransform,
});
