import {
  createRng,
  defineSolver,
  matrixCompletion,
  ParsimonyError,
  Type,
  typescriptBackend,
  type LinalgBackend,
  type Matrix,
  type MatrixCompletionObservation,
  type MatrixCompletionSolution,
  type Rng,
  type SolverContext,
  type Static,
} from '@parsimony/core';
import { sumSq } from '../internal/kernels.js';
import { checkCompletion, patternOf, shrunkTerm, sparsePlusLowRank, svdAbove, termOnPattern, termToFactors, zeroTerm, type CompletionData, type LowRankTerm } from '../internal/lowrank.js';

/** Parameters of {@link softImpute}. */
export const SoftImputeParams = Type.Object(
  {
    lambda: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description: 'the final λ of ½‖P_Ω(X − Z)‖²_F + λ‖Z‖_*; default (√m + √n)·√p·noiseStd with p = |Ω|/(mn) when the noise level is known (Candès & Plan 2010), else 10⁻⁴·λ_max, λ_max = ‖P_Ω(X)‖₂',
      }),
    ),
    pathLength: Type.Integer({ minimum: 1, default: 10, description: 'λ values of the warm-started path, geometric from λ_max down to λ (1: λ alone, from Z = 0)' }),
    tol: Type.Number({ exclusiveMinimum: 0, default: 1e-5, description: 'ε: move to the next λ when ‖Z_new − Z_old‖²_F / ‖Z_old‖²_F < ε' }),
    maxIter: Type.Integer({ minimum: 1, default: 100, description: 'iterations per λ at most' }),
    maxRank: Type.Optional(Type.Integer({ minimum: 1, description: "cap on the rank of Z (the R package's rank.max); default min(m, n, 2r) with r the observation's rank" })),
  },
  { additionalProperties: false },
);
export type SoftImputeParams = Static<typeof SoftImputeParams>;

/** Options of the plain {@link softImpute} function. */
export interface SoftImputeOptions extends Partial<SoftImputeParams> {
  /** Random columns of the partial SVD's start block (default: a fixed seed). */
  rng?: Rng;
  /** Polled once per iteration; aborts with the signal's reason. */
  signal?: AbortSignal;
  /** Kernels (QR, SVD, GEMM); default the TypeScript backend. */
  linalg?: LinalgBackend;
  /** Called after every iteration with the objective f_λ(Z_new), the rank, the relative change and the block products of its partial SVD. */
  onIteration?: (it: { iteration: number; lambda: number; objective: number; rank: number; change: number; products: number }) => void;
}

/** One λ of the path. */
export interface SoftImputeStep {
  readonly lambda: number;
  readonly iterations: number;
  /** f_λ at the iterate where this λ stopped. */
  readonly objective: number;
  readonly rank: number;
}

/** What {@link softImpute} returns. */
export interface SoftImputeResult extends MatrixCompletionSolution {
  /** Rank of Z at the last λ (the factors hold one zero column when it is 0). */
  readonly rank: number;
  /** The last (smallest) λ. */
  readonly lambda: number;
  /** ‖P_Ω(X)‖₂, the smallest λ whose solution is Z = 0. */
  readonly lambdaMax: number;
  /** Iterations over the whole path. */
  readonly iterations: number;
  readonly path: readonly SoftImputeStep[];
}

/**
 * ‖Z₁ − Z₂‖²_F for Z = U diag(d) Vᵀ without cancellation: with the thin QRs
 * [U₁, U₂] = Q_U R_U and [V₁, V₂] = Q_V R_V, Z₁ − Z₂ = Q_U R_U diag(d₁, −d₂) R_Vᵀ Q_Vᵀ,
 * so the norm is that of a small (r₁ + r₂)² matrix. (Expanding
 * Σd₁² + Σd₂² − 2⟨Z₁, Z₂⟩ would lose everything below 1e-16 ‖Z‖², which is
 * where the stopping test lives near convergence.) O((m + n)(r₁ + r₂)²).
 */
