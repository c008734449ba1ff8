import type { Rng } from '../../random/rng.js';
import { Matrix, nrm2 } from '../../linalg/index.js';
import type { Instance } from '../../plugin/family.js';
import { badParam } from '../common.js';
import { drawKey } from '../sparse-transform/noise.js';
import type { BanditObservation, BanditParams, BanditTruth } from './schema.js';

const FAMILY = 'bandit';

/** A uniform point of the unit sphere of R^d, written into `out`. */
function sphere(out: Float64Array, rng: Rng): void {
  let s = 0;
  do {
    rng.fillNormal(out);
    s = nrm2(out);
  } while (s === 0);
  for (let j = 0; j < out.length; j++) out[j] /= s;
}

/**
 * Draws K arms on the unit sphere, a k-sparse unit θ and the
 * misspecification η (see README.md), and the key of the reward noise.
 */
export function generateBandit(p: BanditParams, rng: Rng): Instance<BanditObservation, BanditTruth> {
  const { K, d, k, epsilon: eps } = p;
  if (k > d) throw badParam(FAMILY, 'k', `= ${k} exceeds d = ${d}`);

  const arms = Matrix.zeros(K, d);
  for (let i = 0; i < K; i++) sphere(arms.data.subarray(i * d, (i + 1) * d), rng);

  const theta = new Float64Array(d);
  const support = rng.sampleWithoutReplacement(d, k);
  const vals = new Float64Array(k);
  sphere(vals, rng);
  for (let i = 0; i < k; i++) theta[support[i]] = vals[i];

  const eta = new Float64Array(K);
  if (p.misspecification === 'adversarial') {
    // u: dense, unit, zero on supp(θ), so it is invisible to the sparse model but biases least squares (paper 27).
    const u = new Float64Array(d);
    rng.fillNormal(u);
    for (const j of support) u[j] = 0;
    const nu = nrm2(u);
    for (let i = 0; i < K; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += u[j] * arms.data[i * d + j];
      // With k = d there is no room for u: fall back to random signs.
      const sign = nu > 0 ? (s >= 0 ? 1 : -1) : rng.uniform() < 0.5 ? -1 : 1;
      eta[i] = eps * sign;
    }
  } else {
    for (let i = 0; i < K; i++) eta[i] = rng.uniformIn(-eps, eps);
  }

  const noiseKey = drawKey(() => rng.nextUint32());
  const observation: BanditObservation = {
    variant: p.variant,
    arms,
    horizon: p.T,
    ...(p.hints && { k, epsilon: eps, noiseStd: p.noiseStd }),
  };
  return { observation, truth: { theta, eta, noiseStd: p.noiseStd, noiseKey } };
}
