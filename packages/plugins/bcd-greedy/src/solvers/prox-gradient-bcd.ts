import {
  defineSolver,
  sparseOptimization,
  type SolverContext,
  type SparseOptimizationObservation,
  type SparseOptimizationSolution,
  type Static,
} from '@parsimony/core';
import { proxGreedyBcdSchema, solveProxGreedyBcd } from './prox-greedy-bcd.js';

/** Parameters of {@link solveProxGradientBcd}: prox-greedy-bcd's, with update 'gradient' as the default. */
export const ProxGradientBcdParams = proxGreedyBcdSchema('gradient');
export type ProxGradientBcdParams = Static<typeof ProxGradientBcdParams>;

/**
 * Proximal greedy BCD without the switch: GS-q blocks and proximal gradient
 * steps x_b ← prox(x_b - g_b/L_b) throughout (Nutini, Laradji & Schmidt 2017;
 * Tseng & Yun 2009). Same method and options as `bcd-greedy/prox-greedy-bcd`;
 * its own id so that the paper's claim (Newton steps after identification
 * beat gradient steps) can compare the two.
 *
 * @example
 * const solution = solveProxGradientBcd(observation, resolveParams(proxGradientBcdSolver, {}), ctx);
 */
export function solveProxGradientBcd(obs: SparseOptimizationObservation, params: ProxGradientBcdParams, ctx: SolverContext): SparseOptimizationSolution {
  return solveProxGreedyBcd(obs, params, ctx);
}

export const proxGradientBcdSolver = defineSolver({
  id: 'bcd-greedy/prox-gradient-bcd',
  family: sparseOptimization,
  title: 'Proximal greedy BCD (gradient steps only)',
  summary: 'Proximal greedy block coordinate descent with the GS-q rule and proximal gradient steps throughout: the reference for the active-set Newton switch of prox-greedy-bcd.',
  params: ProxGradientBcdParams,
  solve: solveProxGradientBcd,
});
