import { describe } from 'vitest';
import { describeSolverConformance } from '@parsimony/core/testing';
import plugin from '../src/index.js';

/** Small instances keep the kit fast: a learning one (2 epochs) and a coding-only one. */
const LEARN = { n: 12, K: 24, N: 200, k: 2, amplitudes: 'spread' };
const CODE = { ...LEARN, variant: 'coding-only' };
const invalidParams = [
  { params: { epochs: 0 }, message: 'params.epochs' },
  { params: { maxIter: 0 }, message: 'params.maxIter' },
  { params: { tol: 0 }, message: 'params.tol' },
  { params: { density: 1.5 }, message: 'params.density' },
  { params: { densityTol: 1 }, message: 'params.densityTol' },
  { params: { lambda: 0 }, message: 'params.lambda' },
  { params: { batchSize: 0 }, message: 'params.batchSize' },
];

for (const solver of plugin.solvers) {
  describe('learning task', () => describeSolverConformance(solver, { instance: LEARN, params: { epochs: 2 }, invalidParams }));
  describe('coding-only task', () => describeSolverConformance(solver, { instance: CODE }));
}