function distanceSq(a: LowRankTerm, b: LowRankTerm, m: number, n: number, linalg: LinalgBackend): number {
  if (a.r === 0 || b.r === 0) return sumSq(a.d, a.r) + sumSq(b.d, b.r);
  const q = a.r + b.r;
  const side = (X: Float64Array, Y: Float64Array, rows: number): Matrix => {
    const out = new Float64Array(rows * q);
    for (let row = 0; row < rows; row++) {
      out.set(X.subarray(row * a.r, (row + 1) * a.r), row * q);
      out.set(Y.subarray(row * b.r, (row + 1) * b.r), row * q + a.r);
    }
    return { rows, cols: q, data: out };
  };
  const Ru = linalg.qr(side(a.U, b.U, m)).R, Rv = linalg.qr(side(a.V, b.V, n)).R;
  // Ru diag(d₁, −d₂) Rvᵀ, with R's k = min(rows, q) rows.
  const sd = new Float64Array(q);
  sd.set(a.d.subarray(0, a.r));
  for (let t = 0; t < b.r; t++) sd[a.r + t] = -b.d[t];
  let s = 0;
  for (let p = 0; p < Ru.rows; p++) {
    for (let r = 0; r < Rv.rows; r++) {
      let v = 0;
      for (let t = 0; t < q; t++) v += Ru.data[p * q + t] * sd[t] * Rv.data[r * q + t];
      s += v * v;
    }
  }
  return s;
}

/**
 * SoftImpute (Mazumder, Hastie & Tibshirani, JMLR 11, 2010, Alg. 1): for a
 * decreasing path λ₁ > … > λ_K = λ, iterate
 *
 *   Z_new = S_λ(P_Ω(X) + P_Ω^⊥(Z_old)),   S_λ(W) = U diag((σ − λ)₊) Vᵀ,
 *
 * until ‖Z_new − Z_old‖²_F / ‖Z_old‖²_F < ε, warm-starting each λ from the
 * previous solution. Each iterate minimizes a majorizer of
 * f_λ(Z) = ½‖P_Ω(X − Z)‖²_F + λ‖Z‖_*, so f_λ never increases (their
 * Lemma 2 / Theorem 1). P_Ω(X) + P_Ω^⊥(Z) = P_Ω(X − Z) + Z is sparse plus
 * low rank (Sec. 5.1), so only the triplets above λ are computed (as SVT's
 * rank search) by block subspace iteration warm-started from Z's right
 * singular vectors, with products costing O(|Ω| k + (m + n) r k).
 *
 * Deviation: the paper computes the truncated SVD with PROPACK; here it is
 * subspace iteration with Rayleigh-Ritz, warm-started from the previous
 * iterate, to a residual of 10⁻⁷σ₁ or at most 4 sweeps (dense storage when
 * at least a quarter of the entries are observed). The rank of Z is capped
 * (`maxRank`, default 2r for the observation's rank r, as the R package's
 * `rank.max`): an iterate far from convergence can have hundreds of
 * singular values above a small λ (an exact run on 300 x 300, p = 0.22
 * reaches rank 239), each costing a wider partial SVD; when the cap binds
 * the step is the best rank-capped approximation of S_λ, which Alg. 1 does
 * not have.
 *
 * @param obs - rows m, cols n, observed positions `omega` and `values` (optionally `noiseStd` and the rank hint `rank`)
 * @param options - `lambda`, `pathLength`, `tol`, `maxIter`, `maxRank`, `rng`, `signal`, `linalg`, `onIteration`
 * @returns Z = U Vᵀ (U = U_r diag(d), V = V_r) at the last λ, with the path's summary
 * @example
 * const { U, V, rank } = softImpute(observation, { pathLength: 10 });
 */
