import {
  Matrix,
  ParsimonyError,
  Type,
  defineSolver,
  eigenvectorStreaming,
  eigh,
  gemmStrided,
  matmul,
  qr,
  rowStream,
  type EigenvectorStreamingObservation,
  type EigenvectorStreamingSolution,
  type Rng,
  type SolverContext,
  type Static,
} from '@parsimony/core';

/** Parameters of {@link solveBlockPower}. */
export const BlockPowerParams = Type.Object(
  {
    k: Type.Optional(Type.Integer({ minimum: 1, description: 'block size (vectors iterated together); default min(4, n)' })),
    maxIter: Type.Integer({ minimum: 1, default: 1000, description: 'power steps at most' }),
    tol: Type.Number({ exclusiveMinimum: 0, default: 1e-10, description: 'stop when ‖C q − θ q‖ ≤ tol·θ for the top Ritz pair (θ, q)' }),
    batch: Type.Integer({ minimum: 1, default: 64, description: 'rows per request (capped at observation.maxBatch); core charges batch·n floats for the buffer' }),
  },
  { additionalProperties: false },
);
export type BlockPowerParams = Static<typeof BlockPowerParams>;

/** Options of the plain {@link blockPower} function. */
export interface BlockPowerOptions {
  readonly k?: number;
  readonly maxIter?: number;
  readonly tol?: number;
  /** Random stream of the start block (default: the first k unit vectors). */
  readonly rng?: Rng;
  readonly signal?: AbortSignal;
  readonly onIteration?: (point: { iteration: number; value: number; residual: number }) => void;
}

/** Result of {@link blockPower}. */
export interface BlockPowerResult {
  /** Unit top Ritz vector. */
  readonly v: Float64Array;
  /** Its Ritz value θ (≈ λ₁). */
  readonly value: number;
  readonly iterations: number;
  /** ‖C v − θ v‖ / θ at exit. */
  readonly residual: number;
}

/**
 * Block power (subspace) iteration with Rayleigh–Ritz on a symmetric PSD C
 * (Rutishauser 1970; Golub & Van Loan §8.2.4): Q ← qr(C Q), then the top
 * eigenpair of QᵀCQ (core's `matmul`, `qr`, `eigh`). Converges at the rate
 * λ_{k+1}/λ₁.
 *
 * @param C - n x n symmetric PSD
 * @param options - `k`, `maxIter`, `tol`, `rng`
 * @returns the top Ritz pair and the iterations used
 * @example
 * blockPower(Matrix.fromRows([[2, 0], [0, 1]])).value; // => 2
 */
export function blockPower(C: Matrix, options: BlockPowerOptions = {}): BlockPowerResult {
  const n = C.rows;
  if (C.cols !== n || n === 0) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `blockPower: C is ${C.rows}x${C.cols}, expected a nonempty square matrix`, 'C');
  const k = Math.min(options.k ?? 4, n);
  const maxIter = options.maxIter ?? 1000;
  const tol = options.tol ?? 1e-10;
  let Q = Matrix.zeros(n, k);
  if (options.rng) for (let i = 0; i < n * k; i++) Q.data[i] = options.rng.normal();
  else for (let j = 0; j < k; j++) Q.data[j * k + j] = 1;
  Q = qr(Q).Q;
  const v = new Float64Array(n);
  let value = 0, residual = Infinity, iter = 0;
  while (iter < maxIter) {
    options.signal?.throwIfAborted();
    iter++;
    const CQ = matmul(C, Q);
    // Rayleigh–Ritz: S = Qᵀ C Q (symmetrized), top eigenvector s, v = Q s, C v = CQ s.
    const S = matmul(Q, CQ, { transA: true });
    for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) S.data[a * k + b] = S.data[b * k + a] = 0.5 * (S.data[a * k + b] + S.data[b * k + a]);
    const { values, vectors } = eigh(S);
    value = values[k - 1];
    let r2 = 0;
    for (let i = 0; i < n; i++) {
      let qs = 0, cs = 0;
      for (let j = 0; j < k; j++) {
        const s = vectors.data[j * k + k - 1];
        qs += Q.data[i * k + j] * s;
        cs += CQ.data[i * k + j] * s;
      }
      v[i] = qs;
      r2 += (cs - value * qs) ** 2;
    }
    residual = value > 0 ? Math.sqrt(r2) / value : 0;
    options.onIteration?.({ iteration: iter, value, residual });
    if (residual <= tol) break;
    Q = qr(CQ).Q;
  }
  return { v, value, iterations: iter, residual };
}

/** Floats block power keeps besides v: C (n²), and Q, C Q and the QR result (3·n·k) plus the k x k Ritz problem. */
export function blockPowerFloats(n: number, k: number): number {
  return n * n + 3 * n * k + 3 * k * k + k;
}

/**
 * The bench entry, full memory: accumulates C = Σ a aᵀ over the stream in
 * one pass (C += BᵀB per batch, core's `gemmStrided`), then runs
 * {@link blockPower} on it. Declares n² + O(n k) floats: the exact
 * reference, not a streaming method.
 */
export async function solveBlockPower(obs: EigenvectorStreamingObservation, params: BlockPowerParams, ctx: SolverContext): Promise<EigenvectorStreamingSolution> {
  ctx.signal.throwIfAborted();
  const n = obs.n;
  const k = Math.min(params.k ?? 4, n);
  const C = Matrix.zeros(n, n);
  const stream = rowStream(ctx, { stateFloats: blockPowerFloats(n, k) });
  for await (const B of stream.batches(Math.min(params.batch, obs.maxBatch))) {
    ctx.signal.throwIfAborted();
    gemmStrided(true, false, n, n, B.rows, 1, B.data, 0, n, B.data, 0, n, 1, C.data, 0, n);
  }
  const { v } = blockPower(C, {
    k,
    maxIter: params.maxIter,
    tol: params.tol,
    rng: ctx.rng,
    signal: ctx.signal,
    onIteration: (p) => ctx.report(p),
  });
  return { v };
}

/** `baselines/block-power`: the full-memory reference (exact covariance, then block power). */
export const blockPowerSolver = defineSolver({
  id: 'baselines/block-power',
  family: eigenvectorStreaming,
  title: 'Block power iteration (full memory)',
  summary: 'One pass accumulates C = Σ a aᵀ (n² floats), then block power iteration with Rayleigh–Ritz on C: the exact reference.',
  params: BlockPowerParams,
  solve: solveBlockPower,
});
