import { describeSolverConformance } from '@parsimony/core/testing';
import { ompSolver } from '../src/index.js';

describeSolverConformance(ompSolver, {
  invalidParams: [
    { params: { k: 0 }, message: 'params.k must be >= 1 (got 0)' },
    { params: { tol: -1 }, message: 'params.tol must be >= 0' },
  ],
});
