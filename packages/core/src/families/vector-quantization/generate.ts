import { Matrix, nrm2 } from '../../linalg/index.js';
import type { Rng } from '../../random/index.js';
import type { Instance } from '../../plugin/family.js';
import type { VectorQuantizationObservation, VectorQuantizationParams, VectorQuantizationTruth } from './schema.js';

/** Rows from the chosen distribution; `outliers` are the KV-like outlier channels. */
function draw(rows: number, d: number, kind: VectorQuantizationParams['distribution'], outliers: Int32Array, rng: Rng): Matrix {
  const a = Matrix.zeros(rows, d);
  for (let i = 0; i < rows; i++) {
    const row = a.data.subarray(i * d, (i + 1) * d);
    rng.fillNormal(row);
    if (kind === 'sphere') {
      const s = nrm2(row);
      for (let j = 0; j < d; j++) row[j] /= s;
    } else {
      for (const c of outliers) row[c] *= 10;
      const s = Math.exp(0.5 * rng.normal()) / Math.sqrt(d);
      for (let j = 0; j < d; j++) row[j] *= s;
    }
  }
  return a;
}

/**
 * Draws N database vectors and nQueries queries from the same distribution:
 * uniform on the sphere, or KV-like (N(0, I) with 4 random channels scaled
 * by 10, times e^{N(0, 1/4)}/√d).
 */
export function generateVectorQuantization(p: VectorQuantizationParams, rng: Rng): Instance<VectorQuantizationObservation, VectorQuantizationTruth> {
  const outliers = p.distribution === 'kv' ? rng.sampleWithoutReplacement(p.d, Math.min(4, p.d)) : new Int32Array(0);
  const X = draw(p.N, p.d, p.distribution, outliers, rng);
  const queries = draw(p.nQueries, p.d, p.distribution, outliers, rng);
  const observation: VectorQuantizationObservation = {
    X,
    bits: Math.floor(p.bits),
    // Fractional budgets only: integer tasks keep their observation byte-identical.
    ...(!Number.isInteger(p.bits) && { bitBudget: p.bits }),
    target: p.target,
    ...(p.target === 'inner-product' && { queries }),
    online: p.online,
  };
  return { observation, truth: { queries } };
}
