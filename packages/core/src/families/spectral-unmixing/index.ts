import { defineFamily } from '../../plugin/family.js';
import { Matrix } from '../../linalg/index.js';
import { expectShape } from '../common.js';
import { SpectralUnmixingObservation, SpectralUnmixingParams, SpectralUnmixingSolution, SpectralUnmixingTruth } from './schema.js';
import { generateSpectralUnmixing } from './generate.js';
import { scoreSpectralUnmixing, spectralUnmixingMetrics } from './score.js';

export * from './schema.js';
export { generateSpectralUnmixing } from './generate.js';

/**
 * Abundances of known (or, blind, unknown) endmembers in each pixel of a
 * hyperspectral image. See README.md in this folder.
 *
 * @example
 * const { observation } = generateInstance(spectralUnmixing, { bands: 50, endmembers: 6, N: 100 }, [1]);
 */
export const spectralUnmixing = defineFamily({
  id: 'spectral-unmixing',
  title: 'Spectral unmixing',
  summary: 'Estimate the nonnegative, sum-to-one abundances of library endmembers in every pixel of a noisy hyperspectral image with outliers.',
  schemas: {
    params: SpectralUnmixingParams,
    observation: SpectralUnmixingObservation,
    truth: SpectralUnmixingTruth,
    solution: SpectralUnmixingSolution,
  },
  metrics: spectralUnmixingMetrics,
  presets: {
    quick: { bands: 100, endmembers: 12, active: 3, N: 1000 },
    default: { bands: 200, endmembers: 24, active: 4, N: 2500 },
    scale: [1000, 2000, 4000, 8000, 16000].map((N) => ({ bands: 100, endmembers: 12, active: 3, N })),
  },
  generate: generateSpectralUnmixing,
  checkObservation(obs) {
    if (obs.E) {
      if (obs.E.rows !== obs.Y.rows) return { field: 'observation.E', message: `observation.E has ${obs.E.rows} rows (bands), Y has ${obs.Y.rows}` };
      if (obs.E.cols !== obs.endmembers) return { field: 'observation.endmembers', message: `observation.endmembers = ${obs.endmembers}, E has ${obs.E.cols} columns` };
    }
    if (obs.active !== undefined && obs.active > obs.endmembers) {
      return { field: 'observation.active', message: `observation.active = ${obs.active} exceeds endmembers = ${obs.endmembers}` };
    }
    if (obs.imageShape && obs.imageShape[0] * obs.imageShape[1] !== obs.Y.cols) {
      return { field: 'observation.imageShape', message: `observation.imageShape ${obs.imageShape[0]}x${obs.imageShape[1]} does not hold the ${obs.Y.cols} pixels of Y` };
    }
    return undefined;
  },
  checkSolution(obs, sol) {
    const s = expectShape('solution.S', sol.S, obs.endmembers, obs.Y.cols);
    if (s) return s;
    if (!obs.E && !sol.E) return { field: 'solution.E', message: 'solution.E is required: this is a blind instance (observation.E is absent)' };
    if (!obs.E && sol.E) return expectShape('solution.E', sol.E, obs.Y.rows, obs.endmembers);
    return undefined;
  },
  trivialSolution: (obs) => {
    // Equal abundances 1/p everywhere (and, blind, the mean pixel as every endmember).
    const p = obs.endmembers, N = obs.Y.cols;
    const S = Matrix.zeros(p, N);
    S.data.fill(1 / p);
    if (obs.E) return { S };
    const E = Matrix.zeros(obs.Y.rows, p);
    for (let i = 0; i < obs.Y.rows; i++) {
      let m = 0;
      for (let j = 0; j < N; j++) m += obs.Y.data[i * N + j];
      for (let k = 0; k < p; k++) E.data[i * p + k] = m / N;
    }
    return { S, E };
  },
  score: scoreSpectralUnmixing,
});
