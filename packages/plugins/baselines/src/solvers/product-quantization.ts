import {
  createRng,
  defineSolver,
  gemmStrided,
  Matrix,
  ParsimonyError,
  Type,
  vectorQuantization,
  type Rng,
  type SolverContext,
  type Static,
  type VectorQuantizationObservation,
  type VectorQuantizationSolution,
} from '@parsimony/core';

/** Parameters of {@link productQuantization}. */
export const ProductQuantizationParams = Type.Object(
  {
    subspaces: Type.Optional(Type.Integer({ minimum: 1, description: 'number m of subspaces; default ⌊b·d / centroidBits⌋ (at most d), the whole budget' })),
    centroidBits: Type.Integer({ minimum: 1, maximum: 16, default: 8, description: 'log2 of the centroids per subspace (256 by default)' }),
    iterations: Type.Integer({ minimum: 1, default: 10, description: 'Lloyd (k-means) iterations per subspace' }),
  },
  { additionalProperties: false },
);
export type ProductQuantizationParams = Static<typeof ProductQuantizationParams>;

/** Vectors per block of the distance GEMM (bounds its workspace to ROWS x 2^c doubles). */
const ROWS = 1024;

/** Options of the plain {@link productQuantization} function. */
export interface ProductQuantizationOptions {
  /** Subspaces m (default ⌊d/4⌋, i.e. 2 bits per coordinate with 256 centroids). */
  subspaces?: number;
  /** Centroids per subspace = 2^centroidBits (default 8). */
  centroidBits?: number;
  /** k-means iterations (default 10). */
  iterations?: number;
  /** Stream for the k-means initialisation (default createRng(0)). */
  rng?: Rng;
  /** Polled each k-means iteration. */
  signal?: AbortSignal;
  /** Called after each k-means iteration with the training distortion Σ‖x − x̂‖² / N. */
  onIteration?: (iteration: number, distortion: number) => void;
}

/** Result of {@link productQuantization}. */
export interface ProductQuantizationResult {
  /** Decoded vectors, N x d. */
  Xhat: Matrix;
  /** Centroid index per (vector, subspace), N x m. */
  codes: Uint16Array;
  /** Column ranges of the subspaces: subspace s is [bounds[s], bounds[s + 1]). */
  bounds: Int32Array;
  /** Per subspace, K x d_s centroids (row-major). */
  codebooks: Float64Array[];
  /** m · centroidBits · N. */
  codeBits: number;
}

/**
 * Product quantization (Jégou, Douze & Schmid, "Product quantization for
 * nearest neighbor search", IEEE TPAMI 33(1), 2011): split the coordinates
 * into m contiguous subspaces, learn 2^c centroids in each by k-means on the
 * data set (initialised at distinct random vectors, `iterations` Lloyd
 * steps; an empty cluster keeps its centroid), and store each vector as m
 * centroid indices. Training reads every vector, so the codes are not
 * online; its cost (the "indexing time" TurboQuant compares against) is
 * O(iterations · N · 2^c · d).
 *
 * @param X - N x d vectors (one per row)
 * @returns the decoded vectors, codes, subspace bounds and codebooks
 * @example
 * const { Xhat } = productQuantization(X, { subspaces: 32, rng: createRng(1) });
 */
