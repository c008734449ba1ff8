import type { MetricSpec } from '../../plugin/family.js';
import { matmul, svd, type Matrix } from '../../linalg/index.js';
import { clampMetric } from '../common.js';
import type { LowRankApproximationObservation, LowRankApproximationSolution, LowRankApproximationTruth, LowRankFactors } from './schema.js';

/** The metrics of `low-rank-approximation`, one primary (formulas in README.md). */
export const lowRankApproximationMetrics: readonly MetricSpec[] = [
  { id: 'ey_ratio', label: 'Eckart-Young ratio', direction: 'min', primary: true, description: '||W∘(M - M̂)||_F / ||W∘(M - M_r)||_F, M_r the truncated SVD (1 = optimal unweighted; set: per group sharing a left factor)' },
  { id: 'rel_err', label: 'Relative error', direction: 'min', description: '||M - M̂||_F / ||M||_F (over all matrices)' },
  { id: 'rank_used', label: 'Rank used', direction: 'min', description: 'largest inner dimension k of the returned factors' },
  { id: 'memory_floats', label: 'Memory', direction: 'min', unit: 'floats', description: 'floats of the factors, a shared left factor counted once' },
  { id: 'compression_ratio', label: 'Compression ratio', direction: 'min', description: 'memory_floats / the entries of the matrices (paper 08: Σ_C r(m + Σ_{i∈C} k_i) / (m Σ k_i))' },
  { id: 'clusters', label: 'Clusters', direction: 'min', description: 'number of distinct left factors (groups of matrices sharing one; 1 for a single M)' },
  { id: 'max_group_err', label: 'Max group error', direction: 'min', description: 'max over groups sharing a left factor of ||[M_i - M̂_i]||_F / ||[M_i]||_F (unweighted)' },
  { id: 'violation_rate', label: 'Violation rate', direction: 'min', description: 'fraction of groups sharing a left factor whose relative error exceeds errorBound (0 without a bound; > 0 only with a soft bound)' },
];

/** Squared Frobenius norm of W∘A (W entrywise or by rows; none: plain). */
function weightedSq(A: Matrix, W?: Matrix, w?: Float64Array): number {
  let s = 0;
  const { rows, cols, data } = A;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const x = data[i * cols + j] * (W ? W.data[i * cols + j] : w ? w[i] : 1);
      s += x * x;
    }
  return s;
}

/** M - U Vᵀ, halved first so that absurd factors cannot overflow the subtraction (the squares may still reach Infinity and are clamped). */
function residual(M: Matrix, f: LowRankFactors): Matrix {
  const P = matmul(f.U, f.V, { transB: true });
  const out = P.data as Float64Array;
  for (let t = 0; t < out.length; t++) out[t] = 2 * (0.5 * M.data[t] - 0.5 * out[t]);
  return P;
}

/** ||W∘(M - M_r)||_F for the rank-r truncated SVD M_r of M (core svd). */
export function truncatedSvdError(M: Matrix, r: number, W?: Matrix, w?: Float64Array): number {
  const { U, s, V } = svd(M);
  const k = Math.min(r, s.length);
  if (!W && !w) {
    // Eckart-Young: the discarded singular values.
    let t = 0;
    for (let i = k; i < s.length; i++) t += s[i] * s[i];
    return Math.sqrt(t);
  }
  const Us = { rows: U.rows, cols: k, data: new Float64Array(U.rows * k) };
  const Vk = { rows: V.rows, cols: k, data: new Float64Array(V.rows * k) };
  for (let i = 0; i < U.rows; i++) for (let j = 0; j < k; j++) Us.data[i * k + j] = U.data[i * U.cols + j] * s[j];
  for (let i = 0; i < V.rows; i++) for (let j = 0; j < k; j++) Vk.data[i * k + j] = V.data[i * V.cols + j];
  return Math.sqrt(weightedSq(residual(M, { U: Us, V: Vk }), W, w));
}

/** Groups of matrix indices whose left factors are byte-identical (a shared basis). */
export function sharedGroups(factors: readonly LowRankFactors[]): number[][] {
  const groups: number[][] = [];
  const same = (a: Matrix, b: Matrix) => {
    if (a === b) return true;
    if (a.rows !== b.rows || a.cols !== b.cols) return false;
    for (let t = 0; t < a.data.length; t++) if (a.data[t] !== b.data[t]) return false;
    return true;
  };
  for (let i = 0; i < factors.length; i++) {
    const g = groups.find((grp) => same(factors[grp[0]].U, factors[i].U));
    if (g) g.push(i);
    else groups.push([i]);
  }
  return groups;
}

