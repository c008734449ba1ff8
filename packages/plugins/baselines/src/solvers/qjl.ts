import {
  createRng,
  defineSolver,
  gaussianMatrix,
  matmul,
  Matrix,
  Type,
  vectorQuantization,
  type Rng,
  type SolverContext,
  type Static,
  type VectorQuantizationObservation,
  type VectorQuantizationSolution,
} from '@parsimony/core';

/** Parameters of {@link qjl}. */
export const QjlParams = Type.Object(
  {
    rows: Type.Optional(Type.Integer({ minimum: 1, description: 'rows m of the sketch S (bits per vector); default ⌊b·d⌋, the whole budget' })),
  },
  { additionalProperties: false },
);
export type QjlParams = Static<typeof QjlParams>;

/** Options of the plain {@link qjl} function. */
export interface QjlOptions {
  /** Rows m of S (default d). */
  rows?: number;
  /** Stream for S (default createRng(0)). */
  rng?: Rng;
  /** Polled before each block of 1024 vectors. */
  signal?: AbortSignal;
}

/** Result of {@link qjl}. */
export interface QjlResult {
  /** Decoded vectors, N x d. */
  Xhat: Matrix;
  /** sign(S x) per vector as 0 / 1, N x m. */
  signs: Uint8Array;
  /** ‖x‖ per vector (one float each). */
  norms: Float64Array;
  /** m·N. */
  codeBits: number;
}

/**
 * Quantized Johnson–Lindenstrauss (Zandieh, Daliri & Han, "QJL: 1-bit
 * quantized JL transform for KV cache quantization", 2024): store sign(S x)
 * for an m x d Gaussian S, and ‖x‖; decode x̂ = √(π/2)/m · ‖x‖ · Sᵀ sign(S x),
 * for which E⟨y, x̂⟩ = ⟨y, x⟩ (unbiased inner products, m bits per vector).
 *
 * @param X - N x d vectors (one per row)
 * @returns the decoded vectors, the sign bits and the norms
 * @example
 * const { Xhat } = qjl(X, { rows: 256, rng: createRng(2) });
 */
export function qjl(X: Matrix, options: QjlOptions = {}): QjlResult {
  options.signal?.throwIfAborted();
  const { rows: n, cols: d } = X;
  const m = options.rows ?? d;
  const S = gaussianMatrix(m, d, options.rng ?? createRng(0));
  const Xhat = Matrix.zeros(n, d);
  const signs = new Uint8Array(n * m), norms = new Float64Array(n);
  const c = Math.sqrt(Math.PI / 2) / m;
  for (let r0 = 0; r0 < n; r0 += 1024) {
    options.signal?.throwIfAborted();
    const r1 = Math.min(n, r0 + 1024);
    const block = Matrix.rowsView(X, r0, r1);
    const Z = matmul(block, S, { transB: true });
    for (let t = 0; t < Z.data.length; t++) {
      const s = Z.data[t] >= 0 ? 1 : 0;
      signs[r0 * m + t] = s;
      Z.data[t] = s ? 1 : -1;
    }
    const V = matmul(Z, S);
    for (let i = r0; i < r1; i++) {
      let ss = 0;
      for (let j = i * d; j < (i + 1) * d; j++) ss += X.data[j] * X.data[j];
      norms[i] = Math.sqrt(ss);
      const g = c * norms[i], o = (i - r0) * d;
      for (let j = 0; j < d; j++) Xhat.data[i * d + j] = g * V.data[o + j];
    }
  }
  return { Xhat, signs, norms, codeBits: m * n };
}

/** The bench entry: m = ⌊b·d⌋ sign bits per vector unless `rows` says otherwise. */
export function solveQjl(obs: VectorQuantizationObservation, params: QjlParams, ctx: SolverContext): VectorQuantizationSolution {
  ctx.signal.throwIfAborted();
  const rows = params.rows ?? Math.floor((obs.bitBudget ?? obs.bits) * obs.X.cols);
  const { Xhat, codeBits } = qjl(obs.X, { rows, rng: ctx.rng, signal: ctx.signal });
  ctx.report({ iteration: 1 });
  return { Xhat, codeBits };
}

export const qjlSolver = defineSolver({
  id: 'baselines/qjl',
  family: vectorQuantization,
  title: 'QJL (1-bit quantized Johnson–Lindenstrauss)',
  summary: 'sign(S x) with S Gaussian and the norm; decodes √(π/2)/m·‖x‖·Sᵀ sign(S x), unbiased for inner products.',
  params: QjlParams,
  solve: solveQjl,
});
