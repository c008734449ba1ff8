import { ParsimonyError, type Matrix } from '@parsimony/core';
import { approximatePredictor, blockSet, clusterPrediction, residualPredictor, weylPredictor, type Ordering } from './internal/engine.js';

/** Options of the bound functions. */
export interface BoundOptions {
  /** Target rank r. */
  readonly rank: number;
  /** Order of the blocks after the seed (default `norm`: smallest first). */
  readonly ordering?: Ordering;
}

function rankOf(where: string, o: BoundOptions): number {
  if (!Number.isInteger(o.rank) || o.rank < 1) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${where}: options.rank = ${o.rank}; expected an integer >= 1`, 'options.rank');
  return o.rank;
}

/**
 * Weyl's upper bound on the relative rank-r error ||M - [M]_r||_F / ||M||_F of
 * M = [A_1 … A_N] (the code's `compute_error_bound`): with the seed = the
 * largest blocks while they have at most r columns,
 * √((||M||²_F - ||seed||²_F) / ||M||²_F).
 *
 * @param blocks - the A_i (equal row counts)
 * @param options - `rank` r
 * @returns the bound, in [0, 1]
 * @example
 * weylBound([A1, A2, A3], { rank: 4 }); // >= the exact relative error
 */
export function weylBound(blocks: readonly Matrix[], options: BoundOptions): number {
  const set = blockSet('weylBound', blocks), r = rankOf('weylBound', options);
  return clusterPrediction(set, Array.from(blocks.keys()), r, weylPredictor(set, r), 'norm');
}

/**
 * The residual upper bound on the same error: the seed's singular values and
 * those of each further block's residual against the span so far, top r kept;
 * √((||M||²_F - Σ_top-r L²) / ||M||²_F). Never above {@link weylBound} for the same seed.
 *
 * @param blocks - the A_i (equal row counts)
 * @param options - `rank` r, `ordering` of the blocks after the seed (default `norm`)
 * @returns the bound, in [0, 1]
 * @example
 * residualBound([A1, A2, A3], { rank: 4 }); // <= weylBound([A1, A2, A3], { rank: 4 })
 */
export function residualBound(blocks: readonly Matrix[], options: BoundOptions): number {
  const set = blockSet('residualBound', blocks), r = rankOf('residualBound', options);
  return clusterPrediction(set, Array.from(blocks.keys()), r, residualPredictor(set, r), options.ordering ?? 'norm');
}

/**
 * The incremental-SVD estimate of the same error (rank r + p tracked; not a
 * bound).
 *
 * @param blocks - the A_i (equal row counts)
 * @param options - `rank` r, `ordering` (default `norm`), `oversampling` p (5), `tol` (1e-12)
 * @returns the estimate, in [0, 1]
 * @example
 * approximateEstimate([A1, A2, A3], { rank: 4 });
 */
export function approximateEstimate(blocks: readonly Matrix[], options: BoundOptions & { readonly oversampling?: number; readonly tol?: number }): number {
  const set = blockSet('approximateEstimate', blocks), r = rankOf('approximateEstimate', options);
  const start = approximatePredictor(set, r, { oversampling: options.oversampling ?? 5, tol: options.tol ?? 1e-12 });
  return clusterPrediction(set, Array.from(blocks.keys()), r, start, options.ordering ?? 'norm');
}
