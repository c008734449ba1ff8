import { Matrix, matvec } from '../../linalg/index.js';
import type { Rng } from '../../random/index.js';
import type { Instance } from '../../plugin/family.js';
import { badParam } from '../common.js';
import type { BlindCalibrationObservation, BlindCalibrationParams, BlindCalibrationTruth } from './schema.js';

/** Draws p snapshots y_l = diag(d) A_l x with Gaussian A_l, x ~ N(0, I) (or k-sparse) and gains near 1 (paper 17). */
export function generateBlindCalibration(p: BlindCalibrationParams, rng: Rng): Instance<BlindCalibrationObservation, BlindCalibrationTruth> {
  const { n, m } = p;
  if (p.k > n) throw badParam('blind-calibration', 'k', `= ${p.k} exceeds n = ${n}`);
  const d = new Float64Array(m);
  let mean = 0;
  for (let i = 0; i < m; i++) mean += d[i] = 1 + p.rho * rng.uniformIn(-1, 1);
  mean /= m;
  // Mean exactly 1: the scale convention under which scoring compares gains.
  for (let i = 0; i < m; i++) d[i] /= mean;

  const x = new Float64Array(n);
  if (p.k === 0) rng.fillNormal(x);
  else for (const j of rng.sampleWithoutReplacement(n, p.k)) x[j] = rng.normal();

  const A: Matrix[] = [], y: Float64Array[] = [];
  let ss = 0;
  for (let l = 0; l < p.p; l++) {
    const Al = Matrix.zeros(m, n);
    rng.fillNormal(Al.data as Float64Array);
    const yl = matvec(Al, x);
    for (let i = 0; i < m; i++) {
      yl[i] *= d[i];
      ss += yl[i] * yl[i];
    }
    A.push(Al);
    y.push(yl);
  }
  let noiseStd = 0;
  if (p.snrDb !== 'inf') {
    noiseStd = Math.sqrt(ss / (m * p.p)) / Math.pow(10, p.snrDb / 20);
    for (const yl of y) for (let i = 0; i < m; i++) yl[i] += noiseStd * rng.normal();
  }
  return { observation: { A, y, ...(p.k > 0 && { k: p.k }), noiseStd }, truth: { x, d } };
}
