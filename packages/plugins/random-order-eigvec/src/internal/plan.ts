import { ParsimonyError, type EigenvectorStreamingObservation } from '@parsimony/core';
import type { HeavyStreamPlan } from './heavy-stream.js';

/** The options both solvers share (all optional; defaults from the observation). */
export interface PlanOptions {
  readonly blocks?: number;
  readonly maxHeavy?: number;
  readonly polylog?: number;
  readonly batch?: number;
}

/** Default rows per request: enough light rows for the first Frobenius estimate, few enough to keep the batch buffer small. */
export const DEFAULT_BATCH = 32;

/**
 * Resolves the plan from the observation (`n` is the paper's d, `T` its n):
 * B = min(blocks, T), maxHeavy = ⌈d/4⌉ by default, polylog = log₂ d (at
 * least 1), batch = min(batch, maxBatch, T).
 */
export function resolvePlan(obs: EigenvectorStreamingObservation, options: PlanOptions, solver: string): HeavyStreamPlan {
  const { n: d, T, maxBatch } = obs;
  const check = (name: keyof PlanOptions, v: number | undefined, ok: boolean, expected: string) => {
    if (v !== undefined && !ok) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${solver}: params.${name} = ${v}; expected ${expected}`, `params.${name}`);
  };
  check('blocks', options.blocks, Number.isInteger(options.blocks) && options.blocks! >= 1, 'an integer >= 1');
  check('maxHeavy', options.maxHeavy, Number.isInteger(options.maxHeavy) && options.maxHeavy! >= 0, 'an integer >= 0');
  check('polylog', options.polylog, Number.isFinite(options.polylog) && options.polylog! > 0, 'a finite number > 0');
  check('batch', options.batch, Number.isInteger(options.batch) && options.batch! >= 1, 'an integer >= 1');
  return {
    T,
    d,
    blocks: Math.min(options.blocks ?? 8, T),
    batch: Math.min(options.batch ?? DEFAULT_BATCH, maxBatch, T),
    maxHeavy: Math.min(options.maxHeavy ?? Math.ceil(d / 4), T),
    polylog: options.polylog ?? Math.max(1, Math.log2(d)),
  };
}
