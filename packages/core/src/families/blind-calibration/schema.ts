import { Type, type Static } from '@sinclair/typebox';
import { TMatrix, TVector } from '../../schema/types.js';

/** Generator parameters; defaults are the `quick` size of FAMILIES.md (n=64, m=64, p=4). */
export const BlindCalibrationParams = Type.Object(
  {
    n: Type.Integer({ minimum: 1, default: 64, description: 'signal length' }),
    m: Type.Integer({ minimum: 1, default: 64, description: 'sensors (measurements per snapshot)' }),
    p: Type.Integer({ minimum: 1, default: 4, description: 'snapshots, each with its own known A_l' }),
    rho: Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0.5, description: 'gain spread: d_i = 1 + rho·U[-1, 1], rescaled to mean 1' }),
    k: Type.Integer({ minimum: 0, default: 0, description: 'nonzeros of x (0: dense x ~ N(0, I))' }),
    snrDb: Type.Union([Type.Number(), Type.Literal('inf')], { default: 'inf', description: 'measurement SNR in dB, or "inf" for noiseless' }),
  },
  { additionalProperties: false },
);
export type BlindCalibrationParams = Static<typeof BlindCalibrationParams>;

/** What the solver sees: y_l = diag(d) A_l x (+ noise), l = 1..p, with d unknown. */
export const BlindCalibrationObservation = Type.Object(
  {
    A: Type.Array(TMatrix({ description: 'A_l, m x n' }), { minItems: 1, description: 'the p known sensing matrices' }),
    y: Type.Array(TVector({ description: 'y_l, m' }), { minItems: 1, description: 'the p snapshots' }),
    k: Type.Optional(Type.Integer({ minimum: 1, description: 'sparsity hint (absent: x is dense)' })),
    noiseStd: Type.Optional(Type.Number({ minimum: 0, description: 'std of the measurement noise' })),
  },
  { additionalProperties: false },
);
export type BlindCalibrationObservation = Static<typeof BlindCalibrationObservation>;

/** What only the scorer sees. */
export const BlindCalibrationTruth = Type.Object(
  {
    x: TVector({ description: 'the signal, n' }),
    d: TVector({ description: 'the positive gains, m, mean 1' }),
  },
  { additionalProperties: false },
);
export type BlindCalibrationTruth = Static<typeof BlindCalibrationTruth>;

/** What a solver returns; (c·d, x/c) is the same answer for any c ≠ 0. */
export const BlindCalibrationSolution = Type.Object(
  {
    x: TVector({ description: 'estimated signal, n' }),
    d: TVector({ description: 'estimated gains, m (nonzero mean)' }),
  },
  { additionalProperties: false },
);
export type BlindCalibrationSolution = Static<typeof BlindCalibrationSolution>;
