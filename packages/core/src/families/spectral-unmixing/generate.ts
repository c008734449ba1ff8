import { Matrix, matmul } from '../../linalg/index.js';
import type { Rng } from '../../random/index.js';
import type { Instance } from '../../plugin/family.js';
import { badParam, dirichletSample } from '../common.js';
import type { SpectralUnmixingObservation, SpectralUnmixingParams, SpectralUnmixingTruth } from './schema.js';

/** Smooth synthetic spectra: an offset plus 3 Gaussian bumps, in [0.05, 1] (paper 02's recipe). */
function library(bands: number, p: number, rng: Rng): Matrix {
  const E = Matrix.zeros(bands, p);
  for (let k = 0; k < p; k++) {
    const col = new Float64Array(bands).fill(rng.uniformIn(0.05, 0.3));
    for (let b = 0; b < 3; b++) {
      const mu = rng.uniformIn(0, bands), w = rng.uniformIn(bands / 20, bands / 5) + 0.5, h = rng.uniformIn(0.2, 0.8);
      for (let i = 0; i < bands; i++) col[i] += h * Math.exp(-((i - mu) ** 2) / (2 * w * w));
    }
    let mx = 0;
    for (const v of col) mx = Math.max(mx, v);
    for (let i = 0; i < bands; i++) E.data[i * p + k] = Math.max(0.05, col[i] / Math.max(mx, 1));
  }
  return E;
}

/** `active` endmembers per pixel with Dirichlet(1) weights (uniform on their simplex). */
function sparseAbundances(p: number, N: number, active: number, rng: Rng): Matrix {
  const S = Matrix.zeros(p, N);
  for (let j = 0; j < N; j++) {
    const idx = rng.sampleWithoutReplacement(p, active), w = dirichletSample(rng, active, 1);
    for (let t = 0; t < active; t++) S.data[idx[t] * N + j] = w[t];
  }
  return S;
}

/**
 * Paper 02's image: p seeds on a g x g grid; a pixel much closer to its
 * nearest seed than to the second is nearly pure (Dirichlet(0.1), its largest
 * weight on that seed's endmember), the others are mixed (Dirichlet(1)).
 */
function regionAbundances(p: number, g: number, rng: Rng): Matrix {
  const N = g * g, S = Matrix.zeros(p, N);
  const seeds = Array.from(rng.sampleWithoutReplacement(N, Math.min(p, N)), (s) => [Math.floor(s / g), s % g]);
  for (let j = 0; j < N; j++) {
    const r = Math.floor(j / g), c = j % g;
    const dist = seeds.map(([sr, sc], k) => ({ k, d: Math.hypot(r - sr, c - sc) })).sort((a, b) => a.d - b.d || a.k - b.k);
    const pure = dist.length === 1 || dist[0].d < 0.5 * dist[1].d;
    const w = dirichletSample(rng, p, pure ? 0.1 : 1);
    if (pure) {
      let big = 0;
      for (let k = 1; k < p; k++) if (w[k] > w[big]) big = k;
      const k1 = dist[0].k;
      [w[big], w[k1]] = [w[k1], w[big]];
    }
    for (let k = 0; k < p; k++) S.data[k * N + j] = w[k];
  }
  return S;
}

/** Draws Y = E S + noise with gross errors on some pixels and bands. */
export function generateSpectralUnmixing(p: SpectralUnmixingParams, rng: Rng): Instance<SpectralUnmixingObservation, SpectralUnmixingTruth> {
  const { bands, endmembers: K, N } = p;
  const fail = (field: string, problem: string) => badParam('spectral-unmixing', field, problem);
  if (p.abundances === 'sparse' && p.active > K) throw fail('active', `= ${p.active} exceeds the ${K} endmembers`);
  const g = Math.round(Math.sqrt(N));
  if (p.abundances === 'regions' && g * g !== N) throw fail('N', `= ${N} must be a perfect square (image side²) for abundances 'regions'`);

  const E = library(bands, K, rng);
  const S = p.abundances === 'sparse' ? sparseAbundances(K, N, p.active, rng) : regionAbundances(K, g, rng);
  const Y = matmul(E, S);
  const data = Y.data as Float64Array;
  let ss = 0, abs = 0;
  for (const v of data) {
    ss += v * v;
    abs += Math.abs(v);
  }
  const meanAbs = abs / Math.max(data.length, 1);
  let noiseStd = 0;
  if (p.snrDb !== 'inf') {
    noiseStd = Math.sqrt(ss / Math.max(data.length, 1)) / Math.pow(10, p.snrDb / 20);
    for (let t = 0; t < data.length; t++) data[t] += noiseStd * rng.normal();
  }
  for (const j of rng.sampleWithoutReplacement(N, Math.round(p.outlierPixels * N))) for (let i = 0; i < bands; i++) data[i * N + j] += meanAbs * rng.normal();
  const badBands = rng.sampleWithoutReplacement(bands, Math.round(p.outlierBands * bands));
  badBands.forEach((i, t) => {
    for (let j = 0; j < N; j++) data[i * N + j] = t % 2 === 0 ? 0 : meanAbs * rng.normal();
  });

  const observation: SpectralUnmixingObservation = {
    Y,
    ...(!p.blind && { E }),
    endmembers: K,
    ...(p.abundances === 'sparse' && { active: p.active }),
    noiseStd,
    ...(p.abundances === 'regions' && { imageShape: [g, g] as [number, number] }),
  };
  return { observation, truth: { S, E } };
}
