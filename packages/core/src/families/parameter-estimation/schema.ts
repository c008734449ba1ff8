import { Type, type Static } from '@sinclair/typebox';
import { TMatrix, TVector } from '../../schema/types.js';

/** Generator parameters; defaults are the `quick` size of FAMILIES.md (2D harmonics 32 x 32, L=4, 20 dB). */
export const ParameterEstimationParams = Type.Object(
  {
    n: Type.Integer({ minimum: 2, default: 32, description: 'samples per dimension of a square grid (n^dims samples)' }),
    dims: Type.Integer({ minimum: 1, maximum: 4, default: 2, description: 'grid dimensions R (1D to 4D harmonics)' }),
    shape: Type.Optional(Type.Array(Type.Integer({ minimum: 2 }), { minItems: 1, maxItems: 4, description: 'samples per dimension of a rectangular grid [N_1, ..., N_R]; overrides n and dims' })),
    paths: Type.Integer({ minimum: 1, default: 4, description: 'number L of superimposed exponentials' }),
    snrDb: Type.Union([Type.Number(), Type.Literal('inf')], { default: 20, description: 'per-path, per-sample SNR |γ|²/σ² in dB (gains have unit magnitude)' }),
    minSeparation: Type.Number({ minimum: 0, default: 1, description: 'any two paths differ by at least this many DFT bins (2π/N_r) in at least one dimension' }),
    layout: Type.Union([Type.Literal('random'), Type.Literal('close-pair')], {
      default: 'random',
      description: 'random: uniform frequencies; close-pair (super-resolution check): 2 paths pairOffset bins apart in the first dimension, equal elsewhere',
    }),
    pairOffset: Type.Number({ exclusiveMinimum: 0, default: 0.5, description: 'close-pair: offset in DFT bins of the first dimension' }),
  },
  { additionalProperties: false },
);
export type ParameterEstimationParams = Static<typeof ParameterEstimationParams>;

/** What the solver sees: y[n] = Σ_l γ_l exp(i Σ_r ω_lr n_r) + noise on the grid, row-major (last dimension fastest). */
export const ParameterEstimationObservation = Type.Object(
  {
    shape: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, description: 'grid size per dimension [N_1, ..., N_R]' }),
    re: TVector({ description: 'real parts of the samples, Π N_r, row-major' }),
    im: TVector({ description: 'imaginary parts, same layout' }),
    paths: Type.Integer({ minimum: 1, description: 'L' }),
    noiseStd: Type.Optional(Type.Number({ minimum: 0, description: 'std σ of the complex noise (σ/√2 per real component)' })),
  },
  { additionalProperties: false },
);
export type ParameterEstimationObservation = Static<typeof ParameterEstimationObservation>;

/** What only the scorer sees. */
export const ParameterEstimationTruth = Type.Object(
  {
    frequencies: TMatrix({ description: 'L x R angular frequencies in [-π, π)' }),
    gainsRe: TVector({ description: 'real parts of the complex gains, L' }),
    gainsIm: TVector({ description: 'imaginary parts of the complex gains, L' }),
  },
  { additionalProperties: false },
);
export type ParameterEstimationTruth = Static<typeof ParameterEstimationTruth>;

/** What a solver returns: one row per path, in any order. */
export const ParameterEstimationSolution = Type.Object(
  { frequencies: TMatrix({ description: 'L x R estimated angular frequencies (radians; taken modulo 2π)' }) },
  { additionalProperties: false },
);
export type ParameterEstimationSolution = Static<typeof ParameterEstimationSolution>;
