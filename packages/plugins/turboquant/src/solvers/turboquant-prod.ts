import {
  createRng,
  defineSolver,
  gaussianMatrix,
  matmul,
  Matrix,
  nrm2,
  Type,
  vectorQuantization,
  type SolverContext,
  type Static,
  type VectorQuantizationObservation,
  type VectorQuantizationSolution,
} from '@parsimony/core';
import { quantizeInBlocks } from '../internal/blocks.js';
import { pickHighChannels, TurboQuantMse, TurboquantMseParams, type TurboquantMseCodes, type TurboquantMseOptions } from './turboquant-mse.js';

// ==========================================================================
// PARAMS
// ==========================================================================

/** Parameters of the `turboquant/turboquant-prod` solver (those of its MSE stage). */
export const TurboquantProdParams = Type.Object(
  {
    rotation: TurboquantMseParams.properties.rotation,
    outliers: TurboquantMseParams.properties.outliers,
    gridSize: TurboquantMseParams.properties.gridSize,
    iterations: TurboquantMseParams.properties.iterations,
  },
  { additionalProperties: false },
);
export type TurboquantProdParams = Static<typeof TurboquantProdParams>;

// ==========================================================================
// QUANTIZER
// ==========================================================================

/** The codes of N vectors: the (b−1)-bit MSE codes, d sign bits each, and γ = ‖r‖. */
export interface TurboquantProdCodes {
  readonly n: number;
  readonly mse: TurboquantMseCodes;
  /** sign(S r) as 0 (negative) / 1 (non-negative), N x d. */
  readonly signs: Uint8Array;
  /** Residual norms γ_i = ‖x_i − x̂_mse,i‖ (one float per vector, as in the paper). */
  readonly gamma: Float64Array;
}

/**
 * TurboQuant-prod as an object (Alg. 2): TurboQuant-mse with b − 1 bits,
 * then a 1-bit QJL sketch sign(S r) of the residual r, S a d x d matrix of
 * i.i.d. N(0, 1) entries. Decoding adds √(π/2)/d · γ · Sᵀ sign(S r) to the
 * MSE reconstruction, which makes ⟨y, x̂⟩ an unbiased estimate of ⟨y, x⟩.
 *
 * @example
 * const q = TurboQuantProd.create(128, 2, { rng: createRng(1) });
 * const Xhat = q.decode(q.encode(X));
 */
export class TurboQuantProd {
  private constructor(
    readonly d: number,
    readonly bits: number,
    /** The MSE stage, b − 1 bits (zero bits at b = 1: x̂_mse = 0). */
    readonly mse: TurboQuantMse,
    /** The QJL matrix S, d x d. */
    private readonly S: Matrix,
  ) {}

  /**
   * The set-up of Alg. 2: the (b − 1)-bit MSE quantizer, then S.
   *
   * @param d - dimension
   * @param bits - b ≥ 1 (an integer, or a half: the MSE stage then splits its channels)
   * @param options - as {@link TurboQuantMse.create}; `rng` also draws S
   */
  static create(d: number, bits: number, options: TurboquantMseOptions = {}): TurboQuantProd {
    const rng = options.rng ?? createRng(0);
    const mse = TurboQuantMse.create(d, bits - 1, { ...options, rng });
    // The MSE stage draws first, then S, from the one stream: reproducible from the seed.
    const S = gaussianMatrix(d, d, rng);
    return new TurboQuantProd(d, bits, mse, S);
  }

  /** Bits of one vector's code: the MSE stage's plus d sign bits (γ and the MSE norms excluded). */
  get bitsPerVector(): number {
    return this.mse.bitsPerVector + this.d;
  }

  /** Storage for the codes of n vectors. */
  allocate(n: number): TurboquantProdCodes {
    return { n, mse: this.mse.allocate(n), signs: new Uint8Array(n * this.d), gamma: new Float64Array(n) };
  }

  /** Encodes rows [r0, r1) of X (Alg. 2, Quant_prod). */
  encodeRows(X: Matrix, r0: number, r1: number, codes: TurboquantProdCodes): void {
    const d = this.d, n = r1 - r0;
    this.mse.encodeRows(X, r0, r1, codes.mse);
    const R = Matrix.zeros(n, d);
    this.mse.decodeRows(codes.mse, r0, r1, R, 0);
    for (let t = 0; t < n * d; t++) R.data[t] = X.data[r0 * d + t] - R.data[t];
    for (let i = 0; i < n; i++) codes.gamma[r0 + i] = nrm2(R.data.subarray(i * d, (i + 1) * d));
    const Z = matmul(R, this.S, { transB: true }).data;
    const signs = codes.signs, off = r0 * d;
    for (let t = 0; t < n * d; t++) signs[off + t] = Z[t] >= 0 ? 1 : 0;
  }

