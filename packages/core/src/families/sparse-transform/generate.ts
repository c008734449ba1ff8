import type { Rng } from '../../random/rng.js';
import type { Instance } from '../../plugin/family.js';
import { badParam } from '../common.js';
import { drawKey } from './noise.js';
import type { SparseTransformObservation, SparseTransformParams, SparseTransformTruth } from './schema.js';

/**
 * Draws a K-sparse Walsh-Hadamard spectrum X (support uniform over the 2^n
 * frequencies) and the key of the deterministic noise. The signal is
 * x[t] = Σ_k X[k] (-1)^⟨k,t⟩ + σ w[t]; see README.md.
 */
export function generateSparseTransform(p: SparseTransformParams, rng: Rng): Instance<SparseTransformObservation, SparseTransformTruth> {
  const { n, K } = p;
  const N = 2 ** n;
  if (K > N) throw badParam('sparse-transform', 'K', `= ${K} exceeds N = 2^n = ${N}`);
  const support = rng.sampleWithoutReplacement(N, K).sort();
  const values = new Float64Array(K);
  let power = 0;
  for (let i = 0; i < K; i++) {
    values[i] = p.amplitudes === 'unit' ? (rng.uniform() < 0.5 ? -1 : 1) : rng.normal();
    power += values[i] * values[i];
  }
  // Every sample carries the power Σ X[k]² (Parseval over the ±1 patterns).
  const noiseStd = p.snrDb === 'inf' || K === 0 ? 0 : Math.sqrt(power / Math.pow(10, p.snrDb / 10));
  const noiseKey = drawKey(() => rng.nextUint32());
  return {
    observation: { n, K, noiseStd },
    truth: { support, values, noiseStd, noiseKey },
  };
}
