import { defineFamily } from '../../plugin/family.js';
import { BanditObservation, BanditParams, BanditSolution, BanditTruth } from './schema.js';
import { generateBandit } from './generate.js';
import { banditMetrics, scoreBandit } from './score.js';
import { BANDIT_METHODS, openBanditEnv } from './session.js';

export * from './schema.js';
export { generateBandit } from './generate.js';
export { scoreBandit, armMeans, armGaps } from './score.js';
export { openBanditEnv, BANDIT_METHODS, type BanditSession, type BanditUsage } from './session.js';
export { banditEnv, type BanditEnv } from './client.js';

/**
 * Sequential decisions with sparse, misspecified linear rewards: minimize
 * cumulative regret over a horizon, or (variant `best-arm`) name a
 * near-best arm after a pull budget. Interactive: rewards reach the solver
 * only through {@link banditEnv}. See README.md in this folder.
 *
 * @example
 * const { observation, truth } = generateInstance(bandit, { K: 20, d: 10, k: 2, T: 500 }, [1]);
 * const session = bandit.interaction!.open(observation, truth);
 */
export const bandit = defineFamily({
  id: 'bandit',
  title: 'Sparse misspecified linear bandit',
  summary: 'Pull arms with known features and hidden rewards ⟨θ, a⟩ + η (θ sparse, |η| ≤ ε): keep cumulative regret low, or name a near-best arm on a pull budget.',
  schemas: {
    params: BanditParams,
    observation: BanditObservation,
    truth: BanditTruth,
    solution: BanditSolution,
  },
  metrics: banditMetrics,
  presets: {
    quick: { K: 100, d: 50, k: 5, T: 2000, epsilon: 0.05 },
    default: { K: 300, d: 100, k: 10, T: 5000, epsilon: 0.05 },
    scale: [100, 300, 1000, 3000, 10000].map((K) => ({ K, d: 50, k: 5, T: 2000, epsilon: 0.05 })),
  },
  generate: generateBandit,
  checkObservation(obs) {
    if (obs.arms.rows < 1 || obs.arms.cols < 1) return { field: 'observation.arms', message: `observation.arms is ${obs.arms.rows}x${obs.arms.cols}; it needs at least one arm and one feature` };
    if (obs.k !== undefined && obs.k > obs.arms.cols) return { field: 'observation.k', message: `observation.k = ${obs.k} exceeds the ${obs.arms.cols} features of the arms` };
    return undefined;
  },
  checkSolution(obs, sol) {
    if (sol.arm === undefined) {
      if (obs.variant === 'best-arm') return { field: 'solution.arm', message: 'solution.arm is required in the best-arm variant: name the arm you recommend' };
      return undefined;
    }
    if (sol.arm >= obs.arms.rows) return { field: 'solution.arm', message: `solution.arm = ${sol.arm} is not an arm; arms are 0..${obs.arms.rows - 1}` };
    return undefined;
  },
  trivialSolution: (obs) => (obs.variant === 'best-arm' ? { arm: 0 } : {}),
  interaction: { methods: BANDIT_METHODS, open: openBanditEnv },
  score: scoreBandit,
});
