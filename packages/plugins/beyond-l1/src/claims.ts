import type { Claim } from '@parsimony/core';

/**
 * The paper's claim as data; the leaderboard evaluates it on bench results
 * (median over seeds of `rep_err` = ‖Y − D̂X̂‖_F / ‖Y‖_F, every solver's λ
 * bisected so its code density is within [0.9ρ, ρ], ρ = k / atoms).
 *
 * The paper reports ≈5× better reconstruction for the ℓ0-based relaxation at
 * fixed sparsity on whitened natural-image patches; on synthetic data the
 * factors are relaxed to 2× (coding-only) and 1.5× (learning), as the paper
 * file sets them before any measurement.
 *
 * The paper file's coding-only test, err_soft ≥ 2·min(err_hard, err_CEL0)
 * and err_CEL0 ≤ 1.2·err_hard, is the first two claims together (a claim
 * compares two solvers; with the second one holding, the min is CEL0 up to
 * 1.2x).
 *
 * Tasks: `dictionary-learning/beyond-l1-coding` is coding-only (D given):
 * n = 36, K = 72 Gaussian unit atoms, N = 500, k = 3 spread amplitudes,
 * 30 dB; `dictionary-learning/beyond-l1` learns D on the same data model
 * with N = 600.
 */
export const claims: Claim[] = [
  {
    id: 'cel0-beats-soft-coding',
    statement: 'At the same code density, CEL0 thresholding reconstructs at least 2x better than soft thresholding (ℓ1) when coding on a given dictionary.',
    task: 'dictionary-learning/beyond-l1-coding',
    metric: 'rep_err',
    solver: 'beyond-l1/cel0',
    versus: 'beyond-l1/soft',
    ratio: 0.5,
    source: 'Abstract; Fig. 3 (reconstruction error at matched sparsity, ≈5x); relaxed to 2x for synthetic data',
  },
  {
    id: 'cel0-close-to-hard-coding',
    statement: 'CEL0, a continuous relaxation of ℓ0, reconstructs within 1.2x of hard thresholding at the same density.',
    task: 'dictionary-learning/beyond-l1-coding',
    metric: 'rep_err',
    solver: 'beyond-l1/cel0',
    versus: 'beyond-l1/hard',
    ratio: 1.2,
    source: 'Fig. 3 (the ℓ0-like methods perform alike)',
  },
  {
    id: 'cel0-beats-soft-learning',
    statement: 'Learning the dictionary too, CEL0 reconstructs at least 1.5x better than soft thresholding at the same code density.',
    task: 'dictionary-learning/beyond-l1',
    metric: 'rep_err',
    solver: 'beyond-l1/cel0',
    versus: 'beyond-l1/soft',
    ratio: 1 / 1.5,
    source: 'Abstract; Fig. 3 (learned dictionaries on image patches, ≈5x); relaxed to 1.5x for synthetic data',
  },
];
