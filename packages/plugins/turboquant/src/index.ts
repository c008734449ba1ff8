import { definePlugin } from '@parsimony/core';
import { claims } from './claims.js';
import { turboquantMseSolver } from './solvers/turboquant-mse.js';
import { turboquantProdSolver } from './solvers/turboquant-prod.js';

export {
  turboquantMse,
  turboquantMseSolver,
  solveTurboquantMse,
  TurboQuantMse,
  TurboquantMseParams,
  highChannelCount,
  energyChannels,
  type TurboquantMseCodes,
  type TurboquantMseOptions,
  type TurboquantMseResult,
} from './solvers/turboquant-mse.js';
export {
  turboquantProd,
  turboquantProdSolver,
  solveTurboquantProd,
  TurboQuantProd,
  TurboquantProdParams,
  type TurboquantProdCodes,
  type TurboquantProdResult,
} from './solvers/turboquant-prod.js';
export { betaLloydMax, type LloydMaxOptions, type ScalarCodebook } from './internal/codebook.js';
export { denseRotation, hadamardRotation, type Rotation, type RotationKind } from './internal/rotation.js';
export { claims } from './claims.js';

/** TurboQuant: Online Vector Quantization with Near-optimal Distortion Rate. */
export default definePlugin({
  name: 'turboquant',
  paper: { title: 'TurboQuant: Online Vector Quantization with Near-optimal Distortion Rate', date: '2025-04', url: 'https://arxiv.org/abs/2504.19874' },
  solvers: [turboquantMseSolver, turboquantProdSolver],
  claims,
});
