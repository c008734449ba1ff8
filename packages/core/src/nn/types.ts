import { Type, type Static } from '@sinclair/typebox';
import { TIntVector, TMatrix, TVector } from '../schema/types.js';
import type { Matrix } from '../linalg/matrix.js';

/** Hidden-layer nonlinearity of an {@link Mlp}; the output layer is always linear. */
export const TActivation = Type.Union([Type.Literal('relu'), Type.Literal('gelu'), Type.Literal('tanh'), Type.Literal('identity')], {
  description: 'hidden-layer activation: relu, gelu (tanh approximation), tanh, or identity (a deep linear network)',
});
export type Activation = Static<typeof TActivation>;

/** One dense layer: z = W a + b with W (out x in), b (out). */
export const TDenseLayer = Type.Object(
  {
    W: TMatrix({ description: 'weights, out x in (row i holds the input weights of unit i)' }),
    b: TVector({ description: 'bias, out' }),
  },
  { additionalProperties: false },
);
export type DenseLayer = Static<typeof TDenseLayer>;

/**
 * A multilayer perceptron as plain data (it crosses worker boundaries by
 * structured clone and JSON): `a_0 = x`, `a_l = σ(W_l a_{l-1} + b_l)` for the
 * hidden layers, and the last layer is linear (logits or regression outputs).
 * One layer is a linear model.
 */
export const TMlp = Type.Object(
  {
    layers: Type.Array(TDenseLayer, { minItems: 1, description: 'dense layers, input to output' }),
    activation: TActivation,
  },
  { additionalProperties: false },
);
export type Mlp = Static<typeof TMlp>;

/** Gradients of an {@link Mlp}'s parameters, laid out like its layers. */
export interface MlpGrads {
  readonly layers: DenseLayer[];
}

/** Classification (softmax cross-entropy on integer labels) or regression (MSE on targets). */
export const TTaskKind = Type.Union([Type.Literal('classification'), Type.Literal('regression')], {
  description: 'classification: softmax cross-entropy on labels; regression: mean squared error on targets',
});
export type TaskKind = Static<typeof TTaskKind>;

/**
 * A batch of examples: inputs X (N x d, one example per row) and either
 * integer `labels` (classification) or `targets` (N x d_out, regression).
 */
export const TDataset = Type.Object(
  {
    X: TMatrix({ description: 'inputs, N x d_in (one example per row)' }),
    labels: Type.Optional(TIntVector({ description: 'class labels in 0..C-1, N (classification)' })),
    targets: Type.Optional(TMatrix({ description: 'targets, N x d_out (regression)' })),
  },
  { additionalProperties: false },
);
export type Dataset = Static<typeof TDataset>;

/** A matrix-shaped view used in signatures (re-exported for convenience). */
export type { Matrix };
