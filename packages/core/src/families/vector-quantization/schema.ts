import { Type, type Static } from '@sinclair/typebox';
import { TMatrix } from '../../schema/types.js';

const Target = Type.Union([Type.Literal('mse'), Type.Literal('inner-product')]);

/** Generator parameters; defaults are the `quick` size of FAMILIES.md (N=2000, d=128, b=2). */
export const VectorQuantizationParams = Type.Object(
  {
    N: Type.Integer({ minimum: 1, default: 2000, description: 'database vectors' }),
    d: Type.Integer({ minimum: 2, default: 128, description: 'dimension' }),
    bits: Type.Number({
      minimum: 1,
      maximum: 16,
      multipleOf: 0.5,
      default: 2,
      description: 'bit budget b per coordinate: an integer, or a half (2.5, 3.5) for the fractional budgets of two-group (outlier-channel) quantizers',
    }),
    target: Type.Union([Type.Literal('mse'), Type.Literal('inner-product')], {
      default: 'mse',
      description: 'what the quantizer should preserve; inner-product tasks show the queries to the solver',
    }),
    distribution: Type.Union([Type.Literal('sphere'), Type.Literal('kv')], {
      default: 'sphere',
      description: 'sphere: uniform unit vectors; kv: Gaussian with 4 outlier channels x10 and a lognormal norm (KV-cache-like)',
    }),
    nQueries: Type.Integer({ minimum: 1, default: 200, description: 'query vectors used by ip_err and ip_bias' }),
    online: Type.Boolean({ default: true, description: 'codes of a vector must not depend on the other vectors (data-oblivious quantizers only)' }),
  },
  { additionalProperties: false },
);
export type VectorQuantizationParams = Static<typeof VectorQuantizationParams>;

/** What the solver sees. */
export const VectorQuantizationObservation = Type.Object(
  {
    X: TMatrix({ description: 'vectors to encode, N x d (one per row)' }),
    bits: Type.Integer({ minimum: 1, description: 'bit budget b per coordinate: codeBits <= b·N·d (⌊b⌋ when the budget is fractional, see bitBudget)' }),
    bitBudget: Type.Optional(
      Type.Number({
        minimum: 1,
        multipleOf: 0.5,
        description: 'the exact budget per coordinate when it is not an integer (e.g. 2.5): codeBits <= bitBudget·N·d, and bits = ⌊bitBudget⌋ so a solver that ignores it stays within budget',
      }),
    ),
    target: Target,
    queries: Type.Optional(TMatrix({ description: 'query vectors, nq x d (inner-product tasks)' })),
    online: Type.Boolean({ description: 'when true, each code must depend on its own vector only (plus a seeded, data-oblivious setup)' }),
  },
  { additionalProperties: false },
);
export type VectorQuantizationObservation = Static<typeof VectorQuantizationObservation>;

/** What only the scorer sees. */
export const VectorQuantizationTruth = Type.Object(
  { queries: TMatrix({ description: 'query vectors, nq x d (the same as observation.queries when shown)' }) },
  { additionalProperties: false },
);
export type VectorQuantizationTruth = Static<typeof VectorQuantizationTruth>;

/** What a solver returns: the decoded vectors and the size of the codes. */
export const VectorQuantizationSolution = Type.Object(
  {
    Xhat: TMatrix({ description: 'decoded vectors, N x d' }),
    codeBits: Type.Integer({ minimum: 0, description: 'total bits of the codes, excluding one float norm per vector' }),
  },
  { additionalProperties: false },
);
export type VectorQuantizationSolution = Static<typeof VectorQuantizationSolution>;
