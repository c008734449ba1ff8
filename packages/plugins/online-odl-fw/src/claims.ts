import type { Claim } from '@parsimony/core';

/**
 * The paper's claim as data; the leaderboard evaluates it on bench results.
 * Two more parts of the claim — within 0.03 of the batch ℓ4 method, and the
 * error at t = T at least 3x lower than at t = T/10 — cannot be written in the
 * claim schema (no tolerance above a baseline, no trajectory); the plugin's
 * test checks them on the same task (see README.md "Claims").
 */
export const claims: Claim[] = [
  {
    id: 'converges-streaming',
    statement:
      'From one pass over a stream of 4,800 samples (n = 16, Bernoulli(0.3)-Gaussian codes, noiseless), keeping only O(n²) floats, online Frank-Wolfe reaches the ℓ4 recovery error 1 - ||DᵀD0||₄⁴/n <= 0.05.',
    task: 'dictionary-learning/online-odl-fw',
    metric: 'l4_err',
    solver: 'online-odl-fw/online-odl-fw',
    value: 0.05,
    source: 'abstract and synthetic experiment (convergence curves); threshold set in the paper file, not a number from the paper',
  },
];
