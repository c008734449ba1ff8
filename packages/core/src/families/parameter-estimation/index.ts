import { defineFamily } from '../../plugin/family.js';
import { Matrix } from '../../linalg/index.js';
import { expectLength, expectShape } from '../common.js';
import { ParameterEstimationObservation, ParameterEstimationParams, ParameterEstimationSolution, ParameterEstimationTruth } from './schema.js';
import { generateParameterEstimation } from './generate.js';
import { parameterEstimationMetrics, scoreParameterEstimation } from './score.js';

export * from './schema.js';
export { generateParameterEstimation } from './generate.js';
export { wrapAngle } from './score.js';

/**
 * Frequencies of L superimposed complex exponentials on a 1D-4D sample grid
 * (multidimensional harmonic retrieval). See README.md in this folder.
 *
 * @example
 * const { observation } = generateInstance(parameterEstimation, { n: 16, paths: 2 }, [1]);
 */
export const parameterEstimation = defineFamily({
  id: 'parameter-estimation',
  title: 'Parameter estimation',
  summary: 'Estimate the frequencies of L superimposed complex exponentials from noisy samples on a multidimensional grid.',
  schemas: {
    params: ParameterEstimationParams,
    observation: ParameterEstimationObservation,
    truth: ParameterEstimationTruth,
    solution: ParameterEstimationSolution,
  },
  metrics: parameterEstimationMetrics,
  presets: {
    quick: { n: 32, dims: 2, paths: 4, snrDb: 20 },
    default: { n: 64, dims: 2, paths: 8, snrDb: 20 },
    scale: [16, 32, 64, 128, 256].map((n) => ({ n, dims: 2, paths: 4, snrDb: 20 })),
  },
  generate: generateParameterEstimation,
  checkObservation(obs) {
    const total = obs.shape.reduce((a, b) => a * b, 1);
    return expectLength('observation.re', obs.re, total, `Π shape`) ?? expectLength('observation.im', obs.im, total, 'Π shape');
  },
  checkSolution(obs, sol) {
    return expectShape('solution.frequencies', sol.frequencies, obs.paths, obs.shape.length);
  },
  trivialSolution: (obs) => ({ frequencies: Matrix.zeros(obs.paths, obs.shape.length) }),
  score: scoreParameterEstimation,
});
