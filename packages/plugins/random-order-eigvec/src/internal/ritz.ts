import { Matrix, eigh } from '@parsimony/core';

/** Eigenvalues of the basis Gram matrix below this fraction of the largest are treated as 0 (dependent basis vectors). */
export const GRAM_RANK_TOL = 1e-10;

/** Copies the k x k upper-left block of a row-major buffer of leading dimension ld, symmetrized exactly. */
function symBlock(a: Float64Array, k: number, ld: number): Matrix {
  const out = Matrix.zeros(k, k);
  const o = out.data;
  for (let i = 0; i < k; i++) {
    o[i * k + i] = a[i * ld + i];
    for (let j = i + 1; j < k; j++) o[i * k + j] = o[j * k + i] = 0.5 * (a[i * ld + j] + a[j * ld + i]);
  }
  return out;
}

/**
 * The orthonormalizing map of a possibly dependent basis: with G = VᵀV =
 * Q Λ Qᵀ (core's `eigh`), W = Q_r Λ_r^(-1/2) over the r eigenvalues above
 * {@link GRAM_RANK_TOL}·λ_max, so V W has orthonormal columns spanning V.
 *
 * @param G - k x k Gram matrix (row-major, leading dimension ld)
 * @returns W (k x r)
 */
export function orthonormalizer(G: Float64Array, k: number, ld: number): Matrix {
  const { values, vectors } = eigh(symBlock(G, k, ld));
  const top = values[k - 1];
  let r = 0;
  while (r < k && values[k - 1 - r] > GRAM_RANK_TOL * top) r++;
  const W = Matrix.zeros(k, r);
  for (let c = 0; c < r; c++) {
    const e = k - 1 - c;
    const s = 1 / Math.sqrt(values[e]);
    for (let i = 0; i < k; i++) W.data[i * r + c] = vectors.data[i * k + e] * s;
  }
  return W;
}

/**
 * Rayleigh–Ritz in a non-orthonormal basis V of k vectors: the top
 * eigenpair of the pencil (K, G) with K = Vᵀ M V and G = VᵀV, i.e. the top
 * Ritz pair of M on span V. Dependent basis vectors are dropped through
 * {@link orthonormalizer}.
 *
 * @param K - k x k (symmetrized here), leading dimension ld
 * @param G - k x k Gram matrix, leading dimension ld
 * @returns the coefficients x (V x is the Ritz vector, unit when V has the Gram G) and the Ritz value
 */
export function topRitz(K: Float64Array, G: Float64Array, k: number, ld: number): { x: Float64Array; value: number } {
  const W = orthonormalizer(G, k, ld);
  const r = W.cols;
  const x = new Float64Array(k);
  if (r === 0) return { x, value: 0 };
  // Wᵀ K W, r x r.
  const KW = new Float64Array(k * r);
  for (let i = 0; i < k; i++)
    for (let c = 0; c < r; c++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += 0.5 * (K[i * ld + j] + K[j * ld + i]) * W.data[j * r + c];
      KW[i * r + c] = s;
    }
  const S = Matrix.zeros(r, r);
  for (let a = 0; a < r; a++)
    for (let b = a; b < r; b++) {
      let s = 0;
      for (let i = 0; i < k; i++) s += W.data[i * r + a] * KW[i * r + b];
      S.data[a * r + b] = S.data[b * r + a] = s;
    }
  const { values, vectors } = eigh(S);
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let c = 0; c < r; c++) s += W.data[i * r + c] * vectors.data[c * r + r - 1];
    x[i] = s;
  }
  return { x, value: values[r - 1] };
}

/**
 * Floats {@link topRitz} allocates itself for a basis of k vectors: the
 * symmetrized copy, W, K W and Wᵀ K W (k² each at most) and x. Core's
 * `eigh` scratch is not counted (as for every solver of the family).
 */
export function ritzFloats(k: number): number {
  return 4 * k * k + k;
}
