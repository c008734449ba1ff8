import { assertMatrix, badInput } from './check.js';
import type { Matrix } from './matrix.js';

/** Options of {@link kronMatvec}. */
export interface KronMatvecOptions {
  /** Apply (B₁ ⊗ … ⊗ B_I)ᵀ = B₁ᵀ ⊗ … ⊗ B_Iᵀ instead (no copy is made). Default false. */
  readonly trans?: boolean;
  /** Where to write the result (length ∏ rows, or ∏ cols with `trans`); a new vector when absent. */
  readonly out?: Float64Array;
}

/**
 * One mode product: v, read as a p x c x q tensor (row-major), times op(B)
 * along its middle mode, written to out (p x r x q). Entry (r, c) of op(B)
 * is b[r·ldr + c·ldc].
 */
function modeProduct(
  b: Float64Array, ldr: number, ldc: number, r: number, c: number,
  v: Float64Array, p: number, q: number, out: Float64Array,
): void {
  out.fill(0, 0, p * r * q);
  if (q === 1) {
    // Last mode: a dot product per output entry (the inner index is contiguous in v).
    for (let a = 0; a < p; a++) {
      const vo = a * c, oo = a * r;
      for (let i = 0; i < r; i++) {
        let s = 0;
        const bo = i * ldr;
        for (let j = 0; j < c; j++) s += b[bo + j * ldc] * v[vo + j];
        out[oo + i] = s;
      }
    }
    return;
  }
  for (let a = 0; a < p; a++) {
    for (let i = 0; i < r; i++) {
      const oo = (a * r + i) * q, bo = i * ldr;
      for (let j = 0; j < c; j++) {
        const coef = b[bo + j * ldc];
        if (coef === 0) continue;
        const vo = (a * c + j) * q;
        for (let t = 0; t < q; t++) out[oo + t] += coef * v[vo + t];
      }
    }
  }
}

/**
 * Kronecker matrix-vector product y = (B₁ ⊗ B₂ ⊗ … ⊗ B_I) x, computed one
 * mode at a time without forming the product (the vec-trick: x is read as
 * an I-way tensor, first factor slowest, as `kron` orders it). With `trans`,
 * y = (B₁ᵀ ⊗ … ⊗ B_Iᵀ) x. Cost Σᵢ (∏_{j<i} rⱼ)·rᵢ·cᵢ·(∏_{j>i} cⱼ) instead of
 * ∏rᵢ·∏cᵢ for the dense product.
 *
 * @param factors - B₁ … B_I (at least one), each rᵢ x cᵢ
 * @param x - length ∏cᵢ (∏rᵢ with `trans`)
 * @param options - `trans`, `out` (must not alias x)
 * @returns y, length ∏rᵢ (∏cᵢ with `trans`)
 * @example
 * kronMatvec([Matrix.fromRows([[1, 2]]), Matrix.eye(2)], new Float64Array([1, 1, 1, 1])); // => [3, 3]
 */
export function kronMatvec(factors: readonly Matrix[], x: Float64Array, options: KronMatvecOptions = {}): Float64Array {
  if (!Array.isArray(factors) || factors.length === 0) throw badInput('kronMatvec: factors must be a non-empty array of matrices', 'factors');
  factors.forEach((f, i) => assertMatrix('kronMatvec', `factors[${i}]`, f));
  const trans = options.trans ?? false;
  const ins = factors.map((f) => (trans ? f.rows : f.cols));
  const outs = factors.map((f) => (trans ? f.cols : f.rows));
  const nIn = ins.reduce((a, b) => a * b, 1), nOut = outs.reduce((a, b) => a * b, 1);
  if (!(x instanceof Float64Array) || x.length !== nIn) {
    const shape = factors.map((f) => `${f.rows}x${f.cols}`).join(' ⊗ ');
    throw badInput(`kronMatvec: x has ${x?.length} entries; ${trans ? 'the transpose of ' : ''}${shape} needs ${nIn}`, 'x');
  }
  if (options.out && options.out.length !== nOut) throw badInput(`kronMatvec: out has ${options.out.length} entries, expected ${nOut}`, 'out');
  const I = factors.length;
  // The widest intermediate tensor: modes < i already mapped, modes >= i not yet.
  let width = Math.max(nIn, nOut);
  for (let i = 0, p = 1; i < I; i++) {
    p *= outs[i];
    let q = 1;
    for (let j = i + 1; j < I; j++) q *= ins[j];
    width = Math.max(width, p * q);
  }
  let src = x;
  let buf1 = new Float64Array(width), buf2 = I > 1 ? new Float64Array(width) : buf1;
  for (let i = 0, p = 1; i < I; i++) {
    let q = 1;
    for (let j = i + 1; j < I; j++) q *= ins[j];
    const f = factors[i];
    const dst = i === I - 1 && options.out ? options.out : buf1;
    // op(B)[r, c] = B[r, c] (row stride cols) or B[c, r] (trans).
    if (trans) modeProduct(f.data, 1, f.cols, outs[i], ins[i], src, p, q, dst);
    else modeProduct(f.data, f.cols, 1, outs[i], ins[i], src, p, q, dst);
    src = dst;
    [buf1, buf2] = [buf2, buf1];
    p *= outs[i];
  }
  if (options.out) return options.out;
  return src.length === nOut ? src : src.slice(0, nOut);
}
