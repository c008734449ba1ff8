import { defineFamily } from '../../plugin/family.js';
import { expectLength, expectShape } from '../common.js';
import { BlindCalibrationObservation, BlindCalibrationParams, BlindCalibrationSolution, BlindCalibrationTruth } from './schema.js';
import { generateBlindCalibration } from './generate.js';
import { blindCalibrationMetrics, gainScale, scoreBlindCalibration } from './score.js';

export * from './schema.js';
export { generateBlindCalibration } from './generate.js';
export { gainScale } from './score.js';

/**
 * Recover a signal and unknown positive sensor gains from several snapshots
 * y_l = diag(d) A_l x. See README.md in this folder.
 *
 * @example
 * const { observation } = generateInstance(blindCalibration, { n: 16, m: 16, p: 3 }, [1]);
 */
export const blindCalibration = defineFamily({
  id: 'blind-calibration',
  title: 'Blind calibration',
  summary: 'Recover a signal x and unknown positive sensor gains d from p snapshots y_l = diag(d) A_l x with known A_l.',
  schemas: {
    params: BlindCalibrationParams,
    observation: BlindCalibrationObservation,
    truth: BlindCalibrationTruth,
    solution: BlindCalibrationSolution,
  },
  metrics: blindCalibrationMetrics,
  presets: {
    quick: { n: 64, m: 64, p: 4 },
    default: { n: 128, m: 128, p: 8 },
    scale: [64, 128, 256, 512, 1024].map((n) => ({ n, m: n, p: 4 })),
  },
  generate: generateBlindCalibration,
  checkObservation(obs) {
    if (obs.A.length !== obs.y.length) return { field: 'observation.y', message: `observation.y has ${obs.y.length} snapshots, A has ${obs.A.length} matrices` };
    const { rows: m, cols: n } = obs.A[0];
    for (let l = 0; l < obs.A.length; l++) {
      const p = expectShape(`observation.A[${l}]`, obs.A[l], m, n) ?? expectLength(`observation.y[${l}]`, obs.y[l], m, 'the rows of A_l');
      if (p) return p;
    }
    if (obs.k !== undefined && obs.k > n) return { field: 'observation.k', message: `observation.k = ${obs.k} exceeds n = ${n}` };
    return undefined;
  },
  checkSolution(obs, sol) {
    const { rows: m, cols: n } = obs.A[0];
    const p = expectLength('solution.x', sol.x, n, 'n') ?? expectLength('solution.d', sol.d, m, 'm');
    if (p) return p;
    const c = gainScale(sol.d);
    if (!(Math.abs(c) > 0) || !Number.isFinite(1 / c)) {
      return { field: 'solution.d', message: `solution.d has mean ${c}; the global scale cannot be removed (gains are positive, near 1)` };
    }
    return undefined;
  },
  trivialSolution: (obs) => ({ x: new Float64Array(obs.A[0].cols), d: new Float64Array(obs.A[0].rows).fill(1) }),
  score: scoreBlindCalibration,
});
