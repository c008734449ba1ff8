import {
  cholesky,
  choleskySolve,
  defineSolver,
  gram,
  Matrix,
  ParsimonyError,
  solveTriangular,
  sparseRecovery,
  Type,
  type SolverContext,
  type SparseRecoveryObservation,
  type SparseRecoverySolution,
  type Static,
} from '@parsimony/core';
import { checkSystem, gatherColumn, gemvSparse, sumSq } from '../internal/kernels.js';

/** Parameters of {@link sbl}. */
export const SblParams = Type.Object(
  {
    maxIter: Type.Integer({ minimum: 1, default: 500, description: 'maximum number of EM iterations' }),
    tol: Type.Number({ minimum: 0, default: 1e-4, description: 'stop when max_i |Δγ_i| ≤ tol·max_i γ_i' }),
    update: Type.Union([Type.Literal('em'), Type.Literal('mackay')], {
      default: 'em',
      description: "hyperparameter update: 'em' (γ_i = μ_i² + Σ_ii, Wipf & Rao 2004) or 'mackay' (γ_i = μ_i²/(1 − Σ_ii/γ_i), Tipping 2001, faster)",
    }),
    learnNoise: Type.Optional(Type.Boolean({ description: "re-estimate the noise variance each iteration; default: only when the observation gives no noiseStd" })),
    pruneTol: Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 1e-4, description: 'drop coefficient i (γ_i = 0) once γ_i < pruneTol·max γ (γ scales as amplitude², so 1e-4 drops amplitudes below 1% of the largest)' }),
  },
  { additionalProperties: false },
);
export type SblParams = Static<typeof SblParams>;

/** Options of the plain {@link sbl} function. */
export interface SblOptions {
  /** Noise variance σ² (default: 0.1‖y‖²/m, then learned). */
  noiseVar?: number;
  /** Re-estimate σ² each iteration (default: true when `noiseVar` is not given). */
  learnNoise?: boolean;
  /** Maximum number of iterations (default 500). */
  maxIter?: number;
  /** Stop when max|Δγ| ≤ tol·max γ (default 1e-4). */
  tol?: number;
  /** 'em' (default) or 'mackay'. */
  update?: 'em' | 'mackay';
  /** Pruning level relative to max γ (default 1e-4). */
  pruneTol?: number;
  /** Polled every iteration. */
  signal?: AbortSignal;
  /** Receives (iteration, active coefficients, σ²) after each iteration. */
  onIteration?: (iteration: number, active: number, noiseVar: number) => void;
}

/** What {@link sbl} returns. */
export interface SblResult {
  /** The posterior mean μ (n); pruned coefficients are 0. */
  x: Float64Array;
  /** The prior variances γ (n). */
  gamma: Float64Array;
  /** The final noise variance σ². */
  noiseVar: number;
  /** Iterations run. */
  iterations: number;
}

/**
 * Sparse Bayesian learning (Tipping 2001, JMLR 1; Wipf & Rao 2004, IEEE TSP
 * 52(8)): each x_i has a zero-mean Gaussian prior of variance γ_i, the noise
 * is N(0, σ²I), and the γ's maximize the evidence by EM. With Γ = diag(γ),
 * the posterior is N(μ, Σ), Σ = (AᵀA/σ² + Γ⁻¹)⁻¹, μ = ΣAᵀy/σ², and EM sets
 * γ_i ← μ_i² + Σ_ii (Wipf & Rao 2004, eq. 16); most γ's go to zero and are
 * pruned, which makes x̂ = μ sparse.
 *
 * Each iteration factors an order-min(m, p) SPD matrix (p = active
 * coefficients): with B = A_P Γ^{1/2}, I + BᵀB/σ² when p ≤ m, else
 * σ²I + BBᵀ (Tipping 2001, App. A), both with core's Gram and Cholesky.
 *
 * @param A - m x n (row-major)
 * @param y - m measurements
 * @param options - `noiseVar`, `learnNoise`, `maxIter`, `tol`, `update`, `pruneTol`, `signal`, `onIteration`
 * @returns μ, γ, σ² and the iterations run
 * @example
 * const { x } = sbl(A, y, { noiseVar: 1e-4 });
 */
