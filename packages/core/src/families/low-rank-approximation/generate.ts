import { Matrix, matmul } from '../../linalg/index.js';
import type { Rng } from '../../random/index.js';
import type { Instance } from '../../plugin/family.js';
import { badParam, haarOrthonormal } from '../common.js';
import { truncatedSvdError } from './score.js';
import type { LowRankApproximationObservation, LowRankApproximationParams, LowRankApproximationTruth } from './schema.js';

const fail = (field: string, problem: string) => badParam('low-rank-approximation', field, problem);

/** M = U diag(decay^i) Vᵀ + noise·G/√max(m, n), U and V Haar (σ_0 = 1). */
function decayingMatrix(p: LowRankApproximationParams, rng: Rng): Matrix {
  const { m, n } = p, k = Math.min(m, n);
  const U = haarOrthonormal(m, k, rng), V = haarOrthonormal(n, k, rng);
  const US = U.data as Float64Array;
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) US[i * k + j] *= Math.pow(p.decay, j);
  const M = matmul(U, V, { transB: true });
  const s = p.noise / Math.sqrt(Math.max(m, n));
  if (s > 0) for (let t = 0; t < M.data.length; t++) (M.data as Float64Array)[t] += s * rng.normal();
  return M;
}

/**
 * Paper 08's blocks: G groups with orthonormal bases U_g (m x groupDim) whose
 * neighbours share one direction; block i of group g is
 * s_i (U_g C_i + 0.02 E_i), C_i and E_i Gaussian, s_i log-normal (σ = 0.7).
 */
function blockSet(p: LowRankApproximationParams, rng: Rng): { Ms: Matrix[]; groups: number[] } {
  const { m, groups: G, groupDim: d, blockCols: k } = p;
  const width = G * (d - 1) + 1;
  if (width > m) throw fail('m', `= ${m} is too small for ${G} groups of dimension ${d} sharing one direction with each neighbour; need m >= ${width}`);
  const B = haarOrthonormal(m, width, rng);
  const Ms: Matrix[] = [], groups: number[] = [];
  for (let b = 0; b < p.blocks; b++) {
    const g = rng.int(G), s = Math.exp(0.7 * rng.normal());
    // U_g = columns g(d-1) .. g(d-1)+d-1 of B.
    const Ug = Matrix.zeros(m, d);
    for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) Ug.data[i * d + j] = B.data[i * width + g * (d - 1) + j];
    const C = Matrix.zeros(d, k);
    rng.fillNormal(C.data as Float64Array);
    const A = matmul(Ug, C);
    const a = A.data as Float64Array;
    for (let t = 0; t < a.length; t++) a[t] = s * (a[t] + 0.02 * rng.normal());
    Ms.push(A);
    groups.push(g);
  }
  return { Ms, groups };
}

/**
 * Draws one matrix with a geometrically decaying spectrum plus noise (and
 * optional weights), or paper 08's set of blocks; stores the truncated-SVD
 * error that ey_ratio divides by (core svd).
 */
export function generateLowRankApproximation(p: LowRankApproximationParams, rng: Rng): Instance<LowRankApproximationObservation, LowRankApproximationTruth> {
  if (p.errorBoundMode === 'soft' && p.errorBound === undefined) throw fail('errorBoundMode', "= 'soft' needs params.errorBound (the bound to count violations of)");
  // A hard bound (the default) adds no field, so existing instances are unchanged.
  const bound = p.errorBound !== undefined ? { errorBound: p.errorBound, ...(p.errorBoundMode === 'soft' && { errorBoundMode: 'soft' as const }) } : {};
  if (p.variant === 'set') {
    if (p.weights !== 'none') throw fail('weights', `= '${p.weights}' is only available for variant 'single'`);
    const { Ms, groups } = blockSet(p, rng);
    return { observation: { Ms, rank: p.rank, ...bound }, truth: { svdError: 0, groups } };
  }
  if (p.rank > Math.min(p.m, p.n)) throw fail('rank', `= ${p.rank} exceeds min(m, n) = ${Math.min(p.m, p.n)}`);
  const M = decayingMatrix(p, rng);
  let weights: Matrix | undefined, rowWeights: Float64Array | undefined;
  if (p.weights === 'elementwise') {
    weights = Matrix.zeros(p.m, p.n);
    for (let t = 0; t < weights.data.length; t++) (weights.data as Float64Array)[t] = Math.exp(rng.normal());
  } else if (p.weights === 'rows') {
    rowWeights = Float64Array.from({ length: p.m }, () => Math.exp(rng.normal()));
  }
  return {
    observation: { M, rank: p.rank, ...(weights && { weights }), ...(rowWeights && { rowWeights }), ...bound },
    truth: { svdError: truncatedSvdError(M, p.rank, weights, rowWeights) },
  };
}
