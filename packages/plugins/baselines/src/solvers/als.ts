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
import { groupBy, jnsInit, type Groups } from '../internal/completion.js';

/** Parameters of {@link als}. */
export const AlsParams = Type.Object(
  {
    k: Type.Optional(Type.Integer({ minimum: 1, description: "rank of the factors; default: the observation's rank" })),
    maxIter: Type.Integer({ minimum: 1, default: 30, description: 'iterations (each a V-step and a U-step)' }),
    tol: Type.Number({ minimum: 0, default: 1e-8, description: 'stop when the relative training residual ‖P_Ω(UVᵀ − M)‖/‖P_Ω(M)‖ changes by less than tol in one iteration' }),
    lambda: Type.Number({ minimum: 0, default: 0, description: 'ridge weight λ of each least-squares problem (0: exact alternating minimization)' }),
    init: Type.Union([Type.Literal('spectral'), Type.Literal('random')], { default: 'spectral', description: "'spectral': JNS13 (top-k singular vectors of (1/p) P_Ω(M), clipped); 'random': orthonormalized Gaussian U₀" }),
    mu: Type.Number({ exclusiveMinimum: 0, default: 2, description: 'incoherence estimate μ: the spectral init zeroes rows of U₀ with norm > 2μ√(k/m)' }),
    clip: Type.Boolean({ default: true, description: 'clip the incoherent rows of the spectral U₀' }),
  },
  { additionalProperties: false },
);
export type AlsParams = Static<typeof AlsParams>;

/** Options of the plain {@link als} function. */
export interface AlsOptions extends Partial<AlsParams> {
  /** Randomness of the init (default: a fixed seed). */
  rng?: Rng;
  /** Polled once per half-step. */
  signal?: AbortSignal;
  /** Kernels (Gram, Cholesky, QR); default the TypeScript backend. */
  linalg?: LinalgBackend;
  /** Called after the init (iteration 0) and after each iteration; U and V are live buffers. */
  onIteration?: (it: { iteration: number; residual: number; flopsV: number; flopsU: number; U: Matrix; V: Matrix }) => void;
}

/** What {@link als} returns. */
export interface AlsResult extends MatrixCompletionSolution {
  readonly iterations: number;
  /** Final ‖P_Ω(UVᵀ − M)‖ / ‖P_Ω(M)‖. */
  readonly residual: number;
  /** Flops of the init and of each half-step (V, U, V, U, ...), from the standard operation counts. */
  readonly flops: { readonly init: number; readonly halfSteps: readonly number[] };
}

/**
 * Solves min_x ‖A x − b‖² + λ‖x‖² for every group g, where the rows of A are
 * F's rows other[e] and b the values of the entries e of the group, by the
 * normal equations (core's gram + Cholesky), writing x into row g of X.
 * Returns the flops: s k(k+1) (Gram) + 2sk (Aᵀb) + k³/3 (Cholesky) + 2k² per group.
 */
function exactHalfStep(F: Float64Array, k: number, groups: Groups, other: Int32Array, values: Float64Array, lambda: number, X: Float64Array, linalg: LinalgBackend, a: Float64Array): number {
  const { ptr, ids } = groups;
  const rhs = new Float64Array(k);
  let flops = 0;
  for (let g = 0; g + 1 < ptr.length; g++) {
    const s = ptr[g + 1] - ptr[g];
    if (s === 0) {
      X.fill(0, g * k, g * k + k);
      continue;
    }
    rhs.fill(0);
    for (let t = 0; t < s; t++) {
      const e = ids[ptr[g] + t], of = other[e] * k, ot = t * k, b = values[e];
      for (let c = 0; c < k; c++) {
        a[ot + c] = F[of + c];
        rhs[c] += b * F[of + c];
      }
    }
    const G = linalg.gram({ rows: s, cols: k, data: a.subarray(0, s * k) });
    let trace = 0;
    for (let c = 0; c < k; c++) {
      G.data[c * k + c] += lambda;
      trace += G.data[c * k + c];
    }
    flops += s * k * (k + 1) + 2 * s * k + k + k ** 3 / 3 + 2 * k * k;
    let L: Matrix;
    try {
      L = linalg.cholesky(G);
    } catch (e) {
      if (!(e instanceof ParsimonyError)) throw e;
      // Fewer than k independent rows: a tiny ridge picks the (near) least-norm solution.
      const jitter = 1e-10 * Math.max(trace / k, 1e-300);
      for (let c = 0; c < k; c++) G.data[c * k + c] += jitter;
      L = linalg.cholesky(G);
      flops += k ** 3 / 3;
    }
    X.set(linalg.choleskySolve(L, rhs), g * k);
  }
  return flops;
}

