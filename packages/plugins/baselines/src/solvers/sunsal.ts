import {
  cholesky,
  choleskySolve,
  defineSolver,
  gemmStrided,
  gram,
  matmul,
  Matrix,
  normSpectral,
  ParsimonyError,
  spectralUnmixing,
  Type,
  type SolverContext,
  type SpectralUnmixingObservation,
  type SpectralUnmixingSolution,
  type Static,
} from '@parsimony/core';
import { checkLibrary, libraryOf, skipBlind } from '../internal/signal.js';

/** Parameters of {@link sunsal}. */
export const SunsalParams = Type.Object(
  {
    lambda: Type.Number({
      minimum: 0,
      default: 1e-3,
      description: 'ℓ1 weight λ of ½‖Y − EX‖²_F + λ‖X‖₁; 0 gives NNLS (or FCLS with sumToOne)',
    }),
    mu: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'ADMM penalty μ (for E rescaled to ‖E‖₂ = 1); default 10λ/‖E‖₂² + 0.001 (the reference code adds 0.01)' })),
    positivity: Type.Boolean({ default: true, description: 'constrain X >= 0 (the splitting variable is projected)' }),
    sumToOne: Type.Boolean({ default: false, description: 'constrain every column of X to sum to 1 (then ‖X‖₁ is constant on the feasible set and λ has no effect)' }),
    maxIter: Type.Integer({ minimum: 1, default: 1000, description: 'ADMM iterations at most (as the reference code)' }),
    tol: Type.Number({ minimum: 0, default: 1e-4, description: 'stop when the primal and dual residuals are both <= tol·√(pN) (checked every 10 iterations)' }),
    adaptMu: Type.Boolean({ default: false, description: 'every 10 iterations double or halve μ when one residual is 10x the other (re-factoring the p x p matrix), as the reference code does by default' }),
  },
  { additionalProperties: false },
);
export type SunsalParams = Static<typeof SunsalParams>;

/** Options of the plain {@link sunsal} function (defaults as {@link SunsalParams}). */
export interface SunsalOptions {
  readonly lambda?: number;
  readonly mu?: number;
  readonly positivity?: boolean;
  readonly sumToOne?: boolean;
  readonly maxIter?: number;
  readonly tol?: number;
  readonly adaptMu?: boolean;
  /** Polled every iteration. */
  readonly signal?: AbortSignal;
  /** Receives the residuals every 10 iterations. */
  readonly onIteration?: (iteration: number, primal: number, dual: number, mu: number) => void;
}

/** What {@link sunsal} returns. */
export interface SunsalResult {
  /** Abundances X, p x N (the reference code's x, the least-squares half of the splitting). */
  readonly X: Matrix;
  /** Iterations run. */
  readonly iterations: number;
  /** Last primal residual ‖X − Z‖_F and dual residual μ‖Z − Z₀‖_F. */
  readonly primal: number;
  readonly dual: number;
}

/** The x-update operator for penalty μ: X = F (EᵀY + μ(Z + D)) + c, with F and c folding in the sum-to-one constraint. */
function xUpdateOperator(G: Matrix, mu: number, sumToOne: boolean): { F: Float64Array; c: Float64Array } {
  const p = G.rows;
  const K = Matrix.clone(G);
  for (let j = 0; j < p; j++) K.data[j * p + j] += mu;
  // IF = (EᵀE + μI)⁻¹ from one Cholesky factor.
  const IF = choleskySolve(cholesky(K), Matrix.eye(p)).data;
  const c = new Float64Array(p);
  if (!sumToOne) return { F: IF, c };
  // Projection onto 1ᵀx = 1 in the IF metric: F = IF − IF 1 1ᵀ IF / (1ᵀ IF 1), c = IF 1 / (1ᵀ IF 1).
  const w = new Float64Array(p);
  let s = 0;
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) w[i] += IF[i * p + j];
    s += w[i];
  }
  const F = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    c[i] = w[i] / s;
    for (let j = 0; j < p; j++) F[i * p + j] = IF[i * p + j] - (w[i] * w[j]) / s;
  }
  return { F, c };
}

