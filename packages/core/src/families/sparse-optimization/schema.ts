import { Type, type Static } from '@sinclair/typebox';
import { TIntVector, TMatrix, TVector } from '../../schema/types.js';

const PenaltyKind = Type.Union([Type.Literal('l1'), Type.Literal('scad'), Type.Literal('mcp')]);

/** Generator parameters; defaults are the `quick` size of FAMILIES.md (A 200 x 500, ~20 nonzeros). */
export const SparseOptimizationParams = Type.Object(
  {
    form: Type.Union([Type.Literal('least-squares'), Type.Literal('quadratic')], {
      default: 'least-squares',
      description: 'least-squares: F = ½||Ax - b||² + P(x); quadratic: F = ½xᵀHx - cᵀx + P(x) with H a sparse SPD grid operator',
    }),
    m: Type.Integer({ minimum: 1, default: 200, description: 'rows of A (least-squares)' }),
    n: Type.Integer({ minimum: 1, default: 500, description: 'unknowns: columns of A (least-squares); quadratic: n = grid², a perfect square' }),
    penalty: Type.Union([Type.Literal('l1'), Type.Literal('scad'), Type.Literal('mcp')], { default: 'l1', description: 'p(t): l1 λt, SCAD(λ, a) or MCP(λ, γ)' }),
    shape: Type.Optional(Type.Number({ description: 'SCAD a (> 2, default 3.7) or MCP γ (> 1, default 3)' })),
    lambda: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'penalty weight; default: searched so that the optimum has about targetNonzeros nonzeros' })),
    lambdaRatio: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 1,
        description: 'λ = lambdaRatio·||∇f(0)||∞ (||Aᵀb||∞ or ||c||∞; paper 21 (c) uses 0.1), instead of the targetNonzeros search; not with lambda',
      }),
    ),
    targetNonzeros: Type.Integer({ minimum: 1, default: 20, description: 'support size the λ search aims at (and nonzeros of the planted x₀)' }),
    columnScales: Type.Union([Type.Literal('unit'), Type.Literal('lognormal')], {
      default: 'unit',
      description: 'least-squares: columns of A have unit norm in expectation, or are scaled by exp(N(0, 1)) (uneven Lipschitz constants)',
    }),
    snrDb: Type.Union([Type.Number(), Type.Literal('inf')], { default: 20, description: 'least-squares: b = A x₀ + e at this SNR' }),
    labelled: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.1, description: 'quadratic: fraction of labelled grid nodes' }),
    tol: Type.Number({ exclusiveMinimum: 0, default: 1e-6, description: 'relative-gap tolerance passed to solvers as a stopping hint' }),
  },
  { additionalProperties: false },
);
export type SparseOptimizationParams = Static<typeof SparseOptimizationParams>;

/** The penalty P(x) = Σ_j p(|x_j|). */
export const SparseOptimizationPenalty = Type.Object(
  {
    kind: PenaltyKind,
    lambda: Type.Number({ exclusiveMinimum: 0 }),
    shape: Type.Optional(Type.Number({ description: 'SCAD a (> 2) or MCP γ (> 1); unused for l1' })),
  },
  { additionalProperties: false },
);
export type SparseOptimizationPenalty = Static<typeof SparseOptimizationPenalty>;

/** A sparse matrix in CSR form (the core `CsrMatrix` layout, as scipy's csr_matrix). */
export const SparseOptimizationCsr = Type.Object(
  {
    rows: Type.Integer({ minimum: 0 }),
    cols: Type.Integer({ minimum: 0 }),
    indptr: TIntVector({ description: 'rows + 1 offsets into indices/data' }),
    indices: TIntVector({ description: 'column of each stored entry, sorted within a row' }),
    data: TVector({ description: 'value of each stored entry' }),
  },
  { additionalProperties: false },
);

/** What the solver sees: either (A, b) or (H, c), the penalty and a tolerance. */
export const SparseOptimizationObservation = Type.Object(
  {
    A: Type.Optional(TMatrix({ description: 'least-squares: m x n' })),
    b: Type.Optional(TVector({ description: 'least-squares: m' })),
    H: Type.Optional(SparseOptimizationCsr),
    c: Type.Optional(TVector({ description: 'quadratic: n' })),
    penalty: SparseOptimizationPenalty,
    tol: Type.Number({ exclusiveMinimum: 0, description: 'target relative gap (a stopping hint)' }),
  },
  { additionalProperties: false },
);
export type SparseOptimizationObservation = Static<typeof SparseOptimizationObservation>;

/** What only the scorer sees: the optimum computed by core. */
export const SparseOptimizationTruth = Type.Object(
  {
    Fstar: Type.Number({ description: 'F(x*), computed by coordinate descent (coordinate steps below 1e-13 of the scale)' }),
    xstar: TVector({ description: 'the minimizer (for SCAD/MCP: the coordinate-wise minimum reached from the Lasso solution)' }),
  },
  { additionalProperties: false },
);
export type SparseOptimizationTruth = Static<typeof SparseOptimizationTruth>;

/** What a solver returns. */
export const SparseOptimizationSolution = Type.Object(
  {
    x: TVector({ description: 'the iterate, n' }),
    iterations: Type.Integer({ minimum: 0, description: 'iterations the solver ran' }),
  },
  { additionalProperties: false },
);
export type SparseOptimizationSolution = Static<typeof SparseOptimizationSolution>;
