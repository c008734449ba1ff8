import { definePlugin } from '@parsimony/core';
import { claims } from './claims.js';
import { amKrosblSolver } from './solvers/am-krosbl.js';
import { svdKrosblSolver } from './solvers/svd-krosbl.js';

export { amKrosbl, amKrosblSolver, solveAmKrosbl, AmKrosblParams, type AmKrosblOptions } from './solvers/am-krosbl.js';
export { svdKrosbl, svdKrosblSolver, solveSvdKrosbl, SvdKrosblParams, type SvdKrosblOptions } from './solvers/svd-krosbl.js';
export type { KrosblOptions, KrosblResult } from './internal/engine.js';
export { claims } from './claims.js';

/** He & Joseph, Bayesian Algorithms for Kronecker-structured Sparse Vector Recovery With Application to IRS-MIMO Channel Estimation. */
export default definePlugin({
  name: 'krosbl',
  paper: {
    title: 'Bayesian Algorithms for Kronecker-structured Sparse Vector Recovery With Application to IRS-MIMO Channel Estimation',
    date: '2023-07',
    url: 'https://arxiv.org/abs/2307.14719',
  },
  solvers: [amKrosblSolver, svdKrosblSolver],
  claims,
});
