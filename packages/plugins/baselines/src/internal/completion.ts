/**
 * Helpers of the matrix-completion baselines: Ω grouped by row and by
 * column, and the spectral initialization of Jain, Netrapalli & Sanghavi
 * (STOC 2013). Numerics (Lanczos, QR, sparse products) come from core.
 *
 * Internal module: not exported from the package.
 */
import { csrMatvec, lanczos, type CsrMatrix, type LinalgBackend, type Matrix, type Rng } from '@parsimony/core';

/** Entries of Ω grouped by row (or column): group g is ids[ptr[g] .. ptr[g + 1]). */
export interface Groups {
  readonly ptr: Int32Array;
  readonly ids: Int32Array;
  /** Size of the largest group. */
  readonly largest: number;
}

/** Groups the entries 0 .. key.length - 1 by key[e] in [0, count) (counting sort, stable). */
export function groupBy(key: Int32Array, count: number): Groups {
  const ptr = new Int32Array(count + 1);
  for (let e = 0; e < key.length; e++) ptr[key[e] + 1]++;
  let largest = 0;
  for (let g = 0; g < count; g++) {
    largest = Math.max(largest, ptr[g + 1]);
    ptr[g + 1] += ptr[g];
  }
  const fill = ptr.slice(0, count);
  const ids = new Int32Array(key.length);
  for (let e = 0; e < key.length; e++) ids[fill[key[e]]++] = e;
  return { ptr, ids, largest };
}

/**
 * JNS13 initialization of alternating minimization: U₀ = top-k left singular
 * vectors of (1/p) P_Ω(M), p = |Ω|/(mn), by Lanczos on (1/p²) S Sᵀ; rows of
 * U₀ with norm above 2μ√(k/m) zeroed (when `clip`), then QR. Returns U₀
 * (orthonormal) and the flops of the sparse products, clipping and QR.
 */
export function jnsInit(
  m: number,
  n: number,
  byRow: Groups,
  colOf: Int32Array,
  values: Float64Array,
  k: number,
  opts: { mu: number; clip: boolean; rng: Rng; linalg: LinalgBackend },
): { U: Matrix; flops: number } {
  const nnz = byRow.ids.length;
  const S: CsrMatrix = {
    rows: m,
    cols: n,
    indptr: byRow.ptr,
    indices: Int32Array.from(byRow.ids, (e) => colOf[e]),
    data: Float64Array.from(byRow.ids, (e) => values[e]),
  };
  const p = Math.max(nnz, 1) / (m * n);
  const work = new Float64Array(n);
  const { vectors, matvecs } = lanczos(
    (x, y) => {
      csrMatvec(S, csrMatvec(S, x, true, work), false, y);
      for (let i = 0; i < m; i++) y[i] /= p * p;
    },
    k,
    { n: m, rng: opts.rng, tol: 1e-6 },
  );
  const u = vectors.data;
  if (opts.clip) {
    const bound = 4 * opts.mu * opts.mu * (k / m);
    for (let i = 0; i < m; i++) {
      let norm2 = 0;
      for (let c = 0; c < k; c++) norm2 += u[i * k + c] * u[i * k + c];
      if (norm2 > bound) u.fill(0, i * k, i * k + k);
    }
  }
  const U = opts.linalg.qr(vectors).Q;
  return { U, flops: matvecs * (4 * nnz + m) + (opts.clip ? 2 * m * k : 0) + 2 * m * k * k - (2 * k ** 3) / 3 };
}
