import {
  createRng,
  defineSolver,
  matrixCompletion,
  ParsimonyError,
  Type,
  typescriptBackend,
  type LinalgBackend,
  type MatrixCompletionObservation,
  type MatrixCompletionSolution,
  type Matrix,
  type Rng,
  type SolverContext,
  type Static,
} from '@parsimony/core';
import { groupEntries, splitEntries, type OmegaPartition } from '../internal/entries.js';
import { spectralInit } from '../internal/init.js';
import { SketchedRegression } from '../internal/sketched-regression.js';

/** Parameters of {@link robustAltmin}; defaults live in the schema. */
export const RobustAltminParams = Type.Object(
  {
    k: Type.Optional(Type.Integer({ minimum: 1, description: "rank of the factors; default: the observation's rank" })),
    maxIter: Type.Integer({ minimum: 1, default: 30, description: 'T: alternating-minimization iterations (each a V-step and a U-step)' }),
    tol: Type.Number({ minimum: 0, default: 1e-8, description: 'stop when the relative training residual ‖P_Ω(UVᵀ − M)‖/‖P_Ω(M)‖ changes by less than tol in one iteration' }),
    innerIter: Type.Integer({ minimum: 1, default: 5, description: 'q_max: preconditioned CG iterations per small regression' }),
    innerTol: Type.Number({ minimum: 0, maximum: 1, default: 1e-3, description: 'ε_reg: stop a regression when one CG step lowers its residual by less than this fraction' }),
    sketchRows: Type.Optional(Type.Integer({ minimum: 1, description: 'CountSketch rows r of the preconditioner (>= k); default max(4k, k + 10)' })),
    warmStart: Type.Boolean({ default: true, description: 'start each regression from the previous iterate (else from 0)' }),
    mu: Type.Number({ exclusiveMinimum: 0, default: 2, description: 'incoherence estimate μ: the init zeroes rows of U₀ with norm > 2μ√(k/m)' }),
    clip: Type.Boolean({ default: true, description: 'clip the incoherent rows of the initial U₀ (JNS13)' }),
    sampleSplitting: Type.Boolean({ default: false, description: "split Ω into 2T + 1 disjoint random subsets, one for the init and one per half-step (the analysis' protocol)" }),
  },
  { additionalProperties: false },
);
export type RobustAltminParams = Static<typeof RobustAltminParams>;

/** One iteration of {@link robustAltmin}, as passed to `onIteration`. */
export interface AltminIterate {
  /** 1-based iteration number. */
  readonly iteration: number;
  /** ‖P_Ω(U Vᵀ − M)‖ / ‖P_Ω(M)‖ after the iteration. */
  readonly residual: number;
  /** Flops of the V-step (n regressions) and of the U-step (m regressions). */
  readonly flopsV: number;
  readonly flopsU: number;
  /** Mean CG iterations per regression in this iteration. */
  readonly cgIterations: number;
  /** The current factors (live buffers: copy them to keep them). */
  readonly U: Matrix;
  readonly V: Matrix;
}

/** Options of the plain {@link robustAltmin} function: the params, plus the run's context. */
export interface RobustAltminOptions extends Partial<RobustAltminParams> {
  /** Randomness for the init, the sketches and sample splitting (default: a fixed seed). */
  readonly rng?: Rng;
  /** Polled once per half-step. */
  readonly signal?: AbortSignal;
  /** Kernels (QR, Cholesky solves); default the TypeScript backend. */
  readonly linalg?: LinalgBackend;
  /** Called after the init (iteration 0) and after every iteration. */
  readonly onIteration?: (it: AltminIterate) => void;
}

/** What {@link robustAltmin} returns. */
export interface RobustAltminResult extends MatrixCompletionSolution {
  /** Iterations run. */
  readonly iterations: number;
  /** Final relative training residual. */
  readonly residual: number;
  /** Deterministic flop counts: the init, and each half-step (V, U, V, U, ...). */
  readonly flops: { readonly init: number; readonly halfSteps: readonly number[] };
}

/** Checks the options against the observation; returns the resolved k and r. */
function resolve(obs: MatrixCompletionObservation, o: RobustAltminOptions): { k: number; r: number } {
  const { rows: m, cols: n } = obs;
  const k = o.k ?? obs.rank;
  if (k > Math.min(m, n)) {
    throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `robust-altmin: params.k = ${k} exceeds min(rows, cols) = ${Math.min(m, n)}; use k <= ${Math.min(m, n)}`, 'params.k');
  }
  const r = o.sketchRows ?? Math.max(4 * k, k + 10);
  if (r < k) {
    throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `robust-altmin: params.sketchRows = ${r} is below k = ${k}; the sketch S A must have at least k rows`, 'params.sketchRows');
  }
  return { k, r };
}

/**
 * Robust alternating minimization for matrix completion (Gu, Song, Yin &
 * Zhang, ICLR 2024, arXiv 2302.11068): the alternating minimization of Jain,
 * Netrapalli & Sanghavi (2013) — spectral init with clipping, then V-steps
 * and U-steps that split into one small least-squares problem per column and
 * per row, U re-orthonormalized by QR — where each small problem
 * min_v ‖U_{Ω_j} v − M_{Ω_j, j}‖ is solved only approximately: a CountSketch
 * S of r rows gives R from QR(S U_{Ω_j}), and at most q_max CG steps on the
 * R-preconditioned normal equations start from the previous iterate. Each
 * half-step costs O(|Ω| k q + n r k²) flops instead of exact AM's
 * O(|Ω| k² + n k³).
 *
 * @param obs - the matrix-completion observation (Ω, the values, the rank)
 * @param options - the params (see {@link RobustAltminParams}) and `rng`, `signal`, `linalg`, `onIteration`
 * @returns U (m x k, orthonormal), V (n x k) with M̂ = U Vᵀ, the iterations, the final residual and the flop counts
 * @example
 * const { U, V, iterations } = robustAltmin(observation, { maxIter: 30, rng: createRng(1) });
 */
