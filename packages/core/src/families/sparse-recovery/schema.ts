import { Type, type Static } from '@sinclair/typebox';
import { TMatrix, TVector } from '../../schema/types.js';

/** Generator parameters; defaults are the `quick` size of FAMILIES.md. */
export const SparseRecoveryParams = Type.Object(
  {
    m: Type.Integer({ minimum: 1, default: 128, description: 'measurements (rows of A)' }),
    n: Type.Integer({ minimum: 1, default: 256, description: 'signal length (columns of A)' }),
    k: Type.Integer({ minimum: 0, default: 12, description: 'nonzeros in x' }),
    snrDb: Type.Union([Type.Number(), Type.Literal('inf')], { default: 30, description: 'measurement SNR in dB, or "inf" for noiseless' }),
    matrix: Type.Union([Type.Literal('gaussian'), Type.Literal('bernoulli'), Type.Literal('partial-dct'), Type.Literal('kronecker')], {
      default: 'gaussian',
      description: 'measurement ensemble; columns have unit expected norm',
    }),
    kroneckerM1: Type.Integer({ minimum: 1, default: 8, description: 'kronecker: rows of the first factor (m must be a multiple)' }),
    kroneckerN1: Type.Integer({ minimum: 1, default: 16, description: 'kronecker: columns of the first factor (n must be a multiple)' }),
    kroneckerRows: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1 }), {
        minItems: 1,
        description: 'kronecker: rows m_1..m_I of each factor (product m); with kroneckerCols, replaces kroneckerM1/N1 and allows I != 2 factors',
      }),
    ),
    kroneckerCols: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, description: 'kronecker: columns n_1..n_I of each factor (product n), same length as kroneckerRows' }),
    ),
    kroneckerSparsity: Type.Optional(
      Type.Array(Type.Integer({ minimum: 0 }), {
        minItems: 1,
        description: 'kronecker: x = x_1 ⊗ … ⊗ x_I with x_i K_i-sparse (one K_i per factor, product k); absent: x has an unstructured k-sparse support',
      }),
    ),
    amplitudes: Type.Union([Type.Literal('gaussian'), Type.Literal('unit'), Type.Literal('power-law')], {
      default: 'gaussian',
      description: 'distribution of the nonzero values',
    }),
    blockSize: Type.Integer({ minimum: 1, default: 1, description: 'support in contiguous blocks of this size (1 = unstructured)' }),
    nonnegative: Type.Boolean({ default: false, description: 'nonzeros are positive (and the solver is told so)' }),
  },
  { additionalProperties: false },
);
export type SparseRecoveryParams = Static<typeof SparseRecoveryParams>;

/** Structure the solver may exploit. */
export const SparseRecoveryStructure = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('kronecker'),
      factors: Type.Array(TMatrix(), { minItems: 1, description: 'A = factors[0] ⊗ factors[1] ⊗ … (first factor slowest, as kron)' }),
      sparsity: Type.Optional(
        Type.Array(Type.Integer({ minimum: 0 }), { description: 'present when x = x_1 ⊗ … ⊗ x_I: the nonzeros K_i of each x_i (one per factor)' }),
      ),
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('blocks'), size: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
]);

/** What the solver sees. */
export const SparseRecoveryObservation = Type.Object(
  {
    A: TMatrix({ description: 'measurement matrix, m x n' }),
    y: TVector({ description: 'measurements, m' }),
    k: Type.Optional(Type.Integer({ minimum: 0, description: 'sparsity hint' })),
    noiseStd: Type.Optional(Type.Number({ minimum: 0, description: 'standard deviation of the additive Gaussian noise' })),
    structure: Type.Optional(SparseRecoveryStructure),
    nonnegative: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type SparseRecoveryObservation = Static<typeof SparseRecoveryObservation>;

/** What only the scorer sees. */
export const SparseRecoveryTruth = Type.Object({ x: TVector({ description: 'the k-sparse signal, n' }) }, { additionalProperties: false });
export type SparseRecoveryTruth = Static<typeof SparseRecoveryTruth>;

/** What a solver returns. */
export const SparseRecoverySolution = Type.Object({ x: TVector({ description: 'estimate of x, n' }) }, { additionalProperties: false });
export type SparseRecoverySolution = Static<typeof SparseRecoverySolution>;