/** The matrices and factor pairs of an observation/solution, whatever the variant. */
export function pairsOf(obs: LowRankApproximationObservation, sol: LowRankApproximationSolution): { Ms: Matrix[]; factors: LowRankFactors[] } {
  if (obs.Ms) return { Ms: obs.Ms, factors: sol.factors ?? [] };
  return { Ms: [obs.M!], factors: sol.U && sol.V ? [{ U: sol.U, V: sol.V }] : [] };
}

/**
 * Relative error ||[M_i - M̂_i]_{i∈g}||_F / ||[M_i]_{i∈g}||_F of every group g
 * of matrices sharing a left factor, from per-matrix squared errors.
 */
export function groupErrors(Ms: readonly Matrix[], groups: readonly (readonly number[])[], errSq: readonly number[]): number[] {
  return groups.map((g) => {
    const num = g.reduce((s, i) => s + errSq[i], 0), den = g.reduce((s, i) => s + weightedSq(Ms[i]), 0);
    return Math.sqrt(num / Math.max(den, 1e-300));
  });
}

/** Whether a group's relative error is within the bound (with a 1e-9 relative slack for rounding). */
export const withinBound = (rel: number, bound: number): boolean => rel <= bound * (1 + 1e-9);

/** Horizontal concatenation [A_1, ..., A_k] of matrices with equal row counts. */
function hcat(parts: readonly Matrix[]): Matrix {
  const rows = parts[0].rows, cols = parts.reduce((s, p) => s + p.cols, 0);
  const out = { rows, cols, data: new Float64Array(rows * cols) };
  let off = 0;
  for (const p of parts) {
    for (let i = 0; i < rows; i++) out.data.set(p.data.subarray(i * p.cols, (i + 1) * p.cols), i * cols + off);
    off += p.cols;
  }
  return out;
}

/** Per-matrix squared errors ||M_i - M̂_i||²_F (unweighted). */
export function errorsSq(Ms: readonly Matrix[], factors: readonly LowRankFactors[]): number[] {
  return Ms.map((M, i) => weightedSq(residual(M, factors[i])));
}

/**
 * Metrics of a schema-valid solution that passed `checkSolution` (see README.md).
 * Pure: the observation, truth and solution are not mutated; every value is finite.
 */
export function scoreLowRankApproximation(obs: LowRankApproximationObservation, truth: LowRankApproximationTruth, sol: LowRankApproximationSolution): Record<string, number> {
  const { Ms, factors } = pairsOf(obs, sol);
  const plain = errorsSq(Ms, factors);
  const normsSq = Ms.map((M) => weightedSq(M));
  let num: number, den: number, scaleSq: number;
  if (obs.M) {
    num = obs.weights || obs.rowWeights ? weightedSq(residual(obs.M, factors[0]), obs.weights, obs.rowWeights) : plain[0];
    den = truth.svdError ** 2;
    scaleSq = weightedSq(obs.M, obs.weights, obs.rowWeights);
  } else {
    // The optimum given the solver's sharing: one truncated SVD per group's concatenation.
    num = plain.reduce((a, b) => a + b, 0);
    den = sharedGroups(factors).reduce((s, g) => s + truncatedSvdError(hcat(g.map((i) => Ms[i])), obs.rank) ** 2, 0);
    scaleSq = normsSq.reduce((a, b) => a + b, 0);
  }
  // δ keeps the ratio finite (and 1 when both errors vanish, e.g. blocks of rank <= r).
  const delta = 1e-24 * scaleSq + 1e-300;
  const groups = sharedGroups(factors);
  let memory = 0;
  for (const g of groups) memory += factors[g[0]].U.data.length;
  for (const f of factors) memory += f.V.data.length;
  const groupErr = groupErrors(Ms, groups, plain);
  const bound = obs.errorBound;
  const violations = bound === undefined ? 0 : groupErr.filter((e) => !withinBound(e, bound)).length;
  return {
    ey_ratio: clampMetric(Math.sqrt((num + delta) / (den + delta))),
    rel_err: clampMetric(Math.sqrt(plain.reduce((a, b) => a + b, 0) / Math.max(normsSq.reduce((a, b) => a + b, 0), 1e-300))),
    rank_used: Math.max(...factors.map((f) => f.U.cols)),
    memory_floats: memory,
    compression_ratio: memory / Math.max(Ms.reduce((s, M) => s + M.data.length, 0), 1),
    clusters: groups.length,
    max_group_err: clampMetric(Math.max(...groupErr)),
    violation_rate: violations / groups.length,
  };
}
