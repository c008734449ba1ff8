import {
  Type,
  defineSolver,
  sparseTransform,
  sparseTransformOracle,
  type ObservationOf,
  type Rng,
  type SolutionOf,
  type SolverContext,
  type Static,
} from '@parsimony/core';
import { peelWht, resolveDesign, type PeelingResult, type PeelingTrace, type SampleOracle, type SparseWhtProblem } from '../internal/peeling.js';

/** Parameters of {@link spright}; absent ones scale with the observation (n, K, σ). */
export const SprightParams = Type.Object(
  {
    groups: Type.Integer({ minimum: 1, maximum: 8, default: 3, description: 'C, subsampling groups (left degree of the sparse graph)' }),
    bits: Type.Optional(Type.Integer({ minimum: 1, maximum: 24, description: 'b: B = 2^b bins per group; default the smallest B above K (b = floor(log2 K) + 1), at most n' })),
    offsets: Type.Union([Type.Integer({ minimum: 1 }), Type.Literal('auto')], {
      default: 'auto',
      description: "P1, random base offsets r_p (each with its n − b + 1 delays r_p, r_p ⊕ e_i); 'auto': 5 when the SNR measured on the first offset's samples is ≥ 5 dB, else 9; 1 when σ = 0",
    }),
    gamma: Type.Number({ minimum: 0, default: 1, description: 'γ of the zero-ton and single-ton energy tests ‖·‖²/P ≤ (1 + γ) σ²/B' }),
    detector: Type.Union([Type.Literal('vote'), Type.Literal('mle')], {
      default: 'vote',
      description: "single-ton index: 'vote' (majority over the offsets of the sign of U_{r⊕e_i} U_r, per bit) or 'mle' (the best of the bin's 2^(n−b) candidates)",
    }),
    maxPeels: Type.Optional(Type.Integer({ minimum: 1, description: 'cap on peeled coefficients; default 10·K (at least C·B)' })),
  },
  { additionalProperties: false },
);
export type SprightParams = Static<typeof SprightParams>;

type Observation = ObservationOf<typeof sparseTransform>;
type Solution = SolutionOf<typeof sparseTransform>;

/** Options of the plain {@link spright} function (every design field of {@link SprightParams}, all optional). */
export interface SprightOptions extends Partial<SprightParams> {
  /** Draws the random offsets (default: a fixed seed, so results repeat). */
  rng?: Rng;
  /** Polled before each request and each peeling round. */
  signal?: AbortSignal;
  /** Receives the decoder's state after sampling and after each peeling round. */
  onIteration?: (point: PeelingTrace) => void;
}

/**
 * SPRIGHT, NSO variant (Li, Bradley, Pawar & Ramchandran, 2015): the K-sparse
 * Walsh-Hadamard spectrum of a noisy signal from O(K log N) samples. C = 3
 * groups alias the spectrum into B ≈ K to 2K bins each (u[ℓ] = x[Mᶜℓ ⊕ d],
 * U_d[j] = Σ_{Mᶜᵀk = j} X[k](−1)^⟨d,k⟩ + noise); the delays r_p ⊕ e_i of P1
 * random offsets locate a single-ton bin's frequency bit by bit (majority
 * vote), energy tests with threshold (1 + γ)σ²/B classify bins, and
 * single-tons are peeled from every group until none is left.
 *
 * @param query - the sample oracle: x[t] for the indices asked
 * @param problem - `n` (N = 2^n), the sparsity hint `K` and the noise level `noiseStd`
 * @param options - design (see {@link SprightParams}) and `rng`, `signal`, `onIteration`
 * @returns the coefficients found (ascending frequencies), the rounds and the design used
 * @example
 * const x = ...; // a signal of length 2^16
 * const { indices, values } = await spright((idx) => Float64Array.from(idx, (t) => x[t]), { n: 16, K: 32, noiseStd: 0.5 });
 */
export async function spright(query: SampleOracle, problem: SparseWhtProblem, options: SprightOptions = {}): Promise<PeelingResult> {
  const design = resolveDesign(problem, options, 'spright/spright');
  return peelWht(query, problem, { ...design, offsetKind: 'random', rng: options.rng, signal: options.signal, onIteration: options.onIteration });
}

/** The bench entry: samples through the session's oracle, offsets from ctx.rng, iterates to ctx.report. */
export async function solveSpright(observation: Observation, params: SprightParams, ctx: SolverContext): Promise<Solution> {
  ctx.signal.throwIfAborted();
  const oracle = sparseTransformOracle(ctx);
  const { indices, values } = await spright((idx) => oracle.query(idx), observation, {
    ...params,
    rng: ctx.rng,
    signal: ctx.signal,
    onIteration: (point) => ctx.report({ ...point }),
  });
  return { indices, values };
}

/** `spright/spright`: {@link spright} as a registered solver. */
export const sprightSolver = defineSolver({
  id: 'spright/spright',
  family: sparseTransform,
  title: 'SPRIGHT (NSO)',
  summary: 'Sparse-graph aliasing with random-offset delays, majority-vote single-ton detection, energy tests and peeling (Li, Bradley, Pawar & Ramchandran, 2015).',
  params: SprightParams,
  solve: solveSpright,
});
