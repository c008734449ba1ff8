import {
  defineSolver,
  Matrix,
  Type,
  weightCompression,
  type SolverContext,
  type Static,
  type WeightCompressionObservation,
  type WeightCompressionSolution,
  budgetRows,
} from '@parsimony/core';
import { applyMask, budgetMasks, checkPruneOptions, keepMask, keepOf, pruneTarget, topRows, unsupported } from '../internal/compression.js';

/** Parameters of {@link magnitudePruning}. */
export const MagnitudePruningParams = Type.Object(
  {
    scope: Type.Union([Type.Literal('budget'), Type.Literal('layer')], {
      default: 'budget',
      description: "budget: rank |w| across all layers when observation.budget.scope is 'global' (else per layer); layer: rank per layer, each layer keeping its share of the global budget",
    }),
  },
  { additionalProperties: false },
);
export type MagnitudePruningParams = Static<typeof MagnitudePruningParams>;

/** Options of the plain {@link magnitudePruning} function. */
export interface MagnitudePruningOptions {
  /** Fraction of weights to zero, in [0, 1): ⌈(1 − sparsity)·size⌉ are kept. */
  sparsity?: number;
  /** n:m pattern: at most n nonzeros in every m consecutive weights of a row (m must divide the row length). */
  n?: number;
  m?: number;
  /** Exact number of weights to keep (overrides sparsity). */
  keep?: number;
}

/**
 * Magnitude pruning (Han et al. 2015, "Learning both weights and
 * connections"; one shot, no retraining): keep the weights of largest |w|,
 * ⌈(1 − s)·size⌉ of them over the whole matrix and/or the n largest of every
 * m consecutive weights of a row (the n:m rule of Mishra et al. 2021, NVIDIA
 * ASP). Ties go to the lower index.
 *
 * @param W - d_out x d_in weights (not modified)
 * @param options - `sparsity`, `n` and `m`, or `keep`
 * @returns Ŵ, W with the pruned weights set to 0
 * @example
 * const What = magnitudePruning(W, { sparsity: 0.5 }); // half the entries are 0
 */
export function magnitudePruning(W: Matrix, options: MagnitudePruningOptions = {}): Matrix {
  checkPruneOptions('magnitudePruning', W, options);
  const score = W.data.map(Math.abs);
  const keep = keepOf(W, options);
  return applyMask(W, keepMask(score, W.rows, W.cols, { ...(keep !== undefined && { keep }), ...(options.n !== undefined && { n: options.n, m: options.m }) }));
}

const ID = 'baselines/magnitude-pruning';

/**
 * The bench entry: every variant (layer, kv-cache with its dense window
 * exempt, network in one shot with the biases unchanged); frozen layers are
 * returned as they are. A global sparsity ranks |w| across layers.
 */
export function solveMagnitudePruning(obs: WeightCompressionObservation, params: MagnitudePruningParams, ctx: SolverContext): WeightCompressionSolution {
  ctx.signal.throwIfAborted();
  const target = pruneTarget(ID, obs.budget);
  const active = obs.layers.map((_, l) => l).filter((l) => !obs.layers[l].frozen);
  const views = active.map((l) => topRows(obs.layers[l].W, budgetRows(obs, obs.layers[l].W)));
  const scores = views.map((V) => V.data.map(Math.abs));
  const rank = params.scope === 'budget' && target.global ? 'global' : 'layer';
  const masks = budgetMasks(scores, views, target, rank);
  const layers = obs.layers.map((layer) => ({ W: Matrix.clone(layer.W) }));
  active.forEach((l, k) => {
    ctx.signal.throwIfAborted();
    const out = layers[l].W.data, mask = masks[k];
    for (let i = 0; i < mask.length; i++) if (!mask[i]) out[i] = 0;
    ctx.report({ iteration: k + 1, kept: mask.reduce((a, b) => a + b, 0) });
  });
  return { layers };
}

/** `baselines/magnitude-pruning`: {@link magnitudePruning} as a registered solver. */
export const magnitudePruningSolver = defineSolver({
  id: ID,
  family: weightCompression,
  title: 'Magnitude pruning',
  summary: 'One-shot pruning of the smallest-magnitude weights (Han et al. 2015), per layer or across layers, unstructured or n:m.',
  params: MagnitudePruningParams,
  solve: solveMagnitudePruning,
  skip: (obs) => unsupported(() => pruneTarget(ID, obs.budget)),
});
