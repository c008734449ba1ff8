import { Type, type Static } from '@sinclair/typebox';
import { Matrix } from '../linalg/matrix.js';
import type { Rng } from '../random/rng.js';
import { TMatrix } from '../schema/types.js';
import { matmul } from '../linalg/gemm.js';
import { lossAndGrad } from './losses.js';
import { cloneMlp } from './mlp.js';
import { adam } from './optim.js';
import { batchSchedule, gatherRows } from './train.js';
import type { Dataset, Mlp, TaskKind } from './types.js';

/** Rank-r factors of one layer's update ΔW = B A (the LoRA scale α/r is folded into B). */
export const TLoraFactors = Type.Object(
  {
    B: TMatrix({ description: 'out x r' }),
    A: TMatrix({ description: 'r x in' }),
  },
  { additionalProperties: false },
);
export type LoraFactors = Static<typeof TLoraFactors>;

/**
 * The model with W_l + B_l A_l on every layer that has factors (`null`:
 * unchanged); biases unchanged.
 *
 * @example
 * applyLora(base, [{ B, A }, null]) // adapts the first layer only
 */
export function applyLora(base: Mlp, factors: readonly (LoraFactors | null | undefined)[]): Mlp {
  const out = cloneMlp(base);
  factors.forEach((f, l) => {
    if (!f) return;
    const W = out.layers[l].W;
    if (f.B.rows !== W.rows || f.A.cols !== W.cols || f.B.cols !== f.A.rows) {
      throw new RangeError(`applyLora: layer ${l} is ${W.rows}x${W.cols} but B is ${f.B.rows}x${f.B.cols} and A is ${f.A.rows}x${f.A.cols}`);
    }
    const d = matmul(f.B, f.A);
    for (let i = 0; i < d.data.length; i++) W.data[i] += d.data[i];
  });
  return out;
}

/** Options of {@link trainLora}. */
export interface LoraTrainOptions {
  readonly task: TaskKind;
  readonly rank: number;
  readonly steps: number;
  readonly batchSize: number;
  /** Adam learning rate. */
  readonly lr: number;
  readonly rng: Rng;
  /** Layers to adapt (default: all). */
  readonly layers?: readonly number[];
}

/**
 * LoRA fine-tuning (Hu et al. 2021): W_l = W0_l + B_l A_l with B_l = 0 and
 * A_l ~ N(0, 1/d_in) at the start; only the factors train (Adam), the base
 * and biases stay frozen. Gradients: dB = dW Aᵀ, dA = Bᵀ dW.
 *
 * @returns the factors per layer (null where not adapted) and the adapted model
 * @example
 * const { factors, model } = trainLora(base, train, { task: 'classification', rank: 4, steps: 100, batchSize: 32, lr: 1e-2, rng });
 */
export function trainLora(base: Mlp, data: Dataset, options: LoraTrainOptions): { factors: (LoraFactors | null)[]; model: Mlp } {
  const L = base.layers.length;
  const which = new Set(options.layers ?? Array.from({ length: L }, (_, l) => l));
  const factors: (LoraFactors | null)[] = base.layers.map((layer, l) => {
    if (!which.has(l)) return null;
    const r = Math.min(options.rank, layer.W.rows, layer.W.cols);
    const A = Matrix.zeros(r, layer.W.cols);
    options.rng.fillNormal(A.data, 0, 1 / Math.sqrt(layer.W.cols));
    return { B: Matrix.zeros(layer.W.rows, r), A };
  });
  const params: Float64Array[] = [];
  for (const f of factors) if (f) params.push(f.B.data, f.A.data);
  const opt = adam({ lr: options.lr });
  const n = data.X.rows, bs = Math.min(options.batchSize, n);
  const schedule = batchSchedule(n, options.steps, bs, options.rng);
  for (let t = 0; t < options.steps; t++) {
    const model = applyLora(base, factors);
    const batch = bs === n ? data : gatherRows(data, schedule.subarray(t * bs, (t + 1) * bs));
    const { grads } = lossAndGrad(model, batch, options.task);
    const g: Float64Array[] = [];
    factors.forEach((f, l) => {
      if (!f) return;
      const dW = grads.layers[l].W;
      g.push(matmul(dW, f.A, { transB: true }).data, matmul(f.B, dW, { transA: true }).data);
    });
    opt.step(params, g);
  }
  return { factors, model: applyLora(base, factors) };
}
