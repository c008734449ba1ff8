import {
  GrowingCholesky,
  Matrix,
  Type,
  type Static,
  defineSolver,
  sparseRecovery,
  type SolverContext,
  type SparseRecoveryObservation,
  type SparseRecoverySolution,
} from '@parsimony/core';
import { checkSystem, dotAt, gatherColumn, gemvSparse, gemvT, sumSq, topK } from '../internal/kernels.js';

/** Parameters of {@link cosamp}. */
export const CosampParams = Type.Object(
  {
    k: Type.Optional(Type.Integer({ minimum: 1, description: "sparsity level s; default: the observation's k hint, else floor(m/4)" })),
    maxIter: Type.Integer({ minimum: 1, default: 100, description: 'maximum number of iterations' }),
    tol: Type.Optional(
      Type.Number({ minimum: 0, description: 'stop when ‖y − Ax‖₂ ≤ tol; default: the noise level √m·noiseStd when known, else 0' }),
    ),
  },
  { additionalProperties: false },
);
export type CosampParams = Static<typeof CosampParams>;

/** Options of the plain {@link cosamp} function. */
export interface CosampOptions {
  /** Sparsity level s (default floor(m/4)). */
  k?: number;
  /** Maximum number of iterations (default 100). */
  maxIter?: number;
  /** Residual-norm stopping level (default 0). */
  tol?: number;
  /** Polled every iteration. */
  signal?: AbortSignal;
  /** Receives (iteration, residual norm) after each iteration. */
  onIteration?: (iteration: number, residualNorm: number) => void;
}

/** Iterations without a lower residual before CoSaMP gives up (it is not monotone). */
const PATIENCE = 3;

/**
 * CoSaMP, compressive sampling matching pursuit (Needell & Tropp 2009, Appl.
 * Comput. Harmon. Anal. 26(3), Alg. 1): merge the 2s largest entries of the
 * proxy Aᵀr with the current support, solve least squares on the merged
 * set (at most 3s columns; Cholesky of its Gram matrix), keep the s largest
 * entries, update the residual.
 *
 * Halting (the paper leaves it open, Sec. 2.2): ‖r‖ ≤ tol, `maxIter`, or
 * no lower residual in 3 iterations; the iterate with the lowest residual
 * is returned.
 *
 * @param A - m x n (row-major)
 * @param y - m measurements
 * @param options - `k`, `maxIter`, `tol`, `signal`, `onIteration`
 * @returns x (n), with at most `k` nonzeros
 * @example
 * const x = cosamp(A, y, { k: 12 });
 */
export function cosamp(A: Matrix, y: Float64Array, options: CosampOptions = {}): Float64Array {
  checkSystem('cosamp', A, y);
  const { rows: m, cols: n, data } = A;
  const s = Math.max(0, Math.min(options.k ?? Math.floor(m / 4), n));
  const maxIter = options.maxIter ?? 100;
  const tol2 = (options.tol ?? 0) ** 2;
  const cap = Math.min(3 * s, n);
  const x = new Float64Array(n);
  const best = new Float64Array(n);
  const u = new Float64Array(n);
  const b = new Float64Array(n);
  const work = new Float64Array(n);
  const omega = new Int32Array(Math.max(2 * s, 1));
  const supp = new Int32Array(Math.max(s, 1));
  const T = new Int32Array(Math.max(cap, 1));
  const inT = new Uint8Array(n);
  const cols = new Float64Array(Math.max(cap, 1) * m);
  const g = new Float64Array(Math.max(cap, 1));
  const rhs = new Float64Array(Math.max(cap, 1));
  const kept = new Int32Array(Math.max(cap, 1));
  const r = y.slice();
  const ax = new Float64Array(m);
  let rr = sumSq(r);
  let bestRr = rr;
  let ns = 0; // support size of x
  if (s === 0) return x;

  for (let it = 1, stale = 0; it <= maxIter && rr > tol2 && stale < PATIENCE; it++) {
    options.signal?.throwIfAborted();
    // Identify: the 2s largest entries of the proxy u = Aᵀr; merge with supp(x).
    gemvT(data, m, n, r, u);
    const no = topK(u, Math.min(2 * s, n), omega, work);
    let nt = 0;
    for (let t = 0; t < no + ns; t++) {
      const j = t < no ? omega[t] : supp[t - no];
      if (inT[j]) continue;
      inT[j] = 1;
      T[nt++] = j;
    }
    // Estimate: least squares on T through a growing Cholesky factor of A_Tᵀ A_T
    // (a column in the span of the earlier ones is dropped).
    const chol = new GrowingCholesky(nt);
    let nk = 0;
    for (let t = 0; t < nt; t++) {
      const j = T[t];
      inT[j] = 0;
      const off = nk * m;
      gatherColumn(data, m, n, j, cols, off);
      for (let q = 0; q < nk; q++) g[q] = dotAt(cols, q * m, cols, off, m);
      if (!chol.append(g, dotAt(cols, off, cols, off, m))) continue;
      rhs[nk] = dotAt(cols, off, y, 0, m);
      kept[nk++] = j;
    }
    const z = rhs.subarray(0, nk);
    chol.solveInPlace(z);
    // Prune: keep the s largest entries of b.
    b.fill(0);
    for (let t = 0; t < nk; t++) b[kept[t]] = z[t];
    ns = topK(b, s, supp, work);
    x.fill(0);
    for (let t = 0; t < ns; t++) x[supp[t]] = b[supp[t]];
    // Update the residual.
    gemvSparse(data, m, n, x, supp, ns, ax);
    for (let i = 0; i < m; i++) r[i] = y[i] - ax[i];
    rr = sumSq(r);
    options.onIteration?.(it, Math.sqrt(rr));
    if (rr < bestRr * (1 - 1e-12)) {
      bestRr = rr;
      best.set(x);
      stale = 0;
    } else {
      stale++;
    }
  }
  return best;
}

/** The bench entry: s and the residual tolerance from the observation's hints. */
export function solveCosamp(obs: SparseRecoveryObservation, params: CosampParams, ctx: SolverContext): SparseRecoverySolution {
  ctx.signal.throwIfAborted();
  const m = obs.A.rows;
  const x = cosamp(obs.A, obs.y, {
    k: params.k ?? obs.k ?? Math.floor(m / 4),
    maxIter: params.maxIter,
    tol: params.tol ?? (obs.noiseStd ? obs.noiseStd * Math.sqrt(m) : 0),
    signal: ctx.signal,
    onIteration: (iteration, residual) => ctx.report({ iteration, residual }),
  });
  return { x };
}

/** `baselines/cosamp`: {@link cosamp} as a registered solver (defaults from the observation's hints). */
export const cosampSolver = defineSolver({
  id: 'baselines/cosamp',
  family: sparseRecovery,
  title: 'CoSaMP',
  summary: 'Compressive sampling matching pursuit (Needell & Tropp 2009): merge 2s proxy entries with the support, least squares, prune to s.',
  params: CosampParams,
  solve: solveCosamp,
});
