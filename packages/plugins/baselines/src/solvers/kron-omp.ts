import {
  defineSolver,
  kronMatvec,
  Matrix,
  ParsimonyError,
  pinv,
  sparseRecovery,
  Type,
  type SolverContext,
  type SparseRecoveryObservation,
  type SparseRecoverySolution,
  type Static,
} from '@parsimony/core';
import { sumSq } from '../internal/kernels.js';

/** Parameters of {@link kronOmp}. */
export const KronOmpParams = Type.Object(
  {
    sparsity: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1 }), {
        minItems: 1,
        description:
          "atoms per factor s_i; default: the observation's structure.sparsity, else ⌈k^(1/I)⌉ from its k hint, else min(M_i, N_i)",
      }),
    ),
    tol: Type.Optional(Type.Number({ minimum: 0, description: 'stop when ||y - A x||_2 <= tol; default: sqrt(m)·noiseStd when known, else 0' })),
  },
  { additionalProperties: false },
);
export type KronOmpParams = Static<typeof KronOmpParams>;

/** Options of the plain {@link kronOmp} function. */
export interface KronOmpOptions {
  /** Atoms per factor s_i (default min(M_i, N_i) each). */
  sparsity?: readonly number[];
  /** Residual-norm stopping level (default 0). */
  tol?: number;
  /** Polled once per iteration; aborts with the signal's reason. */
  signal?: AbortSignal;
  /** Receives (iteration, coefficients ∏|I_i|, residual norm) after each iteration. */
  onIteration?: (iteration: number, coefficients: number, residualNorm: number) => void;
}

/** The columns `idx` of A, as a new matrix. */
function columns(A: Matrix, idx: readonly number[]): Matrix {
  const out = Matrix.zeros(A.rows, idx.length);
  for (let i = 0; i < A.rows; i++) for (let t = 0; t < idx.length; t++) out.data[i * idx.length + t] = A.data[i * A.cols + idx[t]];
  return out;
}

/**
 * Kronecker OMP (Caiafa & Cichocki 2013, "Computing sparse representations
 * of multidimensional signals using Kronecker bases", Neural Computation
 * 25(1), Alg. N-BOMP's greedy core): y = (A_1 ⊗ … ⊗ A_I) x with supp(x) a
 * product I_1 × … × I_I. Each iteration takes the tuple (j_1, …, j_I) whose
 * atom is most correlated with the residual, (⊗A_iᵀ) r computed mode by mode,
 * adds each j_i to I_i (up to s_i indices per mode), and refits y by least
 * squares on the Kronecker sub-dictionary ⊗A_i[:, I_i], whose pseudo-inverse
 * is ⊗A_i[:, I_i]⁺ (one small pinv per mode). Stops when every mode holds
 * s_i indices, no index was added, or ‖r‖ ≤ tol. With one factor it is OMP.
 *
 * @param factors - A_1 … A_I (each M_i x N_i)
 * @param y - ∏M_i measurements (first factor slowest, as kron)
 * @param options - `sparsity`, `tol`, `signal`, `onIteration`
 * @returns the estimate x (∏N_i), nonzero only on I_1 × … × I_I
 * @example
 * const x = kronOmp(observation.structure.factors, observation.y, { sparsity: [3, 3] });
 */
