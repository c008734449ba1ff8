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

/** Parameters of {@link rotatedLloydMax}. */
export const RotatedLloydMaxParams = Type.Object(
  {
    maxIter: Type.Integer({ minimum: 1, default: 1000, description: "iterations of Max's algorithm for the Gaussian codebook (stops earlier when the levels move less than 1e-13)" }),
  },
  { additionalProperties: false },
);
export type RotatedLloydMaxParams = Static<typeof RotatedLloydMaxParams>;

/**
 * erfc(x), Chebyshev fit with relative error below 1.2e-7 everywhere
 * (Press et al., Numerical Recipes, 2nd ed., §6.2 `erfcc`): JavaScript has
 * no error function.
 */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal density and upper tail Q(x) = 1 − Φ(x) (exact in the far tails, where Φ(b) − Φ(a) would cancel). */
const phi = (x: number) => (Number.isFinite(x) ? Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI) : 0);
const upper = (x: number) => 0.5 * erfc(x / Math.SQRT2);

/**
 * The Lloyd–Max quantizer of N(0, 1) with 2^b levels (Max, "Quantizing for
 * minimum distortion", IRE Trans. IT 6(1), 1960): alternate thresholds at
 * the midpoints of the levels and levels at the conditional means
 * E[Z | t_i < Z < t_{i+1}] = (φ(t_i) − φ(t_{i+1})) / (Q(t_i) − Q(t_{i+1})).
 *
 * @param bits - b ≥ 1
 * @param maxIter - iteration cap (default 1000)
 * @returns the 2^b levels, increasing
 * @example
 * gaussianLloydMax(1)[1]; // => 0.7979 (√(2/π))
 */
export function gaussianLloydMax(bits: number, maxIter = 1000): Float64Array {
  const K = 2 ** bits;
  const c = new Float64Array(K);
  // Evenly spaced start over ±(a few σ); the Gaussian is log-concave, so Max's iteration has one fixed point.
  const span = Math.min(4, 1 + 0.5 * bits);
  for (let i = 0; i < K; i++) c[i] = -span + ((2 * span) * (i + 0.5)) / K;
  const t = new Float64Array(K + 1);
  t[0] = -Infinity;
  t[K] = Infinity;
  for (let it = 0; it < maxIter; it++) {
    for (let i = 1; i < K; i++) t[i] = 0.5 * (c[i - 1] + c[i]);
    let move = 0;
    for (let i = 0; i < K; i++) {
      const mass = upper(t[i]) - upper(t[i + 1]);
      if (!(mass > 0)) continue;
      const next = (phi(t[i]) - phi(t[i + 1])) / mass;
      move = Math.max(move, Math.abs(next - c[i]));
      c[i] = next;
    }
    if (move < 1e-13) break;
  }
  return c;
}

/** Options of the plain {@link rotatedLloydMax} function. */
export interface RotatedLloydMaxOptions {
  /** Stream for the rotation (default createRng(0)). */
  rng?: Rng;
  /** Iterations of Max's algorithm (default 1000). */
  maxIter?: number;
  /** Polled every 256 vectors. */
  signal?: AbortSignal;
}

/**
 * Random rotation + Gaussian Lloyd–Max: x ↦ ‖x‖ and the b-bit Max quantizer
 * of each coordinate of Π x/‖x‖, scaled to N(0, 1/d) — the classical
 * approximation of a rotated unit vector's coordinates. TurboQuant-mse
 * (Zandieh et al. 2025) differs in using the exact Beta law of those
 * coordinates; at d ≥ 64 the two codebooks nearly coincide.
 *
 * @param X - N x d vectors (one per row)
 * @param bits - b ≥ 1 (integer)
 * @returns the decoded vectors, the level indices (N x d) and b·N·d
 * @example
 * const { Xhat } = rotatedLloydMax(X, 2, { rng: createRng(3) });
 */
export function rotatedLloydMax(X: Matrix, bits: number, options: RotatedLloydMaxOptions = {}): { Xhat: Matrix; codes: Uint16Array; codeBits: number } {
  options.signal?.throwIfAborted();
  const { rows: n, cols: d } = X;
  const levels = gaussianLloydMax(bits, options.maxIter);
  const P = haarOrthogonal(d, options.rng ?? createRng(0));
  const Y = matmul(X, P, { transB: true });
  const y = Y.data, codes = new Uint16Array(n * d);
  const K = levels.length, sd = 1 / Math.sqrt(d);
  const mids = new Float64Array(K - 1);
  for (let k = 0; k < K - 1; k++) mids[k] = 0.5 * (levels[k] + levels[k + 1]);
  for (let i = 0; i < n; i++) {
    if ((i & 255) === 0) options.signal?.throwIfAborted();
    const o = i * d;
    let ss = 0;
    for (let j = o; j < o + d; j++) ss += y[j] * y[j];
    // The rotated coordinates of x are ≈ N(0, ‖x‖²/d): levels scaled by ‖x‖/√d.
    const scale = Math.sqrt(ss) * sd;
    for (let j = o; j < o + d; j++) {
      const z = scale > 0 ? y[j] / scale : 0;
      // Nearest level = number of midpoints below z (bisection).
      let k = 0, hi = K - 1;
      while (k < hi) {
        const m = (k + hi) >>> 1;
        if (mids[m] < z) k = m + 1;
        else hi = m;
      }
      codes[j] = k;
      y[j] = scale * levels[k];
    }
  }
  return { Xhat: matmul(Y, P), codes, codeBits: bits * n * d };
}

/** The bench entry: b = observation.bits (⌊b⌋ for a fractional budget). */
export function solveRotatedLloydMax(obs: VectorQuantizationObservation, params: RotatedLloydMaxParams, ctx: SolverContext): VectorQuantizationSolution {
  ctx.signal.throwIfAborted();
  const { Xhat, codeBits } = rotatedLloydMax(obs.X, obs.bits, { maxIter: params.maxIter, rng: ctx.rng, signal: ctx.signal });
  ctx.report({ iteration: 1 });
  return { Xhat, codeBits };
}

export const rotatedLloydMaxSolver = defineSolver({
  id: 'baselines/rotated-lloyd-max',
  family: vectorQuantization,
  title: 'Random rotation + Gaussian Lloyd–Max',
  summary: 'Haar rotation, then the b-bit Lloyd–Max quantizer of N(0, ‖x‖²/d) on every coordinate (Max 1960).',
  params: RotatedLloydMaxParams,
  solve: solveRotatedLloydMax,
});
