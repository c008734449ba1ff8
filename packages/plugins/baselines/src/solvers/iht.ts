import {
  Matrix,
  Type,
  type Static,
  defineSolver,
  sparseRecovery,
  type SolverContext,
  type SparseRecoveryObservation,
  type SparseRecoverySolution,
} from '@parsimony/core';
import { checkSystem, gemvSparse, gemvT, sumSq, topK } from '../internal/kernels.js';

/** Parameters of {@link iht}. */
export const IhtParams = Type.Object(
  {
    k: Type.Optional(Type.Integer({ minimum: 1, description: "sparsity level K; default: the observation's k hint, else floor(m/4)" })),
    maxIter: Type.Integer({ minimum: 1, default: 500, description: 'maximum number of iterations' }),
    tol: Type.Optional(Type.Number({ minimum: 0, description: 'stop when ‖y − Ax‖ ≤ tol; default: 0 (run until the iterates settle)' })),
  },
  { additionalProperties: false },
);
export type IhtParams = Static<typeof IhtParams>;

/** Options of the plain {@link iht} function. */
export interface IhtOptions {
  /** Sparsity level K (default floor(m/4)). */
  k?: number;
  /** Maximum number of iterations (default 500). */
  maxIter?: number;
  /** Residual-norm stopping level (default 0). */
  tol?: number;
  /** Polled every iteration. */
  signal?: AbortSignal;
  /** Receives (iteration, residual norm, step μ) after each iteration. */
  onIteration?: (iteration: number, residualNorm: number, step: number) => void;
}

/** Normalized IHT's constants (Blumensath & Davies 2010, Sec. III-B): c small, κ > 1/(1 − c). */
const C = 0.01;
const KAPPA = 2;

/**
 * Normalized iterative hard thresholding (Blumensath & Davies 2010, "Normalized
 * iterative hard thresholding: guaranteed stability and performance", IEEE J.
 * Sel. Topics Signal Process. 4(2), Alg. 2): x ← H_K(x + μ Aᵀ(y − Ax)) with
 * the step μ = ‖g_Γ‖²/‖A_Γ g_Γ‖² that is optimal on the current support Γ.
 * When the support changes, μ is shrunk by κ(1 − c) until
 * μ ≤ (1 − c)‖x⁺ − x‖²/‖A(x⁺ − x)‖², which makes the residual decrease
 * without needing ‖A‖₂ < 1.
 *
 * @param A - m x n (row-major)
 * @param y - m measurements
 * @param options - `k`, `maxIter`, `tol`, `signal`, `onIteration`
 * @returns x (n), with at most `k` nonzeros
 * @example
 * const x = iht(A, y, { k: 12 });
 */
