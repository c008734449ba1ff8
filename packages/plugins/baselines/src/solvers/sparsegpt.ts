import {
  defineSolver,
  Matrix,
  Type,
  weightCompression,
  type SolverContext,
  type Static,
  type WeightCompressionObservation,
  type WeightCompressionSolution,
} from '@parsimony/core';
import { calibrationInputs, checkPruneOptions, checkQuantOptions, checkSweepOptions, inverseHessianFactor, keepCounts, keepOf, obsSweep, pruneTarget, requireVariant, zeroDead, unsupported } from '../internal/compression.js';

/** Parameters of {@link sparsegpt}. */
export const SparsegptParams = Type.Object(
  {
    blockSize: Type.Integer({ minimum: 1, default: 128, description: 'columns per lazy batch update (B = 128 in the paper); also the width of the adaptive mask selection' }),
    damp: Type.Number({ exclusiveMinimum: 0, default: 0.01, description: 'dampening λ = damp · mean(diag H) added to the Hessian XᵀX (1% in the paper)' }),
  },
  { additionalProperties: false },
);
export type SparsegptParams = Static<typeof SparsegptParams>;

/** Options of the plain {@link sparsegpt} function. */
export interface SparsegptOptions {
  /** Fraction of weights to zero, in [0, 1). */
  sparsity?: number;
  /** n:m pattern (m must divide d_in). */
  n?: number;
  m?: number;
  /** Exact number of weights to keep (overrides sparsity). */
  keep?: number;
  /** Also quantize the kept weights to this many bits (joint sparsification and quantization, §3.5 of the paper). */
  bits?: number;
  /** With `bits`: consecutive weights of a row sharing one grid (default: the whole row). */
  groupSize?: number;
  /** Columns per lazy batch (default 128). */
  blockSize?: number;
  /** Relative Hessian dampening (default 0.01). */
  damp?: number;
  /** Polled once per block. */
  signal?: AbortSignal;
}

/**
 * SparseGPT (Frantar & Alistarh 2023, Alg. 1): one-shot pruning of a layer
 * that reconstructs its outputs on calibration inputs X. With H = XᵀX + λI
 * and U the upper Cholesky factor of H⁻¹, the columns are visited left to
 * right; a pruned weight's error (w − 0)/U_jj is compensated on the columns
 * to its right by the OBS update −e·U[j, j+1:], inside a block of B columns
 * at once and beyond it lazily (one GEMM per block). The unstructured mask
 * is chosen adaptively per block of B columns (the weights of least w²/U_jj²
 * in the block, eq. 3's OBS saliency); an n:m mask is chosen per group of m
 * columns when the sweep reaches it. With `bits`, the kept weights are also
 * quantized on GPTQ's asymmetric grid inside the same sweep.
 *
 * Deviation: each block prunes its exact share of the layer's budget
 * (⌊P·i₂/d⌋ − ⌊P·i₁/d⌋ of P pruned weights), where the reference code
 * thresholds at the ⌊s·numel⌋-th score, which prunes one more per block and
 * ties; the budget is then met exactly.
 *
 * @param W - d_out x d_in weights (not modified)
 * @param X - N x d_in calibration inputs
 * @param options - `sparsity`, `n`/`m` or `keep`; `bits`, `groupSize`; `blockSize`, `damp`
 * @returns Ŵ with the pruned weights at 0 and the others updated
 * @example
 * const What = sparsegpt(W, X, { sparsity: 0.5 });
 */
export function sparsegpt(W: Matrix, X: Matrix, options: SparsegptOptions = {}): Matrix {
  checkPruneOptions('sparsegpt', W, options);
  checkSweepOptions('sparsegpt', W, X, options);
  checkQuantOptions('sparsegpt', options, false);
  const { rows, cols: d } = W;
  const { U, dead } = inverseHessianFactor(X, options.damp ?? 0.01);
  const w = W.data.slice();
  zeroDead(w, rows, dead);
  const keep = keepOf(W, options);
  const P = keep === undefined ? 0 : rows * d - keep;
  obsSweep(w, rows, U, {
    blockSize: options.blockSize ?? 128,
    ...(P > 0 && { prunePerBlock: (i1: number, i2: number) => Math.floor((P * i2) / d) - Math.floor((P * i1) / d) }),
    ...(options.n !== undefined && { n: options.n, m: options.m }),
    ...(options.bits !== undefined && { bits: options.bits, groupSize: options.groupSize }),
    ...(options.signal && { signal: options.signal }),
  });
  return Matrix.from(rows, d, w);
}

const ID = 'baselines/sparsegpt';
/** Why the kv-cache variant is not handled. */
const WHY_NOT_KV = 'the value caches enter the output through the attention weights, not through the decode queries X, so the layer-wise reconstruction ‖XŴᵀ − XWᵀ‖ does not apply; use baselines/magnitude-pruning';

/**
 * The bench entry: variants `layer` and `network` (each layer on its own
 * calibration inputs; biases unchanged). A budget with `bits` prunes and
 * quantizes jointly; a global sparsity gives each layer its share.
 *
 * Deviation: in `network`, every layer is compressed on the dense model's
 * activations given in the observation, not on the outputs of the already
 * compressed layers before it (the paper's sequential pass).
 */
export function solveSparsegpt(obs: WeightCompressionObservation, params: SparsegptParams, ctx: SolverContext): WeightCompressionSolution {
  ctx.signal.throwIfAborted();
  requireVariant(ID, obs, ['layer', 'network'], WHY_NOT_KV);
  const target = pruneTarget(ID, obs.budget, true);
  const { bits, groupSize } = obs.budget;
  const active = obs.layers.map((_, l) => l).filter((l) => !obs.layers[l].frozen);
  const counts = keepCounts(active.map((l) => obs.layers[l].W.data.length), target.sparsity, target.global);
  const layers: WeightCompressionSolution['layers'] = obs.layers.map((layer) => ({ W: Matrix.clone(layer.W) }));
  active.forEach((l, k) => {
    ctx.signal.throwIfAborted();
    const W = obs.layers[l].W;
    const What = sparsegpt(W, calibrationInputs(ID, obs, l), {
      ...(target.sparsity !== undefined && { keep: counts[k] }),
      ...(target.n !== undefined && { n: target.n, m: target.m }),
      ...(bits !== undefined && { bits, groupSize }),
      blockSize: params.blockSize,
      damp: params.damp,
      signal: ctx.signal,
    });
    layers[l] = { W: What, ...(bits !== undefined && { bits }) };
    ctx.report({ iteration: k + 1, layer: l });
  });
  return { layers };
}

/** `baselines/sparsegpt`: {@link sparsegpt} as a registered solver. */
export const sparsegptSolver = defineSolver({
  id: ID,
  family: weightCompression,
  title: 'SparseGPT',
  summary: 'One-shot OBS pruning with the inverse-Hessian Cholesky trick and lazy block updates (Frantar & Alistarh 2023); unstructured, n:m, optionally quantized jointly.',
  params: SparsegptParams,
  solve: solveSparsegpt,
  skip: (obs) => unsupported(() => { requireVariant(ID, obs, ['layer', 'network'], WHY_NOT_KV); pruneTarget(ID, obs.budget, true); obs.layers.forEach((layer, l) => layer.frozen || calibrationInputs(ID, obs, l)); }),
});
