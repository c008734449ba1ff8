import { definePlugin } from '@parsimony/core';
import { claims } from './claims.js';
import { cel0Solver } from './solvers/cel0.js';
import { halfSolver } from './solvers/half.js';
import { hardSolver } from './solvers/hard.js';
import { softSolver } from './solvers/soft.js';

export { soft, softSolver, SoftParams } from './solvers/soft.js';
export { hard, hardSolver, HardParams } from './solvers/hard.js';
export { half, halfSolver, HalfParams } from './solvers/half.js';
export { cel0, cel0Solver, Cel0Params } from './solvers/cel0.js';
export {
  sparseCode,
  learnDictionary,
  type SparseCodeOptions,
  type SparseCodeResult,
  type LearnDictionaryOptions,
  type LearnDictionaryResult,
} from './sparse-coding.js';
export { applyThreshold, lambdaMax, OPERATORS, type Operator } from './thresholds.js';
export { claims } from './claims.js';

/** Beyond ℓ1 sparse coding in V1 (Rentzeperis, Calatroni, Perrinet & Prandi, 2023): four thresholding operators for Olshausen–Field sparse coding. */
export default definePlugin({
  name: 'beyond-l1',
  paper: { title: 'Beyond ell_1 sparse coding in V1', date: '2023-01', url: 'https://hal.science/hal-04227569' },
  solvers: [softSolver, hardSolver, halfSolver, cel0Solver],
  claims,
});
