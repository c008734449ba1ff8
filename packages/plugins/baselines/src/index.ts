import { definePlugin } from '@parsimony/core';
import { ompSolver } from './solvers/omp.js';

export { omp, ompSolver, solveOmp, OmpParams, type OmpOptions } from './solvers/omp.js';

/** The textbook solvers every paper is ranked against. */
export default definePlugin({
  name: 'baselines',
  solvers: [ompSolver],
  claims: [],
});
