import { defineFamily } from '../../plugin/family.js';
import { expectFinite, expectLength, type FieldProblem } from '../common.js';
import { SparseOptimizationObservation, SparseOptimizationParams, SparseOptimizationSolution, SparseOptimizationTruth } from './schema.js';
import { generateSparseOptimization } from './generate.js';
import { scoreSparseOptimization, sparseOptimizationMetrics } from './score.js';

export * from './schema.js';
export { generateSparseOptimization } from './generate.js';
export { sparseOptimizationObjective } from './score.js';
export { penaltyAt, penaltySum, penaltyShape, prox1d } from './penalty.js';

/** Number of unknowns of an observation (columns of A, or the order of H). */
function unknowns(obs: SparseOptimizationObservation): number {
  return obs.A ? obs.A.cols : obs.H ? obs.H.rows : 0;
}

function checkCsr(obs: SparseOptimizationObservation): FieldProblem | undefined {
  const H = obs.H!;
  if (H.rows !== H.cols) return { field: 'observation.H', message: `observation.H is ${H.rows}x${H.cols}; it must be square` };
  if (H.indptr.length !== H.rows + 1) return { field: 'observation.H.indptr', message: `observation.H.indptr has ${H.indptr.length} entries, expected rows + 1 = ${H.rows + 1}` };
  if (H.indptr[0] !== 0 || H.indptr[H.rows] !== H.data.length || H.indices.length !== H.data.length) {
    return { field: 'observation.H.indptr', message: `observation.H.indptr must run from 0 to nnz = ${H.data.length} (= indices.length = ${H.indices.length})` };
  }
  for (let i = 0; i < H.rows; i++) {
    if (H.indptr[i + 1] < H.indptr[i]) return { field: `observation.H.indptr[${i + 1}]`, message: `observation.H.indptr decreases at ${i + 1}` };
  }
  for (let t = 0; t < H.indices.length; t++) {
    if (H.indices[t] < 0 || H.indices[t] >= H.cols) return { field: `observation.H.indices[${t}]`, message: `observation.H.indices[${t}] = ${H.indices[t]} is outside 0..${H.cols - 1}` };
  }
  return expectLength('observation.c', obs.c!, H.rows, 'the order of H');
}

/**
 * Minimize a least-squares loss (or a sparse SPD quadratic) plus an l1, SCAD
 * or MCP penalty, fast. See README.md in this folder.
 *
 * @example
 * const { observation, truth } = generateInstance(sparseOptimization, { m: 50, n: 100, targetNonzeros: 5 }, [1]);
 */
export const sparseOptimization = defineFamily({
  id: 'sparse-optimization',
  title: 'Sparse optimization',
  summary: 'Minimize ½||Ax - b||² (or a sparse SPD quadratic) plus an l1, SCAD or MCP penalty to the optimum computed by core.',
  schemas: {
    params: SparseOptimizationParams,
    observation: SparseOptimizationObservation,
    truth: SparseOptimizationTruth,
    solution: SparseOptimizationSolution,
  },
  metrics: sparseOptimizationMetrics,
  presets: {
    quick: { m: 200, n: 500, targetNonzeros: 20 },
    default: { m: 500, n: 1500, targetNonzeros: 50 },
    scale: [500, 1000, 2000, 4000, 8000].map((n) => ({ m: (2 * n) / 5, n, targetNonzeros: n / 25 })),
  },
  generate: generateSparseOptimization,
  checkObservation(obs) {
    const ls = obs.A !== undefined || obs.b !== undefined, q = obs.H !== undefined || obs.c !== undefined;
    if (ls === q) return { field: 'observation.A', message: 'observation must hold either A and b (least-squares form) or H and c (quadratic form), not both or neither' };
    if (ls) {
      if (!obs.A || !obs.b) return { field: obs.A ? 'observation.b' : 'observation.A', message: 'the least-squares form needs both A and b' };
      const p = expectLength('observation.b', obs.b, obs.A.rows, 'the rows of A');
      if (p) return p;
    } else {
      if (!obs.H || !obs.c) return { field: obs.H ? 'observation.c' : 'observation.H', message: 'the quadratic form needs both H and c' };
      const p = checkCsr(obs);
      if (p) return p;
    }
    const pen = obs.penalty;
    if (pen.shape !== undefined && ((pen.kind === 'scad' && !(pen.shape > 2)) || (pen.kind === 'mcp' && !(pen.shape > 1)))) {
      return { field: 'observation.penalty.shape', message: `observation.penalty.shape = ${pen.shape} must be > ${pen.kind === 'scad' ? 2 : 1} for ${pen.kind}` };
    }
    return undefined;
  },
  checkSolution(obs, sol) {
    return expectLength('solution.x', sol.x, unknowns(obs), 'n') ?? expectFinite('solution.iterations', sol.iterations);
  },
  trivialSolution: (obs) => ({ x: new Float64Array(unknowns(obs)), iterations: 0 }),
  score: scoreSparseOptimization,
});