export function productQuantization(X: Matrix, options: ProductQuantizationOptions = {}): ProductQuantizationResult {
  options.signal?.throwIfAborted();
  const { rows: n, cols: d, data: x } = X;
  const m = Math.min(d, options.subspaces ?? Math.max(1, Math.floor(d / 4)));
  const cBits = options.centroidBits ?? 8;
  const K = Math.min(2 ** cBits, n);
  const rng = options.rng ?? createRng(0);
  // Subspace widths differ by at most one when m does not divide d.
  const bounds = new Int32Array(m + 1);
  for (let s = 0; s <= m; s++) bounds[s] = Math.floor((s * d) / m);
  const codebooks = Array.from({ length: m }, (_, s) => {
    const ds = bounds[s + 1] - bounds[s], C = new Float64Array(K * ds);
    const pick = rng.sampleWithoutReplacement(n, K);
    for (let k = 0; k < K; k++) for (let t = 0; t < ds; t++) C[k * ds + t] = x[pick[k] * d + bounds[s] + t];
    return C;
  });
  const codes = new Uint16Array(n * m);
  const sums = new Float64Array(K * Math.ceil(d / m)), counts = new Int32Array(K);
  const cc = new Float64Array(K), G = new Float64Array(ROWS * K);
  // Nearest centroids of every vector in every subspace: ‖x − c‖² = ‖x‖² + (‖c‖² − 2⟨x, c⟩),
  // the inner products of a block of rows with all K centroids being one GEMM (core's gemmStrided
  // reads the subspace's columns of X in place). Returns the mean squared distance.
  const assign = (): number => {
    let total = 0;
    for (let s = 0; s < m; s++) {
      const a = bounds[s], ds = bounds[s + 1] - a, C = codebooks[s];
      for (let k = 0; k < K; k++) {
        let q = 0;
        for (let t = 0; t < ds; t++) q += C[k * ds + t] ** 2;
        cc[k] = q;
      }
      for (let r0 = 0; r0 < n; r0 += ROWS) {
        const rows = Math.min(ROWS, n - r0);
        gemmStrided(false, true, rows, K, ds, -2, x, r0 * d + a, d, C, 0, ds, 0, G, 0, K);
        for (let i = 0; i < rows; i++) {
          let best = 0, bestD = Infinity;
          for (let k = 0, o = i * K; k < K; k++) {
            const v = cc[k] + G[o + k];
            if (v < bestD) {
              bestD = v;
              best = k;
            }
          }
          codes[(r0 + i) * m + s] = best;
          let xx = 0;
          for (let t = (r0 + i) * d + a; t < (r0 + i) * d + a + ds; t++) xx += x[t] * x[t];
          total += Math.max(0, xx + bestD);
        }
      }
    }
    return total / n;
  };
  const iterations = options.iterations ?? 10;
  for (let it = 1; it <= iterations; it++) {
    options.signal?.throwIfAborted();
    const distortion = assign();
    for (let s = 0; s < m; s++) {
      const a = bounds[s], ds = bounds[s + 1] - a, C = codebooks[s];
      sums.fill(0);
      counts.fill(0);
      for (let i = 0; i < n; i++) {
        const k = codes[i * m + s];
        counts[k]++;
        for (let t = 0; t < ds; t++) sums[k * ds + t] += x[i * d + a + t];
      }
      for (let k = 0; k < K; k++) if (counts[k] > 0) for (let t = 0; t < ds; t++) C[k * ds + t] = sums[k * ds + t] / counts[k];
    }
    options.onIteration?.(it, distortion);
  }
  options.signal?.throwIfAborted();
  assign();
  const Xhat = Matrix.zeros(n, d);
  for (let i = 0; i < n; i++)
    for (let s = 0; s < m; s++) {
      const a = bounds[s], ds = bounds[s + 1] - a, k = codes[i * m + s];
      for (let t = 0; t < ds; t++) Xhat.data[i * d + a + t] = codebooks[s][k * ds + t];
    }
  return { Xhat, codes, bounds, codebooks, codeBits: m * Math.ceil(Math.log2(K)) * n };
}

/** The bench entry: m = ⌊b·d / centroidBits⌋ subspaces; reports the training time as `indexing_ms`. */
export function solveProductQuantization(obs: VectorQuantizationObservation, params: ProductQuantizationParams, ctx: SolverContext): VectorQuantizationSolution {
  ctx.signal.throwIfAborted();
  if (obs.online) {
    throw new ParsimonyError(
      'PARSIMONY_BAD_OBSERVATION',
      'baselines/product-quantization learns its codebooks from the whole data set (k-means), which an online task forbids: observation.online is true; run it on a task with online: false',
      'observation.online',
    );
  }
  const d = obs.X.cols;
  const subspaces = params.subspaces ?? Math.max(1, Math.min(d, Math.floor(((obs.bitBudget ?? obs.bits) * d) / params.centroidBits)));
  const t0 = ctx.now();
  const { Xhat, codeBits } = productQuantization(obs.X, {
    subspaces,
    centroidBits: params.centroidBits,
    iterations: params.iterations,
    rng: ctx.rng,
    signal: ctx.signal,
    onIteration: (iteration, distortion) => ctx.report({ iteration, objective: distortion, indexing_ms: ctx.now() - t0 }),
  });
  return { Xhat, codeBits };
}

export const productQuantizationSolver = defineSolver({
  id: 'baselines/product-quantization',
  family: vectorQuantization,
  title: 'Product quantization (k-means)',
  summary: 'm subspaces x 2^8 k-means centroids learned on the data set (offline tasks only), m·8 bits per vector (Jégou et al. 2011).',
  params: ProductQuantizationParams,
  solve: solveProductQuantization,
  skip: (obs) => (obs.online ? 'learns its codebooks from the whole data set (k-means), which an online task forbids' : undefined),
});
