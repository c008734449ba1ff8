import { definePlugin } from '@parsimony/core';
import { claims } from './claims.js';
import { robustAltminSolver } from './solvers/robust-altmin.js';

export {
  robustAltmin,
  robustAltminSolver,
  solveRobustAltmin,
  RobustAltminParams,
  type AltminIterate,
  type RobustAltminOptions,
  type RobustAltminResult,
} from './solvers/robust-altmin.js';
export { claims } from './claims.js';

/** Low Rank Matrix Completion via Robust Alternating Minimization in Nearly Linear Time (Gu, Song, Yin & Zhang, 2023). */
export default definePlugin({
  name: 'robust-altmin',
  paper: { title: 'Low Rank Matrix Completion via Robust Alternating Minimization in Nearly Linear Time', date: '2023-02', url: 'https://arxiv.org/abs/2302.11068' },
  solvers: [robustAltminSolver],
  claims,
});
