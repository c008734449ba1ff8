import { definePlugin } from '@parsimony/core';
import { claims } from './claims.js';
import { sparseFhtSolver } from './solvers/sparse-fht.js';
import { sprightSolver } from './solvers/spright.js';

export { spright, sprightSolver, solveSpright, SprightParams, type SprightOptions } from './solvers/spright.js';
export { sparseFht, sparseFhtSolver, solveSparseFht, SparseFhtParams, type SparseFhtOptions } from './solvers/sparse-fht.js';
export {
  peelWht,
  resolveDesign,
  defaultBits,
  blockStarts,
  type SampleOracle,
  type SparseWhtProblem,
  type PeelingOptions,
  type PeelingResult,
  type PeelingTrace,
  type DesignInput,
} from './internal/peeling.js';
export { claims } from './claims.js';

/** SPRIGHT: A Fast and Robust Framework for Sparse Walsh-Hadamard Transform. */
export default definePlugin({
  name: 'spright',
  paper: { title: 'SPRIGHT: A Fast and Robust Framework for Sparse Walsh-Hadamard Transform', date: '2015-08', url: 'https://arxiv.org/abs/1508.06336' },
  solvers: [sprightSolver, sparseFhtSolver],
  claims,
});
