import { Type, type Static } from '@sinclair/typebox';
import { TIntVector, TMatrix, TVector } from '../../schema/types.js';

/** Generator parameters; defaults are the `quick` size of FAMILIES.md (300 x 300, r = 5). */
export const MatrixCompletionParams = Type.Object(
  {
    m: Type.Integer({ minimum: 1, default: 300, description: 'rows of M' }),
    n: Type.Integer({ minimum: 1, default: 300, description: 'columns of M' }),
    rank: Type.Integer({ minimum: 1, default: 5, description: 'rank r of M = U Vᵀ' }),
    samples: Type.Optional(Type.Integer({ minimum: 1, description: 'observed entries |Ω|; default min(round(4 r (m + n) ln n), m n - nTest)' })),
    nTest: Type.Integer({ minimum: 1, default: 2000, description: 'held-out entries (disjoint from Ω) scored by rmse_test' }),
    snrDb: Type.Union([Type.Number(), Type.Literal('inf')], { default: 'inf', description: 'SNR of the observed values in dB, or "inf" for noiseless' }),
  },
  { additionalProperties: false },
);
export type MatrixCompletionParams = Static<typeof MatrixCompletionParams>;

/** A set of matrix positions (i_t, j_t), as two index vectors of equal length. */
export const MatrixCompletionEntries = Type.Object(
  {
    i: TIntVector({ description: 'row indices' }),
    j: TIntVector({ description: 'column indices' }),
  },
  { additionalProperties: false },
);
export type MatrixCompletionEntries = Static<typeof MatrixCompletionEntries>;

/** What the solver sees. */
export const MatrixCompletionObservation = Type.Object(
  {
    rows: Type.Integer({ minimum: 1, description: 'm' }),
    cols: Type.Integer({ minimum: 1, description: 'n' }),
    omega: MatrixCompletionEntries,
    values: TVector({ description: 'M_ij (+ noise) at the positions of omega, in the same order' }),
    rank: Type.Integer({ minimum: 1, description: 'the rank r of M' }),
    noiseStd: Type.Optional(Type.Number({ minimum: 0, description: 'std of the noise on the observed values' })),
  },
  { additionalProperties: false },
);
export type MatrixCompletionObservation = Static<typeof MatrixCompletionObservation>;

/** What only the scorer sees: M through its factors, and the held-out positions. */
export const MatrixCompletionTruth = Type.Object(
  {
    U: TMatrix({ description: 'left factor, m x r' }),
    V: TMatrix({ description: 'right factor, n x r (M = U Vᵀ)' }),
    test: MatrixCompletionEntries,
  },
  { additionalProperties: false },
);
export type MatrixCompletionTruth = Static<typeof MatrixCompletionTruth>;

/** What a solver returns: M̂ = U Vᵀ (any inner dimension). */
export const MatrixCompletionSolution = Type.Object(
  {
    U: TMatrix({ description: 'm x k' }),
    V: TMatrix({ description: 'n x k' }),
  },
  { additionalProperties: false },
);
export type MatrixCompletionSolution = Static<typeof MatrixCompletionSolution>;
