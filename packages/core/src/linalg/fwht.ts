import { assertMatrix, badInput } from './check.js';
import type { Matrix } from './matrix.js';

/** Options of {@link fwht} and {@link fwht2}. */
export interface FwhtOptions {
  /** Scale by 1/√N so the transform is orthonormal (its own inverse). Default false. */
  readonly orthonormal?: boolean;
}

function isPow2(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/** In-place butterflies on x[off .. off + n), stride 1. */
function fwhtKernel(x: Float64Array, off: number, n: number): void {
  for (let h = 1; h < n; h <<= 1) {
    for (let i = off; i < off + n; i += h << 1) {
      for (let j = i; j < i + h; j++) {
        const a = x[j], b = x[j + h];
        x[j] = a + b;
        x[j + h] = a - b;
      }
    }
  }
}

/**
 * Fast Walsh-Hadamard transform in place, O(N log N): x := H x for the
 * Sylvester-ordered Hadamard matrix H (H₁ = [1], H₂ₙ = [[Hₙ, Hₙ], [Hₙ, -Hₙ]],
 * as scipy.linalg.hadamard). Unnormalized by default, so applying it twice
 * multiplies by N; with `orthonormal` it is scaled by 1/√N and is its own
 * inverse.
 *
 * @param x - length N, a power of two; overwritten
 * @param options - `orthonormal`
 * @returns x
 * @example
 * fwht(new Float64Array([1, 0, 1, 0])); // => [2, 2, 0, 0]
 */
export function fwht(x: Float64Array, options: FwhtOptions = {}): Float64Array {
  if (!(x instanceof Float64Array)) throw badInput('fwht: x must be a Float64Array', 'x');
  const n = x.length;
  if (n === 0) return x;
  if (!isPow2(n)) throw badInput(`fwht: x has ${n} entries but the length must be a power of two (pad with zeros to ${2 ** Math.ceil(Math.log2(n))})`, 'x');
  fwhtKernel(x, 0, n);
  if (options.orthonormal) {
    const s = 1 / Math.sqrt(n);
    for (let i = 0; i < n; i++) x[i] *= s;
  }
  return x;
}

/**
 * 2-D fast Walsh-Hadamard transform in place: A := H_m A H_n (every row,
 * then every column), O(mn log(mn)).
 *
 * @param A - m x n, both powers of two; overwritten
 * @param options - `orthonormal` (scale by 1/√(mn))
 * @returns A
 * @example
 * fwht2(Matrix.fromRows([[1, 0], [0, 0]])).data; // => [1, 1, 1, 1]
 */
export function fwht2(A: Matrix, options: FwhtOptions = {}): Matrix {
  assertMatrix('fwht2', 'A', A);
  const { rows: m, cols: n, data } = A;
  if (m === 0 || n === 0) return A;
  if (!isPow2(m) || !isPow2(n)) throw badInput(`fwht2: A is ${m}x${n} but both sizes must be powers of two`, 'A');
  for (let i = 0; i < m; i++) fwhtKernel(data, i * n, n);
  // Columns: butterflies between whole rows, which stay contiguous.
  for (let h = 1; h < m; h <<= 1) {
    for (let i = 0; i < m; i += h << 1) {
      for (let r = i; r < i + h; r++) {
        const o1 = r * n, o2 = (r + h) * n;
        for (let c = 0; c < n; c++) {
          const a = data[o1 + c], b = data[o2 + c];
          data[o1 + c] = a + b;
          data[o2 + c] = a - b;
        }
      }
    }
  }
  if (options.orthonormal) {
    const s = 1 / Math.sqrt(m * n);
    for (let i = 0; i < data.length; i++) data[i] *= s;
  }
  return A;
}
