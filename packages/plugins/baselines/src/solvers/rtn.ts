import {
  defineSolver,
  Matrix,
  NoParams,
  weightCompression,
  type SolverContext,
  type Static,
  type WeightCompressionObservation,
  type WeightCompressionSolution,
  budgetRows,
} from '@parsimony/core';
import { checkQuantOptions, minMaxGrid, quantize, quantTarget, topRows, type Grid, unsupported } from '../internal/compression.js';

/** Parameters of {@link rtn}: none (the grid comes from the budget). */
export const RtnParams = NoParams;
export type RtnParams = Static<typeof RtnParams>;

/** Options of the plain {@link rtn} function. */
export interface RtnOptions {
  /** Bits b per weight: 2^b grid points per group (integer in [1, 16]). */
  bits: number;
  /** Consecutive weights of a row sharing one grid (default: the whole row, i.e. per output channel). */
  groupSize?: number;
}

/**
 * Round-to-nearest quantization, the baseline of GPTQ (Frantar et al. 2023,
 * §5) and of LLM.int8 / ZeroQuant: per output channel (row), or per group of
 * `groupSize` consecutive weights of a row, an asymmetric uniform grid of
 * 2^b points scale·(q − zero), q ∈ {0..2^b − 1}, spans [min, max] of the
 * group, and each weight goes to the nearest point.
 *
 * Deviation: as in GPTQ's reference quantizer, the range is widened to
 * contain 0 (min ≤ 0 ≤ max), so that 0 is a grid point; halves round to even.
 *
 * @param W - d_out x d_in weights (not modified)
 * @param options - `bits`, `groupSize`
 * @returns Ŵ, at most 2^bits distinct values per group
 * @example
 * const What = rtn(W, { bits: 4 }); // 16 levels per row
 */
export function rtn(W: Matrix, options: RtnOptions): Matrix {
  checkQuantOptions('rtn', options);
  const { rows, cols } = W;
  const maxq = 2 ** options.bits - 1;
  const g = Math.min(options.groupSize ?? cols, cols);
  const out = Matrix.clone(W);
  const w = out.data;
  const grid: Grid = { scale: 1, zero: 0 };
  for (let r = 0; r < rows; r++) {
    for (let c0 = 0; c0 < cols; c0 += g) {
      const o = r * cols + c0, len = Math.min(g, cols - c0);
      minMaxGrid(w, o, len, maxq, grid);
      for (let k = o; k < o + len; k++) w[k] = quantize(w[k], grid, maxq);
    }
  }
  return out;
}

const ID = 'baselines/rtn';

/**
 * The bench entry: every variant (kv-cache: each cached token's row, the
 * dense window kept exact; network: one shot, biases unchanged); frozen
 * layers are returned as they are. Needs a budget with `bits` only.
 */
export function solveRtn(obs: WeightCompressionObservation, _params: RtnParams, ctx: SolverContext): WeightCompressionSolution {
  ctx.signal.throwIfAborted();
  const { bits, groupSize } = quantTarget(ID, obs.budget);
  const layers = obs.layers.map((layer, l) => {
    ctx.signal.throwIfAborted();
    if (layer.frozen) return { W: Matrix.clone(layer.W) };
    const W = Matrix.clone(layer.W);
    const rows = budgetRows(obs, W);
    W.data.set(rtn(topRows(layer.W, rows), { bits, ...(groupSize !== undefined && { groupSize }) }).data);
    ctx.report({ iteration: l + 1 });
    return { W, bits };
  });
  return { layers };
}

/** `baselines/rtn`: {@link rtn} as a registered solver. */
export const rtnSolver = defineSolver({
  id: ID,
  family: weightCompression,
  title: 'Round-to-nearest quantization',
  summary: 'Per-output-channel (or per-group) asymmetric min-max grid of 2^b levels, each weight rounded to the nearest level (the RTN baseline of GPTQ).',
  params: RtnParams,
  solve: solveRtn,
  skip: (obs) => unsupported(() => quantTarget(ID, obs.budget)),
});
