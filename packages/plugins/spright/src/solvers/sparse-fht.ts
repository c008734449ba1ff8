import {
  Type,
  defineSolver,
  sparseTransform,
  sparseTransformOracle,
  type ObservationOf,
  type SolutionOf,
  type SolverContext,
  type Static,
} from '@parsimony/core';
import { peelWht, resolveDesign, type PeelingResult, type PeelingTrace, type SampleOracle, type SparseWhtProblem } from '../internal/peeling.js';

/** Parameters of {@link sparseFht}; absent ones scale with the observation. */
export const SparseFhtParams = Type.Object(
  {
    groups: Type.Integer({ minimum: 1, maximum: 8, default: 3, description: 'C, subsampling groups' }),
    bits: Type.Optional(Type.Integer({ minimum: 1, maximum: 24, description: 'b: B = 2^b bins per group; default floor(log2 K) + 1, at most n' })),
    gamma: Type.Number({ minimum: 0, default: 1e-6, description: 'γ of the energy tests (1 + γ) σ²/B: tiny, the noiseless design (SPRIGHT uses 1)' }),
    maxPeels: Type.Optional(Type.Integer({ minimum: 1, description: 'cap on peeled coefficients; default 10·K (at least C·B)' })),
  },
  { additionalProperties: false },
);
export type SparseFhtParams = Static<typeof SparseFhtParams>;

type Observation = ObservationOf<typeof sparseTransform>;
type Solution = SolutionOf<typeof sparseTransform>;

/** Options of the plain {@link sparseFht} function. */
export interface SparseFhtOptions extends Partial<SparseFhtParams> {
  /** Polled before each request and each peeling round. */
  signal?: AbortSignal;
  /** Receives the decoder's state after sampling and after each peeling round. */
  onIteration?: (point: PeelingTrace) => void;
}

/**
 * SparseFHT (Scheibler, Haghighatshoar & Vetterli, 2015), SPRIGHT's
 * noiseless predecessor, as the paper's "noiseless mode": the same
 * aliasing and peeling with the fixed delays D = [0; I] (one zero offset,
 * P = n + 1), bit i of a single-ton read from the sign of U_{e_i}/U_0, and
 * tests that accept a bin only at the noise floor (γ → 0). Exact and
 * sample-efficient without noise; under noise most single-tons fail the
 * test and the peeling stalls.
 *
 * @param query - the sample oracle
 * @param problem - `n`, the sparsity hint `K`, `noiseStd`
 * @param options - `groups`, `bits`, `gamma`, `maxPeels`, `signal`, `onIteration`
 * @returns the coefficients found and the design
 * @example
 * const { indices, values } = await sparseFht((idx) => Float64Array.from(idx, (t) => x[t]), { n: 16, K: 32, noiseStd: 0 });
 */
export async function sparseFht(query: SampleOracle, problem: SparseWhtProblem, options: SparseFhtOptions = {}): Promise<PeelingResult> {
  const design = resolveDesign(problem, { ...options, offsets: 1, detector: 'vote', gamma: options.gamma ?? 1e-6 }, 'spright/sparse-fht');
  return peelWht(query, problem, { ...design, offsetKind: 'zero', signal: options.signal, onIteration: options.onIteration });
}

/** The bench entry: samples through the session's oracle, iterates to ctx.report (deterministic: no randomness). */
export async function solveSparseFht(observation: Observation, params: SparseFhtParams, ctx: SolverContext): Promise<Solution> {
  ctx.signal.throwIfAborted();
  const oracle = sparseTransformOracle(ctx);
  const { indices, values } = await sparseFht((idx) => oracle.query(idx), observation, {
    ...params,
    signal: ctx.signal,
    onIteration: (point) => ctx.report({ ...point }),
  });
  return { indices, values };
}

/** `spright/sparse-fht`: {@link sparseFht} as a registered solver. */
export const sparseFhtSolver = defineSolver({
  id: 'spright/sparse-fht',
  family: sparseTransform,
  title: 'SparseFHT (noiseless design)',
  summary: "SPRIGHT's noiseless predecessor: delays [0; I], sign-ratio single-ton detection, noise-floor tests, peeling (Scheibler, Haghighatshoar & Vetterli, 2015).",
  params: SparseFhtParams,
  solve: solveSparseFht,
});
