/** @parsimony/leaderboard: result directories -> a static site. */
export { readRunResults, type RunResults } from './results.js';
