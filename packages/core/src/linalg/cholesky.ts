/**
 * A growing Cholesky factor L (lower triangular, L Lᵀ = G) of a Gram matrix
 * G = A_Sᵀ A_S whose column set S grows one column at a time, as greedy
 * pursuit methods need: appending a column costs O(k^2), not O(k^3).
 */
export class GrowingCholesky {
  /** Packed row-major storage with capacity `cap` x `cap`. */
  private readonly l: Float64Array;
  private k = 0;

  constructor(private readonly cap: number) {
    this.l = new Float64Array(cap * cap);
  }

  /** Current order k. */
  get size(): number {
    return this.k;
  }

  /**
   * Appends a column: `g` holds its inner products with the k current columns
   * (g[0..k-1]) and `diag` its squared norm. Returns false, leaving the factor
   * unchanged, when the new column is (numerically) in the span of the others.
   */
  append(g: Float64Array, diag: number): boolean {
    const { l, k, cap } = this;
    if (k >= cap) throw new RangeError(`GrowingCholesky: capacity ${cap} exceeded`);
    // Solve L w = g (forward substitution) into row k.
    const rowK = k * cap;
    let ww = 0;
    for (let i = 0; i < k; i++) {
      let s = g[i];
      const rowI = i * cap;
      for (let j = 0; j < i; j++) s -= l[rowI + j] * l[rowK + j];
      const w = s / l[rowI + i];
      l[rowK + i] = w;
      ww += w * w;
    }
    const d = diag - ww;
    if (!(d > 1e-12 * Math.max(diag, 1e-300))) return false;
    l[rowK + k] = Math.sqrt(d);
    this.k = k + 1;
    return true;
  }

  /** Solves L Lᵀ x = b in place (b has length k). */
  solveInPlace(b: Float64Array): void {
    const { l, k, cap } = this;
    for (let i = 0; i < k; i++) {
      let s = b[i];
      const row = i * cap;
      for (let j = 0; j < i; j++) s -= l[row + j] * b[j];
      b[i] = s / l[row + i];
    }
    for (let i = k - 1; i >= 0; i--) {
      let s = b[i];
      for (let j = i + 1; j < k; j++) s -= l[j * cap + i] * b[j];
      b[i] = s / l[i * cap + i];
    }
  }
}
