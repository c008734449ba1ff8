import {
  createRng,
  defineSolver,
  haarOrthogonal,
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

/** Parameters of {@link uniformScalar}. */
export const UniformScalarParams = Type.Object(
  {
    rotate: Type.Boolean({ default: false, description: 'apply a seeded Haar-random rotation first (and undo it after decoding)' }),
    range: Type.Union([Type.Literal('minmax'), Type.Literal('absmax')], {
      default: 'minmax',
      description: "minmax: levels span [min_j x_j, max_j x_j] of each vector (two floats per vector); absmax: [−max|x_j|, max|x_j|] (one float)",
    }),
  },
  { additionalProperties: false },
);
export type UniformScalarParams = Static<typeof UniformScalarParams>;

/** Options of the plain {@link uniformScalar} function. */
export interface UniformScalarOptions {
  /** Rotate by a Haar-random orthogonal matrix first (default false). */
  rotate?: boolean;
  /** 'minmax' (default) or 'absmax'. */
  range?: 'minmax' | 'absmax';
  /** Stream for the rotation (default createRng(0)). */
  rng?: Rng;
  /** Polled every 256 vectors. */
  signal?: AbortSignal;
}

/** Result of {@link uniformScalar}. */
export interface UniformScalarResult {
  /** Decoded vectors, N x d. */
  Xhat: Matrix;
  /** Level index of every coordinate, N x d, each < 2^b. */
  codes: Uint16Array;
  /** Per vector: the lowest level and the spacing of the levels. */
  offset: Float64Array;
  step: Float64Array;
  /** b·N·d. */
  codeBits: number;
}

/**
 * Uniform scalar quantization, one range per vector: 2^b evenly spaced
 * levels from the vector's minimum to its maximum (or ±max|x_j|), each
 * coordinate rounded to the nearest, as per-token KV-cache quantizers do.
 * With `rotate`, a random rotation first spreads the energy over the
 * coordinates (the rotated baseline of TurboQuant, Zandieh et al. 2025).
 *
 * @param X - N x d vectors (one per row)
 * @param bits - b ≥ 1 bits per coordinate (integer)
 * @returns the decoded vectors and the codes
 * @example
 * const { Xhat } = uniformScalar(X, 4, { rotate: true, rng: createRng(1) });
 */
export function uniformScalar(X: Matrix, bits: number, options: UniformScalarOptions = {}): UniformScalarResult {
  options.signal?.throwIfAborted();
  const { rows: n, cols: d } = X;
  const levels = 2 ** bits;
  const P = options.rotate ? haarOrthogonal(d, options.rng ?? createRng(0)) : undefined;
  // Rows of Y are Π x_i; the rotation is one GEMM over all vectors (each row still depends on its own x only).
  const Y = P ? matmul(X, P, { transB: true }) : Matrix.clone(X);
  const codes = new Uint16Array(n * d);
  const offset = new Float64Array(n), step = new Float64Array(n);
  const y = Y.data;
  for (let i = 0; i < n; i++) {
    if ((i & 255) === 0) options.signal?.throwIfAborted();
    const o = i * d;
    let lo = Infinity, hi = -Infinity;
    for (let j = o; j < o + d; j++) {
      if (y[j] < lo) lo = y[j];
      if (y[j] > hi) hi = y[j];
    }
    if (options.range === 'absmax') {
      hi = Math.max(hi, -lo);
      lo = -hi;
    }
    const h = (hi - lo) / (levels - 1);
    offset[i] = lo;
    step[i] = h;
    for (let j = o; j < o + d; j++) {
      // A constant vector (h = 0) is exact at level 0.
      const k = h > 0 ? Math.min(levels - 1, Math.max(0, Math.round((y[j] - lo) / h))) : 0;
      codes[j] = k;
      y[j] = lo + k * h;
    }
  }
  const Xhat = P ? matmul(Y, P) : Y;
  return { Xhat, codes, offset, step, codeBits: bits * n * d };
}

/** The bench entry: b = observation.bits (⌊b⌋ for a fractional budget). */
export function solveUniformScalar(obs: VectorQuantizationObservation, params: UniformScalarParams, ctx: SolverContext): VectorQuantizationSolution {
  ctx.signal.throwIfAborted();
  const { Xhat, codeBits } = uniformScalar(obs.X, obs.bits, { ...params, rng: ctx.rng, signal: ctx.signal });
  ctx.report({ iteration: 1 });
  return { Xhat, codeBits };
}

export const uniformScalarSolver = defineSolver({
  id: 'baselines/uniform-scalar',
  family: vectorQuantization,
  title: 'Uniform scalar quantization',
  summary: '2^b evenly spaced levels between each vector\'s min and max (optionally after a random rotation), nearest level per coordinate.',
  params: UniformScalarParams,
  solve: solveUniformScalar,
});
