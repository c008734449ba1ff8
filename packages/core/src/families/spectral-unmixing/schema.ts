import { Type, type Static } from '@sinclair/typebox';
import { TMatrix } from '../../schema/types.js';

/** Generator parameters; defaults are the `quick` size of FAMILIES.md (100 bands, 12 endmembers, 3 active, N=1000, 5% outliers). */
export const SpectralUnmixingParams = Type.Object(
  {
    bands: Type.Integer({ minimum: 1, default: 100, description: 'spectral bands L' }),
    endmembers: Type.Integer({ minimum: 1, default: 12, description: 'endmembers p in the library (columns of E)' }),
    active: Type.Integer({ minimum: 1, default: 3, description: 'sparse abundances: endmembers present in each pixel' }),
    N: Type.Integer({ minimum: 1, default: 1000, description: 'pixels (a perfect square for abundances "regions")' }),
    abundances: Type.Union([Type.Literal('sparse'), Type.Literal('regions')], {
      default: 'sparse',
      description: 'sparse: `active` endmembers per pixel, Dirichlet(1) weights; regions: a √N x √N image, nearly pure near p region seeds, mixed between them (paper 02)',
    }),
    snrDb: Type.Union([Type.Number(), Type.Literal('inf')], { default: 30, description: 'SNR of the clean pixels E S in dB' }),
    outlierPixels: Type.Number({ minimum: 0, maximum: 1, default: 0.05, description: 'fraction of pixels with a gross error N(0, mean|Y|²) on every band' }),
    outlierBands: Type.Number({ minimum: 0, maximum: 1, default: 0, description: 'fraction of bands corrupted in every pixel (half zeroed, half replaced by N(0, mean|Y|²))' }),
    blind: Type.Boolean({ default: false, description: 'E is hidden: the solver estimates it too, and scoring matches endmembers first' }),
  },
  { additionalProperties: false },
);
export type SpectralUnmixingParams = Static<typeof SpectralUnmixingParams>;

/** What the solver sees. */
export const SpectralUnmixingObservation = Type.Object(
  {
    Y: TMatrix({ description: 'pixels, bands x N (one pixel per column)' }),
    E: Type.Optional(TMatrix({ description: 'endmember library, bands x p (absent for blind unmixing)' })),
    endmembers: Type.Integer({ minimum: 1, description: 'p' }),
    active: Type.Optional(Type.Integer({ minimum: 1, description: 'sparsity hint: endmembers per pixel' })),
    noiseStd: Type.Optional(Type.Number({ minimum: 0, description: 'std of the white noise (outliers excluded)' })),
    imageShape: Type.Optional(Type.Tuple([Type.Integer({ minimum: 1 }), Type.Integer({ minimum: 1 })], { description: 'pixels form this [rows, cols] image, column-major order of Y = row-major image order' })),
  },
  { additionalProperties: false },
);
export type SpectralUnmixingObservation = Static<typeof SpectralUnmixingObservation>;

/** What only the scorer sees. */
export const SpectralUnmixingTruth = Type.Object(
  {
    S: TMatrix({ description: 'abundances, p x N: nonnegative, columns sum to 1' }),
    E: TMatrix({ description: 'the endmembers, bands x p' }),
  },
  { additionalProperties: false },
);
export type SpectralUnmixingTruth = Static<typeof SpectralUnmixingTruth>;

/** What a solver returns. */
export const SpectralUnmixingSolution = Type.Object(
  {
    S: TMatrix({ description: 'estimated abundances, p x N' }),
    E: Type.Optional(TMatrix({ description: 'estimated endmembers, bands x p (required when E is hidden)' })),
  },
  { additionalProperties: false },
);
export type SpectralUnmixingSolution = Static<typeof SpectralUnmixingSolution>;
