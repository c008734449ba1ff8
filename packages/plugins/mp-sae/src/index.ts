import { definePlugin } from '@parsimony/core';
import { claims } from './claims.js';
import { mpSaeSolver } from './solvers/mp-sae.js';

export {
  mpSae,
  mpSaeSolver,
  MpSaeParams,
  mpEncode,
  mpSaeLossGrad,
  mpSaeWorkspace,
  trainMpSae,
  type MpCodes,
  type MpSaeWorkspace,
  type TrainMpSaeOptions,
} from './solvers/mp-sae.js';
export { claims } from './claims.js';

/** From Flat to Hierarchical: Extracting Sparse Representations with Matching Pursuit (MP-SAE). */
export default definePlugin({
  name: 'mp-sae',
  paper: { title: 'From Flat to Hierarchical: Extracting Sparse Representations with Matching Pursuit', date: '2025-06', url: 'https://arxiv.org/abs/2506.03093' },
  solvers: [mpSaeSolver],
  claims,
});