/**
 * SUnSAL, sparse unmixing by variable splitting and augmented Lagrangian
 * (Bioucas-Dias & Figueiredo 2010, WHISPERS; the authors' sunsal.m):
 * min_X ½‖Y − E X‖²_F + λ‖X‖₁ s.t. X ≥ 0 (optionally 1ᵀX = 1ᵀ), by ADMM
 * on the splitting X = Z for all pixels at once:
 *
 *   Z ← max(X − D − λ/μ, 0)               (soft threshold, then projection)
 *   X ← (EᵀE + μI)⁻¹ (EᵀY + μ(Z + D))     (one Cholesky of a p x p matrix)
 *   D ← D − (X − Z)
 *
 * As in the reference code, E and Y are first divided by ‖E‖₂ (λ by ‖E‖₂²),
 * the start is the unconstrained X = (EᵀE + μI)⁻¹EᵀY, and the primal and
 * dual residuals ‖X − Z‖_F, μ‖Z − Z₀‖_F are checked every 10 iterations
 * against tol·√(pN). With `adaptMu`, μ is doubled or halved when one
 * residual is 10x the other (the p x p system is then re-factored). With
 * `sumToOne`, the X-step is projected onto 1ᵀx = 1 in the metric of
 * (EᵀE + μI) (the reference code's IF1 and x_aux).
 *
 * Deviation: the default μ is 10λ/‖E‖₂² + 10⁻³, kept fixed, where sunsal.m
 * starts at 10λ/‖E‖₂² + 10⁻² and balances the residuals. On this family's
 * smooth, strongly correlated libraries (cond(E) ≈ 10³) the reference
 * settings meet the tolerance after ~30 iterations at about twice NNLS's
 * abundance error (quick preset: RMSE 0.093 vs 0.045); the defaults here
 * reach the minimizer's error within the same tolerance (~400 iterations,
 * each one p x p by p x N GEMM).
 *
 * @param E - bands x p endmember library
 * @param Y - bands x N pixels
 * @param options - `lambda`, `mu`, `positivity`, `sumToOne`, `maxIter`, `tol`, `adaptMu`
 * @returns X (p x N), the iterations and the last residuals
 * @example
 * const { X } = sunsal(obs.E, obs.Y, { lambda: 1e-3 });
 */