export function iht(A: Matrix, y: Float64Array, options: IhtOptions = {}): Float64Array {
  checkSystem('iht', A, y);
  const { rows: m, cols: n, data } = A;
  const K = Math.max(0, Math.min(options.k ?? Math.floor(m / 4), n));
  const maxIter = options.maxIter ?? 500;
  const tol2 = (options.tol ?? 0) ** 2;
  let x = new Float64Array(n);
  let xNew = new Float64Array(n);
  const g = new Float64Array(n);
  const v = new Float64Array(n);
  const gg = new Float64Array(n);
  const r = y.slice();
  const ax = new Float64Array(m);
  const ad = new Float64Array(m);
  const work = new Float64Array(n);
  let supp = new Int32Array(Math.max(K, 1));
  let suppNew = new Int32Array(Math.max(K, 1));
  const both = new Int32Array(2 * Math.max(K, 1));
  if (K === 0) return x;

  gemvT(data, m, n, r, g);
  // Γ₀ = supp(H_K(Aᵀy)) (the paper's initialization with x₀ = 0).
  let s = topK(g, K, supp, work);
  let rr = sumSq(r);
  for (let it = 1; it <= maxIter && rr > tol2; it++) {
    options.signal?.throwIfAborted();
    if (it > 1) gemvT(data, m, n, r, g);
    // μ = ‖g_Γ‖² / ‖A_Γ g_Γ‖².
    gg.fill(0);
    let num = 0;
    for (let t = 0; t < s; t++) {
      const j = supp[t];
      gg[j] = g[j];
      num += g[j] * g[j];
    }
    gemvSparse(data, m, n, gg, supp, s, ad);
    const den = sumSq(ad);
    if (num === 0 || den === 0) break; // the gradient vanishes on Γ: a fixed point
    let mu = num / den;
    let sNew = 0;
    let dd = 0;
    for (let tries = 0; tries < 60; tries++) {
      for (let j = 0; j < n; j++) v[j] = x[j] + mu * g[j];
      sNew = topK(v, K, suppNew, work);
      xNew.fill(0);
      for (let t = 0; t < sNew; t++) xNew[suppNew[t]] = v[suppNew[t]];
      if (sameSupport(supp, s, suppNew, sNew)) break;
      // ω = (1 − c)‖x⁺ − x‖² / ‖A(x⁺ − x)‖² over the union of the two supports.
      const nb = unionSorted(supp, s, suppNew, sNew, both);
      for (let t = 0; t < nb; t++) gg[both[t]] = xNew[both[t]] - x[both[t]];
      gemvSparse(data, m, n, gg, both, nb, ad);
      dd = 0;
      for (let t = 0; t < nb; t++) dd += gg[both[t]] ** 2;
      for (let t = 0; t < nb; t++) gg[both[t]] = 0;
      const omega = ((1 - C) * dd) / Math.max(sumSq(ad), 1e-300);
      if (mu <= omega) break;
      mu /= KAPPA * (1 - C);
    }
    // Step change, then the new residual.
    dd = 0;
    let xx = 0;
    for (let j = 0; j < n; j++) {
      dd += (xNew[j] - x[j]) ** 2;
      xx += xNew[j] * xNew[j];
    }
    [x, xNew] = [xNew, x];
    [supp, suppNew] = [suppNew, supp];
    s = sNew;
    gemvSparse(data, m, n, x, supp, s, ax);
    for (let i = 0; i < m; i++) r[i] = y[i] - ax[i];
    rr = sumSq(r);
    options.onIteration?.(it, Math.sqrt(rr), mu);
    if (dd <= 1e-24 * xx) break; // the iterates have settled
  }
  return x;
}

function sameSupport(a: Int32Array, na: number, b: Int32Array, nb: number): boolean {
  if (na !== nb) return false;
  for (let t = 0; t < na; t++) if (a[t] !== b[t]) return false;
  return true;
}

/** Merges two increasing index lists into `out`; returns the count. */
function unionSorted(a: Int32Array, na: number, b: Int32Array, nb: number, out: Int32Array): number {
  let i = 0, j = 0, s = 0;
  while (i < na || j < nb) {
    if (j >= nb || (i < na && a[i] < b[j])) out[s++] = a[i++];
    else if (i >= na || b[j] < a[i]) out[s++] = b[j++];
    else {
      out[s++] = a[i++];
      j++;
    }
  }
  return s;
}

/** The bench entry: K from the observation's hint. */
export function solveIht(obs: SparseRecoveryObservation, params: IhtParams, ctx: SolverContext): SparseRecoverySolution {
  ctx.signal.throwIfAborted();
  const x = iht(obs.A, obs.y, {
    k: params.k ?? obs.k ?? Math.floor(obs.A.rows / 4),
    maxIter: params.maxIter,
    tol: params.tol,
    signal: ctx.signal,
    onIteration: (iteration, residual, step) => ctx.report({ iteration, residual, step }),
  });
  return { x };
}

/** `baselines/iht`: {@link iht} as a registered solver (defaults from the observation's hints). */
export const ihtSolver = defineSolver({
  id: 'baselines/iht',
  family: sparseRecovery,
  title: 'Normalized iterative hard thresholding',
  summary: 'x ← H_K(x + μAᵀ(y − Ax)) with the adaptive step of Blumensath & Davies (2010).',
  params: IhtParams,
  solve: solveIht,
});