export function kronOmp(factors: readonly Matrix[], y: Float64Array, options: KronOmpOptions = {}): Float64Array {
  if (!Array.isArray(factors) || factors.length === 0) {
    throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', 'kronOmp: factors must be a non-empty array of matrices (A = factors[0] ⊗ factors[1] ⊗ …)', 'factors');
  }
  const I = factors.length;
  const dims = factors.map((f) => f.cols);
  const n = dims.reduce((a, b) => a * b, 1), m = factors.reduce((a, f) => a * f.rows, 1);
  if (y.length !== m) {
    throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `kronOmp: y has ${y.length} entries, ${factors.map((f) => `${f.rows}x${f.cols}`).join(' ⊗ ')} has ${m} rows`, 'y');
  }
  const s = options.sparsity ?? factors.map((f) => Math.min(f.rows, f.cols));
  if (s.length !== I) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `kronOmp: sparsity has ${s.length} entries; expected one per factor (${I})`, 'sparsity');
  const tol2 = (options.tol ?? 0) ** 2;

  const sets: number[][] = factors.map(() => []);
  let coef: Float64Array = new Float64Array(0);
  const r = y.slice();
  let rr = sumSq(r);
  let it = 0;
  while (rr > tol2) {
    options.signal?.throwIfAborted();
    const corr = kronMatvec(factors, r, { trans: true });
    let best = 0, bestAbs = -1;
    for (let j = 0; j < n; j++) {
      const a = Math.abs(corr[j]);
      if (a > bestAbs) {
        bestAbs = a;
        best = j;
      }
    }
    if (bestAbs <= 0) break; // the residual is orthogonal to every atom
    // Unfold the flat index into one index per mode (last mode fastest).
    let added = false;
    for (let i = I - 1, rest = best; i >= 0; i--) {
      const ji = rest % dims[i];
      rest = (rest - ji) / dims[i];
      if (!sets[i].includes(ji) && sets[i].length < s[i]) {
        sets[i].push(ji);
        added = true;
      }
    }
    if (!added) break;
    it++;
    const subs = factors.map((f, i) => columns(f, sets[i]));
    coef = kronMatvec(subs.map((sub) => pinv(sub)), y);
    const fit = kronMatvec(subs, coef);
    for (let i = 0; i < m; i++) r[i] = y[i] - fit[i];
    rr = sumSq(r);
    options.onIteration?.(it, coef.length, Math.sqrt(rr));
    if (sets.every((set, i) => set.length >= s[i])) break;
  }

  const x = new Float64Array(n);
  if (coef.length === 0) return x;
  // Scatter the coefficients (⊗ order over the sets) back to the full grid.
  const idx = new Int32Array(I);
  for (let t = 0; t < coef.length; t++) {
    let full = 0;
    for (let i = 0; i < I; i++) full = full * dims[i] + sets[i][idx[i]];
    x[full] = coef[t];
    for (let i = I - 1; i >= 0; i--) {
      if (++idx[i] < sets[i].length) break;
      idx[i] = 0;
    }
  }
  return x;
}

/** Atoms per factor when none are given: the structure's sparsity, else ⌈k^(1/I)⌉ per mode, else min(M_i, N_i). */
function defaultSparsity(obs: SparseRecoveryObservation, factors: readonly Matrix[]): number[] {
  if (obs.structure?.kind === 'kronecker' && obs.structure.sparsity) return obs.structure.sparsity.map((v) => Math.max(v, 1));
  const I = factors.length;
  return factors.map((f) => {
    const cap = Math.min(f.rows, f.cols);
    return obs.k !== undefined && obs.k > 0 ? Math.min(cap, Math.ceil(Math.pow(obs.k, 1 / I) - 1e-9)) : cap;
  });
}

/** The bench entry: factors from observation.structure (else A itself, I = 1: OMP), defaults from the hints. */
export function solveKronOmp(obs: SparseRecoveryObservation, params: KronOmpParams, ctx: SolverContext): SparseRecoverySolution {
  ctx.signal.throwIfAborted();
  const factors = obs.structure?.kind === 'kronecker' ? obs.structure.factors : [obs.A];
  if (params.sparsity && params.sparsity.length !== factors.length) {
    throw new ParsimonyError(
      'PARSIMONY_BAD_PARAMS',
      `baselines/kron-omp: params.sparsity has ${params.sparsity.length} entries; this observation has ${factors.length} Kronecker factor(s)`,
      'params.sparsity',
    );
  }
  const m = obs.A.rows;
  const x = kronOmp(factors, obs.y, {
    sparsity: params.sparsity ?? defaultSparsity(obs, factors),
    tol: params.tol ?? (obs.noiseStd ? obs.noiseStd * Math.sqrt(m) : 0),
    signal: ctx.signal,
    onIteration: (iteration, coefficients, residual) => ctx.report({ iteration, coefficients, residual }),
  });
  return { x };
}

export const kronOmpSolver = defineSolver({
  id: 'baselines/kron-omp',
  family: sparseRecovery,
  title: 'Kronecker OMP',
  summary: 'Greedy over factor-index tuples with a least-squares refit on the Kronecker sub-dictionary (Caiafa & Cichocki 2013).',
  params: KronOmpParams,
  solve: solveKronOmp,
});