export function sunsal(E: Matrix, Y: Matrix, options: SunsalOptions = {}): SunsalResult {
  checkLibrary('sunsal', E, Y);
  const lambda0 = options.lambda ?? 1e-3;
  const maxIter = options.maxIter ?? 1000, tol = options.tol ?? 1e-4;
  const positivity = options.positivity ?? true, sumToOne = options.sumToOne ?? false, adaptMu = options.adaptMu ?? false;
  const bad = (field: string, value: unknown, expected: string) =>
    new ParsimonyError('PARSIMONY_BAD_PARAMS', `sunsal: ${field} must be ${expected} (got ${String(value)})`, field);
  if (!(lambda0 >= 0) || !Number.isFinite(lambda0)) throw bad('lambda', lambda0, 'a finite number >= 0');
  if (options.mu !== undefined && !(options.mu > 0 && Number.isFinite(options.mu))) throw bad('mu', options.mu, 'a finite number > 0');
  if (!Number.isInteger(maxIter) || maxIter < 1) throw bad('maxIter', maxIter, 'an integer >= 1');
  if (!(tol >= 0)) throw bad('tol', tol, 'a number >= 0');
  const p = E.cols, N = Y.cols;
  const X = Matrix.zeros(p, N);
  if (p === 0 || N === 0) return { X, iterations: 0, primal: 0, dual: 0 };

  // Rescale by ‖E‖₂ as sunsal.m does (norm_m = sqrt(norm(M*M'))): μ and λ then have a fixed scale.
  const normE = normSpectral(E) || 1;
  const G = gram(E);
  for (let t = 0; t < p * p; t++) G.data[t] /= normE * normE;
  const EtY = matmul(E, Y, { transA: true }).data;
  for (let t = 0; t < p * N; t++) EtY[t] /= normE * normE;
  const lambda = lambda0 / (normE * normE);
  let mu = options.mu ?? 10 * lambda + 1e-3;
  let { F, c } = xUpdateOperator(G, mu, sumToOne);

  const x = X.data, z = new Float64Array(p * N), d = new Float64Array(p * N), z0 = new Float64Array(p * N);
  const rhs = new Float64Array(p * N);
  // X = F rhs + c 1ᵀ: one p x p by p x N GEMM into X (core's packed kernel), c pre-filled with beta = 1.
  const xUpdate = () => {
    for (let i = 0; i < p; i++) x.fill(c[i], i * N, (i + 1) * N);
    gemmStrided(false, false, p, N, p, 1, F, 0, p, rhs, 0, N, 1, x, 0, N);
  };
  rhs.set(EtY);
  xUpdate();
  z.set(x);

  const tolP = Math.sqrt(p * N) * tol, tolD = tolP;
  let primal = Infinity, dual = Infinity, iterations = 0;
  for (let it = 1; it <= maxIter; it++) {
    options.signal?.throwIfAborted();
    iterations = it;
    const check = it % 10 === 1;
    if (check) z0.set(z);
    // Z-step: the proximal map of (λ/μ)‖·‖₁ (+ the indicator of X ≥ 0); the X-step's right side in the same pass.
    const thr = lambda / mu;
    for (let t = 0; t < p * N; t++) {
      const v = x[t] - d[t];
      let zt = v > thr ? v - thr : v < -thr ? v + thr : 0;
      if (positivity && zt < 0) zt = 0;
      z[t] = zt;
      rhs[t] = EtY[t] + mu * (zt + d[t]);
    }
    xUpdate();
    let rp = 0;
    for (let t = 0; t < p * N; t++) {
      const r = x[t] - z[t];
      d[t] -= r;
      rp += r * r;
    }
    if (check) {
      let rd = 0;
      for (let t = 0; t < p * N; t++) rd += (z[t] - z0[t]) ** 2;
      primal = Math.sqrt(rp);
      dual = mu * Math.sqrt(rd);
      options.onIteration?.(it, primal, dual, mu);
      if (primal <= tolP && dual <= tolD) break;
      if (adaptMu) {
        // Keep the residuals within a factor 10 (Boyd et al. 2011, §3.4.1); D is the scaled multiplier.
        let scale = 1;
        if (primal > 10 * dual) scale = 2;
        else if (dual > 10 * primal) scale = 0.5;
        if (scale !== 1) {
          mu *= scale;
          for (let t = 0; t < p * N; t++) d[t] /= scale;
          ({ F, c } = xUpdateOperator(G, mu, sumToOne));
        }
      }
    }
  }
  return { X, iterations, primal, dual };
}

/** The bench entry: {@link sunsal} on the observation's library and pixels. */
export function solveSunsal(obs: SpectralUnmixingObservation, params: SunsalParams, ctx: SolverContext): SpectralUnmixingSolution {
  ctx.signal.throwIfAborted();
  const { X } = sunsal(libraryOf('baselines/sunsal', 'SUnSAL', obs), obs.Y, {
    ...params,
    signal: ctx.signal,
    onIteration: (iteration, primal, dual, mu) => ctx.report({ iteration, primal, dual, mu }),
  });
  return { S: X };
}

/** `baselines/sunsal`: {@link sunsal} as a registered solver. */
export const sunsalSolver = defineSolver({
  id: 'baselines/sunsal',
  family: spectralUnmixing,
  title: 'SUnSAL (ADMM sparse unmixing)',
  summary: 'ℓ1-regularized nonnegative unmixing of all pixels by ADMM with one p x p Cholesky (Bioucas-Dias & Figueiredo 2010).',
  params: SunsalParams,
  solve: solveSunsal,
  skip: skipBlind('SUnSAL'),
});
