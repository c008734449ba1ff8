import type { lowRankApproximation, Matrix, ObservationOf, SolutionOf, SolverContext } from '@parsimony/core';
import type { ClusteringOptions, ClusteringResult } from './engine.js';

type Observation = ObservationOf<typeof lowRankApproximation>;
type Solution = SolutionOf<typeof lowRankApproximation>;

/** The blocks of an observation: the set Ms, or a single M as a set of one. */
export function blocksOf(obs: Observation): Matrix[] {
  return obs.Ms ?? [obs.M!];
}

/** ε: the solver's param, else the observation's errorBound, else 0.1 (the official code's default). */
export function boundOf(obs: Observation, errorBound: number | undefined): number {
  return errorBound ?? obs.errorBound ?? 0.1;
}

/** Bench options: rank and ε from the observation, the signal, one trace point per closed cluster. */
export function benchOptions(obs: Observation, params: { errorBound?: number; patience: number }, ctx: SolverContext): ClusteringOptions {
  return {
    rank: obs.rank,
    errorBound: boundOf(obs, params.errorBound),
    patience: params.patience,
    signal: ctx.signal,
    onCluster: (cluster, size, predicted, remaining) => ctx.report({ iteration: cluster + 1, size, predicted, remaining }),
  };
}

/** The family's solution: one factor pair per block (a shared U for each cluster), or U, V for a single M. */
export function toSolution(obs: Observation, result: ClusteringResult): Solution {
  if (obs.Ms) return { factors: result.factors };
  const { U, V } = result.factors[0];
  return { U, V };
}
