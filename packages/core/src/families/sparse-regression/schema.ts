import { Type, type Static } from '@sinclair/typebox';
import { TMatrix, TVector } from '../../schema/types.js';

/** Generator parameters; defaults are the `quick` size of FAMILIES.md (N=200, d=500, k=10). */
export const SparseRegressionParams = Type.Object(
  {
    N: Type.Integer({ minimum: 1, default: 200, description: 'training samples (rows of X)' }),
    d: Type.Integer({ minimum: 1, default: 500, description: 'features (columns of X)' }),
    k: Type.Integer({ minimum: 1, default: 10, description: 'nonzeros in w' }),
    nTest: Type.Integer({ minimum: 1, default: 500, description: 'held-out samples kept in the truth' }),
    loss: Type.Union([Type.Literal('squared'), Type.Literal('logistic')], {
      default: 'squared',
      description: 'squared: y = X w + e; logistic: labels y ∈ {-1, +1} with P(y = 1) = 1 / (1 + exp(-xᵀw))',
    }),
    noiseStd: Type.Number({ minimum: 0, default: 0.5, description: 'standard deviation of e (squared loss only)' }),
    rho: Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0, description: 'feature correlation: rows are AR(1), corr(x_i, x_j) = rho^|i-j|' }),
    amplitudes: Type.Union([Type.Literal('unit'), Type.Literal('gaussian'), Type.Literal('cancelling')], {
      default: 'unit',
      description:
        "nonzeros of w: ±1, N(0, 1), or (design 'factor' only) 'cancelling': a random vector of the null space of the support's factor loadings, so X w has no part along the dominant directions, scaled so that (1/N)‖X w‖² = 1",
    }),
    design: Type.Union([Type.Literal('ar1'), Type.Literal('factor')], {
      default: 'ar1',
      description:
        "rows of X: 'ar1' N(0, Σ) with Σ_ij = rho^|i-j|; 'factor' x = (A f + factorNoise·g) / s with f ~ N(0, I_factors), g ~ N(0, I_d), a loading matrix A (d x factors) drawn once per instance and shared by the test design, and s_j = √(‖A_j‖² + factorNoise²) so every feature has unit variance (ill-conditioned: a few dominant directions)",
    }),
    factors: Type.Integer({ minimum: 1, default: 2, description: "design 'factor': number r of dominant shared directions" }),
    factorNoise: Type.Number({ exclusiveMinimum: 0, default: 0.01, description: "design 'factor': scale ε of the idiosyncratic part (smaller: worse conditioned)" }),
    lambda: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'penalty of the reported objective; default max(noiseStd, 0.01)·√(2 ln d / N) (squared) or 0.5·√(2 ln d / N) (logistic)' })),
    epsilon: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'local-DP budget: each sample is clipped and privatized by the Gaussian mechanism before the solver sees it' })),
    delta: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, default: 1e-5, description: 'local-DP δ (with epsilon)' }),
  },
  { additionalProperties: false },
);
export type SparseRegressionParams = Static<typeof SparseRegressionParams>;

/** How the local-DP observation was privatized (present with `epsilon`). */
export const SparseRegressionPrivacy = Type.Object(
  {
    mechanism: Type.Literal('gaussian-input', { description: 'each (x̃_i, ỹ_i) released once with i.i.d. N(0, noiseStd²) noise' }),
    delta: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }),
    clipX: Type.Number({ exclusiveMinimum: 0, description: 'each x_ij clipped to [-clipX, clipX]' }),
    clipY: Type.Number({ exclusiveMinimum: 0, description: 'each y_i clipped to [-clipY, clipY]' }),
    noiseStd: Type.Number({ minimum: 0, description: 'std of the Gaussian noise added to every released entry' }),
  },
  { additionalProperties: false },
);

/** What the solver sees. */
export const SparseRegressionObservation = Type.Object(
  {
    X: TMatrix({ description: 'design, N x d (privatized when epsilon is present)' }),
    y: TVector({ description: 'responses or ±1 labels, N (privatized when epsilon is present)' }),
    loss: Type.Optional(Type.Union([Type.Literal('squared'), Type.Literal('logistic')], { description: 'the model (absent: squared)' })),
    lambda: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'the ℓ1 weight of the reported objective (absent: the default rule of the params)' })),
    k: Type.Optional(Type.Integer({ minimum: 0, description: 'sparsity hint' })),
    noiseStd: Type.Optional(Type.Number({ minimum: 0, description: 'std of the model noise e (squared loss)' })),
    epsilon: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'local-DP budget the data was privatized with' })),
    privacy: Type.Optional(SparseRegressionPrivacy),
  },
  { additionalProperties: false },
);
export type SparseRegressionObservation = Static<typeof SparseRegressionObservation>;

/** What only the scorer sees. */
export const SparseRegressionTruth = Type.Object(
  {
    w: TVector({ description: 'the k-sparse weights, d' }),
    Xtest: TMatrix({ description: 'held-out design, nTest x d (never privatized)' }),
    ytest: TVector({ description: 'held-out responses or labels, nTest' }),
  },
  { additionalProperties: false },
);
export type SparseRegressionTruth = Static<typeof SparseRegressionTruth>;

/** What a solver returns. */
export const SparseRegressionSolution = Type.Object(
  {
    w: TVector({ description: 'estimate of w, d' }),
    b: Type.Optional(Type.Number({ description: 'intercept (0 when absent)' })),
    iterations: Type.Optional(Type.Integer({ minimum: 0, description: 'iterations the solver ran (reported as a metric)' })),
  },
  { additionalProperties: false },
);
export type SparseRegressionSolution = Static<typeof SparseRegressionSolution>;
