import { definePlugin } from '@parsimony/core';
import { claims } from './claims.js';
import { randomOrderEigvecSolver } from './solvers/random-order-eigvec.js';
import { randomOrderEigvecSimpleSolver } from './solvers/random-order-eigvec-simple.js';

export { randomOrderEigvec, randomOrderEigvecSolver, randomOrderEigvecFloats, RandomOrderEigvecParams } from './solvers/random-order-eigvec.js';
export {
  randomOrderEigvecSimple,
  randomOrderEigvecSimpleSolver,
  randomOrderEigvecSimpleFloats,
  RandomOrderEigvecSimpleParams,
} from './solvers/random-order-eigvec-simple.js';
export { claims } from './claims.js';

/** Approximating the Top Eigenvector in Random Order Streams (Kacham & Woodruff, NeurIPS 2024). */
export default definePlugin({
  name: 'random-order-eigvec',
  paper: { title: 'Approximating the Top Eigenvector in Random Order Streams', date: '2024-12', url: 'https://arxiv.org/abs/2412.11963' },
  solvers: [randomOrderEigvecSolver, randomOrderEigvecSimpleSolver],
  claims,
});
