/**
 * The initialization of Jain, Netrapalli & Sanghavi (STOC 2013), shared by
 * exact and robust alternating minimization: a truncated SVD of the rescaled
 * observed matrix, then clipping of the rows that break incoherence.
 *
 * Internal module: not exported from the package.
 */
import { csrMatvec, lanczos, type CsrMatrix, type LinalgBackend, type Matrix, type Rng } from '@parsimony/core';
import type { EntryGroups } from './entries.js';

/** What {@link spectralInit} returns. */
export interface SpectralInit {
  /** m x k, orthonormal columns. */
  readonly U: Matrix;
  /** n x k: (1/p) P_Ω(M)ᵀ U, the right factor matching U (a warm start for the first V-step). */
  readonly V: Matrix;
  /** Rows of U zeroed by the clipping step. */
  readonly clipped: number;
  /** Flops of the sparse products, the clipping and the QR (Lanczos' own orthogonalization is not counted). */
  readonly flops: number;
}

/** Inputs of {@link spectralInit}. */
export interface SpectralInitInput {
  readonly rows: number;
  readonly cols: number;
  /** Column index of each entry of Ω. */
  readonly colOf: Int32Array;
  readonly values: Float64Array;
  /** The entries used (a subset of Ω with sample splitting), grouped by row. */
  readonly byRow: EntryGroups;
}

/**
 * JNS13 initialization: with p = |Ω|/(mn), U₀ = the top-k left singular
 * vectors of (1/p) P_Ω(M) (Lanczos on (1/p²) S Sᵀ, S = P_Ω(M) sparse); the
 * rows of U₀ with norm > 2μ√(k/m) are zeroed and U₀ is re-orthonormalized by
 * QR. Also returns V₀ = (1/p) P_Ω(M)ᵀ U₀.
 *
 * @param input - sizes, Ω grouped by row, and the observed values
 * @param k - target rank
 * @param options - `mu` (incoherence estimate), `clip`, `rng` (Lanczos start), `linalg` (QR)
 * @returns U₀ (orthonormal), V₀, the number of clipped rows and the flops
 * @example
 * const { U, V } = spectralInit(input, 5, { mu: 2, clip: true, rng, linalg });
 */
export function spectralInit(
  input: SpectralInitInput,
  k: number,
  options: { readonly mu: number; readonly clip: boolean; readonly rng: Rng; readonly linalg: LinalgBackend },
): SpectralInit {
  const { rows: m, cols: n, colOf, values, byRow } = input;
  const nnz = byRow.ids.length;
  const indices = new Int32Array(nnz), data = new Float64Array(nnz);
  for (let t = 0; t < nnz; t++) {
    indices[t] = colOf[byRow.ids[t]];
    data[t] = values[byRow.ids[t]];
  }
  const S: CsrMatrix = { rows: m, cols: n, indptr: byRow.ptr, indices, data };
  const p = Math.max(nnz, 1) / (m * n);
  const scale = 1 / (p * p);
  const tmp = new Float64Array(n);
  const op = (x: Float64Array, y: Float64Array): void => {
    csrMatvec(S, x, true, tmp);
    csrMatvec(S, tmp, false, y);
    for (let i = 0; i < m; i++) y[i] *= scale;
  };
  // The init only has to land in AM's basin: a loose tolerance is enough.
  const eig = lanczos(op, k, { n: m, rng: options.rng, tol: 1e-6 });
  let flops = eig.matvecs * (4 * nnz + m);

  const U0 = eig.vectors.data.slice();
  let clipped = 0;
  if (options.clip) {
    const limit2 = (2 * options.mu) ** 2 * (k / m);
    for (let i = 0; i < m; i++) {
      let rr = 0;
      for (let c = 0; c < k; c++) rr += U0[i * k + c] ** 2;
      if (rr > limit2) {
        U0.fill(0, i * k, (i + 1) * k);
        clipped++;
      }
    }
    flops += 2 * m * k;
  }
  const U = options.linalg.qr({ rows: m, cols: k, data: U0 }).Q;
  flops += 2 * m * k * k - (2 * k * k * k) / 3;

  const v = new Float64Array(n * k), u = U.data;
  for (let i = 0; i < m; i++) {
    const ou = i * k;
    for (let t = byRow.ptr[i]; t < byRow.ptr[i + 1]; t++) {
      const w = data[t] / p, ov = indices[t] * k;
      for (let c = 0; c < k; c++) v[ov + c] += w * u[ou + c];
    }
  }
  flops += 2 * nnz * k;
  return { U, V: { rows: n, cols: k, data: v }, clipped, flops };
}
