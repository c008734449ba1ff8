import type { Matrix, SparseRecoveryObservation } from '@parsimony/core';

/** The bench task `sparse-recovery/krosbl` (paper 03): A = A_1 ⊗ A_2 (10x16 each), x = x_1 ⊗ x_2 with 3 nonzeros each, 20 dB. */
export const KRON_TASK = { matrix: 'kronecker', m: 100, n: 256, k: 9, kroneckerM1: 10, kroneckerN1: 16, kroneckerSparsity: [3, 3], snrDb: 20 } as const;

/** The bench task `sparse-recovery/krosbl-scale`: three factors 8x12, 10x12, 12x12, 3 nonzeros each, 20 dB. */
export const KRON_SCALE_TASK = {
  matrix: 'kronecker',
  m: 960,
  n: 1728,
  k: 27,
  kroneckerRows: [8, 10, 12],
  kroneckerCols: [12, 12, 12],
  kroneckerSparsity: [3, 3, 3],
  snrDb: 20,
} as const;

/** The Kronecker factors of an observation (throws when it has none). */
export function factorsOf(o: SparseRecoveryObservation): Matrix[] {
  if (o.structure?.kind !== 'kronecker') throw new Error('not a Kronecker instance');
  return o.structure.factors;
}

/** ‖a − b‖ / ‖b‖. */
export function rel(a: Float64Array, b: Float64Array): number {
  let num = 0, den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
}

/** 20 log10 ‖x̂ − x‖/‖x‖, the family's nmse_db. */
export function nmseDb(xhat: Float64Array, x: Float64Array): number {
  return 20 * Math.log10(rel(xhat, x));
}
