import {
  createRng,
  defineSolver,
  lowRankApproximation,
  Matrix,
  ParsimonyError,
  Type,
  typescriptBackend,
  type LinalgBackend,
  type ObservationOf,
  type Rng,
  type SolutionOf,
  type SolverContext,
  type Static,
} from '@parsimony/core';
import { columnNorms2 } from '../internal/kernels.js';
import type { LowRankPair } from './truncated-svd.js';

/** Parameters of `baselines/column-sampling`. */
export const ColumnSamplingParams = Type.Object(
  {
    rank: Type.Optional(Type.Integer({ minimum: 1, description: "rank k of the approximation; default (and at most): the observation's rank r" })),
    columns: Type.Optional(
      Type.Integer({ minimum: 1, description: 'c, the columns sampled (i.i.d., with replacement); default 4k, the c >= 4k/ε² of Drineas, Kannan & Mahoney (2006) at ε = 1' }),
    ),
  },
  { additionalProperties: false },
);
export type ColumnSamplingParams = Static<typeof ColumnSamplingParams>;

/** Options of the plain {@link columnSampling} function. */
export interface ColumnSamplingOptions {
  /** c, the number of sampled columns (default 4k). */
  readonly columns?: number;
  /** The sampling stream (default: a fixed seed). */
  readonly rng?: Rng;
  /** Kernels (SVD, GEMM); default the TypeScript backend. */
  readonly linalg?: LinalgBackend;
}

/** What {@link columnSampling} returns: M̂ = U Vᵀ = H_k H_kᵀ A, and the sample. */
export interface ColumnSamplingResult extends LowRankPair {
  /** The sampled column of A behind each column of C, in draw order. */
  readonly indices: Int32Array;
  /** C = A[:, indices] diag(1/√(c p_j)), m x c. */
  readonly C: Matrix;
  /** The sampling probabilities p_j = |A^(j)|² / ‖A‖²_F. */
  readonly probabilities: Float64Array;
}

/**
 * Column sampling for low-rank approximation (Frieze, Kannan & Vempala,
 * J. ACM 51(6), 2004; Drineas, Kannan & Mahoney, SIAM J. Comput. 36(1),
 * 2006, Alg. LinearTimeSVD): draw c columns i.i.d. with p_j = |A^(j)|²/‖A‖²_F,
 * form C with columns A^(i_t)/√(c p_{i_t}) (so E[C Cᵀ] = A Aᵀ), take H_k, the
 * top-k left singular vectors of C, and return the projection H_k H_kᵀ A.
 * Their Theorem 2 gives ‖A − H_kH_kᵀA‖²_F ≤ ‖A − A_k‖²_F + 2√k‖AAᵀ − CCᵀ‖_F
 * for any C, and E‖AAᵀ − CCᵀ‖_F ≤ ‖A‖²_F/√c, so c ≥ 4k/ε² columns give an
 * additive error ε‖A‖²_F in expectation. Costs O(mn) for the norms, O(mc²)
 * for the SVD of C and O(mnk) for the projection.
 *
 * Deviation: H_k comes from core's thin SVD of C rather than the
 * eigendecomposition of CᵀC (the same vectors, without squaring the
 * condition number); directions with σ_t(C) ≈ 0 are dropped, so fewer than
 * k columns are returned when C has lower rank.
 *
 * @param A - m x n
 * @param rank - k >= 1 (capped at min(m, c))
 * @param options - `columns` (4k), `rng`, `linalg`
 * @returns U = H_k (m x k, orthonormal), V = AᵀH_k (n x k), the sampled indices, C and p
 * @example
 * const { U, V } = columnSampling(M, 10, { columns: 40, rng: createRng(1) });
 */