export function softImpute(obs: CompletionData, options: SoftImputeOptions = {}): SoftImputeResult {
  checkCompletion('softImpute', obs);
  const { rows: m, cols: n, values: x } = obs;
  const { i, j } = obs.omega;
  const N = x.length;
  const pathLength = options.pathLength ?? 10, maxIter = options.maxIter ?? 100, tol = options.tol ?? 1e-5;
  const maxRank = Math.min(options.maxRank ?? (obs.rank ? 2 * obs.rank : Infinity), m, n);
  for (const [name, v] of [['pathLength', pathLength], ['maxIter', maxIter], ['maxRank', maxRank]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `softImpute: params.${name} = ${v}; expected an integer >= 1`, `params.${name}`);
  }
  if (!(tol > 0)) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `softImpute: params.tol = ${tol}; expected a number > 0`, 'params.tol');
  if (options.lambda !== undefined && !(options.lambda > 0 && Number.isFinite(options.lambda))) {
    throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `softImpute: params.lambda = ${options.lambda}; expected a finite number > 0`, 'params.lambda');
  }
  const linalg = options.linalg ?? typescriptBackend;
  const rng = options.rng ?? createRng('baselines/soft-impute', 0);
  options.signal?.throwIfAborted();

  const pattern = patternOf(m, n, i, j);
  // At most 4 warm-started sweeps per partial SVD: far from convergence the triplets above λ sit in a flat bulk where more sweeps buy nothing.
  const svdOpts = { linalg, rng, increment: 5, maxRank, tol: 1e-7, maxIter: 4 };
  const lambdaMax = N === 0 ? 0 : svdAbove(sparsePlusLowRank(pattern, x, undefined, linalg), Infinity, { ...svdOpts, initial: 1, maxIter: 20 }).s[0];
  const p = N / (m * n);
  const lambda = options.lambda ?? (obs.noiseStd ? (Math.sqrt(m) + Math.sqrt(n)) * Math.sqrt(p) * obs.noiseStd : 1e-4 * lambdaMax);
  const zero = (): SoftImputeResult => ({ ...termToFactors(zeroTerm(), m, n), rank: 0, lambda, lambdaMax, iterations: 0, path: [] });
  if (!(lambdaMax > 0)) return zero();
  // λ_k = λ_max (λ/λ_max)^{k/K}, k = 1..K: λ_max itself has Z = 0 and is skipped.
  const lambdas = lambda >= lambdaMax ? [lambda] : Array.from({ length: pathLength }, (_, k) => lambdaMax * Math.pow(lambda / lambdaMax, (k + 1) / pathLength));

  const z = new Float64Array(N), resid = new Float64Array(N);
  let Z = zeroTerm();
  let Zfull: Matrix | undefined; // Z whole, when the pattern is dense
  let basis: Matrix | undefined;
  // f_λ(Z); leaves Z on Ω in z (and Z whole in Zfull) for the next step.
  const objective = (term: LowRankTerm, lam: number): number => {
    Zfull = termOnPattern(term, pattern, linalg, z);
    let ss = 0, nuc = 0;
    for (let t = 0; t < N; t++) ss += (x[t] - z[t]) ** 2;
    for (let a = 0; a < term.r; a++) nuc += term.d[a];
    return 0.5 * ss + lam * nuc;
  };
  const path: SoftImputeStep[] = [];
  let total = 0;
  for (const lam of lambdas) {
    let f = objective(Z, lam);
    let it = 0;
    while (it < maxIter) {
      options.signal?.throwIfAborted();
      it++;
      total++;
      // P_Ω(X) + P_Ω^⊥(Z) = P_Ω(X − Z) + Z: z holds Z on Ω (from the last objective).
      for (let t = 0; t < N; t++) resid[t] = x[t] - z[t];
      const res = svdAbove(sparsePlusLowRank(pattern, resid, Z, linalg, Zfull), lam, { ...svdOpts, initial: Z.r + 1, start: basis });
      Zfull = undefined; // taken over by the operator
      basis = res.basis;
      const next = shrunkTerm(res, res.count, lam);
      const moved = distanceSq(next, Z, m, n, linalg), before = sumSq(Z.d, Z.r);
      const change = before > 0 ? moved / before : moved > 0 ? Infinity : 0;
      Z = next;
      f = objective(Z, lam);
      options.onIteration?.({ iteration: total, lambda: lam, objective: f, rank: Z.r, change, products: res.products });
      if (change < tol) break;
    }
    path.push({ lambda: lam, iterations: it, objective: f, rank: Z.r });
  }
  return { ...termToFactors(Z, m, n), rank: Z.r, lambda: lambdas[lambdas.length - 1], lambdaMax, iterations: total, path };
}

/** The bench entry: {@link softImpute} with the context's randomness, signal, kernels and trace. */
export function solveSoftImpute(obs: MatrixCompletionObservation, params: SoftImputeParams, ctx: SolverContext): MatrixCompletionSolution {
  ctx.signal.throwIfAborted();
  const { U, V } = softImpute(obs, {
    ...params,
    rng: ctx.rng,
    signal: ctx.signal,
    linalg: ctx.linalg,
    // One point per iteration: each costs a partial SVD, so the trace is cheap in comparison.
    onIteration: (it) => ctx.report({ iteration: it.iteration, lambda: it.lambda, objective: it.objective, rank: it.rank, change: Number.isFinite(it.change) ? it.change : 1, products: it.products }),
  });
  return { U, V };
}

/** `baselines/soft-impute`: {@link softImpute} as a registered solver. */
export const softImputeSolver = defineSolver({
  id: 'baselines/soft-impute',
  family: matrixCompletion,
  title: 'SoftImpute',
  summary: 'Mazumder, Hastie & Tibshirani (2010), Alg. 1: iterated soft-thresholded SVD of the observed entries filled in with the current estimate, along a warm-started λ path.',
  params: SoftImputeParams,
  solve: solveSoftImpute,
});
