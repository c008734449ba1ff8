import { Type, type Static } from '@sinclair/typebox';
import { TMatrix } from '../../schema/types.js';

/** Generator parameters; defaults are the `quick` size of FAMILIES.md (n=32, K=64, N=2000, k=3). */
export const DictionaryLearningParams = Type.Object(
  {
    variant: Type.Union([Type.Literal('standard'), Type.Literal('hierarchical'), Type.Literal('coding-only')], {
      default: 'standard',
      description: 'standard: learn D (and X); hierarchical: features in a parent/child tree (paper 05); coding-only: D is given, infer X at a matched code density (paper 09)',
    }),
    n: Type.Integer({ minimum: 1, default: 32, description: 'signal dimension (rows of Y and D)' }),
    K: Type.Optional(Type.Integer({ minimum: 1, description: 'true atoms; default 64, n when orthogonal, parents·(1 + children) when hierarchical' })),
    N: Type.Integer({ minimum: 1, default: 2000, description: 'samples (columns of Y)' }),
    k: Type.Integer({ minimum: 1, default: 3, description: 'nonzeros per column of X (and the solver\'s sparsity budget)' }),
    theta: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'Bernoulli-Gaussian codes: each coefficient active with probability theta, instead of exactly k per column (paper 01)' })),
    amplitudes: Type.Union([Type.Literal('gaussian'), Type.Literal('spread')], {
      default: 'gaussian',
      description: 'nonzeros N(0, 1), or sign·(0.5 + |N(0, 1)|) (spread magnitudes, paper 09)',
    }),
    orthogonal: Type.Boolean({ default: false, description: 'D is a Haar-random orthogonal n x n matrix, and solutions must be orthogonal (paper 01)' }),
    atoms: Type.Optional(Type.Integer({ minimum: 1, description: 'atoms the solver learns; default K (paper 05 learns 32 latents for 20 true features)' })),
    parents: Type.Integer({ minimum: 1, default: 4, description: 'hierarchical: parent features (orthonormal)' }),
    children: Type.Integer({ minimum: 1, default: 4, description: 'hierarchical: mutually exclusive children per parent' }),
    beta: Type.Number({ minimum: 0, maximum: 90, default: 60, description: 'hierarchical: angle (degrees) between a child and its parent: c = cos β p + sin β u' }),
    parentProb: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.25, description: 'hierarchical: probability that a parent is active (then exactly one child is)' }),
    snrDb: Type.Union([Type.Number(), Type.Literal('inf')], { default: 30, description: 'SNR of Y = D X + E in dB, or "inf"' }),
    inferenceK: Type.Optional(Type.Integer({ minimum: 1, description: 'adaptive sparsity (paper 05): train with budget k, then code Y with at most inferenceK nonzeros per column (scored codes)' })),
  },
  { additionalProperties: false },
);
export type DictionaryLearningParams = Static<typeof DictionaryLearningParams>;

/** What the solver sees. */
export const DictionaryLearningObservation = Type.Object(
  {
    Y: TMatrix({ description: 'data, n x N (one sample per column)' }),
    atoms: Type.Integer({ minimum: 1, description: 'number of atoms to learn (columns of the returned D)' }),
    k: Type.Integer({ minimum: 1, description: 'sparsity budget per column; in coding-only tasks nnz(X) <= k N is required' }),
    orthogonal: Type.Optional(Type.Boolean({ description: 'the returned D must be orthogonal (DᵀD = I)' })),
    D: Type.Optional(TMatrix({ description: 'coding-only: the dictionary, n x atoms (unit columns)' })),
    inferenceK: Type.Optional(Type.Integer({ minimum: 1, description: 'adaptive sparsity: learn D with budget k, but return codes X with at most inferenceK nonzeros per column (core codes by OMP with inferenceK when X is absent)' })),
  },
  { additionalProperties: false },
);
export type DictionaryLearningObservation = Static<typeof DictionaryLearningObservation>;

/** What only the scorer sees. */
export const DictionaryLearningTruth = Type.Object(
  {
    D: TMatrix({ description: 'the dictionary, n x K, unit columns' }),
    X: TMatrix({ description: 'the sparse codes, K x N' }),
    parent: Type.Optional(Type.Array(Type.Integer({ minimum: -1 }), { description: 'hierarchical: parent atom of every atom (-1 for roots)' })),
  },
  { additionalProperties: false },
);
export type DictionaryLearningTruth = Static<typeof DictionaryLearningTruth>;

/** What a solver returns. */
export const DictionaryLearningSolution = Type.Object(
  {
    D: Type.Optional(TMatrix({ description: 'learned dictionary, n x atoms (required unless coding-only)' })),
    X: Type.Optional(TMatrix({ description: 'codes, atoms x N (required for coding-only; otherwise core codes Y by OMP with k atoms per column)' })),
  },
  { additionalProperties: false },
);
export type DictionaryLearningSolution = Static<typeof DictionaryLearningSolution>;