export function sbl(A: Matrix, y: Float64Array, options: SblOptions = {}): SblResult {
  checkSystem('sbl', A, y);
  const { rows: m, cols: n, data } = A;
  const maxIter = options.maxIter ?? 500, tol = options.tol ?? 1e-4;
  const mackay = (options.update ?? 'em') === 'mackay';
  const pruneTol = options.pruneTol ?? 1e-4;
  if (options.noiseVar !== undefined && !(options.noiseVar >= 0)) {
    throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `sbl: noiseVar must be >= 0 (got ${options.noiseVar})`, 'noiseVar');
  }
  const yy = sumSq(y);
  const x = new Float64Array(n);
  const gamma = new Float64Array(n);
  if (yy === 0 || n === 0) return { x, gamma, noiseVar: options.noiseVar ?? 0, iterations: 0 };
  // σ² stays above this, so the order-m system stays positive definite on noiseless data.
  const floorVar = 1e-10 * (yy / m);
  const learn = options.learnNoise ?? options.noiseVar === undefined;
  let s2 = Math.max(options.noiseVar ?? 0.1 * (yy / m), floorVar);

  // γ₀ matches the data energy: E‖Ax‖² = γ‖A‖_F².
  const fro2 = sumSq(data);
  if (fro2 === 0) return { x, gamma, noiseVar: s2, iterations: 0 };
  gamma.fill(yy / fro2);

  let active = Int32Array.from({ length: n }, (_, j) => j);
  let p = n;
  const mu = new Float64Array(n);
  const rho = new Float64Array(n); // 1 − Σ_ii/γ_i
  const ax = new Float64Array(m);
  let it = 0;
  while (it < maxIter && p > 0) {
    options.signal?.throwIfAborted();
    // B = A_P Γ_P^{1/2} (m x p, row-major).
    const B = Matrix.zeros(m, p);
    const col = new Float64Array(m);
    for (let t = 0; t < p; t++) {
      const j = active[t], sg = Math.sqrt(gamma[j]);
      gatherColumn(data, m, n, j, col);
      for (let i = 0; i < m; i++) B.data[i * p + t] = sg * col[i];
    }
    if (p <= m) {
      // M = I + BᵀB/σ²; μ_P = Γ^{1/2} M⁻¹ Bᵀy/σ²; Σ_ii = γ_i (M⁻¹)_ii.
      const M = gram(B);
      for (let q = 0; q < M.data.length; q++) M.data[q] /= s2;
      for (let t = 0; t < p; t++) M.data[t * p + t] += 1;
      const L = cholesky(M);
      const bty = new Float64Array(p);
      for (let i = 0; i < m; i++) {
        const yi = y[i] / s2, o = i * p;
        for (let t = 0; t < p; t++) bty[t] += B.data[o + t] * yi;
      }
      const v = choleskySolve(L, bty);
      const Linv = solveTriangular(L, Matrix.eye(p));
      for (let t = 0; t < p; t++) {
        let dii = 0;
        for (let q = t; q < p; q++) dii += Linv.data[q * p + t] ** 2; // (M⁻¹)_tt = ‖column t of L⁻¹‖²
        const j = active[t];
        mu[j] = Math.sqrt(gamma[j]) * v[t];
        rho[j] = 1 - dii;
      }
    } else {
      // C = σ²I + BBᵀ; W = L⁻¹B, u = L⁻¹y; μ_P = Γ^{1/2} Wᵀu; Σ_ii = γ_i (1 − ‖W_i‖²).
      const C = gram(B, { trans: true });
      for (let i = 0; i < m; i++) C.data[i * m + i] += s2;
      const L = cholesky(C);
      const W = solveTriangular(L, B);
      const u = solveTriangular(L, y);
      const wtu = new Float64Array(p);
      const wn = new Float64Array(p);
      for (let i = 0; i < m; i++) {
        const ui = u[i], o = i * p;
        for (let t = 0; t < p; t++) {
          const w = W.data[o + t];
          wtu[t] += w * ui;
          wn[t] += w * w;
        }
      }
      for (let t = 0; t < p; t++) {
        const j = active[t];
        mu[j] = Math.sqrt(gamma[j]) * wtu[t];
        rho[j] = wn[t];
      }
    }
    // Residual and the noise update.
    gemvSparse(data, m, n, mu, active, p, ax);
    let rr = 0;
    for (let i = 0; i < m; i++) rr += (y[i] - ax[i]) ** 2;
    let rhoSum = 0;
    for (let t = 0; t < p; t++) rhoSum += rho[active[t]];
    // γ update; the change measures convergence.
    let gMax = 0, dMax = 0;
    for (let t = 0; t < p; t++) {
      const j = active[t];
      const sigmaJJ = gamma[j] * (1 - rho[j]);
      const gNew = mackay ? (mu[j] * mu[j]) / Math.max(rho[j], 1e-12) : mu[j] * mu[j] + Math.max(sigmaJJ, 0);
      dMax = Math.max(dMax, Math.abs(gNew - gamma[j]));
      gamma[j] = gNew;
      gMax = Math.max(gMax, gNew);
    }
    if (learn) {
      // EM: σ² = (‖y − Aμ‖² + σ² Σρ_i)/m (Wipf & Rao 2004, eq. 17); MacKay: ‖y − Aμ‖²/(m − Σρ_i) (Tipping 2001, eq. 46).
      s2 = mackay ? rr / Math.max(m - rhoSum, 1e-12) : (rr + s2 * rhoSum) / m;
      s2 = Math.max(s2, floorVar);
    }
    it++;
    // Prune the coefficients whose prior variance vanished.
    let q = 0;
    for (let t = 0; t < p; t++) {
      const j = active[t];
      if (gamma[j] > pruneTol * gMax) active[q++] = j;
      else {
        gamma[j] = 0;
        mu[j] = 0;
      }
    }
    if (q < p) active = active.slice(0, q);
    p = q;
    options.onIteration?.(it, p, s2);
    if (dMax <= tol * gMax) break;
  }
  for (let t = 0; t < p; t++) x[active[t]] = mu[active[t]];
  return { x, gamma, noiseVar: s2, iterations: it };
}

/** The bench entry: σ² from the observation's noiseStd when given (then fixed), else learned. */
export function solveSbl(obs: SparseRecoveryObservation, params: SblParams, ctx: SolverContext): SparseRecoverySolution {
  ctx.signal.throwIfAborted();
  const { x } = sbl(obs.A, obs.y, {
    noiseVar: obs.noiseStd !== undefined ? obs.noiseStd ** 2 : undefined,
    learnNoise: params.learnNoise,
    maxIter: params.maxIter,
    tol: params.tol,
    update: params.update,
    pruneTol: params.pruneTol,
    signal: ctx.signal,
    onIteration: (iteration, active, noiseVar) => ctx.report({ iteration, active, noiseVar }),
  });
  return { x };
}

/** `baselines/sbl`: {@link sbl} as a registered solver (defaults from the observation's hints). */
export const sblSolver = defineSolver({
  id: 'baselines/sbl',
  family: sparseRecovery,
  title: 'Sparse Bayesian learning (EM)',
  summary: 'Gaussian prior with one variance per coefficient, variances by evidence maximization with EM (Tipping 2001; Wipf & Rao 2004).',
  params: SblParams,
  solve: solveSbl,
});
