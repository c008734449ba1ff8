import { defineSolver, dictionaryLearning, Type, type DictionaryLearningObservation, type DictionaryLearningSolution, type SolverContext, type Static } from '@parsimony/core';
import { codingParamFields, solveWith } from '../internal/solve.js';

/** Parameters of {@link soft}; defaults live in the schema. */
export const SoftParams = Type.Object(codingParamFields(), { additionalProperties: false });
export type SoftParams = Static<typeof SoftParams>;

/**
 * Soft thresholding (ℓ1, ISTA) sparse coding (Rentzeperis et al. 2023): proximal gradient
 * R ← T(R + η Φᵀ(Y − ΦR)) with T(u) = sign(u)·max(|u| − λη, 0),
 * λ bisected to the target code density ρ = k / atoms; on learning tasks
 * one dictionary step Φ += η_Φ (Y − ΦR)Rᵀ per converged batch.
 *
 * @param observation - a dictionary-learning observation (coding-only when it carries D)
 * @param params - see {@link SoftParams}
 * @param ctx - rng (initialisation, batch order), signal, report
 * @returns D and X (learning), or X (coding-only)
 * @example
 * const { X } = soft(observation, { epochs: 6, maxIter: 200, tol: 0.01, densityTol: 0.1, maxBisect: 20 }, ctx);
 */
export function soft(observation: DictionaryLearningObservation, params: SoftParams, ctx: SolverContext): DictionaryLearningSolution {
  return solveWith('soft', observation, params, ctx);
}

/** `beyond-l1/soft`: {@link soft} as a registered solver. */
export const softSolver = defineSolver({
  id: 'beyond-l1/soft',
  family: dictionaryLearning,
  title: 'Soft thresholding (ℓ1, ISTA) sparse coding',
  summary: "Olshausen–Field sparse coding with the ℓ1 prox sign(u)·max(|u| − λη, 0): the paper's reference point.",
  params: SoftParams,
  solve: soft,
});
