import type { Rng } from '../../random/rng.js';
import { gaussianMatrix } from '../../random/index.js';
import { Matrix, eigh, gram, matmul } from '../../linalg/index.js';
import type { Instance } from '../../plugin/family.js';
import { badParam, haarOrthonormal } from '../common.js';
import type { EigenvectorStreamingObservation, EigenvectorStreamingParams, EigenvectorStreamingTruth } from './schema.js';

const FAMILY = 'eigenvector-streaming';

/** Spiked Gaussian rows a = Q diag(√λ) g with λ = 1, (1-gap), (1-gap)·decay, ... and Q Haar. */
function spikedRows(p: EigenvectorStreamingParams, rng: Rng): Matrix {
  const { T, n } = p;
  const Q = haarOrthonormal(n, n, rng);
  const G = gaussianMatrix(T, n, rng);
  const scale = new Float64Array(n);
  scale[0] = 1;
  for (let j = 1; j < n; j++) scale[j] = Math.sqrt((1 - p.gap) * Math.pow(p.decay, j - 1));
  const g = G.data as Float64Array;
  for (let t = 0; t < T; t++) for (let j = 0; j < n; j++) g[t * n + j] *= scale[j];
  // Row t of G Qᵀ is Q g_t.
  return matmul(G, Q, { transB: true });
}

/**
 * Paper 35's instance: T - h light rows x ~ N(0, I + (R_L - 1) w wᵀ) and h
 * heavy rows √E_h (u + 0.02 g)(1 + 0.2 g'), with w ⟂ u. heavy-top takes
 * E_h = R·R_L·(T-h)/h, so u carries about R times the light energy along w;
 * light-top takes E_h = R_L·(T-h)/(R·h), so w is on top by about R.
 * Returns the rows (heavy ones last) before shuffling.
 */
function heavyRows(p: EigenvectorStreamingParams, rng: Rng): Matrix {
  const { T, n, heavyRows: h, ratio: R, lightSpike: RL } = p;
  const B = haarOrthonormal(n, 2, rng);
  const w = Matrix.column(B, 0), u = Matrix.column(B, 1);
  const A = Matrix.zeros(T, n);
  const a = A.data as Float64Array;
  const light = T - h;
  const boost = Math.sqrt(RL) - 1;
  const row = new Float64Array(n);
  for (let t = 0; t < light; t++) {
    rng.fillNormal(row);
    let wg = 0;
    for (let j = 0; j < n; j++) wg += w[j] * row[j];
    for (let j = 0; j < n; j++) a[t * n + j] = row[j] + boost * wg * w[j];
  }
  const Eh = p.model === 'heavy-top' ? (R * RL * light) / h : (RL * light) / (R * h);
  for (let t = light; t < T; t++) {
    rng.fillNormal(row);
    const s = Math.sqrt(Eh) * (1 + 0.2 * rng.normal());
    for (let j = 0; j < n; j++) a[t * n + j] = s * (u[j] + 0.02 * row[j]);
  }
  return A;
}

/**
 * Draws the stream (rows shuffled into a uniformly random order by `rng`)
 * and computes its top eigenvector v₁ and gap exactly (AᵀA, then eigh).
 */
export function generateEigenvectorStreaming(
  p: EigenvectorStreamingParams,
  rng: Rng,
): Instance<EigenvectorStreamingObservation, EigenvectorStreamingTruth> {
  const { T, n } = p;
  const heavyModel = p.model !== 'spiked';
  if (heavyModel && p.heavyRows >= T) throw badParam(FAMILY, 'heavyRows', `= ${p.heavyRows} must be < T = ${T} (some rows must be light)`);

  const raw = heavyModel ? heavyRows(p, rng) : spikedRows(p, rng);
  const order = rng.permutation(T);
  const A = Matrix.zeros(T, n);
  const heavy: number[] = [];
  const firstHeavy = heavyModel ? T - p.heavyRows : T;
  for (let t = 0; t < T; t++) {
    const src = order[t];
    A.data.set(raw.data.subarray(src * n, (src + 1) * n), t * n);
    if (src >= firstHeavy) heavy.push(t);
  }

  const { values, vectors } = eigh(gram(A));
  const v1 = Matrix.column(vectors, n - 1);
  // Eigenvector signs are arbitrary: fix the largest |entry| positive so the truth is canonical.
  let big = 0;
  for (let j = 1; j < n; j++) if (Math.abs(v1[j]) > Math.abs(v1[big])) big = j;
  if (v1[big] < 0) for (let j = 0; j < n; j++) v1[j] = -v1[j];
  const l1 = values[n - 1], l2 = values[n - 2];

  return {
    observation: { n, T, maxBatch: Math.min(p.maxBatch, T) },
    truth: {
      A,
      v1,
      lambda: new Float64Array([l1, l2]),
      gap: l1 > 0 ? 1 - l2 / l1 : 0,
      heavy: Int32Array.from(heavy),
    },
  };
}
