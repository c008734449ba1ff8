import { Matrix } from '../linalg/matrix.js';
import type { Rng } from '../random/rng.js';
import { matmul } from '../linalg/gemm.js';
import { activate, activationBackward } from './activations.js';
import type { Activation, DenseLayer, Mlp, MlpGrads } from './types.js';

/** Weight initialisation of {@link initMlp}. */
export type InitScheme = 'he' | 'glorot' | 'lecun';

/**
 * A fresh MLP with layer widths `sizes = [d_in, h_1, ..., d_out]`: weights
 * N(0, s²) with s² = 2/fan_in (`he`, the default), 2/(fan_in + fan_out)
 * (`glorot`) or 1/fan_in (`lecun`); biases zero.
 *
 * @example
 * const net = initMlp([32, 64, 10], 'relu', createRng(1));
 * countParams(net) // => 2762
 */
export function initMlp(sizes: readonly number[], activation: Activation, rng: Rng, init: InitScheme = 'he'): Mlp {
  if (sizes.length < 2) throw new RangeError(`initMlp: sizes needs at least [d_in, d_out], got [${sizes.join(', ')}]`);
  for (const s of sizes) if (!Number.isInteger(s) || s < 1) throw new RangeError(`initMlp: every width must be a positive integer, got [${sizes.join(', ')}]`);
  const layers: DenseLayer[] = [];
  for (let l = 1; l < sizes.length; l++) {
    const fanIn = sizes[l - 1], fanOut = sizes[l];
    const variance = init === 'he' ? 2 / fanIn : init === 'glorot' ? 2 / (fanIn + fanOut) : 1 / fanIn;
    const W = Matrix.zeros(fanOut, fanIn);
    rng.fillNormal(W.data as Float64Array, 0, Math.sqrt(variance));
    layers.push({ W, b: new Float64Array(fanOut) });
  }
  return { layers, activation };
}

/** Layer widths `[d_in, h_1, ..., d_out]`. @example mlpSizes(initMlp([3, 4, 2], 'relu', rng)) // => [3, 4, 2] */
export function mlpSizes(model: Mlp): number[] {
  return [model.layers[0].W.cols, ...model.layers.map((l) => l.W.rows)];
}

/** Number of trainable floats (weights and biases). @example countParams(initMlp([3, 4, 2], 'relu', rng)) // => 26 */
export function countParams(model: Mlp | MlpGrads): number {
  let n = 0;
  for (const l of model.layers) n += l.W.data.length + l.b.length;
  return n;
}

/** A deep copy. */
export function cloneMlp(model: Mlp): Mlp {
  return { activation: model.activation, layers: model.layers.map((l) => ({ W: Matrix.clone(l.W), b: l.b.slice() })) };
}

/** An all-zero gradient (or parameter) buffer shaped like `model`. */
export function zerosLike(model: Mlp | MlpGrads): MlpGrads {
  return { layers: model.layers.map((l) => ({ W: Matrix.zeros(l.W.rows, l.W.cols), b: new Float64Array(l.b.length) })) };
}

/**
 * The parameter arrays of a model, in the order W_0, b_0, W_1, b_1, ... They
 * are views: optimizers update the model in place through them.
 */
export function paramArrays(model: Mlp | MlpGrads): Float64Array[] {
  const out: Float64Array[] = [];
  for (const l of model.layers) out.push(l.W.data, l.b);
  return out;
}

/** All parameters as one vector, in {@link paramArrays} order. */
export function flattenMlp(model: Mlp | MlpGrads): Float64Array {
  const out = new Float64Array(countParams(model));
  let o = 0;
  for (const a of paramArrays(model)) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}

/** The inverse of {@link flattenMlp}: a new model shaped like `like` holding `flat`. */
export function unflattenMlp(like: Mlp, flat: Float64Array): Mlp {
  const n = countParams(like);
  if (flat.length !== n) throw new RangeError(`unflattenMlp: flat has ${flat.length} entries, the model has ${n} parameters`);
  const out = cloneMlp(like);
  let o = 0;
  for (const a of paramArrays(out)) {
    a.set(flat.subarray(o, o + a.length));
    o += a.length;
  }
  return out;
}