/**
 * Alternating least squares for matrix completion, in the form analysed by
 * Jain, Netrapalli & Sanghavi (STOC 2013): U₀ from the top-k singular
 * vectors of (1/p) P_Ω(M) with incoherent rows clipped; then alternately
 * V ← argmin_V ‖P_Ω(U Vᵀ − M)‖_F (one k x k normal-equations solve per
 * column) and U ← argmin_U ‖P_Ω(U Vᵀ − M)‖_F (one per row), U
 * re-orthonormalized by QR (V scaled to match). Each half-step costs
 * O(|Ω| k² + n k³) flops. With `lambda` > 0 each solve is a ridge regression.
 *
 * @param obs - the matrix-completion observation (Ω, values, rank)
 * @param options - the params (see {@link AlsParams}) and `rng`, `signal`, `linalg`, `onIteration`
 * @returns U (m x k, orthonormal), V (n x k), the iterations, final residual and flop counts
 * @example
 * const { U, V } = als(observation, { maxIter: 30 });
 */
export function als(obs: MatrixCompletionObservation, options: AlsOptions = {}): AlsResult {
  const { rows: m, cols: n, values } = obs;
  const { i: rowOf, j: colOf } = obs.omega;
  const k = options.k ?? obs.rank;
  if (k > Math.min(m, n)) {
    throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `als: params.k = ${k} exceeds min(rows, cols) = ${Math.min(m, n)}; use k <= ${Math.min(m, n)}`, 'params.k');
  }
  const maxIter = options.maxIter ?? 30, tol = options.tol ?? 1e-8, lambda = options.lambda ?? 0;
  const linalg = options.linalg ?? typescriptBackend;
  const rng = options.rng ?? createRng('baselines/als', 0);
  options.signal?.throwIfAborted();

  const byRow = groupBy(rowOf, m), byCol = groupBy(colOf, n);
  let U: Matrix, initFlops: number;
  if ((options.init ?? 'spectral') === 'spectral') {
    ({ U, flops: initFlops } = jnsInit(m, n, byRow, colOf, values, k, { mu: options.mu ?? 2, clip: options.clip ?? true, rng, linalg }));
  } else {
    U = linalg.qr({ rows: m, cols: k, data: rng.fillNormal(new Float64Array(m * k)) }).Q;
    initFlops = 2 * m * k * k;
  }
  const V: Matrix = { rows: n, cols: k, data: new Float64Array(n * k) };
  const a = new Float64Array(Math.max(byRow.largest, byCol.largest, 1) * k);

  let norm2 = 0;
  for (let t = 0; t < values.length; t++) norm2 += values[t] ** 2;
  const residualOf = (): number => {
    if (norm2 === 0) return 0;
    let ss = 0;
    for (let t = 0; t < values.length; t++) {
      const ou = rowOf[t] * k, ov = colOf[t] * k;
      let d = -values[t];
      for (let c = 0; c < k; c++) d += U.data[ou + c] * V.data[ov + c];
      ss += d * d;
    }
    return Math.sqrt(ss / norm2);
  };

  const halfSteps: number[] = [];
  let residual = residualOf();
  options.onIteration?.({ iteration: 0, residual, flopsV: 0, flopsU: 0, U, V });
  let iterations = 0;
  while (iterations < maxIter) {
    options.signal?.throwIfAborted();
    const flopsV = exactHalfStep(U.data, k, byCol, rowOf, values, lambda, V.data, linalg, a);
    options.signal?.throwIfAborted();
    const flopsU = exactHalfStep(V.data, k, byRow, colOf, values, lambda, U.data, linalg, a);
    halfSteps.push(flopsV, flopsU);
    const { Q, R } = linalg.qr(U);
    U = Q;
    V.data.set(linalg.matmul(V, R, { transB: true }).data);
    iterations++;
    const previous = residual;
    residual = residualOf();
    options.onIteration?.({ iteration: iterations, residual, flopsV, flopsU, U, V });
    if (Math.abs(previous - residual) < tol) break;
  }
  return { U, V, iterations, residual, flops: { init: initFlops, halfSteps } };
}

/** The bench entry: {@link als} with the context's randomness, signal, kernels and trace. */
export function solveAls(obs: MatrixCompletionObservation, params: AlsParams, ctx: SolverContext): MatrixCompletionSolution {
  ctx.signal.throwIfAborted();
  const { U, V } = als(obs, {
    ...params,
    rng: ctx.rng,
    signal: ctx.signal,
    linalg: ctx.linalg,
    onIteration: (it) => ctx.report({ iteration: it.iteration, residual: it.residual, flops_v: it.flopsV, flops_u: it.flopsU, flops_half_step: (it.flopsV + it.flopsU) / 2 }),
  });
  return { U, V };
}

export const alsSolver = defineSolver({
  id: 'baselines/als',
  family: matrixCompletion,
  title: 'Alternating least squares (exact AM)',
  summary: 'Alternating minimization of Jain, Netrapalli & Sanghavi (2013): spectral init with clipping, then exact per-row and per-column least squares (normal equations + Cholesky).',
  params: AlsParams,
  solve: solveAls,
});
