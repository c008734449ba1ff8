import { defineSolver, dictionaryLearning, Type, type DictionaryLearningObservation, type DictionaryLearningSolution, type SolverContext, type Static } from '@parsimony/core';
import { codingParamFields, solveWith } from '../internal/solve.js';

/** Parameters of {@link hard}; defaults live in the schema. */
export const HardParams = Type.Object(codingParamFields(), { additionalProperties: false });
export type HardParams = Static<typeof HardParams>;

/**
 * Hard thresholding (ℓ0) sparse coding (Rentzeperis et al. 2023): proximal gradient
 * R ← T(R + η Φᵀ(Y − ΦR)) with T(u) = u·1{|u| ≥ √(λη)},
 * λ bisected to the target code density ρ = k / atoms; on learning tasks
 * one dictionary step Φ += η_Φ (Y − ΦR)Rᵀ per converged batch.
 *
 * @param observation - a dictionary-learning observation (coding-only when it carries D)
 * @param params - see {@link HardParams}
 * @param ctx - rng (initialisation, batch order), signal, report
 * @returns D and X (learning), or X (coding-only)
 * @example
 * const { X } = hard(observation, { epochs: 6, maxIter: 200, tol: 0.01, densityTol: 0.1, maxBisect: 20 }, ctx);
 */
export function hard(observation: DictionaryLearningObservation, params: HardParams, ctx: SolverContext): DictionaryLearningSolution {
  return solveWith('hard', observation, params, ctx);
}

/** `beyond-l1/hard`: {@link hard} as a registered solver. */
export const hardSolver = defineSolver({
  id: 'beyond-l1/hard',
  family: dictionaryLearning,
  title: 'Hard thresholding (ℓ0) sparse coding',
  summary: 'Olshausen–Field sparse coding with the ℓ0 prox u·1{|u| ≥ √(λη)} (iterative hard thresholding).',
  params: HardParams,
  solve: hard,
});
