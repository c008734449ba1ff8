import { Type, type Static } from '@sinclair/typebox';
import { TIntVector, TMatrix, TVector } from '../../schema/types.js';
import { TActivation, TDataset, TMlp, TTaskKind } from '../../nn/types.js';

/** Generator parameters; defaults are the `quick` size of FAMILIES.md (MLP 64-128-10, 2000 training examples). */
export const PeftParams = Type.Object(
  {
    inputDim: Type.Integer({ minimum: 1, default: 64, description: 'input dimension d_in' }),
    hidden: Type.Array(Type.Integer({ minimum: 1 }), { default: [128], description: 'hidden widths ([] = a single linear layer)' }),
    outputs: Type.Integer({ minimum: 1, default: 10, description: 'classes (classification) or outputs (regression)' }),
    activation: Type.Union(TActivation.anyOf, { default: 'relu', description: TActivation.description }),
    task: Type.Union(TTaskKind.anyOf, { default: 'classification', description: TTaskKind.description }),
    nTrain: Type.Integer({ minimum: 1, default: 2000, description: 'training examples the solver sees' }),
    nTest: Type.Integer({ minimum: 1, default: 1000, description: 'held-out examples (truth)' }),
    inputs: Type.Union([Type.Literal('isotropic'), Type.Literal('anisotropic'), Type.Literal('clustered')], {
      default: 'isotropic',
      description: 'N(0, I) inputs; anisotropic: channel variances log-uniform in [0.1, 10]; clustered: a Gaussian mixture (3 centres per output)',
    }),
    labelNoise: Type.Number({ minimum: 0, maximum: 1, default: 0, description: 'fraction of training labels re-drawn at random' }),
    snrDb: Type.Union([Type.Number(), Type.Literal('inf')], { default: 20, description: 'regression: training-target SNR in dB' }),
    shift: Type.Union([Type.Literal('low-rank'), Type.Literal('gaussian'), Type.Literal('decaying'), Type.Literal('sparse')], {
      default: 'low-rank',
      description: "structure of the task teacher's update ΔW* on every layer: low-rank (rank shiftRank), gaussian (dense, high rank), decaying (singular values ∝ 1/i), sparse (shiftDensity of the entries)",
    }),
    shiftScale: Type.Number({ minimum: 0, default: 0.5, description: '‖ΔW*_l‖_F / ‖W0_l‖_F' }),
    shiftRank: Type.Integer({ minimum: 1, default: 4, description: 'rank of low-rank shifts' }),
    shiftDensity: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.05, description: 'fraction of nonzero entries of sparse shifts' }),
    budgetRank: Type.Integer({ minimum: 0, default: 4, description: 'budget = budgetRank · Σ_l (d_in,l + d_out,l) trainable floats (a rank-r LoRA on every layer)' }),
    budgetParams: Type.Integer({ minimum: 0, default: 0, description: 'explicit trainable-float budget; overrides budgetRank when > 0' }),
    steps: Type.Integer({ minimum: 1, default: 300, description: 'step budget T given to the solver' }),
    batchSize: Type.Integer({ minimum: 1, default: 64, description: 'suggested minibatch size' }),
    lr: Type.Number({ exclusiveMinimum: 0, default: 0.01, description: 'suggested Adam learning rate' }),
  },
  { additionalProperties: false },
);
export type PeftParams = Static<typeof PeftParams>;

/** The trainable-float budget. */
export const PeftBudget = Type.Object(
  {
    trainableParams: Type.Integer({ minimum: 0, description: 'the most floats the adapter may train (biases that change count too)' }),
    rank: Type.Optional(Type.Integer({ minimum: 0, description: 'the LoRA rank on every layer this budget corresponds to' })),
  },
  { additionalProperties: false },
);
export type PeftBudget = Static<typeof PeftBudget>;

/** What the solver sees. */
export const PeftObservation = Type.Object(
  {
    task: TTaskKind,
    base: TMlp,
    train: TDataset,
    budget: PeftBudget,
    steps: Type.Integer({ minimum: 1, description: 'step budget T' }),
    batchSize: Type.Integer({ minimum: 1, description: 'suggested minibatch size' }),
    lr: Type.Number({ exclusiveMinimum: 0, description: 'suggested learning rate' }),
  },
  { additionalProperties: false },
);
export type PeftObservation = Static<typeof PeftObservation>;

/** What only the scorer sees. */
export const PeftTruth = Type.Object(
  {
    test: TDataset,
    teacher: TMlp,
  },
  { additionalProperties: false },
);
export type PeftTruth = Static<typeof PeftTruth>;

/** One layer's LoRA factors in a solution: W_layer = W0_layer + B A. */
export const PeftLoraLayer = Type.Object(
  { layer: Type.Integer({ minimum: 0 }), B: TMatrix({ description: 'out x r' }), A: TMatrix({ description: 'r x in' }) },
  { additionalProperties: false },
);

/** One layer's trained positions in a sparse adapter. */
export const PeftSparseLayer = Type.Object(
  { layer: Type.Integer({ minimum: 0 }), indices: TIntVector({ description: 'row-major positions i·d_in + j of the trained entries of W_layer' }) },
  { additionalProperties: false },
);

/** The adapter in the method's own form, so core counts the trainable floats. */
export const PeftAdapter = Type.Object(
  {
    kind: Type.Union([Type.Literal('full'), Type.Literal('head'), Type.Literal('lora'), Type.Literal('sparse'), Type.Literal('custom')], {
      description: 'full: every parameter trains; head: the last layer only; lora: rank-r factors; sparse: given entries; custom: raw parameter tensors (not verifiable)',
    }),
    lora: Type.Optional(Type.Array(PeftLoraLayer)),
    sparse: Type.Optional(Type.Array(PeftSparseLayer)),
    tensors: Type.Optional(Type.Array(TVector(), { description: 'custom: the trainable parameters (e.g. kernel factors, DCT coefficients)' })),
  },
  { additionalProperties: false },
);
export type PeftAdapter = Static<typeof PeftAdapter>;

/** What a solver returns. */
export const PeftSolution = Type.Object(
  {
    model: TMlp,
    adapter: PeftAdapter,
    memoryFloats: Type.Optional(Type.Number({ minimum: 0, description: 'peak training memory in floats (params + optimizer state + masks/indices), when the method reports it' })),
  },
  { additionalProperties: false },
);
export type PeftSolution = Static<typeof PeftSolution>;