  /** Decodes rows [r0, r1) into rows r0.. of `out`: x̂ = x̂_mse + √(π/2)/d · γ · Sᵀ q (Alg. 2, DeQuant_prod). */
  decodeRows(codes: TurboquantProdCodes, r0: number, r1: number, out: Matrix): void {
    const d = this.d, n = r1 - r0;
    this.mse.decodeRows(codes.mse, r0, r1, out);
    const Q = Matrix.zeros(n, d);
    const signs = codes.signs, off = r0 * d;
    for (let t = 0; t < n * d; t++) Q.data[t] = signs[off + t] ? 1 : -1;
    const V = matmul(Q, this.S).data;
    const scale = Math.sqrt(Math.PI / 2) / d;
    for (let i = 0; i < n; i++) {
      const g = scale * codes.gamma[r0 + i], o = (r0 + i) * d;
      for (let j = 0; j < d; j++) out.data[o + j] += g * V[i * d + j];
    }
  }

  /** Codes of every row of X. */
  encode(X: Matrix): TurboquantProdCodes {
    const codes = this.allocate(X.rows);
    this.encodeRows(X, 0, X.rows, codes);
    return codes;
  }

  /** The decoded vectors of all codes (N x d). */
  decode(codes: TurboquantProdCodes): Matrix {
    const out = Matrix.zeros(codes.n, this.d);
    this.decodeRows(codes, 0, codes.n, out);
    return out;
  }
}

// ==========================================================================
// PLAIN FUNCTION
// ==========================================================================

/** Result of {@link turboquantProd}. */
export interface TurboquantProdResult {
  /** Decoded vectors, N x d. */
  readonly Xhat: Matrix;
  /** The codes Xhat was decoded from. */
  readonly codes: TurboquantProdCodes;
  /** Total code size: N · (bits of the MSE stage + d) (norms and γ excluded). */
  readonly codeBits: number;
  /** The quantizer (to encode more vectors online). */
  readonly quantizer: TurboQuantProd;
}

/**
 * TurboQuant-prod (Zandieh et al. 2025, Alg. 2): TurboQuant-mse with b − 1
 * bits per coordinate plus a 1-bit QJL sketch of the residual, so that
 * inner products with the decoded vectors are unbiased,
 * E⟨y, x̂⟩ = ⟨y, x⟩, with variance ≤ (√3 π²/d)·‖y‖²·4^−b for unit x
 * (Theorem 2). Each vector is encoded on its own (online).
 *
 * @param X - N x d vectors (one per row)
 * @param bits - bits per coordinate b ≥ 1
 * @param options - as {@link TurboQuantMse.create}; `signal` and `onBlock`
 * @returns the decoded vectors, the codes, their size and the quantizer
 * @example
 * const { Xhat } = turboquantProd(X, 2, { rng: createRng(1) });
 */
export function turboquantProd(
  X: Matrix,
  bits: number,
  options: TurboquantMseOptions & { signal?: AbortSignal; onBlock?: (block: number, rowsDone: number, errSum: number) => void } = {},
): TurboquantProdResult {
  options.signal?.throwIfAborted();
  const quantizer = TurboQuantProd.create(X.cols, bits, options);
  return { ...quantizeInBlocks(quantizer, X, options.signal, options.onBlock), quantizer };
}

// ==========================================================================
// SOLVER
// ==========================================================================

/** The bench entry: b from the observation (its fractional budget when there is one). */
export function solveTurboquantProd(obs: VectorQuantizationObservation, params: TurboquantProdParams, ctx: SolverContext): VectorQuantizationSolution {
  ctx.signal.throwIfAborted();
  const t0 = ctx.now();
  const bits = obs.bitBudget ?? obs.bits;
  const highChannels = pickHighChannels(obs, bits - 1, params.outliers, ctx.rng);
  const quantizer = TurboQuantProd.create(obs.X.cols, bits, { rng: ctx.rng, rotation: params.rotation, highChannels, gridSize: params.gridSize, iterations: params.iterations });
  ctx.report({ iteration: 0, setup_ms: ctx.now() - t0 });
  const { Xhat, codeBits } = quantizeInBlocks(quantizer, obs.X, ctx.signal, (iteration, rows, err) => ctx.report({ iteration, objective: err / rows, rows }));
  return { Xhat, codeBits };
}

export const turboquantProdSolver = defineSolver({
  id: 'turboquant/turboquant-prod',
  family: vectorQuantization,
  title: 'TurboQuant-prod',
  summary: 'TurboQuant-mse with b − 1 bits plus a 1-bit QJL sketch of the residual: unbiased inner products (Zandieh et al. 2025, Alg. 2).',
  params: TurboquantProdParams,
  solve: solveTurboquantProd,
});
