import { defineSolver, linearSystem, type LinearSystemObservation, type LinearSystemSolution, type SolverContext, type Static } from '@parsimony/core';
import { greedyBcdSchema, runGreedyBcd } from './greedy-bcd.js';

/** Parameters of {@link solveGsBcd}: greedy-bcd's, with rule 'gs', blocks 'fixed' and update 'matrix' as defaults. */
export const GsBcdParams = greedyBcdSchema({ rule: 'gs', blocks: 'fixed', update: 'matrix' });
export type GsBcdParams = Static<typeof GsBcdParams>;

/**
 * Greedy BCD preset: the Gauss–Southwell rule argmax ||g_b|| over fixed contiguous blocks, with exact (matrix) block updates: the classical greedy rule the paper improves on
 * (Nutini, Laradji & Schmidt 2017). Same method and options as
 * `bcd-greedy/greedy-bcd`; its own id so that the bench ranks this rule
 * and the paper's claims can compare it.
 *
 * @example
 * const solution = solveGsBcd(observation, resolveParams(gsBcdSolver, {}), ctx);
 */
export function solveGsBcd(obs: LinearSystemObservation, params: GsBcdParams, ctx: SolverContext): LinearSystemSolution {
  ctx.signal.throwIfAborted();
  return runGreedyBcd(obs, params, ctx.signal, (p) => ctx.report(p)).solution;
}

export const gsBcdSolver = defineSolver({
  id: 'bcd-greedy/gs-bcd',
  family: linearSystem,
  title: 'Gauss–Southwell BCD (fixed blocks, matrix updates)',
  summary: 'Greedy block coordinate descent preset: the Gauss–Southwell rule argmax ||g_b|| over fixed contiguous blocks, with exact (matrix) block updates: the classical greedy rule the paper improves on.',
  params: GsBcdParams,
  solve: solveGsBcd,
});