/**
 * Σ_k c_k θ_k over models of one architecture (weight averaging, task
 * arithmetic, interpolation).
 *
 * @example
 * combineMlps([a, b], [0.5, 0.5]) // the average of a and b
 */
export function combineMlps(models: readonly Mlp[], coeffs: readonly number[]): Mlp {
  if (models.length === 0 || models.length !== coeffs.length) {
    throw new RangeError(`combineMlps: need as many coefficients as models (got ${coeffs.length} for ${models.length})`);
  }
  const out = cloneMlp(models[0]);
  const dst = paramArrays(out);
  for (const a of dst) a.fill(0);
  models.forEach((m, k) => {
    const src = paramArrays(m);
    if (src.length !== dst.length) throw new RangeError(`combineMlps: model ${k} has ${m.layers.length} layers, model 0 has ${out.layers.length}`);
    for (let i = 0; i < dst.length; i++) {
      if (src[i].length !== dst[i].length) throw new RangeError(`combineMlps: model ${k} differs in shape from model 0 (parameter array ${i})`);
      const c = coeffs[k], d = dst[i], s = src[i];
      for (let j = 0; j < d.length; j++) d[j] += c * s[j];
    }
  });
  return out;
}

/**
 * Reorders the hidden units of a model without changing its function:
 * `perms[l][i] = j` means unit i of hidden layer l in the result is unit j of
 * the input model, so W'_l = P_l W_l P_{l-1}ᵀ and b'_l = P_l b_l (Git
 * Re-Basin's convention; one permutation per hidden layer, none for the
 * input or the output).
 *
 * @example
 * permuteHidden(net, [Int32Array.from([1, 0, 2])]) // swaps hidden units 0 and 1
 */
export function permuteHidden(model: Mlp, perms: readonly Int32Array[]): Mlp {
  const L = model.layers.length;
  if (perms.length !== L - 1) throw new RangeError(`permuteHidden: need ${L - 1} permutations (one per hidden layer), got ${perms.length}`);
  const layers = model.layers.map((layer, l) => {
    const rowPerm = l < L - 1 ? perms[l] : undefined;
    const colPerm = l > 0 ? perms[l - 1] : undefined;
    const { rows, cols } = layer.W;
    const W = Matrix.zeros(rows, cols);
    const b = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      const si = rowPerm ? rowPerm[i] : i;
      b[i] = layer.b[si];
      for (let j = 0; j < cols; j++) W.data[i * cols + j] = layer.W.data[si * cols + (colPerm ? colPerm[j] : j)];
    }
    return { W, b };
  });
  return { activation: model.activation, layers };
}

/**
 * Checks that a model is well formed: each W is out x in, each b has out
 * entries, consecutive layers chain, and (when given) the widths match
 * `sizes`. Returns the problem naming the field, or undefined.
 *
 * @example
 * checkMlp(net, 'solution.model', [32, 64, 10]) // => undefined
 */
export function checkMlp(model: Mlp, field: string, sizes?: readonly number[]): { field: string; message: string } | undefined {
  for (let l = 0; l < model.layers.length; l++) {
    const { W, b } = model.layers[l];
    if (b.length !== W.rows) {
      return { field: `${field}.layers[${l}].b`, message: `${field}.layers[${l}].b has ${b.length} entries, W has ${W.rows} rows` };
    }
    if (l > 0 && W.cols !== model.layers[l - 1].W.rows) {
      return {
        field: `${field}.layers[${l}].W`,
        message: `${field}.layers[${l}].W has ${W.cols} columns, but layer ${l - 1} has ${model.layers[l - 1].W.rows} outputs`,
      };
    }
  }
  if (sizes) {
    const got = mlpSizes(model);
    if (got.length !== sizes.length || got.some((s, i) => s !== sizes[i])) {
      return { field: `${field}.layers`, message: `${field} has layer widths [${got.join(', ')}], expected [${sizes.join(', ')}]` };
    }
  }
  return undefined;
}

