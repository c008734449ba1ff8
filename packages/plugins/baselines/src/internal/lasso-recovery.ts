/**
 * What ISTA and FISTA share: the penalty rule for sparse recovery, the
 * objective ½‖y − Ax‖² + λ‖x‖₁, and the step size 1/L.
 *
 * Internal module: not exported from the package.
 */
import {
  normSpectral,
  Type,
  type Matrix,
  type SparseRecoveryObservation,
} from '@parsimony/core';
import { columnNorms2, gemvT } from './kernels.js';

/** The `lambda` parameter both solvers declare. */
export const LambdaParam = Type.Optional(
  Type.Number({
    minimum: 0,
    description: 'ℓ1 weight λ of ½‖y − Ax‖² + λ‖x‖₁; default: σ·√(2 ln n)·max_j‖a_j‖ from the observation\'s noiseStd σ, else 1e-3·‖Aᵀy‖_∞',
  }),
);

/**
 * The default λ: the universal threshold σ √(2 ln n) (Donoho & Johnstone
 * 1994), the basis-pursuit-denoising choice of Chen, Donoho & Saunders
 * (1998), scaled by the largest column norm so that the noise correlations
 * a_jᵀe ~ N(0, σ²‖a_j‖²) fall below λ with high probability. Without a
 * noise level (or for noiseless data), λ = 1e-3 ‖Aᵀy‖_∞: close to basis
 * pursuit, while every x with ‖Aᵀ(y − Ax)‖_∞ ≤ λ stays a valid answer.
 *
 * @example
 * noiseLevelLambda(A, y, 0.01); // 0.01 · √(2 ln n) for unit-norm columns
 */
export function noiseLevelLambda(A: Matrix, y: Float64Array, noiseStd: number | undefined): number {
  if (noiseStd !== undefined && noiseStd > 0) {
    let maxNorm2 = 0;
    for (const v of columnNorms2(A)) maxNorm2 = Math.max(maxNorm2, v);
    return noiseStd * Math.sqrt(2 * Math.log(Math.max(A.cols, 2))) * Math.sqrt(maxNorm2);
  }
  const aty = new Float64Array(A.cols);
  gemvT(A.data, A.rows, A.cols, y, aty);
  let mx = 0;
  for (const v of aty) mx = Math.max(mx, Math.abs(v));
  return 1e-3 * mx;
}

/** The default λ of a sparse-recovery observation. */
export function observationLambda(obs: SparseRecoveryObservation): number {
  return noiseLevelLambda(obs.A, obs.y, obs.noiseStd);
}

/**
 * A safe Lipschitz constant of x ↦ Aᵀ(Ax − y): ‖A‖₂², estimated by core's
 * seeded power iteration and raised by 1% because power iteration
 * approaches σ_max from below (a step above 1/‖A‖₂² could increase the
 * objective).
 */
export function lipschitz(A: Matrix): number {
  const s = normSpectral(A, { tol: 1e-8, maxIter: 500 });
  return 1.01 * s * s;
}

/** ½‖r‖² + λ‖x‖₁ given the residual r = y − Ax. */
export function lassoObjective(r: Float64Array, x: Float64Array, lambda: number): number {
  let rr = 0, l1 = 0;
  for (let i = 0; i < r.length; i++) rr += r[i] * r[i];
  for (let j = 0; j < x.length; j++) l1 += Math.abs(x[j]);
  return 0.5 * rr + lambda * l1;
}
