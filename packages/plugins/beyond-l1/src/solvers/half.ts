import { defineSolver, dictionaryLearning, Type, type DictionaryLearningObservation, type DictionaryLearningSolution, type SolverContext, type Static } from '@parsimony/core';
import { codingParamFields, solveWith } from '../internal/solve.js';

/** Parameters of {@link half}; defaults live in the schema. */
export const HalfParams = Type.Object(codingParamFields(), { additionalProperties: false });
export type HalfParams = Static<typeof HalfParams>;

/**
 * Half thresholding (ℓ1/2) sparse coding (Rentzeperis et al. 2023): proximal gradient
 * R ← T(R + η Φᵀ(Y − ΦR)) with T(u) = the ℓ1/2 thresholding of Xu et al. (2012),
 * λ bisected to the target code density ρ = k / atoms; on learning tasks
 * one dictionary step Φ += η_Φ (Y − ΦR)Rᵀ per converged batch.
 *
 * @param observation - a dictionary-learning observation (coding-only when it carries D)
 * @param params - see {@link HalfParams}
 * @param ctx - rng (initialisation, batch order), signal, report
 * @returns D and X (learning), or X (coding-only)
 * @example
 * const { X } = half(observation, { epochs: 6, maxIter: 200, tol: 0.01, densityTol: 0.1, maxBisect: 20 }, ctx);
 */
export function half(observation: DictionaryLearningObservation, params: HalfParams, ctx: SolverContext): DictionaryLearningSolution {
  return solveWith('half', observation, params, ctx);
}

/** `beyond-l1/half`: {@link half} as a registered solver. */
export const halfSolver = defineSolver({
  id: 'beyond-l1/half',
  family: dictionaryLearning,
  title: 'Half thresholding (ℓ1/2) sparse coding',
  summary: 'Olshausen–Field sparse coding with the ℓ1/2 thresholding of Xu et al. (2012).',
  params: HalfParams,
  solve: half,
});
