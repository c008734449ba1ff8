import {
  defineSolver,
  Matrix,
  ParsimonyError,
  Type,
  weightCompression,
  type SolverContext,
  type Static,
  type WeightCompressionObservation,
  type WeightCompressionSolution,
} from '@parsimony/core';
import { columnNorms2 } from '../internal/kernels.js';
import { applyMask, budgetMasks, calibrationInputs, checkPruneOptions, keepMask, keepOf, pruneTarget, requireVariant, unsupported } from '../internal/compression.js';

/** Parameters of {@link wanda}. */
export const WandaParams = Type.Object(
  {
    group: Type.Union([Type.Literal('row'), Type.Literal('layer')], {
      default: 'row',
      description: 'comparison group of the unstructured mask: each output row prunes the same fraction (the paper\'s choice) or the whole layer competes',
    }),
  },
  { additionalProperties: false },
);
export type WandaParams = Static<typeof WandaParams>;

/** Options of the plain {@link wanda} function. */
export interface WandaOptions {
  /** Fraction of weights to zero, in [0, 1). */
  sparsity?: number;
  /** n:m pattern (m must divide d_in). */
  n?: number;
  m?: number;
  /** Exact number of weights to keep (overrides sparsity). */
  keep?: number;
  /** 'row' (default): the kept weights are spread evenly over the output rows; 'layer': one ranking for the matrix. */
  group?: 'row' | 'layer';
}

/**
 * Wanda, pruning by weights and activations (Sun, Liu, Bair & Kolter 2024,
 * eq. 1): the score of w_ij is |w_ij| · ‖X_j‖₂, the weight's magnitude times
 * the norm of its input channel over the calibration set, and each output
 * row keeps its largest scores (an n:m pattern keeps the n largest of every
 * m consecutive weights of a row). No weight update.
 *
 * @param W - d_out x d_in weights (not modified)
 * @param X - N x d_in calibration inputs
 * @param options - `sparsity`, `n` and `m`, or `keep`; `group`
 * @returns Ŵ, W with the pruned weights set to 0
 * @example
 * const What = wanda(W, X, { sparsity: 0.5 });
 */
export function wanda(W: Matrix, X: Matrix, options: WandaOptions = {}): Matrix {
  checkPruneOptions('wanda', W, options);
  if (X.cols !== W.cols) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `wanda: X has ${X.cols} columns, W has ${W.cols} (calibration inputs must match d_in)`, 'X');
  const norms = columnNorms2(X).map(Math.sqrt);
  const d = W.cols;
  const score = W.data.map((v, i) => Math.abs(v) * norms[i % d]);
  const keep = keepOf(W, options);
  const mask = keepMask(score, W.rows, d, {
    ...(keep !== undefined && { keep }),
    ...(options.n !== undefined && { n: options.n, m: options.m }),
    perRow: (options.group ?? 'row') === 'row',
  });
  return applyMask(W, mask);
}

const ID = 'baselines/wanda';
/** Why the kv-cache variant is not handled. */
const WHY_NOT_KV = 'the value caches enter the output through the attention weights, not through the decode queries X, so the score |w|·‖X_j‖ has no meaning there; use baselines/magnitude-pruning';

/**
 * The bench entry: variants `layer` and `network` (each layer in one shot on
 * its calibration inputs, biases unchanged). A global sparsity gives each
 * layer its share of the total.
 */
export function solveWanda(obs: WeightCompressionObservation, params: WandaParams, ctx: SolverContext): WeightCompressionSolution {
  ctx.signal.throwIfAborted();
  requireVariant(ID, obs, ['layer', 'network'], WHY_NOT_KV);
  const target = pruneTarget(ID, obs.budget);
  const active = obs.layers.map((_, l) => l).filter((l) => !obs.layers[l].frozen);
  const Ws = active.map((l) => obs.layers[l].W);
  const scores = active.map((l, k) => {
    const norms = columnNorms2(calibrationInputs(ID, obs, l)).map(Math.sqrt);
    const d = Ws[k].cols;
    return Ws[k].data.map((v, i) => Math.abs(v) * norms[i % d]);
  });
  const masks = budgetMasks(scores, Ws, target, params.group === 'row' ? 'row' : 'layer');
  // Frozen layers go back as copies, untouched.
  const layers = obs.layers.map((layer) => ({ W: layer.frozen ? Matrix.clone(layer.W) : layer.W }));
  active.forEach((l, k) => {
    ctx.signal.throwIfAborted();
    layers[l] = { W: applyMask(Ws[k], masks[k]) };
    ctx.report({ iteration: k + 1, kept: masks[k].reduce((a, b) => a + b, 0) });
  });
  return { layers };
}

/** `baselines/wanda`: {@link wanda} as a registered solver. */
export const wandaSolver = defineSolver({
  id: ID,
  family: weightCompression,
  title: 'Wanda (pruning by weights and activations)',
  summary: 'One-shot pruning by |w_ij|·‖X_j‖₂ within each output row (Sun et al. 2024), unstructured or n:m, no weight update.',
  params: WandaParams,
  solve: solveWanda,
  skip: (obs) => unsupported(() => { requireVariant(ID, obs, ['layer', 'network'], WHY_NOT_KV); pruneTarget(ID, obs.budget); obs.layers.forEach((layer, l) => layer.frozen || calibrationInputs(ID, obs, l)); }),
});
