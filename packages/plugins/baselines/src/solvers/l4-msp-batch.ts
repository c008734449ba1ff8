import {
  Matrix,
  ParsimonyError,
  Type,
  defineSolver,
  dictionaryLearning,
  gemmStrided,
  haarOrthogonal,
  svd,
  type DictionaryLearningObservation,
  type DictionaryLearningSolution,
  type Rng,
  type SolverContext,
  type Static,
} from '@parsimony/core';

/** Parameters of {@link l4MspBatch}; defaults live in the schema. */
export const L4MspBatchParams = Type.Object(
  {
    maxIter: Type.Integer({ minimum: 1, default: 50, description: 'matching-stretching-projection iterations' }),
    tol: Type.Number({ minimum: 0, default: 1e-10, description: 'stop when ||D_t - D_{t-1}||_F < tol' }),
  },
  { additionalProperties: false },
);
export type L4MspBatchParams = Static<typeof L4MspBatchParams>;

/** Options of the plain {@link l4MspBatch} function. */
export interface L4MspBatchOptions {
  /** Iterations (default 50). */
  readonly maxIter?: number;
  /** Stop when ||D_t - D_{t-1}||_F < tol (default 1e-10). */
  readonly tol?: number;
  /** Starting point (n x n); default a Haar-random orthogonal matrix from `rng`. */
  readonly D0?: Matrix;
  /** Draws D_0 when it is not given. */
  readonly rng?: Rng;
  /** Polled once per iteration. */
  readonly signal?: AbortSignal;
  /** Receives (iteration, ¼ mean ||Dᵀy||₄⁴ before the step, ||ΔD||_F). */
  readonly onIteration?: (iteration: number, objective: number, step: number) => void;
}

/**
 * Batch ℓ4-maximisation orthogonal dictionary learning by
 * matching-stretching-projection (Zhai, Yang, Liao, Wright & Ma, "Complete
 * dictionary learning via ℓ4-norm maximization over the orthogonal group",
 * 2020): with all N samples stored,
 *
 *   D ← polar(Y ((DᵀY)^{∘3})ᵀ),
 *
 * the polar factor U Vᵀ of the gradient of ¼||DᵀY||₄⁴ (a fixed-point
 * iteration that increases the objective monotonically).
 *
 * @param Y - n x N samples, one per column
 * @returns the orthogonal n x n dictionary
 * @example
 * const D = l4MspBatch(Y, { rng: createRng(1) });
 */
export function l4MspBatch(Y: Matrix, options: L4MspBatchOptions = {}): Matrix {
  const n = Y.rows, N = Y.cols;
  let D0 = options.D0;
  if (D0 === undefined) {
    if (!options.rng) throw new ParsimonyError('PARSIMONY_BAD_INPUT', 'l4MspBatch: give options.D0 or options.rng (to draw a random orthogonal D_0)', 'options.rng');
    D0 = haarOrthogonal(n, options.rng);
  }
  if (D0.rows !== n || D0.cols !== n) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `l4MspBatch: options.D0 is ${D0.rows}x${D0.cols}, expected ${n}x${n}`, 'options.D0');
  const maxIter = options.maxIter ?? 50, tol = options.tol ?? 1e-10;
  const D = Float64Array.from(D0.data);
  const Z = new Float64Array(n * N);
  const G = new Float64Array(n * n);
  const S = new Float64Array(n * n);
  for (let it = 1; it <= maxIter; it++) {
    options.signal?.throwIfAborted();
    // Matching Z = DᵀY, stretching Z^{∘3}, gradient G = Y Z^{∘3 ᵀ}.
    gemmStrided(true, false, n, N, n, 1, D, 0, n, Y.data, 0, N, 0, Z, 0, N);
    let obj = 0;
    for (let i = 0; i < n * N; i++) {
      const z = Z[i], z2 = z * z;
      obj += z2 * z2;
      Z[i] = z2 * z;
    }
    gemmStrided(false, true, n, n, N, 1 / Math.max(N, 1), Y.data, 0, N, Z, 0, N, 0, G, 0, n);
    // Projection onto O(n): the polar factor.
    const { U, V } = svd(Matrix.from(n, n, G));
    gemmStrided(false, true, n, n, n, 1, U.data, 0, n, V.data, 0, n, 0, S, 0, n);
    let step = 0;
    for (let i = 0; i < n * n; i++) {
      step += (S[i] - D[i]) ** 2;
      D[i] = S[i];
    }
    step = Math.sqrt(step);
    options.onIteration?.(it, obj / (4 * Math.max(N, 1)), step);
    if (step < tol) break;
  }
  return Matrix.from(n, n, D);
}

/** The bench entry: an orthogonal task's Y, D_0 from ctx.rng. */
export function solveL4MspBatch(obs: DictionaryLearningObservation, params: L4MspBatchParams, ctx: SolverContext): DictionaryLearningSolution {
  ctx.signal.throwIfAborted();
  const n = obs.Y.rows;
  if (obs.atoms !== n) {
    throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `baselines/l4-msp-batch: observation.atoms = ${obs.atoms} must equal n = ${n} (it learns a square orthogonal dictionary)`, 'observation.atoms');
  }
  const D = l4MspBatch(obs.Y, {
    maxIter: params.maxIter,
    tol: params.tol,
    rng: ctx.rng,
    signal: ctx.signal,
    onIteration: (iteration, objective, step) => ctx.report({ iteration, objective, step }),
  });
  return { D };
}

/** `baselines/l4-msp-batch`: {@link l4MspBatch} as a registered solver. */
export const l4MspBatchSolver = defineSolver({
  id: 'baselines/l4-msp-batch',
  family: dictionaryLearning,
  title: 'ℓ4 MSP (batch orthogonal DL)',
  summary: 'Batch ℓ4-maximisation over the orthogonal group: D ← polar(Y (DᵀY)^∘3ᵀ) on all stored samples.',
  params: L4MspBatchParams,
  solve: solveL4MspBatch,
  skip: (obs) => (obs.atoms !== obs.Y.rows ? `learns a square orthogonal dictionary; this task asks for ${obs.atoms} atoms in dimension ${obs.Y.rows}` : undefined),
});
