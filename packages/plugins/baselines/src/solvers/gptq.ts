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
import { calibrationInputs, checkQuantOptions, checkSweepOptions, inverseHessianFactor, obsSweep, quantTarget, requireVariant, zeroDead, unsupported } from '../internal/compression.js';

/** Parameters of {@link gptq}. */
export const GptqParams = Type.Object(
  {
    blockSize: Type.Integer({ minimum: 1, default: 128, description: 'columns per lazy batch update (B = 128 in the paper)' }),
    damp: Type.Number({ exclusiveMinimum: 0, default: 0.01, description: 'dampening λ = damp · mean(diag H) added to the Hessian XᵀX (1% in the paper)' }),
  },
  { additionalProperties: false },
);
export type GptqParams = Static<typeof GptqParams>;

/** Options of the plain {@link gptq} function. */
export interface GptqOptions {
  /** Bits b per weight: 2^b grid points per group (integer in [1, 16]). */
  bits: number;
  /** Consecutive weights of a row sharing one grid (default: the whole row). */
  groupSize?: number;
  /** Columns per lazy batch (default 128). */
  blockSize?: number;
  /** Relative Hessian dampening (default 0.01). */
  damp?: number;
  /** Polled once per block. */
  signal?: AbortSignal;
}

/**
 * GPTQ (Frantar, Ashkboos, Hoefler & Alistarh 2023, Alg. 1): quantizes a
 * layer column by column so that its outputs on calibration inputs X stay
 * close. With H = XᵀX + λI (λ = 1% of the mean diagonal) and U the upper
 * Cholesky factor of H⁻¹, column j is rounded to the grid, q_j = quant(w_j),
 * and its error e = (w_j − q_j)/U_jj is compensated on the columns to its
 * right by W[:, j+1:] −= e·U[j, j+1:]; updates beyond the current block of
 * B = 128 columns are applied lazily, one GEMM per block. The grid is RTN's
 * (asymmetric min-max per row, or per group of `groupSize` weights, found
 * when the sweep reaches the group); with a diagonal H, GPTQ is RTN.
 *
 * Deviation: a group's grid is found on the weights as updated so far (the
 * exact sequential algorithm); the reference code reads the copy from the
 * start of the block for groups that start inside a block.
 *
 * @param W - d_out x d_in weights (not modified)
 * @param X - N x d_in calibration inputs
 * @param options - `bits`, `groupSize`, `blockSize`, `damp`
 * @returns Ŵ, at most 2^bits distinct values per group
 * @example
 * const What = gptq(W, X, { bits: 4 });
 */
export function gptq(W: Matrix, X: Matrix, options: GptqOptions): Matrix {
  checkQuantOptions('gptq', options);
  checkSweepOptions('gptq', W, X, options);
  const { rows, cols: d } = W;
  const { U, dead } = inverseHessianFactor(X, options.damp ?? 0.01);
  const w = W.data.slice();
  zeroDead(w, rows, dead);
  obsSweep(w, rows, U, {
    blockSize: options.blockSize ?? 128,
    bits: options.bits,
    ...(options.groupSize !== undefined && { groupSize: options.groupSize }),
    ...(options.signal && { signal: options.signal }),
  });
  return Matrix.from(rows, d, w);
}

const ID = 'baselines/gptq';
/** Why the kv-cache variant is not handled. */
const WHY_NOT_KV = 'the value caches enter the output through the attention weights, not through the decode queries X, so the layer-wise reconstruction ‖XŴᵀ − XWᵀ‖ does not apply; use baselines/rtn';

/**
 * The bench entry: variants `layer` and `network` (each layer on its own
 * calibration inputs; biases unchanged). Needs a budget with `bits` only.
 *
 * Deviation: in `network`, every layer is quantized on the dense model's
 * activations given in the observation, not on the outputs of the already
 * quantized layers before it (the paper's sequential pass).
 */
export function solveGptq(obs: WeightCompressionObservation, params: GptqParams, ctx: SolverContext): WeightCompressionSolution {
  ctx.signal.throwIfAborted();
  requireVariant(ID, obs, ['layer', 'network'], WHY_NOT_KV);
  const { bits, groupSize } = quantTarget(ID, obs.budget);
  const layers = obs.layers.map((layer, l) => {
    ctx.signal.throwIfAborted();
    if (layer.frozen) return { W: Matrix.clone(layer.W) };
    const What = gptq(layer.W, calibrationInputs(ID, obs, l), {
      bits,
      ...(groupSize !== undefined && { groupSize }),
      blockSize: params.blockSize,
      damp: params.damp,
      signal: ctx.signal,
    });
    ctx.report({ iteration: l + 1 });
    return { W: What, bits };
  });
  return { layers };
}

/** `baselines/gptq`: {@link gptq} as a registered solver. */
export const gptqSolver = defineSolver({
  id: ID,
  family: weightCompression,
  title: 'GPTQ',
  summary: 'Column-by-column quantization with OBS error feedback through the Cholesky factor of the inverse Hessian, lazy block updates (Frantar et al. 2023).',
  params: GptqParams,
  solve: solveGptq,
  skip: (obs) => unsupported(() => { requireVariant(ID, obs, ['layer', 'network'], WHY_NOT_KV); quantTarget(ID, obs.budget); obs.layers.forEach((layer, l) => layer.frozen || calibrationInputs(ID, obs, l)); }),
});
