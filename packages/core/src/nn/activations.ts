import type { Activation } from './types.js';

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;

/**
 * Applies an activation elementwise, into `out` (may alias `z`).
 * GELU is the tanh approximation 0.5 z (1 + tanh(√(2/π)(z + 0.044715 z³)))
 * (Hendrycks & Gimpel 2016, eq. 2): JavaScript has no `erf`.
 *
 * @example
 * activate('relu', new Float64Array([-1, 2]), new Float64Array(2)) // => [0, 2]
 */
export function activate(act: Activation, z: Float64Array, out: Float64Array): Float64Array {
  const n = z.length;
  switch (act) {
    case 'relu':
      for (let i = 0; i < n; i++) out[i] = z[i] > 0 ? z[i] : 0;
      break;
    case 'tanh':
      for (let i = 0; i < n; i++) out[i] = Math.tanh(z[i]);
      break;
    case 'gelu':
      for (let i = 0; i < n; i++) {
        const x = z[i];
        out[i] = 0.5 * x * (1 + Math.tanh(GELU_C * (x + GELU_A * x * x * x)));
      }
      break;
    case 'identity':
      if (out !== z) out.set(z);
      break;
  }
  return out;
}

/**
 * Multiplies `g` in place by σ'(z) (the backward pass through an activation),
 * given the pre-activations `z`.
 *
 * @example
 * activationBackward('relu', new Float64Array([-1, 2]), new Float64Array([5, 5])) // => [0, 5]
 */
export function activationBackward(act: Activation, z: Float64Array, g: Float64Array): Float64Array {
  const n = z.length;
  switch (act) {
    case 'relu':
      for (let i = 0; i < n; i++) if (!(z[i] > 0)) g[i] = 0;
      break;
    case 'tanh':
      for (let i = 0; i < n; i++) {
        const t = Math.tanh(z[i]);
        g[i] *= 1 - t * t;
      }
      break;
    case 'gelu':
      for (let i = 0; i < n; i++) {
        const x = z[i];
        const t = Math.tanh(GELU_C * (x + GELU_A * x * x * x));
        g[i] *= 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * GELU_A * x * x);
      }
      break;
    case 'identity':
      break;
  }
  return g;
}
