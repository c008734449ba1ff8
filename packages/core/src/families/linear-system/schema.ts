import { Type, type Static } from '@sinclair/typebox';
import { TIntVector, TMatrix, TVector } from '../../schema/types.js';

/** Generator parameters; defaults are the `quick` size of FAMILIES.md (a sequence of 50 shifted 2D Poisson systems on a 32 x 32 grid). */
export const LinearSystemParams = Type.Object(
  {
    variant: Type.Union([Type.Literal('sequence'), Type.Literal('single'), Type.Literal('least-squares')], {
      default: 'sequence',
      description: 'sequence: T related systems A_t = A + c_t I; single: one square system; least-squares: overdetermined A (rows x cols)',
    }),
    matrix: Type.Union([Type.Literal('poisson'), Type.Literal('dense-spd'), Type.Literal('dense-general'), Type.Literal('label-propagation')], {
      default: 'poisson',
      description:
        'single: 5-point 2D Laplacian in CSR, a dense SPD matrix, a dense nonsymmetric one, or the label-propagation quadratic on a grid graph in CSR (paper 21 (b)); sequence: poisson only',
    }),
    grid: Type.Integer({ minimum: 2, default: 32, description: 'poisson and label-propagation: grid side g (n = g²)' }),
    n: Type.Integer({ minimum: 1, default: 256, description: 'dense matrices: order n' }),
    count: Type.Integer({ minimum: 1, default: 50, description: 'sequence: number T of systems' }),
    shiftA: Type.Number({ exclusiveMinimum: 0, default: 0.5, description: 'sequence: c_t = s·(-0.15 + 0.6·Beta(shiftA, shiftB)), s = λ_min(A)/λ_min(A on a 10x10 grid)' }),
    shiftB: Type.Number({ exclusiveMinimum: 0, default: 1.5, description: 'sequence: second Beta parameter (0.5, 1.5: high variance; 2, 6: low variance)' }),
    context: Type.Boolean({ default: false, description: 'sequence: give each system its shift c_t (for contextual solvers)' }),
    tol: Type.Number({ exclusiveMinimum: 0, default: 1e-8, description: 'square systems: every returned x must reach ||b - A x|| <= tol ||b||' }),
    rows: Type.Integer({ minimum: 1, default: 4096, description: 'least-squares: rows N of A' }),
    cols: Type.Integer({ minimum: 1, default: 32, description: 'least-squares: columns d of A' }),
    design: Type.Union([Type.Literal('gaussian'), Type.Literal('coherent'), Type.Literal('scaled')], {
      default: 'gaussian',
      description:
        'least-squares: i.i.d. N(0, 1) rows and N(0, I) noise, [10 I; G] with residual spikes on 8 rows (paper 24), or N(0, 1) entries times column scales exp(N(0, 1)) with b ~ N(0, I) (paper 21 (a): uneven Lipschitz constants)',
    }),
    labelled: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.1, description: 'label-propagation: fraction of labelled grid nodes' }),
    gradTol: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description: 'least-squares: when given, every returned x must reach ||Aᵀ(b - A x)|| <= gradTol·||Aᵀb|| (the relative gradient of ½||Ax - b||²), so iterations count to a tolerance',
      }),
    ),
  },
  { additionalProperties: false },
);
export type LinearSystemParams = Static<typeof LinearSystemParams>;

/** A sparse matrix in CSR form (the core `CsrMatrix` layout, as scipy's csr_matrix). */
export const LinearSystemCsr = Type.Object(
  {
    rows: Type.Integer({ minimum: 0 }),
    cols: Type.Integer({ minimum: 0 }),
    indptr: TIntVector({ description: 'rows + 1 offsets into indices/data' }),
    indices: TIntVector({ description: 'column of each stored entry, sorted within a row' }),
    data: TVector({ description: 'value of each stored entry' }),
  },
  { additionalProperties: false },
);

/** One system of a sequence: A dense or CSR, b, and optionally its context. */
export const LinearSystemEntry = Type.Object(
  {
    A: Type.Optional(TMatrix({ description: 'dense n x n' })),
    Acsr: Type.Optional(LinearSystemCsr),
    b: TVector(),
    context: Type.Optional(Type.Number({ description: 'the shift c_t with A_t = A + c_t I (contextual tasks)' })),
  },
  { additionalProperties: false },
);
export type LinearSystemEntry = Static<typeof LinearSystemEntry>;

/** What the solver sees. */
export const LinearSystemObservation = Type.Object(
  {
    kind: Type.Union([Type.Literal('single'), Type.Literal('sequence'), Type.Literal('least-squares')]),
    A: Type.Optional(TMatrix({ description: 'single (dense) or least-squares: the matrix' })),
    Acsr: Type.Optional(LinearSystemCsr),
    b: Type.Optional(TVector({ description: 'single or least-squares: the right-hand side' })),
    sequence: Type.Optional(Type.Array(LinearSystemEntry, { minItems: 1, description: 'sequence: the systems, to be solved in order' })),
    tol: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, description: 'square systems: required relative residual; least squares (only with params.gradTol): required relative normal-equation residual' }),
    ),
    grid: Type.Optional(
      Type.Object(
        { rows: Type.Integer({ minimum: 1 }), cols: Type.Integer({ minimum: 1 }) },
        { additionalProperties: false, description: 'label-propagation: the grid graph behind A; unknown r·cols + s is node (r, s)' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type LinearSystemObservation = Static<typeof LinearSystemObservation>;

/** What only the scorer sees: the exact solutions, computed by core. */
export const LinearSystemTruth = Type.Object(
  { xstar: Type.Array(TVector(), { description: 'x* of every system (one for single and least-squares)' }) },
  { additionalProperties: false },
);
export type LinearSystemTruth = Static<typeof LinearSystemTruth>;

/** What a solver returns. */
export const LinearSystemSolution = Type.Object(
  {
    x: Type.Optional(TVector({ description: 'single or least-squares: the solution' })),
    xs: Type.Optional(Type.Array(TVector(), { description: 'sequence: one solution per system, in order' })),
    iterations: Type.Integer({ minimum: 0, description: 'total iterations over all systems (sweeps, matrix-vector products: as the method counts them)' }),
  },
  { additionalProperties: false },
);
export type LinearSystemSolution = Static<typeof LinearSystemSolution>;
