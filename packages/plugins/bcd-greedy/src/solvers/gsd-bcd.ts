import { defineSolver, linearSystem, type LinearSystemObservation, type LinearSystemSolution, type SolverContext, type Static } from '@parsimony/core';
import { greedyBcdSchema, runGreedyBcd } from './greedy-bcd.js';

/** Parameters of {@link solveGsdBcd}: greedy-bcd's, with rule 'gsd', blocks 'variable' and update 'gradient' as defaults. */
export const GsdBcdParams = greedyBcdSchema({ rule: 'gsd', blocks: 'variable', update: 'gradient' });
export type GsdBcdParams = Static<typeof GsdBcdParams>;

/**
 * Greedy BCD preset: the Gauss–Southwell–diagonal rule (the τ largest g_i²/L_i) with gradient updates d = -g_b/L_b, L_b = λ_max(H_bb)
 * (Nutini, Laradji & Schmidt 2017). Same method and options as
 * `bcd-greedy/greedy-bcd`; its own id so that the bench ranks this rule
 * and the paper's claims can compare it.
 *
 * @example
 * const solution = solveGsdBcd(observation, resolveParams(gsdBcdSolver, {}), ctx);
 */
export function solveGsdBcd(obs: LinearSystemObservation, params: GsdBcdParams, ctx: SolverContext): LinearSystemSolution {
  ctx.signal.throwIfAborted();
  return runGreedyBcd(obs, params, ctx.signal, (p) => ctx.report(p)).solution;
}

export const gsdBcdSolver = defineSolver({
  id: 'bcd-greedy/gsd-bcd',
  family: linearSystem,
  title: 'GSD BCD (variable blocks, gradient updates)',
  summary: 'Greedy block coordinate descent preset: the Gauss–Southwell–diagonal rule (the τ largest g_i²/L_i) with gradient updates d = -g_b/L_b, L_b = λ_max(H_bb).',
  params: GsdBcdParams,
  solve: solveGsdBcd,
});
