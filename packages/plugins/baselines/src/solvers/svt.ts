import {
  createRng,
  defineSolver,
  matrixCompletion,
  ParsimonyError,
  Type,
  typescriptBackend,
  type LinalgBackend,
  Matrix,
  type MatrixCompletionObservation,
  type MatrixCompletionSolution,
  type Rng,
  type SolverContext,
  type Static,
} from '@parsimony/core';
import { sumSq } from '../internal/kernels.js';
import { checkCompletion, denseOperator, patternOf, shrunkTerm, sparsePlusLowRank, svdAbove, termOnPattern, termToFactors, zeroTerm, type CompletionData, type LowRankTerm } from '../internal/lowrank.js';

/** Parameters of {@link svt}. */
export const SvtParams = Type.Object(
  {
    tau: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'singular value threshold τ; default 5√(mn) (the paper\'s τ = 5n for n x n)' })),
    delta: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'step size δ; default 1.2 mn/|Ω| (the paper\'s 1.2 p⁻¹)' })),
    tol: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, description: 'stop when ‖P_Ω(X − M)‖_F / ‖P_Ω(M)‖_F <= tol; default 1e-4 (the paper\'s ε), or the relative noise level √|Ω|·noiseStd/‖P_Ω(M)‖_F when larger' }),
    ),
    maxIter: Type.Integer({ minimum: 1, default: 500, description: 'maximum number of iterations k_max (the paper\'s 500)' }),
    increment: Type.Integer({ minimum: 1, default: 5, description: 'ℓ: singular values added to the partial SVD while the last one is still above τ' }),
    maxRank: Type.Optional(Type.Integer({ minimum: 1, description: 'cap on the rank of the iterates; default min(m, n) (no cap)' })),
  },
  { additionalProperties: false },
);
export type SvtParams = Static<typeof SvtParams>;

/** Options of the plain {@link svt} function. */
export interface SvtOptions extends Partial<SvtParams> {
  /** Random columns of the partial SVD's start block (default: a fixed seed). */
  rng?: Rng;
  /** Polled once per iteration; aborts with the signal's reason. */
  signal?: AbortSignal;
  /** Kernels (QR, SVD, GEMM); default the TypeScript backend. */
  linalg?: LinalgBackend;
  /** Called after each iteration k with the rank r_k of X^k and its relative residual on Ω. */
  onIteration?: (it: { iteration: number; rank: number; residual: number; products: number }) => void;
}

/** What {@link svt} returns. */
export interface SvtResult extends MatrixCompletionSolution {
  /** Iterations run (k at the stop). */
  readonly iterations: number;
  /** Rank of X (0 when every singular value of Y stayed below τ; the factors then hold one zero column). */
  readonly rank: number;
  /** Final ‖P_Ω(X − M)‖_F / ‖P_Ω(M)‖_F. */
  readonly residual: number;
  /** Whether the residual reached `tol` within `maxIter`. */
  readonly converged: boolean;
  /** The τ, δ and tol used (defaults resolved). */
  readonly tau: number;
  readonly delta: number;
  readonly tol: number;
}

/** A positive, finite option or its default; errors name the option. */
function positive(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!(v > 0) || !Number.isFinite(v)) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `svt: params.${name} = ${v}; expected a finite number > 0`, `params.${name}`);
  return v;
}

/**
 * Singular value thresholding (Cai, Candès & Shen, SIAM J. Optim. 20(4),
 * 2010, Alg. 1) for matrix completion: with Y⁰ = k₀ δ P_Ω(M),
 * k₀ = ⌈τ / (δ‖P_Ω(M)‖₂)⌉ (eq. 5.3),
 *
 *   X^k = D_τ(Y^{k−1}) = Σ_{σ_j > τ} (σ_j − τ) u_j v_jᵀ,
 *   Y^k = Y^{k−1} + δ P_Ω(M − X^k),
 *
 * until ‖P_Ω(X^k − M)‖_F ≤ ε‖P_Ω(M)‖_F. X^k converges to the minimizer of
 * τ‖X‖_* + ½‖X‖²_F subject to P_Ω(X) = P_Ω(M). Y stays supported on Ω, so
 * only |Ω| numbers are stored, and only the triplets above τ are computed:
 * s_k = r_{k−1} + 1 of them, then ℓ more while the last is still above τ
 * (Alg. 1, lines 4-8), by a warm-started block subspace iteration whose
 * products with Y cost O(|Ω| s_k).
 *
 * Deviation: the paper's partial SVD is PROPACK's Lanczos bidiagonalization
 * to full accuracy; here it is subspace iteration with Rayleigh-Ritz,
 * warm-started from the previous iterate's right singular vectors and run
 * until ‖Y v_j − σ_j u_j‖ <= max(10⁻¹⁰, r_{k−1}/10)·σ₁ for the triplets
 * above τ, r_{k−1} the current relative residual (an inexact SVT whose SVD
 * error shrinks with the residual; usually one or two sweeps per
 * iteration). When at least a quarter of the entries are observed, Y is
 * stored densely (a GEMM beats the indexed sparse loop there). With a known
 * noise level the default tolerance is raised to the relative noise level,
 * where fitting further only fits the noise.
 *
 * @param obs - rows m, cols n, observed positions `omega` and `values` (and optionally `noiseStd`)
 * @param options - `tau`, `delta`, `tol`, `maxIter`, `increment`, `maxRank`, `rng`, `signal`, `linalg`, `onIteration`
 * @returns X = U Vᵀ (U = U_r diag(σ − τ), V = V_r), its rank, the iterations and final residual
 * @example
 * const { U, V, rank } = svt(observation, { maxIter: 200 });
 */