export function robustAltmin(obs: MatrixCompletionObservation, options: RobustAltminOptions = {}): RobustAltminResult {
  const { rows: m, cols: n, values } = obs;
  const { i: rowOf, j: colOf } = obs.omega;
  const { k, r } = resolve(obs, options);
  const T = options.maxIter ?? 30;
  const tol = options.tol ?? 1e-8;
  const rng = options.rng ?? createRng('robust-altmin', 0);
  const linalg = options.linalg ?? typescriptBackend;
  const signal = options.signal;
  signal?.throwIfAborted();

  // Ω for the init and for each half-step: all of it, or 2T + 1 disjoint random parts.
  const parts = options.sampleSplitting ? splitEntries(values.length, 2 * T + 1, (c) => rng.int(c)) : undefined;
  const partition = (subset?: Int32Array): OmegaPartition => ({ byCol: groupEntries(colOf, n, subset), byRow: groupEntries(rowOf, m, subset) });
  const whole = partition();
  const partOf = (h: number): OmegaPartition => (parts ? partition(parts[h]) : whole);

  const init = spectralInit({ rows: m, cols: n, colOf, values, byRow: partOf(0).byRow }, k, {
    mu: options.mu ?? 2,
    clip: options.clip ?? true,
    rng,
    linalg,
  });
  let U = init.U;
  const V = init.V;
  const maxRows = Math.max(whole.byCol.maxSize, whole.byRow.maxSize, 1);
  const reg = new SketchedRegression({
    k,
    sketchRows: r,
    maxRows,
    innerIter: options.innerIter ?? 5,
    innerTol: options.innerTol ?? 1e-3,
    warmStart: options.warmStart ?? true,
    rng,
    linalg,
  });

  let norm2 = 0;
  for (let t = 0; t < values.length; t++) norm2 += values[t] * values[t];
  const norm = Math.sqrt(norm2);
  const trainingResidual = (): number => {
    if (norm === 0) return 0;
    const u = U.data, v = V.data;
    let ss = 0;
    for (let t = 0; t < values.length; t++) {
      const ou = rowOf[t] * k, ov = colOf[t] * k;
      let d = -values[t];
      for (let c = 0; c < k; c++) d += u[ou + c] * v[ov + c];
      ss += d * d;
    }
    return Math.sqrt(ss) / norm;
  };

  const halfSteps: number[] = [];
  let residual = trainingResidual();
  options.onIteration?.({ iteration: 0, residual, flopsV: 0, flopsU: 0, cgIterations: 0, U, V });
  let iterations = 0;
  for (let t = 0; t < T; t++) {
    signal?.throwIfAborted();
    const cg0 = reg.cgIterations, solves0 = reg.solves;
    // V-step: for each column j, v_j ≈ argmin_v ‖U_{Ω_j} v − M_{Ω_j, j}‖.
    const pv = partOf(2 * t + 1).byCol;
    for (let j = 0; j < n; j++) reg.solve(U.data, pv.ids, pv.ptr[j], pv.ptr[j + 1], rowOf, values, V.data.subarray(j * k, (j + 1) * k));
    const flopsV = reg.takeFlops();
    signal?.throwIfAborted();
    // U-step: the same with the roles swapped, for each row i.
    const pu = partOf(2 * t + 2).byRow;
    for (let i = 0; i < m; i++) reg.solve(V.data, pu.ids, pu.ptr[i], pu.ptr[i + 1], colOf, values, U.data.subarray(i * k, (i + 1) * k));
    const flopsU = reg.takeFlops();
    halfSteps.push(flopsV, flopsU);
    // Keep U orthonormal (JNS13): U = Q R, V := V Rᵀ leaves U Vᵀ unchanged.
    const { Q, R } = linalg.qr(U);
    U = Q;
    V.data.set(linalg.matmul(V, R, { transB: true }).data);
    iterations = t + 1;
    const previous = residual;
    residual = trainingResidual();
    const solves = reg.solves - solves0;
    options.onIteration?.({ iteration: iterations, residual, flopsV, flopsU, cgIterations: solves > 0 ? (reg.cgIterations - cg0) / solves : 0, U, V });
    if (Math.abs(previous - residual) < tol) break;
  }
  return { U, V, iterations, residual, flops: { init: init.flops, halfSteps } };
}

/** The bench entry: {@link robustAltmin} with the context's randomness, signal, kernels and trace. */
export function solveRobustAltmin(obs: MatrixCompletionObservation, params: RobustAltminParams, ctx: SolverContext): MatrixCompletionSolution {
  ctx.signal.throwIfAborted();
  const { U, V } = robustAltmin(obs, {
    ...params,
    rng: ctx.rng,
    signal: ctx.signal,
    linalg: ctx.linalg,
    onIteration: (it) =>
      ctx.report({
        iteration: it.iteration,
        residual: it.residual,
        flops_v: it.flopsV,
        flops_u: it.flopsU,
        flops_half_step: (it.flopsV + it.flopsU) / 2,
        cg_iterations: it.cgIterations,
      }),
  });
  return { U, V };
}

export const robustAltminSolver = defineSolver({
  id: 'robust-altmin/robust-altmin',
  family: matrixCompletion,
  title: 'Robust alternating minimization',
  summary: 'JNS13 alternating minimization whose per-column regressions are solved approximately: CountSketch-QR preconditioner + warm-started CG (Gu, Song, Yin & Zhang 2023).',
  params: RobustAltminParams,
  solve: solveRobustAltmin,
});
