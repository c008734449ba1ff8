import type { Claim } from '@parsimony/core';

/** Reference values of the paper's distortion table (b = 1..4), as checked by the numpy prototype. */
const MSE = [0.36, 0.117, 0.034, 0.0093] as const;
const IP_ERR = [1.55, 0.55, 0.18, 0.05] as const;

/** Rounds away float noise from the tolerance products (0.396, not 0.39600000000000004). */
const r = (x: number) => Number(x.toPrecision(4));

/**
 * The paper's claims as data; the leaderboard evaluates them on bench
 * results (median over seeds). Tasks: `vector-quantization/turboquant-b<b>`
 * (uniform unit vectors, d = 128, online, b = 1..4) and
 * `vector-quantization/turboquant-pq` (the same at b = 2, offline, so that
 * product quantization may train on the data).
 */
export const claims: Claim[] = [
  ...MSE.map(
    (ref, i): Claim => ({
      id: `mse-b${i + 1}`,
      statement: `TurboQuant-mse reaches D_mse ≈ ${ref} on unit vectors at b = ${i + 1} (within 10%)`,
      task: `vector-quantization/turboquant-b${i + 1}`,
      metric: 'mse',
      solver: 'turboquant/turboquant-mse',
      value: r(1.1 * ref),
      source: 'Theorem 1: D_mse ≈ 0.36, 0.117, 0.03, 0.009 for b = 1..4',
    }),
  ),
  {
    id: 'near-lower-bound',
    statement: 'TurboQuant-mse is within √3π/2 ≈ 2.72 of the 4^-b lower bound on D_mse (the gap is largest at b = 4)',
    task: 'vector-quantization/turboquant-b4',
    metric: 'ratio_to_lower_bound',
    solver: 'turboquant/turboquant-mse',
    value: 2.72,
    source: 'Theorem 1 (upper bound) and Theorem 3 (lower bound)',
  },
  ...IP_ERR.map(
    (ref, i): Claim => ({
      id: `prod-ip-err-b${i + 1}`,
      statement: `TurboQuant-prod reaches D_prod·d ≈ ${ref} on unit vectors at b = ${i + 1} (within 15%)`,
      task: `vector-quantization/turboquant-b${i + 1}`,
      metric: 'ip_err',
      solver: 'turboquant/turboquant-prod',
      value: r(1.15 * ref),
      source: 'Theorem 2: D_prod ≈ 1.57/d, 0.56/d, 0.18/d, 0.047/d for b = 1..4',
    }),
  ),
  ...[1, 2, 3, 4].map(
    (b): Claim => ({
      id: `prod-unbiased-b${b}`,
      statement: `TurboQuant-prod gives unbiased inner products at b = ${b}: the slope of ⟨y, x̂⟩ on ⟨y, x⟩ is 1 ± 0.02`,
      task: `vector-quantization/turboquant-b${b}`,
      metric: 'ip_bias',
      solver: 'turboquant/turboquant-prod',
      value: 0.02,
      source: 'Theorem 2 (E⟨y, x̂⟩ = ⟨y, x⟩)',
    }),
  ),
  {
    id: 'mse-vs-pq',
    statement: 'At the same bits on unit vectors, TurboQuant-mse distorts no more than k-means product quantization, with no training',
    task: 'vector-quantization/turboquant-pq',
    metric: 'mse',
    solver: 'turboquant/turboquant-mse',
    versus: 'baselines/product-quantization',
    margin: 0,
    source: 'the nearest-neighbour experiments against PQ (recall and indexing time), restated for distortion in the paper file',
  },
];
