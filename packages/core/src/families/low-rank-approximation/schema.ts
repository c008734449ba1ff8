import { Type, type Static } from '@sinclair/typebox';
import { TMatrix, TVector } from '../../schema/types.js';

/** Generator parameters; defaults are the `quick` size of FAMILIES.md (300 x 200, r = 10). */
export const LowRankApproximationParams = Type.Object(
  {
    variant: Type.Union([Type.Literal('single'), Type.Literal('set')], {
      default: 'single',
      description: 'single: one matrix M; set: blocks M_i (m x blockCols) from overlapping low-dimensional subspaces (paper 08)',
    }),
    m: Type.Integer({ minimum: 1, default: 300, description: 'rows (of M, or of every block)' }),
    n: Type.Integer({ minimum: 1, default: 200, description: 'single: columns of M' }),
    rank: Type.Integer({ minimum: 1, default: 10, description: 'target rank r' }),
    decay: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.8, description: 'single: singular values σ_i = decay^i' }),
    noise: Type.Number({ minimum: 0, default: 0.01, description: 'single: M += noise·σ_0·G/√max(m, n), G i.i.d. N(0, 1)' }),
    weights: Type.Union([Type.Literal('none'), Type.Literal('elementwise'), Type.Literal('rows')], {
      default: 'none',
      description: 'single: importance weights W, i.i.d. e^{N(0,1)} per entry, or per row (the error is ||W∘(M - M̂)||_F)',
    }),
    errorBound: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'error-constrained variant: every group of matrices sharing a left factor must reach ||M - M̂||_F / ||M||_F <= errorBound' })),
    errorBoundMode: Type.Union([Type.Literal('hard'), Type.Literal('soft')], {
      default: 'hard',
      description: "with errorBound: 'hard' makes a group above the bound invalid; 'soft' scores it and counts it in violation_rate (paper 08 reports violations)",
    }),
    blocks: Type.Integer({ minimum: 1, default: 60, description: 'set: number of blocks' }),
    blockCols: Type.Integer({ minimum: 1, default: 8, description: 'set: columns per block' }),
    groups: Type.Integer({ minimum: 1, default: 6, description: 'set: latent groups (subspaces)' }),
    groupDim: Type.Integer({ minimum: 1, default: 4, description: 'set: dimension of each group subspace (neighbouring groups share one direction)' }),
  },
  { additionalProperties: false },
);
export type LowRankApproximationParams = Static<typeof LowRankApproximationParams>;

/** What the solver sees. */
export const LowRankApproximationObservation = Type.Object(
  {
    M: Type.Optional(TMatrix({ description: 'single: the matrix, m x n' })),
    Ms: Type.Optional(Type.Array(TMatrix(), { minItems: 1, description: 'set: the matrices (same row count)' })),
    rank: Type.Integer({ minimum: 1, description: 'r: every factor has at most r columns' }),
    weights: Type.Optional(TMatrix({ description: 'single: entrywise weights W >= 0, m x n' })),
    rowWeights: Type.Optional(TVector({ description: 'single: row weights w >= 0 (W_ij = w_i), m' })),
    errorBound: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'hard constraint on the relative error of every group sharing a left factor' })),
    errorBoundMode: Type.Optional(Type.Literal('soft', { description: "present only when the bound is soft: a group above errorBound is scored (violation_rate) instead of invalid" })),
  },
  { additionalProperties: false },
);
export type LowRankApproximationObservation = Static<typeof LowRankApproximationObservation>;

/** What only the scorer sees: the optimum's error (core's truncated SVD), and the set's latent groups. */
export const LowRankApproximationTruth = Type.Object(
  {
    svdError: Type.Number({ minimum: 0, description: 'single: ||W∘(M - M_r)||_F with M_r the rank-r truncated SVD of M' }),
    groups: Type.Optional(Type.Array(Type.Integer({ minimum: 0 }), { description: 'set: the latent group of every block' })),
  },
  { additionalProperties: false },
);
export type LowRankApproximationTruth = Static<typeof LowRankApproximationTruth>;

/** A factor pair: M̂ = U Vᵀ. */
export const LowRankFactors = Type.Object(
  {
    U: TMatrix({ description: 'm x k, k <= r' }),
    V: TMatrix({ description: 'n x k' }),
  },
  { additionalProperties: false },
);
export type LowRankFactors = Static<typeof LowRankFactors>;

/** What a solver returns: U, V (single) or one pair per matrix (set); a left factor may be shared. */
export const LowRankApproximationSolution = Type.Object(
  {
    U: Type.Optional(TMatrix({ description: 'single: m x k, k <= r' })),
    V: Type.Optional(TMatrix({ description: 'single: n x k' })),
    factors: Type.Optional(Type.Array(LowRankFactors, { description: 'set: one pair per matrix, in order; byte-identical U are stored (and counted) once' })),
  },
  { additionalProperties: false },
);
export type LowRankApproximationSolution = Static<typeof LowRankApproximationSolution>;
