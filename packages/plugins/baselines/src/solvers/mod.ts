import {
  cholesky,
  choleskySolve,
  defineSolver,
  dictionaryLearning,
  Matrix,
  ParsimonyError,
  pinv,
  transpose,
  Type,
  matmul,
  type DictionaryLearningObservation,
  type DictionaryLearningSolution,
  type Rng,
  type SolverContext,
  type Static,
} from '@parsimony/core';
import {
  atomsOf,
  checkDictionaryInputs,
  checkInteger,
  checkStart,
  codeAll,
  denseCodes,
  inferenceSparsity,
  initialAtoms,
  normalizeAtoms,
  ompCodes,
  polarFactor,
  replaceWithWorst,
  residuals,
  rowEnergies,
  solveCodingOnly,
  sparseCodes,
  trainingSparsity,
  type SparseCodes,
} from '../internal/dictionary.js';

/** Parameters of {@link mod}. */
export const ModParams = Type.Object(
  {
    iterations: Type.Integer({ minimum: 1, default: 30, description: 'MOD iterations, each a sparse coding stage (OMP) and the least-squares dictionary D = Y Xᵀ (X Xᵀ)⁻¹' }),
    k: Type.Optional(Type.Integer({ minimum: 1, description: "atoms per sample in the coding stage; default the observation's k" })),
  },
  { additionalProperties: false },
);
export type ModParams = Static<typeof ModParams>;

/** Options of the plain {@link mod} function. */
export interface ModOptions {
  /** Atoms to learn (columns of D). */
  readonly atoms: number;
  /** Nonzeros per sample in the coding stage (OMP). */
  readonly k: number;
  /** Iterations (default 30). */
  readonly iterations?: number;
  /** Learn an orthogonal D (needs atoms = n): the update becomes the Procrustes solution polar(Y Xᵀ). */
  readonly orthogonal?: boolean;
  /** Starting dictionary (n x atoms; columns are normalized, or its polar factor is taken when `orthogonal`); default `atoms` random samples from `rng`. */
  readonly D0?: Matrix;
  /** Draws the starting samples when `D0` is not given. */
  readonly rng?: Rng;
  /** Polled once per iteration (and every 256 codes). */
  readonly signal?: AbortSignal;
  /** After each update: ‖Y − D X‖_F / ‖Y‖_F of the iteration's codes X and the updated D (before normalization), and the unused atoms replaced. */
  readonly onIteration?: (iteration: number, repErr: number, replaced: number) => void;
}

/** What {@link mod} returns. */
export interface ModResult {
  /** n x atoms, unit columns (orthogonal with `orthogonal`). */
  readonly D: Matrix;
  /** atoms x N: OMP codes of Y on the final D, at most k nonzeros per column. */
  readonly X: Matrix;
  /** ‖Y − DX‖_F / ‖Y‖_F of the returned pair. */
  readonly repErr: number;
}

/** Pt = X Yᵀ (K x n) and Q = X Xᵀ (K x K) from the sparse codes, in O(N k n + N k²). */
function normalEquations(Yt: Float64Array, n: number, K: number, codes: SparseCodes, Pt: Float64Array, Q: Float64Array): void {
  const { N, cap, idx, val, cnt } = codes;
  Pt.fill(0);
  Q.fill(0);
  for (let j = 0; j < N; j++) {
    const o = j * cap, c = cnt[j], yo = j * n;
    for (let t = 0; t < c; t++) {
      const a = idx[o + t], v = val[o + t], pa = a * n;
      for (let i = 0; i < n; i++) Pt[pa + i] += v * Yt[yo + i];
      for (let u = 0; u < c; u++) Q[a * K + idx[o + u]] += v * val[o + u];
    }
  }
}

/**
 * The least-squares dictionary for fixed codes, D = Y Xᵀ (X Xᵀ)⁻¹, written
 * atom-major (Dᵀ = (X Xᵀ)⁻¹ X Yᵀ) into Dt over the atoms some sample uses;
 * returns the unused atoms (their rows of X are zero, so they are left out
 * of the normal equations and Dt keeps them).
 */
function leastSquaresUpdate(n: number, K: number, Pt: Float64Array, Q: Float64Array, Dt: Float64Array): number[] {
  const used: number[] = [], unused: number[] = [];
  for (let a = 0; a < K; a++) (Q[a * K + a] > 0 ? used : unused).push(a);
  const u = used.length;
  if (u === 0) return unused;
  const Qu = Matrix.zeros(u, u), Pu = Matrix.zeros(u, n);
  used.forEach((a, p) => {
    for (let q = 0; q < u; q++) Qu.data[p * u + q] = Q[a * K + used[q]];
    Pu.data.set(Pt.subarray(a * n, a * n + n), p * n);
  });
  let Du: Matrix;
  try {
    Du = choleskySolve(cholesky(Qu), Pu);
  } catch (e) {
    if (!(e instanceof ParsimonyError)) throw e;
    // Linearly dependent code rows (possible in early iterations): the pseudo-inverse, as Y X⁺.
    Du = matmul(pinv(Qu), Pu);
  }
  used.forEach((a, p) => Dt.set(Du.data.subarray(p * n, p * n + n), a * n));
  return unused;
}

