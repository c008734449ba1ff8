import { defineFamily } from '../../plugin/family.js';
import { SparseRecoveryObservation, SparseRecoveryParams, SparseRecoverySolution, SparseRecoveryTruth } from './schema.js';
import { generateSparseRecovery } from './generate.js';
import { scoreSparseRecovery, sparseRecoveryMetrics } from './score.js';

export * from './schema.js';
export { generateSparseRecovery, kron } from './generate.js';
export { relErr, supportF1 } from './score.js';

/** Recover a k-sparse x from y = A x + e. See README.md in this folder. */
export const sparseRecovery = defineFamily({
  id: 'sparse-recovery',
  title: 'Sparse recovery',
  summary: 'Recover a k-sparse vector x from m < n noisy linear measurements y = A x + e.',
  schemas: {
    params: SparseRecoveryParams,
    observation: SparseRecoveryObservation,
    truth: SparseRecoveryTruth,
    solution: SparseRecoverySolution,
  },
  metrics: sparseRecoveryMetrics,
  presets: {
    quick: { m: 128, n: 256, k: 12, snrDb: 30 },
    default: { m: 256, n: 512, k: 24, snrDb: 30 },
    scale: [256, 512, 1024, 2048, 4096].map((n) => ({ m: n / 2, n, k: Math.round((12 * n) / 256), snrDb: 30 })),
  },
  generate: generateSparseRecovery,
  checkObservation(obs) {
    if (obs.y.length !== obs.A.rows) {
      return { field: 'observation.y', message: `observation.y has ${obs.y.length} entries, A has ${obs.A.rows} rows` };
    }
    if (obs.k !== undefined && obs.k > obs.A.cols) {
      return { field: 'observation.k', message: `observation.k = ${obs.k} exceeds the ${obs.A.cols} columns of A` };
    }
    const s = obs.structure;
    if (s?.kind === 'kronecker') {
      const rows = s.factors.reduce((a, f) => a * f.rows, 1), cols = s.factors.reduce((a, f) => a * f.cols, 1);
      if (rows !== obs.A.rows || cols !== obs.A.cols) {
        const shape = s.factors.map((f) => `${f.rows}x${f.cols}`).join(' ⊗ ');
        return { field: 'observation.structure.factors', message: `kronecker factors ${shape} do not match A (${obs.A.rows}x${obs.A.cols})` };
      }
      if (s.sparsity && s.sparsity.length !== s.factors.length) {
        return { field: 'observation.structure.sparsity', message: `observation.structure.sparsity has ${s.sparsity.length} entries, one per factor expected (${s.factors.length})` };
      }
      const over = s.sparsity?.findIndex((ki, i) => ki > s.factors[i].cols) ?? -1;
      if (over >= 0) {
        return { field: 'observation.structure.sparsity', message: `observation.structure.sparsity[${over}] = ${s.sparsity![over]} exceeds the ${s.factors[over].cols} columns of factor ${over}` };
      }
    }
    if (s?.kind === 'blocks' && obs.A.cols % s.size !== 0) {
      return { field: 'observation.structure.size', message: `block size ${s.size} does not divide n = ${obs.A.cols}` };
    }
    return undefined;
  },
  checkSolution(obs, sol) {
    if (sol.x.length !== obs.A.cols) return { field: 'solution.x', message: `solution.x has ${sol.x.length} entries, expected n = ${obs.A.cols}` };
    return undefined;
  },
  trivialSolution: (obs) => ({ x: new Float64Array(obs.A.cols) }),
  score: scoreSparseRecovery,
});
