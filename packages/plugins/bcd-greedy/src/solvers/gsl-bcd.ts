import { defineSolver, linearSystem, type LinearSystemObservation, type LinearSystemSolution, type SolverContext, type Static } from '@parsimony/core';
import { greedyBcdSchema, runGreedyBcd } from './greedy-bcd.js';

/** Parameters of {@link solveGslBcd}: greedy-bcd's, with rule 'gsl', blocks 'fixed' and update 'matrix' as defaults. */
export const GslBcdParams = greedyBcdSchema({ rule: 'gsl', blocks: 'fixed', update: 'matrix' });
export type GslBcdParams = Static<typeof GslBcdParams>;

/**
 * Greedy BCD preset: the Gauss–Southwell–Lipschitz rule argmax ||g_b||²/L_b over fixed contiguous blocks, with exact (matrix) block updates
 * (Nutini, Laradji & Schmidt 2017). Same method and options as
 * `bcd-greedy/greedy-bcd`; its own id so that the bench ranks this rule
 * and the paper's claims can compare it.
 *
 * @example
 * const solution = solveGslBcd(observation, resolveParams(gslBcdSolver, {}), ctx);
 */
export function solveGslBcd(obs: LinearSystemObservation, params: GslBcdParams, ctx: SolverContext): LinearSystemSolution {
  ctx.signal.throwIfAborted();
  return runGreedyBcd(obs, params, ctx.signal, (p) => ctx.report(p)).solution;
}

export const gslBcdSolver = defineSolver({
  id: 'bcd-greedy/gsl-bcd',
  family: linearSystem,
  title: 'GSL BCD (fixed blocks, matrix updates)',
  summary: 'Greedy block coordinate descent preset: the Gauss–Southwell–Lipschitz rule argmax ||g_b||²/L_b over fixed contiguous blocks, with exact (matrix) block updates.',
  params: GslBcdParams,
  solve: solveGslBcd,
});