export function columnSampling(A: Matrix, rank: number, options: ColumnSamplingOptions = {}): ColumnSamplingResult {
  if (!Number.isInteger(rank) || rank < 1) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `columnSampling: rank = ${rank}; expected an integer >= 1`, 'rank');
  const c = options.columns ?? 4 * rank;
  if (!Number.isInteger(c) || c < 1) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `columnSampling: columns = ${c}; expected an integer >= 1`, 'columns');
  const { rows: m, cols: n, data } = A;
  if (!Number.isInteger(m) || !Number.isInteger(n) || data?.length !== m * n) {
    throw new ParsimonyError('PARSIMONY_BAD_INPUT', `columnSampling: A must be a Matrix {rows, cols, data} with rows·cols entries (got ${m}x${n} with ${data?.length} entries)`, 'A');
  }
  const linalg = options.linalg ?? typescriptBackend;
  const rng = options.rng ?? createRng('baselines/column-sampling', 0);

  const norms = columnNorms2(A);
  const cdf = new Float64Array(n);
  let total = 0;
  for (let j = 0; j < n; j++) {
    if (!Number.isFinite(norms[j])) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `columnSampling: column ${j} of A has a non-finite entry; A must be finite`, 'A');
    cdf[j] = total += norms[j];
  }
  const probabilities = norms.map((v) => v / total);
  const indices = new Int32Array(c);
  const C = Matrix.zeros(m, c);
  if (!(total > 0)) return { U: Matrix.zeros(m, 1), V: Matrix.zeros(n, 1), indices, C, probabilities };
  for (let t = 0; t < c; t++) {
    // Inverse CDF: the first j with cdf[j] > u, never a column of zero norm.
    const u = rng.uniform() * total;
    let lo = 0, hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    indices[t] = lo;
    const scale = 1 / Math.sqrt(c * probabilities[lo]);
    for (let r = 0; r < m; r++) C.data[r * c + t] = data[r * n + lo] * scale;
  }
  const { U, s } = linalg.svd(C);
  // Directions C does not span (σ ≈ 0) would be arbitrary: keep the numerically non-zero ones.
  let k = 0;
  const kmax = Math.min(rank, s.length);
  while (k < kmax && s[k] > s[0] * Math.max(m, c) * Number.EPSILON) k++;
  if (k === 0) return { U: Matrix.zeros(m, 1), V: Matrix.zeros(n, 1), indices, C, probabilities };
  const H = Matrix.zeros(m, k);
  for (let r = 0; r < m; r++) for (let a = 0; a < k; a++) H.data[r * k + a] = U.data[r * U.cols + a];
  return { U: H, V: linalg.matmul(A, H, { transA: true }), indices, C, probabilities };
}

/**
 * The bench entry: M, or every matrix of a set on its own, sampled from
 * ctx.rng. Weights are ignored (the method is unweighted), as is an error
 * bound (the sample size is fixed in advance).
 */
export function solveColumnSampling(obs: ObservationOf<typeof lowRankApproximation>, params: ColumnSamplingParams, ctx: SolverContext): SolutionOf<typeof lowRankApproximation> {
  ctx.signal.throwIfAborted();
  const k = Math.min(params.rank ?? obs.rank, obs.rank);
  const options = { columns: params.columns, rng: ctx.rng, linalg: ctx.linalg };
  if (obs.M) {
    const { U, V } = columnSampling(obs.M, k, options);
    ctx.report({ iteration: 1, rank: U.cols });
    return { U, V };
  }
  return {
    factors: obs.Ms!.map((A, i) => {
      ctx.signal.throwIfAborted();
      const { U, V } = columnSampling(A, k, options);
      ctx.report({ iteration: i + 1, rank: U.cols });
      return { U, V };
    }),
  };
}

/** `baselines/column-sampling`: {@link columnSampling} as a registered solver. */
export const columnSamplingSolver = defineSolver({
  id: 'baselines/column-sampling',
  family: lowRankApproximation,
  title: 'Column sampling (Drineas-Kannan-Mahoney)',
  summary: 'Sample c columns with probability ∝ their squared norms, rescale, and project M onto the top-k left singular vectors of the sample (Frieze, Kannan & Vempala 2004; Drineas, Kannan & Mahoney 2006).',
  params: ColumnSamplingParams,
  solve: solveColumnSampling,
});
