import { ParsimonyError } from '@parsimony/core';

/** Options of {@link betaLloydMax}. */
export interface LloydMaxOptions {
  /** Points of the quadrature grid (default 200 000; raised to 16·2^b for very large b). */
  readonly gridSize?: number;
  /** Lloyd iterations (default 300). */
  readonly iterations?: number;
  /** Reuse a codebook computed before for the same (d, b, grid, iterations) (default true). */
  readonly cache?: boolean;
}

/** A scalar codebook: sorted centroids and the midpoints between them. */
export interface ScalarCodebook {
  /** 2^b centroids, increasing, symmetric about 0. */
  readonly centroids: Float64Array;
  /** The 2^b − 1 decision thresholds (midpoints of consecutive centroids). */
  readonly boundaries: Float64Array;
  /** Expected squared error per coordinate times d: the D_mse the codebook gives a unit vector. */
  readonly distortion: number;
}

const cache = new Map<string, ScalarCodebook>();

/**
 * The grid of the coordinate density of a uniform unit vector in ℝᵈ,
 * f(t) ∝ (1 − t²)^((d−3)/2) on [−1, 1] (paper, Lemma 1), as prefix sums of
 * the masses w, w·t and w·t² of G midpoint cells. The grid covers
 * [−L, L] with L = min(1, 12/√d): beyond 12 standard deviations the mass
 * is below e^−72.
 */
function betaGrid(d: number, G: number) {
  const L = Math.min(1, 12 / Math.sqrt(d));
  const h = (2 * L) / G;
  const p0 = new Float64Array(G + 1), p1 = new Float64Array(G + 1), p2 = new Float64Array(G + 1);
  const e = (d - 3) / 2;
  for (let k = 0; k < G; k++) {
    const t = -L + (k + 0.5) * h;
    // Logs keep (1 − t²)^e finite for d in the thousands.
    const w = Math.exp(e * Math.log1p(-t * t));
    p0[k + 1] = p0[k] + w;
    p1[k + 1] = p1[k] + w * t;
    p2[k + 1] = p2[k] + w * t * t;
  }
  return { L, h, p0, p1, p2 };
}

/**
 * The Lloyd–Max (optimal scalar, MSE) codebook of 2^b levels for one
 * coordinate of a uniformly random unit vector in ℝᵈ — the Beta-type law
 * f(t) ∝ (1 − t²)^((d−3)/2) that a random rotation induces (TurboQuant,
 * Lemma 1). Continuous 1-D k-means on a fine grid: centroids start at
 * the quantiles (i + ½)/2^b, then each iteration moves every centroid to the
 * conditional mean of its cell between midpoints; with prefix sums over the
 * grid an iteration costs O(2^b). Symmetrised at the end. Cached per
 * (d, b, options).
 *
 * @param d - dimension of the unit vectors (≥ 2)
 * @param bits - b ≥ 1: 2^b levels
 * @param options - grid size and iterations
 * @returns the centroids, thresholds and the expected distortion d·E(t − c(t))²
 * @example
 * betaLloydMax(128, 1).centroids[1] * Math.sqrt(128); // => 0.797... (≈ √(2/π))
 */
export function betaLloydMax(d: number, bits: number, options: LloydMaxOptions = {}): ScalarCodebook {
  if (!Number.isInteger(d) || d < 2) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `betaLloydMax: d must be an integer >= 2, got ${d}`, 'd');
  if (!Number.isInteger(bits) || bits < 1 || bits > 16) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `betaLloydMax: bits must be an integer in 1..16, got ${bits}`, 'bits');
  const K = 2 ** bits;
  const G = Math.max(options.gridSize ?? 200_000, 16 * K);
  const iterations = options.iterations ?? 300;
  const key = `${d}:${bits}:${G}:${iterations}`;
  const hit = options.cache === false ? undefined : cache.get(key);
  if (hit) return hit;

  const { L, h, p0, p1, p2 } = betaGrid(d, G);
  const total = p0[G];
  // Cell i of the grid is [lo_i, hi_i): grid index of the first point right of a threshold m.
  const cut = (m: number) => Math.min(G, Math.max(0, Math.ceil((m + L) / h - 0.5)));
  const c = new Float64Array(K);
  // Start at the quantiles (i + 1/2)/K.
  let k = 0;
  for (let i = 0; i < K; i++) {
    const target = ((i + 0.5) / K) * total;
    while (k < G && p0[k + 1] < target) k++;
    c[i] = -L + (k + 0.5) * h;
  }
  const idx = new Int32Array(K + 1);
  idx[K] = G;
  for (let it = 0; it < iterations; it++) {
    for (let i = 1; i < K; i++) idx[i] = cut(0.5 * (c[i - 1] + c[i]));
    for (let i = 0; i < K; i++) {
      const mass = p0[idx[i + 1]] - p0[idx[i]];
      // An empty cell keeps its centroid (happens only for absurd b on a coarse grid).
      if (mass > 0) c[i] = (p1[idx[i + 1]] - p1[idx[i]]) / mass;
    }
  }
  // The law is symmetric; remove the grid's rounding asymmetry.
  for (let i = 0; i < K / 2; i++) {
    const v = 0.5 * (c[K - 1 - i] - c[i]);
    c[i] = -v;
    c[K - 1 - i] = v;
  }
  const boundaries = new Float64Array(K - 1);
  for (let i = 1; i < K; i++) {
    boundaries[i - 1] = 0.5 * (c[i - 1] + c[i]);
    idx[i] = cut(boundaries[i - 1]);
  }
  // E(t − c)² over each cell = ∫ w t² − 2c ∫ w t + c² ∫ w.
  let err = 0;
  for (let i = 0; i < K; i++) {
    const a = idx[i], b = idx[i + 1];
    err += p2[b] - p2[a] - 2 * c[i] * (p1[b] - p1[a]) + c[i] * c[i] * (p0[b] - p0[a]);
  }
  const book: ScalarCodebook = { centroids: c, boundaries, distortion: (d * err) / total };
  cache.set(key, book);
  return book;
}

/**
 * Index of the nearest centroid: the number of thresholds below y (binary
 * search over the midpoints, as the paper's argmin over |y − c_i|).
 */
export function nearestLevel(boundaries: Float64Array, y: number): number {
  let lo = 0, hi = boundaries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (y > boundaries[mid]) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