/**
 * Method of Optimal Directions (Engan, Aase & Husøy, ICASSP 1999):
 * alternately (1) code every sample with at most k atoms by OMP, and (2)
 * set the dictionary to the least-squares fit for those codes,
 * D = Y Xᵀ (X Xᵀ)⁻¹, then scale its columns to unit norm. Coding is batch
 * OMP in Gram form (the plugin's `ompGram`); Y Xᵀ and X Xᵀ are accumulated
 * from the sparse codes in O(N k n), and the K x K system is solved by
 * Cholesky (the pseudo-inverse when X Xᵀ is singular).
 *
 * With `orthogonal` the same least-squares problem is solved over the
 * orthogonal group: D = polar(Y Xᵀ) (orthogonal Procrustes, Schönemann 1966;
 * the orthonormal-basis update of Lesage, Gribonval, Bimbot & Benaroya 2005).
 *
 * Deviation: an atom no sample uses (a zero row of X, which makes X Xᵀ
 * singular) is left out of the solve and replaced by the worst-represented
 * sample, as K-SVD does (Aharon et al. 2006); the MOD paper does not
 * say how to treat it. Orthogonal dictionaries keep the polar factor's
 * completion instead.
 *
 * @param Y - n x N samples, one per column
 * @param options - `atoms`, `k`, and `D0` or `rng`
 * @returns D (n x atoms, unit columns), X (OMP codes on D), the relative error
 * @example
 * const { D } = mod(Y, { atoms: 64, k: 3, rng: createRng(1) });
 */
export function mod(Y: Matrix, options: ModOptions): ModResult {
  const K = options.atoms;
  checkDictionaryInputs('mod', Y, K, options.k);
  const iterations = options.iterations ?? 30;
  checkInteger('mod', 'iterations', iterations, 1);
  const n = Y.rows, N = Y.cols, k = Math.min(options.k, K), orthogonal = options.orthogonal ?? false;
  if (orthogonal && K !== n) {
    throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `mod: options.orthogonal needs a square dictionary, atoms = n (got atoms = ${K}, n = ${n})`, 'options.orthogonal');
  }
  const Yt = transpose(Y).data;
  let Dt: Float64Array;
  if (options.D0) {
    checkStart('mod', options.D0, n, K);
    Dt = atomsOf(options.D0, options.rng);
  } else {
    if (!options.rng) throw new ParsimonyError('PARSIMONY_BAD_INPUT', 'mod: give options.D0 or options.rng (to draw the starting atoms from the samples)', 'options.rng');
    Dt = initialAtoms(Yt, N, n, K, options.rng);
  }
  if (orthogonal) Dt = polarFactor(Matrix.from(K, n, Dt)).slice();

  const yy = rowEnergies(Yt, N, n);
  let yTotal = 0;
  for (let j = 0; j < N; j++) yTotal += yy[j];
  const scale = Math.max(yTotal, 1e-300);
  const codes = sparseCodes(N, k), err = new Float64Array(N);
  const R = new Float64Array(N * n), Pt = new Float64Array(K * n), Q = new Float64Array(K * K);

  for (let it = 1; it <= iterations; it++) {
    options.signal?.throwIfAborted();
    ompCodes(Dt, K, n, Yt, N, k, codes, err, yy, options.signal);
    let unused: number[] = [];
    normalEquations(Yt, n, K, codes, Pt, Q);
    if (orthogonal) {
      // argmin over orthogonal Dᵀ of ‖Yᵀ − Xᵀ Dᵀ‖ is polar(X Yᵀ) (Procrustes).
      Dt.set(polarFactor(Matrix.from(K, n, Pt)));
    } else {
      unused = leastSquaresUpdate(n, K, Pt, Q, Dt);
    }
    const total = residuals(Dt, n, Yt, codes, R, err);
    const replaced = orthogonal ? 0 : replaceWithWorst(Dt, n, Yt, err, unused);
    // Unit atoms (the codes absorb the scale at the next coding stage).
    if (!orthogonal) normalizeAtoms(Dt, K, n, options.rng);
    options.onIteration?.(it, Math.sqrt(total / scale), replaced);
  }
  options.signal?.throwIfAborted();
  ompCodes(Dt, K, n, Yt, N, k, codes, err, yy, options.signal);
  const total = residuals(Dt, n, Yt, codes, R);
  return { D: transpose(Matrix.from(K, n, Dt)), X: denseCodes(codes, K), repErr: Math.sqrt(total / scale) };
}

/**
 * The bench entry: learns `atoms` atoms from Y with k = params.k or the
 * observation's k (an orthogonal D when the task asks for one) and returns D
 * with the OMP codes of Y on it at the task's inference budget. Coding-only
 * tasks run the coding stage alone on the given D.
 */
export function solveMod(obs: DictionaryLearningObservation, params: ModParams, ctx: SolverContext): DictionaryLearningSolution {
  ctx.signal.throwIfAborted();
  if (obs.D) return solveCodingOnly(obs, params.k, ctx.signal, (p) => ctx.report(p));
  const k = trainingSparsity(obs, params.k);
  const budget = inferenceSparsity(obs, k);
  const { D, X } = mod(obs.Y, {
    atoms: obs.atoms,
    k,
    iterations: params.iterations,
    orthogonal: obs.orthogonal ?? false,
    rng: ctx.rng,
    signal: ctx.signal,
    onIteration: (iteration, repErr, replaced) => ctx.report({ iteration, rep_err: repErr, replaced }),
  });
  return { D, X: budget === k ? X : codeAll(D, obs.Y, budget, ctx.signal).X };
}

/** `baselines/mod`: {@link mod} as a registered solver. */
export const modSolver = defineSolver({
  id: 'baselines/mod',
  family: dictionaryLearning,
  title: 'Method of Optimal Directions',
  summary: 'Alternate OMP sparse coding and the least-squares dictionary D = Y Xᵀ (X Xᵀ)⁻¹ with unit columns (Engan, Aase & Husøy 1999); Procrustes when D must be orthogonal.',
  params: ModParams,
  solve: solveMod,
});