/** What {@link mlpForwardCached} keeps for the backward pass. */
export interface MlpCache {
  /** inputs[l] is the input of layer l (inputs[0] = X). */
  readonly inputs: Matrix[];
  /** pre[l] is the pre-activation Z_l = A_{l-1} W_lᵀ + b_l of hidden layer l. */
  readonly pre: Matrix[];
}

function affine(a: Matrix, layer: DenseLayer): Matrix {
  const z = matmul(a, layer.W, { transB: true });
  const { rows, cols } = z;
  const b = layer.b;
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) z.data[o + j] += b[j];
  }
  return z;
}

/**
 * The forward pass on a batch, keeping what the backward pass needs.
 *
 * @param X - inputs, N x d_in (one example per row)
 * @returns the outputs (N x d_out) and the cache
 */
export function mlpForwardCached(model: Mlp, X: Matrix): { output: Matrix; cache: MlpCache } {
  if (X.cols !== model.layers[0].W.cols) {
    throw new RangeError(`mlpForward: X has ${X.cols} columns, the model takes ${model.layers[0].W.cols} inputs`);
  }
  const inputs: Matrix[] = [];
  const pre: Matrix[] = [];
  let a = X;
  const L = model.layers.length;
  for (let l = 0; l < L; l++) {
    inputs.push(a);
    const z = affine(a, model.layers[l]);
    if (l === L - 1) return { output: z, cache: { inputs, pre } };
    pre.push(z);
    a = { rows: z.rows, cols: z.cols, data: activate(model.activation, z.data, new Float64Array(z.data.length)) };
  }
  throw new Error('unreachable');
}

/**
 * The forward pass on a batch: outputs (logits or regression values), N x d_out.
 *
 * @example
 * mlpForward(net, X).rows // => X.rows
 */
export function mlpForward(model: Mlp, X: Matrix): Matrix {
  if (X.cols !== model.layers[0].W.cols) {
    throw new RangeError(`mlpForward: X has ${X.cols} columns, the model takes ${model.layers[0].W.cols} inputs`);
  }
  let a = X;
  const L = model.layers.length;
  for (let l = 0; l < L - 1; l++) {
    const z = affine(a, model.layers[l]);
    activate(model.activation, z.data, z.data);
    a = z;
  }
  return affine(a, model.layers[L - 1]);
}

/**
 * The backward pass: gradients of a loss with respect to every weight and
 * bias, given dL/d(output) (N x d_out) and the forward cache. With
 * `inputGrad`, also dL/dX.
 *
 * dW_l = dZ_lᵀ A_{l-1}, db_l = Σ_rows dZ_l, dA_{l-1} = dZ_l W_l,
 * dZ_{l-1} = dA_{l-1} ⊙ σ'(Z_{l-1}).
 */
export function mlpBackward(model: Mlp, cache: MlpCache, dOut: Matrix, options: { inputGrad?: boolean } = {}): MlpGrads & { dX?: Matrix } {
  const L = model.layers.length;
  const grads: DenseLayer[] = new Array<DenseLayer>(L);
  let dZ = dOut;
  let dX: Matrix | undefined;
  for (let l = L - 1; l >= 0; l--) {
    const a = cache.inputs[l];
    const W = matmul(dZ, a, { transA: true });
    const b = new Float64Array(dZ.cols);
    for (let i = 0; i < dZ.rows; i++) {
      const o = i * dZ.cols;
      for (let j = 0; j < dZ.cols; j++) b[j] += dZ.data[o + j];
    }
    grads[l] = { W, b };
    if (l > 0 || options.inputGrad) {
      const dA = matmul(dZ, model.layers[l].W);
      if (l > 0) {
        activationBackward(model.activation, cache.pre[l - 1].data, dA.data as Float64Array);
        dZ = dA;
      } else {
        dX = dA;
      }
    }
  }
  return dX ? { layers: grads, dX } : { layers: grads };
}