export function svt(obs: CompletionData, options: SvtOptions = {}): SvtResult {
  checkCompletion('svt', obs);
  const { rows: m, cols: n, values } = obs;
  const { i, j } = obs.omega;
  const N = values.length;
  const tau = positive('tau', options.tau, 5 * Math.sqrt(m * n));
  const delta = positive('delta', options.delta, (1.2 * m * n) / Math.max(N, 1));
  const maxIter = options.maxIter ?? 500, increment = options.increment ?? 5;
  const maxRank = Math.min(options.maxRank ?? Infinity, m, n);
  for (const [name, v] of [['maxIter', maxIter], ['increment', increment], ['maxRank', maxRank]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `svt: params.${name} = ${v}; expected an integer >= 1`, `params.${name}`);
  }
  const linalg = options.linalg ?? typescriptBackend;
  const rng = options.rng ?? createRng('baselines/svt', 0);
  options.signal?.throwIfAborted();

  const normM = Math.sqrt(sumSq(values));
  const noiseLevel = obs.noiseStd && normM > 0 ? (Math.sqrt(N) * obs.noiseStd) / normM : 0;
  const tol = positive('tol', options.tol, Math.max(1e-4, noiseLevel));
  const done = (low: LowRankTerm, iterations: number, residual: number): SvtResult => ({
    ...termToFactors(low, m, n),
    iterations,
    rank: low.r,
    residual,
    converged: residual <= tol,
    tau,
    delta,
    tol,
  });
  if (normM === 0) return done(zeroTerm(), 0, 0);

  // Kicking (eq. 5.3): start where the first threshold step is already non-zero.
  const pattern = patternOf(m, n, i, j);
  const y = values.slice();
  const svdOpts = { linalg, rng, increment, maxRank };
  const top = svdAbove(sparsePlusLowRank(pattern, y, undefined, linalg), Infinity, { ...svdOpts, initial: 1, tol: 1e-3 }).s[0];
  const k0 = Math.max(1, Math.ceil(tau / (delta * top)));
  for (let t = 0; t < N; t++) y[t] *= k0 * delta;
  // Y is read live by its operator: y on Ω, and its dense copy when the pattern is dense.
  const Yd = pattern.dense ? Matrix.zeros(m, n) : undefined;
  const at = Int32Array.from(i, (r, t) => r * n + j[t]);
  if (Yd) for (let t = 0; t < N; t++) Yd.data[at[t]] = y[t];
  const Y = Yd ? denseOperator(Yd, linalg) : sparsePlusLowRank(pattern, y, undefined, linalg);

  const x = new Float64Array(N);
  let X = zeroTerm();
  let basis: Matrix | undefined;
  let residual = 1;
  let k = 0;
  while (k < maxIter) {
    options.signal?.throwIfAborted();
    k++;
    // Lines 4-10: the triplets of Y^{k−1} above τ, then X^k = D_τ(Y^{k−1}).
    // Inexact but controlled: each partial SVD is accurate to a tenth of the current residual.
    const tolK = Math.max(1e-10, 0.1 * residual);
    const res = svdAbove(Y, tau, { ...svdOpts, tol: tolK, initial: X.r + 1, start: basis });
    basis = res.basis;
    X = shrunkTerm(res, res.count, tau);
    termOnPattern(X, pattern, linalg, x);
    let rr = 0;
    for (let t = 0; t < N; t++) {
      x[t] = values[t] - x[t];
      rr += x[t] * x[t];
    }
    residual = Math.sqrt(rr) / normM;
    options.onIteration?.({ iteration: k, rank: X.r, residual, products: res.products });
    if (residual <= tol) break;
    // Line 12: Y^k = Y^{k−1} + δ P_Ω(M − X^k), on Ω only.
    for (let t = 0; t < N; t++) y[t] += delta * x[t];
    if (Yd) for (let t = 0; t < N; t++) Yd.data[at[t]] = y[t];
  }
  return done(X, k, residual);
}

/** The bench entry: {@link svt} with the context's randomness, signal, kernels and trace. */
export function solveSvt(obs: MatrixCompletionObservation, params: SvtParams, ctx: SolverContext): MatrixCompletionSolution {
  ctx.signal.throwIfAborted();
  const { U, V } = svt(obs, {
    ...params,
    rng: ctx.rng,
    signal: ctx.signal,
    linalg: ctx.linalg,
    // Every iteration is one partial SVD, so reporting each costs nothing in comparison.
    onIteration: (it) => ctx.report({ iteration: it.iteration, rank: it.rank, residual: it.residual, products: it.products }),
  });
  return { U, V };
}

/** `baselines/svt`: {@link svt} as a registered solver. */
export const svtSolver = defineSolver({
  id: 'baselines/svt',
  family: matrixCompletion,
  title: 'Singular value thresholding (SVT)',
  summary: 'Cai, Candès & Shen (2010), Alg. 1: shrink the singular values of a sparse dual iterate by τ and step on the observed residual; τ = 5√(mn), δ = 1.2 mn/|Ω|.',
  params: SvtParams,
  solve: solveSvt,
});
