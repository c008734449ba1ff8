import { defineFamily } from '../../plugin/family.js';
import { Matrix } from '../../linalg/index.js';
import { expectFinite, expectShape } from '../common.js';
import { VectorQuantizationObservation, VectorQuantizationParams, VectorQuantizationSolution, VectorQuantizationTruth } from './schema.js';
import { generateVectorQuantization } from './generate.js';
import { scoreVectorQuantization, vectorQuantizationMetrics } from './score.js';

export * from './schema.js';
export { generateVectorQuantization } from './generate.js';

/**
 * Encode vectors in b bits per coordinate, preserving norms of errors or
 * inner products. See README.md in this folder.
 *
 * @example
 * const { observation } = generateInstance(vectorQuantization, { N: 100, d: 16, bits: 3 }, [1]);
 */
export const vectorQuantization = defineFamily({
  id: 'vector-quantization',
  title: 'Vector quantization',
  summary: 'Encode N vectors of dimension d in b bits per coordinate with the least distortion of the vectors or their inner products.',
  schemas: {
    params: VectorQuantizationParams,
    observation: VectorQuantizationObservation,
    truth: VectorQuantizationTruth,
    solution: VectorQuantizationSolution,
  },
  metrics: vectorQuantizationMetrics,
  presets: {
    quick: { N: 2000, d: 128, bits: 2 },
    default: { N: 4000, d: 128, bits: 2, nQueries: 1000 },
    scale: [64, 128, 256, 512, 1024].map((d) => ({ N: 4000, d, bits: 2 })),
  },
  generate: generateVectorQuantization,
  checkObservation(obs) {
    if (obs.target === 'inner-product' && !obs.queries) return { field: 'observation.queries', message: 'observation.queries is required when target is "inner-product"' };
    if (obs.bitBudget !== undefined && (Number.isInteger(obs.bitBudget) || obs.bits !== Math.floor(obs.bitBudget))) {
      return { field: 'observation.bitBudget', message: `observation.bitBudget = ${obs.bitBudget} must be fractional with bits = ⌊bitBudget⌋ (bits is ${obs.bits}); omit it for an integer budget` };
    }
    if (obs.queries && obs.queries.cols !== obs.X.cols) {
      return { field: 'observation.queries', message: `observation.queries has ${obs.queries.cols} columns, X has d = ${obs.X.cols}` };
    }
    return undefined;
  },
  checkSolution(obs, sol) {
    const shape = expectShape('solution.Xhat', sol.Xhat, obs.X.rows, obs.X.cols) ?? expectFinite('solution.codeBits', sol.codeBits);
    if (shape) return shape;
    const b = obs.bitBudget ?? obs.bits;
    const budget = Math.floor(b * obs.X.rows * obs.X.cols);
    if (sol.codeBits > budget) {
      return { field: 'solution.codeBits', message: `solution.codeBits = ${sol.codeBits} exceeds the budget b·N·d = ${b}·${obs.X.rows}·${obs.X.cols} = ${budget}` };
    }
    return undefined;
  },
  trivialSolution: (obs) => ({ Xhat: Matrix.zeros(obs.X.rows, obs.X.cols), codeBits: 0 }),
  score: scoreVectorQuantization,
});
