import { defineSolver, dictionaryLearning, Type, type DictionaryLearningObservation, type DictionaryLearningSolution, type SolverContext, type Static } from '@parsimony/core';
import { codingParamFields, solveWith } from '../internal/solve.js';

/** Parameters of {@link cel0}; defaults live in the schema. */
export const Cel0Params = Type.Object(codingParamFields(), { additionalProperties: false });
export type Cel0Params = Static<typeof Cel0Params>;

/**
 * CEL0 thresholding sparse coding (Rentzeperis et al. 2023): proximal gradient
 * R ← T(R + η Φᵀ(Y − ΦR)) with T(u) = sign(u)·min(|u|, max(|u| − √(2λ)η, 0)/(1 − η)),
 * λ bisected to the target code density ρ = k / atoms; on learning tasks
 * one dictionary step Φ += η_Φ (Y − ΦR)Rᵀ per converged batch.
 *
 * @param observation - a dictionary-learning observation (coding-only when it carries D)
 * @param params - see {@link Cel0Params}
 * @param ctx - rng (initialisation, batch order), signal, report
 * @returns D and X (learning), or X (coding-only)
 * @example
 * const { X } = cel0(observation, { epochs: 6, maxIter: 200, tol: 0.01, densityTol: 0.1, maxBisect: 20 }, ctx);
 */
export function cel0(observation: DictionaryLearningObservation, params: Cel0Params, ctx: SolverContext): DictionaryLearningSolution {
  return solveWith('cel0', observation, params, ctx);
}

/** `beyond-l1/cel0`: {@link cel0} as a registered solver. */
export const cel0Solver = defineSolver({
  id: 'beyond-l1/cel0',
  family: dictionaryLearning,
  title: 'CEL0 thresholding sparse coding',
  summary: 'Olshausen–Field sparse coding with the prox of the continuous exact ℓ0 relaxation (Soubies et al. 2015), unit atoms.',
  params: Cel0Params,
  solve: cel0,
});
