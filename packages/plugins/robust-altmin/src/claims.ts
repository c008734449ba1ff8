import type { Claim } from '@parsimony/core';

/**
 * The paper's claims as data; the leaderboard evaluates them on bench results
 * (median over seeds). test/claims.test.ts checks each on a small seeded task.
 *
 * - `noiseless-reaches-1e-6` and `noisy-within-5pct-of-exact` are claim (1),
 *   robustness to approximate regressions.
 * - `flops-linear-in-k` is claim (2), nearly linear cost: the ratio of robust
 *   AM's flops per half-step at k = 40 and k = 20 on the same Ω.
 *
 * The last two are ratios (to exact AM's median, between two runs), which a
 * claim can only carry as a metric of their own: they are not metrics of the
 * matrix-completion family, so the leaderboard reports them `not run` and only
 * the test evaluates them. (With a relative tolerance in the claim schema the
 * noisy claim would read `metric: 'rmse_test', versus: 'baselines/als'`; the
 * strict form, margin 0, is decided by the fifth digit — see README.md.)
 */
export const claims: Claim[] = [
  {
    id: 'noiseless-reaches-1e-6',
    statement:
      'Alternating minimization with approximate regressions (at most 5 sketch-preconditioned CG steps, warm-started) converges linearly, like exact AM, to relative error <= 1e-6 within 30 iterations on noiseless data.',
    task: 'matrix-completion/robust-altmin',
    metric: 'rel_err_full',
    solver: 'robust-altmin/robust-altmin',
    value: 1e-6,
    source: 'Abstract and main theorem (robust AM framework); paper file, claim (1)',
  },
  {
    id: 'noisy-within-5pct-of-exact',
    statement:
      "With noise (40 dB SNR), robust AM's held-out RMSE is within 5% of exact AM's: the ratio of the medians of rmse_test, robust AM over exact AM (baselines/als), is at most 1.05.",
    task: 'matrix-completion/robust-altmin-noisy',
    metric: 'rmse_test_ratio_to_exact',
    solver: 'robust-altmin/robust-altmin',
    value: 1.05,
    source: 'Robustness to approximate updates; paper file, claim (1)',
  },
  {
    id: 'flops-linear-in-k',
    statement:
      "At fixed |Ω|, doubling k from 20 to 40 multiplies robust AM's flops per half-step by at most 2.5 (Õ(|Ω| k)), where exact AM's grow about 4x (Õ(|Ω| k²)).",
    task: 'matrix-completion/robust-altmin-scale',
    metric: 'flops_ratio_k40_k20',
    solver: 'robust-altmin/robust-altmin',
    value: 2.5,
    source: 'Abstract: runtime Õ(|Ω| k) instead of Õ(|Ω| k²); paper file, claim (2)',
  },
];
