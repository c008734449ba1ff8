import { definePlugin } from '@parsimony/core';
import { claims } from './claims.js';
import { forestBcdSolver } from './solvers/forest-bcd.js';
import { greedyBcdSolver } from './solvers/greedy-bcd.js';
import { gsBcdSolver } from './solvers/gs-bcd.js';
import { gsdBcdSolver } from './solvers/gsd-bcd.js';
import { gslBcdSolver } from './solvers/gsl-bcd.js';
import { proxGradientBcdSolver } from './solvers/prox-gradient-bcd.js';
import { proxGreedyBcdSolver } from './solvers/prox-greedy-bcd.js';

export {
  greedyBcd,
  greedyBcdSolver,
  solveGreedyBcd,
  GreedyBcdParams,
  type GreedyBcdOptions,
  type GreedyBcdResult,
  type GreedyRule,
  type BlockKind,
  type UpdateRule,
} from './solvers/greedy-bcd.js';
export { gsBcdSolver, solveGsBcd, GsBcdParams } from './solvers/gs-bcd.js';
export { gslBcdSolver, solveGslBcd, GslBcdParams } from './solvers/gsl-bcd.js';
export { gsdBcdSolver, solveGsdBcd, GsdBcdParams } from './solvers/gsd-bcd.js';
export { forestBcd, forestBcdSolver, solveForestBcd, rowForests, ForestBcdParams, type ForestBcdOptions } from './solvers/forest-bcd.js';
export {
  proxGreedyBcd,
  proxGreedyBcdSolver,
  solveProxGreedyBcd,
  ProxGreedyBcdParams,
  type ProxGreedyBcdOptions,
  type ProxGreedyBcdResult,
} from './solvers/prox-greedy-bcd.js';
export { proxGradientBcdSolver, solveProxGradientBcd, ProxGradientBcdParams } from './solvers/prox-gradient-bcd.js';
export { claims } from './claims.js';

/**
 * Nutini, Laradji & Schmidt, "Let's Make Block Coordinate Descent Converge
 * Faster: Faster Greedy Rules, Message-Passing, Active-Set Complexity, and
 * Superlinear Convergence" (arXiv 1712.08859, JMLR 2022): greedy block rules
 * and matrix updates, message passing on forest blocks, and proximal greedy
 * BCD with active-set Newton steps.
 */
export default definePlugin({
  name: 'bcd-greedy',
  paper: {
    title: "Let's Make Block Coordinate Descent Converge Faster: Faster Greedy Rules, Message-Passing, Active-Set Complexity, and Superlinear Convergence",
    date: '2017-12',
    url: 'https://arxiv.org/abs/1712.08859',
  },
  solvers: [greedyBcdSolver, gsBcdSolver, gslBcdSolver, gsdBcdSolver, forestBcdSolver, proxGreedyBcdSolver, proxGradientBcdSolver],
  claims,
});
