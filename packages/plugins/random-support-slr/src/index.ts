import { definePlugin } from '@parsimony/core';
import { claims } from './claims.js';
import { preconditionedLassoSolver } from './solvers/preconditioned-lasso.js';

export {
  preconditionedLasso,
  preconditionedLassoSolver,
  solvePreconditionedLasso,
  spectralPreconditioner,
  PreconditionedLassoParams,
  type PreconditionedLassoOptions,
  type PreconditionedLassoResult,
  type SpectralPreconditioner,
} from './solvers/preconditioned-lasso.js';
export { claims } from './claims.js';

/** Sparse Linear Regression is Easy on Random Supports (Chandrasekaran, Meka & Stavropoulos, 2025). */
export default definePlugin({
  name: 'random-support-slr',
  paper: { title: 'Sparse Linear Regression is Easy on Random Supports', date: '2025-11', url: 'https://arxiv.org/abs/2511.06211' },
  solvers: [preconditionedLassoSolver],
  claims,
});
