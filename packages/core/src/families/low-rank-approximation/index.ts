import { defineFamily } from '../../plugin/family.js';
import { Matrix } from '../../linalg/index.js';
import { expectLength, expectShape } from '../common.js';
import { LowRankApproximationObservation, LowRankApproximationParams, LowRankApproximationSolution, LowRankApproximationTruth } from './schema.js';
import { generateLowRankApproximation } from './generate.js';
import { errorsSq, groupErrors, lowRankApproximationMetrics, pairsOf, scoreLowRankApproximation, sharedGroups, withinBound } from './score.js';

export * from './schema.js';
export { generateLowRankApproximation } from './generate.js';
export { truncatedSvdError, sharedGroups, groupErrors } from './score.js';

/**
 * Approximate a matrix (or a set of matrices, sharing left factors) by low
 * rank, optionally weighted or under an error bound. See README.md in this folder.
 *
 * @example
 * const { observation, truth } = generateInstance(lowRankApproximation, { m: 40, n: 30, rank: 3 }, [1]);
 */
export const lowRankApproximation = defineFamily({
  id: 'low-rank-approximation',
  title: 'Low-rank approximation',
  summary: 'Approximate a matrix, or a set of matrices, by rank-r factors U Vᵀ with the least (weighted) Frobenius error.',
  schemas: {
    params: LowRankApproximationParams,
    observation: LowRankApproximationObservation,
    truth: LowRankApproximationTruth,
    solution: LowRankApproximationSolution,
  },
  metrics: lowRankApproximationMetrics,
  presets: {
    quick: { m: 300, n: 200, rank: 10 },
    default: { m: 600, n: 400, rank: 20 },
    scale: [100, 200, 300, 400, 500].map((n) => ({ m: (3 * n) / 2, n, rank: 10 })),
  },
  generate: generateLowRankApproximation,
  checkObservation(obs) {
    if ((obs.M === undefined) === (obs.Ms === undefined)) return { field: 'observation.M', message: 'observation must hold either M or Ms (exactly one)' };
    if (obs.Ms) {
      const m = obs.Ms[0].rows;
      const bad = obs.Ms.findIndex((A) => A.rows !== m);
      if (bad >= 0) return { field: `observation.Ms[${bad}]`, message: `observation.Ms[${bad}] has ${obs.Ms[bad].rows} rows, Ms[0] has ${m}` };
      if (obs.weights || obs.rowWeights) return { field: 'observation.weights', message: 'weights are only supported with a single M' };
      return undefined;
    }
    const M = obs.M!;
    if (obs.weights && obs.rowWeights) return { field: 'observation.rowWeights', message: 'give observation.weights or observation.rowWeights, not both' };
    if (obs.weights) {
      const p = expectShape('observation.weights', obs.weights, M.rows, M.cols);
      if (p) return p;
      const neg = obs.weights.data.findIndex((v) => v < 0);
      if (neg >= 0) return { field: `observation.weights.data[${neg}]`, message: `observation.weights.data[${neg}] = ${obs.weights.data[neg]}; weights must be >= 0` };
    }
    if (obs.rowWeights) {
      const p = expectLength('observation.rowWeights', obs.rowWeights, M.rows, 'the rows of M');
      if (p) return p;
      const neg = obs.rowWeights.findIndex((v) => v < 0);
      if (neg >= 0) return { field: `observation.rowWeights[${neg}]`, message: `observation.rowWeights[${neg}] = ${obs.rowWeights[neg]}; weights must be >= 0` };
    }
    return undefined;
  },
  checkSolution(obs, sol) {
    if (obs.M && (!sol.U || !sol.V)) return { field: sol.U ? 'solution.V' : 'solution.U', message: 'solution.U and solution.V are required for a single M' };
    if (obs.Ms) {
      if (!sol.factors) return { field: 'solution.factors', message: `solution.factors is required: one {U, V} per matrix (${obs.Ms.length})` };
      if (sol.factors.length !== obs.Ms.length) return { field: 'solution.factors', message: `solution.factors has ${sol.factors.length} pairs, observation.Ms has ${obs.Ms.length} matrices` };
    }
    const { Ms, factors } = pairsOf(obs, sol);
    for (let i = 0; i < Ms.length; i++) {
      const name = obs.M ? 'solution.' : `solution.factors[${i}].`;
      const { U, V } = factors[i];
      if (U.cols < 1 || U.cols > obs.rank) return { field: `${name}U`, message: `${name}U has ${U.cols} columns; the rank must be 1..r = ${obs.rank}` };
      const p = expectShape(`${name}U`, U, Ms[i].rows, U.cols) ?? expectShape(`${name}V`, V, Ms[i].cols, U.cols);
      if (p) return p;
    }
    // A soft bound is scored (violation_rate) instead of enforced.
    if (obs.errorBound !== undefined && obs.errorBoundMode !== 'soft') {
      const groups = sharedGroups(factors);
      const rels = groupErrors(Ms, groups, errorsSq(Ms, factors));
      for (const [t, g] of groups.entries()) {
        const rel = rels[t];
        if (!withinBound(rel, obs.errorBound)) {
          const name = obs.M ? 'solution.U' : `solution.factors[${g[0]}]`;
          const shared = g.length > 1 ? ` (with the ${g.length - 1} other matrices sharing its U)` : '';
          return { field: name, message: `${name}${shared} has relative error ${rel.toPrecision(4)} > errorBound = ${obs.errorBound}` };
        }
      }
    }
    return undefined;
  },
  trivialSolution: (obs) => {
    const zero = (M: Matrix) => ({ U: Matrix.zeros(M.rows, 1), V: Matrix.zeros(M.cols, 1) });
    return obs.Ms ? { factors: obs.Ms.map(zero) } : zero(obs.M!);
  },
  score: scoreLowRankApproximation,
});
