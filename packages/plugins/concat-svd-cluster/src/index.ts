import { definePlugin } from '@parsimony/core';
import { claims } from './claims.js';
import { approximateSolver } from './solvers/approximate.js';
import { kmeansBlocksSolver } from './solvers/kmeans-blocks.js';
import { randomGroupsSolver } from './solvers/random-groups.js';
import { residualSolver } from './solvers/residual.js';
import { weylSolver } from './solvers/weyl.js';

export { weyl, weylSolver, solveWeyl, WeylParams } from './solvers/weyl.js';
export { residual, residualSolver, solveResidual, ResidualParams, type ResidualOptions } from './solvers/residual.js';
export { approximate, approximateSolver, solveApproximate, ApproximateParams, type ApproximateOptions } from './solvers/approximate.js';
export { kmeansBlocks, kmeansBlocksSolver, solveKmeansBlocks, KmeansBlocksParams, type KmeansBlocksOptions } from './solvers/kmeans-blocks.js';
export { randomGroups, randomGroupsSolver, solveRandomGroups, RandomGroupsParams, type RandomGroupsOptions } from './solvers/random-groups.js';
export { weylBound, residualBound, approximateEstimate, type BoundOptions } from './bounds.js';
export type { ClusteringOptions, ClusteringResult, Ordering } from './internal/engine.js';
export { claims } from './claims.js';

/** Shamrai, Concatenated Matrix SVD: Compression Bounds, Incremental Approximation, and Error-Constrained Clustering (arXiv 2601.11626). */
export default definePlugin({
  name: 'concat-svd-cluster',
  paper: {
    title: 'Concatenated Matrix SVD: Compression Bounds, Incremental Approximation, and Error-Constrained Clustering',
    date: '2026-01',
    url: 'https://arxiv.org/abs/2601.11626',
  },
  solvers: [weylSolver, residualSolver, approximateSolver, kmeansBlocksSolver, randomGroupsSolver],
  claims,
});
