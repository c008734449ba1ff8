import {
  GrowingCholesky,
  Matrix,
  ParsimonyError,
  Type,
  type Static,
  defineSolver,
  matvec,
  sparseRecovery,
  type SolverContext,
  type SparseRecoveryObservation,
  type SparseRecoverySolution,
} from '@parsimony/core';

/** Parameters of {@link omp}. */
export const OmpParams = Type.Object(
  {
    k: Type.Optional(Type.Integer({ minimum: 1, description: 'maximum number of atoms; default: the observation\'s k hint, else floor(m/2)' })),
    tol: Type.Optional(
      Type.Number({ minimum: 0, description: 'stop when ||y - A x||_2 <= tol; default: the noise level sqrt(m)·noiseStd when known, else 0' }),
    ),
  },
  { additionalProperties: false },
);
export type OmpParams = Static<typeof OmpParams>;

/** Options of the plain {@link omp} function. */
export interface OmpOptions {
  /** Maximum number of atoms (default floor(m/2)). */
  k?: number;
  /** Residual-norm stopping level (default 0). */
  tol?: number;
  /** Polled once per atom; aborts with the signal's reason. */
  signal?: AbortSignal;
  /** Receives (iteration, residual norm) after each atom. */
  onIteration?: (iteration: number, residualNorm: number) => void;
}

/**
 * Orthogonal Matching Pursuit (Pati, Rezaiifar & Krishnaprasad, 1993): pick
 * the column most correlated with the residual, refit y on all picked columns
 * by least squares, repeat. The least-squares refit grows a Cholesky factor
 * of A_Sᵀ A_S by one row per atom (O(k^2) per step), as scikit-learn's
 * `orthogonal_mp` does.
 *
 * @param A - m x n measurement matrix (row-major)
 * @param y - m measurements
 * @returns the estimate x (n), with at most `k` nonzeros
 * @example
 * const x = omp(A, y, { k: 12 });
 */
export function omp(A: Matrix, y: Float64Array, options: OmpOptions = {}): Float64Array {
  const { rows: m, cols: n, data } = A;
  if (y.length !== m) throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `omp: y has ${y.length} entries, A has ${m} rows`, 'y');
  const kMax = Math.min(options.k ?? Math.floor(m / 2), m, n);
  const tol2 = (options.tol ?? 0) ** 2;

  // Picked columns, stored contiguously (column-major) for fast dot products.
  const cols = new Float64Array(kMax * m);
  const support = new Int32Array(kMax);
  const chol = new GrowingCholesky(kMax);
  const aty = matvec(A, y, true);
  const coef = new Float64Array(kMax);
  const g = new Float64Array(kMax);
  const r = y.slice();
  const corr = new Float64Array(n);
  const used = new Uint8Array(n);
  let rr = 0;
  for (let i = 0; i < m; i++) rr += r[i] * r[i];

  let s = 0;
  while (s < kMax && rr > tol2) {
    options.signal?.throwIfAborted();
    matvec(A, r, true, corr);
    let best = -1, bestAbs = 0;
    for (let j = 0; j < n; j++) {
      const a = Math.abs(corr[j]);
      if (a > bestAbs && !used[j]) {
        bestAbs = a;
        best = j;
      }
    }
    if (best < 0 || bestAbs < 1e-14 * Math.sqrt(rr)) break; // residual orthogonal to every column
    const col = cols.subarray(s * m, (s + 1) * m);
    let diag = 0;
    for (let i = 0; i < m; i++) {
      const v = data[i * n + best];
      col[i] = v;
      diag += v * v;
    }
    for (let t = 0; t < s; t++) {
      let d = 0;
      const c = cols.subarray(t * m, (t + 1) * m);
      for (let i = 0; i < m; i++) d += c[i] * col[i];
      g[t] = d;
    }
    used[best] = 1;
    // A column in the span of the chosen ones cannot reduce the residual.
    if (!chol.append(g, diag)) continue;
    support[s] = best;
    s++;
    for (let t = 0; t < s; t++) coef[t] = aty[support[t]];
    const z = coef.subarray(0, s);
    chol.solveInPlace(z);
    r.set(y);
    for (let t = 0; t < s; t++) {
      const c = cols.subarray(t * m, (t + 1) * m);
      const zt = z[t];
      for (let i = 0; i < m; i++) r[i] -= zt * c[i];
    }
    rr = 0;
    for (let i = 0; i < m; i++) rr += r[i] * r[i];
    options.onIteration?.(s, Math.sqrt(rr));
  }

  const x = new Float64Array(n);
  for (let t = 0; t < s; t++) x[support[t]] = coef[t];
  return x;
}

/** The bench entry: defaults from the observation's hints. */
export function solveOmp(obs: SparseRecoveryObservation, params: OmpParams, ctx: SolverContext): SparseRecoverySolution {
  const m = obs.A.rows;
  const k = params.k ?? obs.k ?? Math.floor(m / 2);
  const tol = params.tol ?? (obs.noiseStd ? obs.noiseStd * Math.sqrt(m) : 0);
  const x = omp(obs.A, obs.y, {
    k,
    tol,
    signal: ctx.signal,
    onIteration: (iteration, residual) => ctx.report({ iteration, residual }),
  });
  return { x };
}

export const ompSolver = defineSolver({
  id: 'baselines/omp',
  family: sparseRecovery,
  title: 'Orthogonal Matching Pursuit',
  summary: 'Greedy: add the column most correlated with the residual, refit by least squares (Cholesky-updated).',
  params: OmpParams,
  solve: solveOmp,
});
