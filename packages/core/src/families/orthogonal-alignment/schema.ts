import { Type, type Static } from '@sinclair/typebox';
import { TMatrix } from '../../schema/types.js';

const Constraint = Type.Union([Type.Literal('orthogonal'), Type.Literal('permutation'), Type.Literal('relaxed')]);

/** Generator parameters; defaults are the `quick` size of FAMILIES.md (N=1000, d=64). */
export const OrthogonalAlignmentParams = Type.Object(
  {
    N: Type.Integer({ minimum: 1, default: 1000, description: 'training pairs (rows of Xa and Xb)' }),
    d: Type.Integer({ minimum: 1, default: 64, description: 'dimension' }),
    nTest: Type.Integer({ minimum: 1, default: 500, description: 'held-out pairs scored by align_err' }),
    constraint: Type.Union([Type.Literal('orthogonal'), Type.Literal('permutation'), Type.Literal('relaxed')], {
      default: 'orthogonal',
      description: 'orthogonal: Xb ≈ Xa Q, Q orthogonal; permutation: Q a permutation matrix (matching); relaxed: the true map is Q(I + εG), and answers need only ||QᵀQ - I||_F <= λ',
    }),
    noise: Type.Number({ minimum: 0, default: 0.1, description: 'Xb = Xa T + noise·E, E i.i.d. N(0, 1)' }),
    epsilon: Type.Number({ minimum: 0, default: 0.3, description: 'relaxed: distortion ε of the true map Q(I + εG), ||G||₂ = 1 (paper 06)' }),
    lambda: Type.Optional(Type.Number({ minimum: 0, description: 'relaxed: the bound λ; default the true map\'s own defect (rounded up to 0.01), so the truth is feasible' })),
    trainRank: Type.Optional(Type.Integer({ minimum: 1, description: 'training rows lie near a random subspace of this dimension (paper 06: the map is then poorly determined elsewhere); test rows are full-rank' })),
  },
  { additionalProperties: false },
);
export type OrthogonalAlignmentParams = Static<typeof OrthogonalAlignmentParams>;

/** What the solver sees. */
export const OrthogonalAlignmentObservation = Type.Object(
  {
    Xa: TMatrix({ description: 'source representations, N x d' }),
    Xb: TMatrix({ description: 'paired target representations, N x d' }),
    constraint: Constraint,
    lambda: Type.Optional(Type.Number({ minimum: 0, description: 'relaxed: the allowed ||QᵀQ - I||_F' })),
  },
  { additionalProperties: false },
);
export type OrthogonalAlignmentObservation = Static<typeof OrthogonalAlignmentObservation>;

/** What only the scorer sees. */
export const OrthogonalAlignmentTruth = Type.Object(
  {
    Q: TMatrix({ description: 'the true map T, d x d (Xb ≈ Xa T)' }),
    XaTest: TMatrix({ description: 'held-out source rows, nTest x d' }),
    XbTest: TMatrix({ description: 'held-out target rows, nTest x d' }),
  },
  { additionalProperties: false },
);
export type OrthogonalAlignmentTruth = Static<typeof OrthogonalAlignmentTruth>;

/** What a solver returns. */
export const OrthogonalAlignmentSolution = Type.Object(
  { Q: TMatrix({ description: 'the map, d x d: Xa Q ≈ Xb' }) },
  { additionalProperties: false },
);
export type OrthogonalAlignmentSolution = Static<typeof OrthogonalAlignmentSolution>;
