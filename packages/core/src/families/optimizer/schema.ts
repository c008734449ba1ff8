import { Type, type Static } from '@sinclair/typebox';
import { TIntVector, TVector } from '../../schema/types.js';
import { TActivation, TDataset, TMlp, TTaskKind } from '../../nn/types.js';

/** Generator parameters; defaults are the `quick` size of FAMILIES.md (MLP 64-128-128-10, 300 steps). */
export const OptimizerParams = Type.Object(
  {
    inputDim: Type.Integer({ minimum: 1, default: 64, description: 'input dimension d_in' }),
    hidden: Type.Array(Type.Integer({ minimum: 1 }), { default: [128, 128], description: 'hidden widths of teacher and student ([] = linear regression)' }),
    outputs: Type.Integer({ minimum: 1, default: 10, description: 'classes (classification) or outputs (regression)' }),
    activation: Type.Union(TActivation.anyOf, { default: 'relu', description: TActivation.description }),
    task: Type.Union(TTaskKind.anyOf, { default: 'classification', description: TTaskKind.description }),
    nTrain: Type.Integer({ minimum: 1, default: 2048, description: 'training examples' }),
    nTest: Type.Integer({ minimum: 1, default: 1024, description: 'held-out examples (truth)' }),
    inputs: Type.Union([Type.Literal('gaussian'), Type.Literal('clustered')], { default: 'gaussian', description: 'N(0, I) inputs, or a Gaussian mixture (3 centres per output)' }),
    labelNoise: Type.Number({ minimum: 0, maximum: 1, default: 0, description: 'fraction of training labels re-drawn at random' }),
    snrDb: Type.Union([Type.Number(), Type.Literal('inf')], { default: 30, description: 'regression: training-target SNR in dB' }),
    teacherRank: Type.Integer({ minimum: 0, default: 0, description: 'rank of every teacher weight matrix, singular values ∝ 1/√i (0 = full rank)' }),
    init: Type.Union([Type.Literal('he'), Type.Literal('glorot'), Type.Literal('lecun')], { default: 'he', description: 'initialisation of the student' }),
    initStd: Type.Number({ minimum: 0, default: 0, description: 'when > 0, student weights are N(0, initStd²) instead of the init scheme' }),
    steps: Type.Integer({ minimum: 1, default: 300, description: 'step budget' }),
    batchSize: Type.Integer({ minimum: 1, default: 32, description: 'minibatch size (the batch order is fixed by the instance)' }),
    lr: Type.Number({ exclusiveMinimum: 0, default: 0.01, description: 'learning-rate budget: the suggested peak learning rate' }),
    memoryBudget: Type.Integer({ minimum: 0, default: 0, description: 'most optimizer-state floats allowed (0 = no limit)' }),
    spikeProb: Type.Number({ minimum: 0, maximum: 1, default: 0, description: 'probability per step that the gradient oracle adds a rank-1 spectral spike' }),
    spikeScale: Type.Number({ minimum: 0, default: 30, description: 'a spike is spikeScale · ‖G_l‖_F · u vᵀ with unit u, v' }),
  },
  { additionalProperties: false },
);
export type OptimizerParams = Static<typeof OptimizerParams>;

/** A rank-1 gradient spike the oracle injects at one step. */
export const OptimizerSpike = Type.Object(
  {
    step: Type.Integer({ minimum: 0 }),
    layer: Type.Integer({ minimum: 0 }),
    u: TVector({ description: 'unit vector, d_out of the layer' }),
    v: TVector({ description: 'unit vector, d_in of the layer' }),
  },
  { additionalProperties: false },
);
export type OptimizerSpike = Static<typeof OptimizerSpike>;

/** What the solver sees. */
export const OptimizerObservation = Type.Object(
  {
    task: TTaskKind,
    init: TMlp,
    train: TDataset,
    steps: Type.Integer({ minimum: 1, description: 'step budget' }),
    batchSize: Type.Integer({ minimum: 1 }),
    batchOrder: TIntVector({ description: 'steps · batchSize row indices of train: step t uses entries [t·batchSize, (t+1)·batchSize)' }),
    lr: Type.Number({ exclusiveMinimum: 0, description: 'suggested peak learning rate' }),
    memoryBudget: Type.Optional(Type.Integer({ minimum: 0, description: 'most optimizer-state floats allowed' })),
    spikes: Type.Optional(Type.Array(OptimizerSpike, { description: 'gradient spikes the oracle injects (use optimizerGradient)' })),
    spikeScale: Type.Optional(Type.Number({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type OptimizerObservation = Static<typeof OptimizerObservation>;

/** What only the scorer sees. */
export const OptimizerTruth = Type.Object({ test: TDataset, teacher: TMlp }, { additionalProperties: false });
export type OptimizerTruth = Static<typeof OptimizerTruth>;

/** What a solver returns. */
export const OptimizerSolution = Type.Object(
  {
    model: TMlp,
    trainLoss: TVector({ minItems: 1, description: 'minibatch training loss at each step taken (at most steps entries)' }),
    stateFloats: Type.Integer({ minimum: 0, description: 'floats of optimizer state the method held (momenta, moments, projections, indices)' }),
  },
  { additionalProperties: false },
);
export type OptimizerSolution = Static<typeof OptimizerSolution>;
