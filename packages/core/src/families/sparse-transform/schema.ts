import { Type, type Static } from '@sinclair/typebox';
import { TIntVector, TVector } from '../../schema/types.js';

/** Generator parameters; defaults are the `quick` size of FAMILIES.md (n = 16, K = 20, 20 dB). */
export const SparseTransformParams = Type.Object(
  {
    n: Type.Integer({ minimum: 1, maximum: 24, default: 16, description: 'bits of the domain: the signal has N = 2^n samples and N WHT coefficients' }),
    K: Type.Integer({ minimum: 0, default: 20, description: 'nonzero Walsh-Hadamard coefficients' }),
    snrDb: Type.Union([Type.Number(), Type.Literal('inf')], {
      default: 20,
      description: 'per-sample SNR 10 log10(Σ X[k]² / σ²) in dB (paper 19: 10 log10(K ρ² / σ²)), or "inf" for noiseless',
    }),
    amplitudes: Type.Union([Type.Literal('unit'), Type.Literal('gaussian')], {
      default: 'unit',
      description: 'nonzero coefficients ±1 with random signs (paper 19), or N(0, 1)',
    }),
  },
  { additionalProperties: false },
);
export type SparseTransformParams = Static<typeof SparseTransformParams>;

/** What the solver sees: sizes and hints. The samples come through the oracle (`sparseTransformOracle(ctx)`). */
export const SparseTransformObservation = Type.Object(
  {
    n: Type.Integer({ minimum: 1, maximum: 24, description: 'bits of the domain; indices t and k are in 0..2^n - 1' }),
    K: Type.Integer({ minimum: 0, description: 'sparsity hint: the number of nonzero coefficients' }),
    noiseStd: Type.Number({ minimum: 0, description: 'σ, the standard deviation of the noise on every sample' }),
  },
  { additionalProperties: false },
);
export type SparseTransformObservation = Static<typeof SparseTransformObservation>;

/** What only the scorer and the session see. */
export const SparseTransformTruth = Type.Object(
  {
    support: TIntVector({ description: 'the K nonzero frequencies k, ascending' }),
    values: TVector({ description: 'X[k] for each k of support' }),
    noiseStd: Type.Number({ minimum: 0, description: 'σ' }),
    noiseKey: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'key of the deterministic noise w[t] = σ·hashNormal(key, t)' }),
  },
  { additionalProperties: false },
);
export type SparseTransformTruth = Static<typeof SparseTransformTruth>;

/** What a solver returns: the nonzero coefficients it found, in any order. */
export const SparseTransformSolution = Type.Object(
  {
    indices: TIntVector({ description: 'frequencies k (distinct, in 0..2^n - 1)' }),
    values: TVector({ description: 'X̂[k] for each entry of indices' }),
  },
  { additionalProperties: false },
);
export type SparseTransformSolution = Static<typeof SparseTransformSolution>;
