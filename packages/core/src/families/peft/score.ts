import type { MetricSpec } from '../../plugin/family.js';
import { clampMetric } from '../common.js';
import { evaluateMlp } from '../../nn/losses.js';
import { matmul } from '../../linalg/gemm.js';
import { checkMlp, countParams, mlpSizes } from '../../nn/mlp.js';
import type { PeftObservation, PeftSolution, PeftTruth } from './schema.js';

/** The metrics of peft (test_loss is primary). */
export const peftMetrics: readonly MetricSpec[] = [
  { id: 'test_loss', label: 'Test loss', direction: 'min', primary: true, description: 'cross-entropy (classification) or MSE (regression) of the adapted model on the held-out set' },
  { id: 'test_acc', label: 'Test accuracy', direction: 'max', description: 'argmax accuracy (regression: argmax/sign agreement with the targets)' },
  { id: 'trainable_params', label: 'Trainable params', direction: 'min', unit: 'floats', description: 'floats the adapter trains, counted by core from its form; over the budget is invalid' },
  { id: 'memory_floats', label: 'Memory', direction: 'min', unit: 'floats', description: 'solution.memoryFloats when reported, else 3 · trainable_params (params + two Adam moments) + stored indices' },
  { id: 'loss_ratio', label: 'Loss ratio', direction: 'min', description: 'test_loss / test loss of the frozen base θ₀ (1 = no adaptation)' },
  { id: 'gap_closed', label: 'Gap closed', direction: 'max', description: '(L(θ₀) - L(θ)) / (L(θ₀) - L(teacher)) on the test set (1 = as good as the teacher)' },
];

/** Trainable floats of a (checked) adapter and the index floats it stores. */
export interface AdapterCount {
  readonly trainable: number;
  readonly indexFloats: number;
}

function frob(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v * v;
  return Math.sqrt(s);
}

/**
 * Checks that the adapted model is explained by its adapter and counts the
 * trainable floats; returns the count or the problem naming the field.
 * A bias that differs from the base adds its length (except for `full`,
 * which counts everything).
 */
