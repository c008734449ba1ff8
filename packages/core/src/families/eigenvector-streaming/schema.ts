import { Type, type Static } from '@sinclair/typebox';
import { TIntVector, TMatrix, TVector } from '../../schema/types.js';

/**
 * Generator parameters; defaults are the `quick` size of FAMILIES.md
 * (T = 5000 rows, n = 100, gap 0.2). FAMILIES.md's `n` is the dimension and
 * `T` the stream length (paper 35 writes d and n for them).
 */
export const EigenvectorStreamingParams = Type.Object(
  {
    T: Type.Integer({ minimum: 1, default: 5000, description: 'rows in the stream (known in advance, as paper 35 assumes)' }),
    n: Type.Integer({ minimum: 2, default: 100, description: 'dimension of each row' }),
    model: Type.Union([Type.Literal('spiked'), Type.Literal('heavy-top'), Type.Literal('light-top')], {
      default: 'spiked',
      description:
        'spiked: Gaussian rows with covariance spectrum 1, (1-gap), (1-gap)·decay, ...; heavy-top: paper 35, a few heavy rows carry the top direction u while light rows are spiked along w ⟂ u; light-top: the same rows with the heavy energy lowered so the light direction w is on top',
    }),
    gap: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.2, description: 'spiked: population gap 1 - λ₂/λ₁' }),
    decay: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.9, description: 'spiked: λⱼ = (1 - gap)·decay^(j-2) for j ≥ 2' }),
    heavyRows: Type.Integer({ minimum: 1, default: 16, description: 'heavy-top / light-top: number h of heavy rows' }),
    ratio: Type.Number({ exclusiveMinimum: 0, default: 2, description: 'heavy-top / light-top: R, the planted ratio σ₁²/σ₂² (paper 35: 1.5, 2, 4)' }),
    lightSpike: Type.Number({ minimum: 1, default: 16, description: 'heavy-top / light-top: R_L, light rows are N(0, I + (R_L - 1) w wᵀ)' }),
    maxBatch: Type.Integer({ minimum: 1, default: 1000, description: 'the most rows one next(batch) request may ask for' }),
  },
  { additionalProperties: false },
);
export type EigenvectorStreamingParams = Static<typeof EigenvectorStreamingParams>;

/** What the solver sees: sizes only. The rows come through the session (`rowStream(ctx, ...)`). */
export const EigenvectorStreamingObservation = Type.Object(
  {
    n: Type.Integer({ minimum: 1, description: 'dimension of each row (length of the answer v)' }),
    T: Type.Integer({ minimum: 1, description: 'rows in the stream' }),
    maxBatch: Type.Integer({ minimum: 1, description: 'the most rows one next(batch) request may ask for' }),
  },
  { additionalProperties: false },
);
export type EigenvectorStreamingObservation = Static<typeof EigenvectorStreamingObservation>;

/** What only the scorer and the session see. */
export const EigenvectorStreamingTruth = Type.Object(
  {
    A: TMatrix({ description: 'the stream, T x n, rows in delivery order (already shuffled by the generator)' }),
    v1: TVector({ description: 'unit top eigenvector of AᵀA = Σ a_t a_tᵀ (sign: largest |entry| positive)' }),
    lambda: TVector({ description: 'the two largest eigenvalues λ₁ ≥ λ₂ of AᵀA' }),
    gap: Type.Number({ description: 'empirical gap 1 - λ₂/λ₁ of AᵀA' }),
    heavy: TIntVector({ description: 'stream positions of the heavy rows, ascending (empty for spiked)' }),
  },
  { additionalProperties: false },
);
export type EigenvectorStreamingTruth = Static<typeof EigenvectorStreamingTruth>;

/**
 * What a solver returns: v, and optionally the stream positions of the rows
 * it classified as heavy and kept (paper 35's heavy-row detector; scored by
 * `heavy_errors`).
 */
export const EigenvectorStreamingSolution = Type.Object(
  {
    v: TVector({ description: 'estimate of the top eigenvector, n entries, unit norm' }),
    heavy: Type.Optional(
      TIntVector({ description: 'stream positions (0-based, strictly ascending, < T) of the rows the solver classified as heavy; omitted: none' }),
    ),
  },
  { additionalProperties: false },
);
export type EigenvectorStreamingSolution = Static<typeof EigenvectorStreamingSolution>;