export function countAdapter(obs: PeftObservation, sol: PeftSolution): AdapterCount | { field: string; message: string } {
  const base = obs.base, model = sol.model, a = sol.adapter;
  const arch = checkMlp(model, 'solution.model', mlpSizes(base));
  if (arch) return arch;
  if (model.activation !== base.activation) {
    return { field: 'solution.model.activation', message: `solution.model.activation is "${model.activation}", the base uses "${base.activation}"` };
  }
  const L = base.layers.length;
  if (a.kind === 'full') return { trainable: countParams(model), indexFloats: 0 };

  let trainable = 0, indexFloats = 0;
  for (let l = 0; l < L; l++) {
    const b = model.layers[l].b, b0 = base.layers[l].b;
    if (b.some((v, i) => v !== b0[i])) trainable += b.length;
  }
  // Per layer: the weight entries the adapter may change (null: none, 'all': any).
  const free: (Set<number> | 'all' | null)[] = new Array(L).fill(null);
  const tol = (l: number, extra: number) => 1e-9 * (frob(base.layers[l].W.data) + extra) + 1e-12;

  switch (a.kind) {
    case 'head':
      free[L - 1] = 'all';
      trainable += base.layers[L - 1].W.data.length;
      for (let l = 0; l < L - 1; l++) {
        const b = model.layers[l].b, b0 = base.layers[l].b;
        if (b.some((v, i) => v !== b0[i])) return { field: `solution.model.layers[${l}].b`, message: `adapter kind "head" trains only the last layer, but solution.model.layers[${l}].b differs from the base` };
      }
      if (!model.layers[L - 1].b.some((v, i) => v !== base.layers[L - 1].b[i])) trainable += base.layers[L - 1].b.length;
      break;
    case 'lora': {
      if (!a.lora) return { field: 'solution.adapter.lora', message: 'solution.adapter.lora is required for adapter kind "lora"' };
      const seen = new Set<number>();
      for (let i = 0; i < a.lora.length; i++) {
        const { layer, B, A } = a.lora[i];
        const f = `solution.adapter.lora[${i}]`;
        if (layer >= L) return { field: `${f}.layer`, message: `${f}.layer = ${layer}, but the model has ${L} layers` };
        if (seen.has(layer)) return { field: `${f}.layer`, message: `${f}.layer = ${layer} appears twice` };
        seen.add(layer);
        const W0 = base.layers[layer].W, W = model.layers[layer].W;
        if (B.rows !== W0.rows || A.cols !== W0.cols || B.cols !== A.rows) {
          return { field: f, message: `${f} has B ${B.rows}x${B.cols} and A ${A.rows}x${A.cols}; layer ${layer} is ${W0.rows}x${W0.cols}` };
        }
        const BA = matmul(B, A);
        const diff = new Float64Array(W.data.length);
        for (let j = 0; j < diff.length; j++) diff[j] = W.data[j] - W0.data[j] - BA.data[j];
        if (frob(diff) > tol(layer, frob(BA.data))) {
          return { field: `solution.model.layers[${layer}].W`, message: `solution.model.layers[${layer}].W differs from base + B A of ${f} by ${frob(diff).toExponential(2)} (Frobenius)` };
        }
        free[layer] = 'all';
        trainable += B.data.length + A.data.length;
      }
      break;
    }
    case 'sparse': {
      if (!a.sparse) return { field: 'solution.adapter.sparse', message: 'solution.adapter.sparse is required for adapter kind "sparse"' };
      for (let i = 0; i < a.sparse.length; i++) {
        const { layer, indices } = a.sparse[i];
        const f = `solution.adapter.sparse[${i}]`;
        if (layer >= L) return { field: `${f}.layer`, message: `${f}.layer = ${layer}, but the model has ${L} layers` };
        const size = base.layers[layer].W.data.length;
        const set = free[layer] instanceof Set ? (free[layer] as Set<number>) : new Set<number>();
        for (let j = 0; j < indices.length; j++) {
          if (indices[j] < 0 || indices[j] >= size) return { field: `${f}.indices`, message: `${f}.indices[${j}] = ${indices[j]} is outside 0..${size - 1}` };
          set.add(indices[j]);
        }
        free[layer] = set;
      }
      for (const s of free) if (s instanceof Set) {
        trainable += s.size;
        indexFloats += s.size;
      }
      break;
    }
    case 'custom':
      if (!a.tensors) return { field: 'solution.adapter.tensors', message: 'solution.adapter.tensors is required for adapter kind "custom"' };
      for (const t of a.tensors) trainable += t.length;
      return { trainable, indexFloats };
  }
  // Every weight outside the adapter's reach must equal the base exactly.
  for (let l = 0; l < L; l++) {
    const fr = free[l];
    if (fr === 'all') continue;
    const W = model.layers[l].W.data, W0 = base.layers[l].W.data;
    for (let j = 0; j < W.length; j++) {
      if (W[j] !== W0[j] && !(fr && fr.has(j))) {
        return {
          field: `solution.model.layers[${l}].W`,
          message: `solution.model.layers[${l}].W changes entry ${j}, which adapter kind "${a.kind}" does not train`,
        };
      }
    }
  }
  return { trainable, indexFloats };
}

/**
 * Scores an adapted model on the held-out set; the trainable count comes from
 * {@link countAdapter}. Call only on a solution that passed `checkSolution`.
 *
 * @returns the metrics of {@link peftMetrics}
 */
export function scorePeft(obs: PeftObservation, truth: PeftTruth, sol: PeftSolution): Record<string, number> {
  const count = countAdapter(obs, sol);
  if ('field' in count) throw new Error(`peft: scored an invalid solution (${count.message})`);
  const r = evaluateMlp(sol.model, truth.test, obs.task);
  const loss = clampMetric(r.loss);
  const l0 = clampMetric(evaluateMlp(obs.base, truth.test, obs.task).loss);
  const lt = clampMetric(evaluateMlp(truth.teacher, truth.test, obs.task).loss);
  const gapDen = l0 - lt;
  return {
    test_loss: loss,
    test_acc: Number.isFinite(r.acc) ? r.acc : 0,
    trainable_params: count.trainable,
    memory_floats: sol.memoryFloats ?? 3 * count.trainable + count.indexFloats,
    loss_ratio: clampMetric(loss / Math.max(l0, 1e-300)),
    gap_closed: clampMetric(Math.abs(gapDen) > 1e-12 ? (l0 - loss) / gapDen : 0),
  };
}
