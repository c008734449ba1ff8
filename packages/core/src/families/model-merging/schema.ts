import { Type, type Static } from '@sinclair/typebox';
import { TIntVector, TMatrix } from '../../schema/types.js';
import { TActivation, TDataset, TMlp, TTaskKind } from '../../nn/types.js';
import { TLoraFactors } from '../../nn/lora.js';

/** How the K models to merge are made. */
export const ModelMergingVariant = Type.Union(
  [Type.Literal('fine-tuned'), Type.Literal('lora'), Type.Literal('orthogonal'), Type.Literal('same-task')],
  {
    description:
      'fine-tuned: θ₀ fully fine-tuned on K related tasks; lora: the same with rank-r LoRA factors; orthogonal: experts θ₀ with W₀R_k (OFT-style); same-task: K models trained on one task from different seeds',
  },
);
export type ModelMergingVariant = Static<typeof ModelMergingVariant>;

/** Generator parameters; defaults are the `quick` size of FAMILIES.md (MLP 32-64-10, K = 4). */
export const ModelMergingParams = Type.Object(
  {
    variant: Type.Union(ModelMergingVariant.anyOf, { default: 'fine-tuned', description: ModelMergingVariant.description }),
    inputDim: Type.Integer({ minimum: 1, default: 32, description: 'input dimension d_in' }),
    hidden: Type.Array(Type.Integer({ minimum: 1 }), { default: [64], description: 'hidden widths ([] = a linear layer)' }),
    outputs: Type.Integer({ minimum: 1, default: 10, description: 'classes (classification) or outputs (regression)' }),
    activation: Type.Union(TActivation.anyOf, { default: 'relu', description: TActivation.description }),
    task: Type.Union(TTaskKind.anyOf, { default: 'classification', description: TTaskKind.description }),
    tasks: Type.Integer({ minimum: 1, maximum: 64, default: 4, description: 'K: tasks (or, for same-task, models) to merge' }),
    nTrain: Type.Integer({ minimum: 1, default: 2048, description: 'training examples per task (core fine-tunes on them; the solver sees only calibrationSize of them)' }),
    nTest: Type.Integer({ minimum: 1, default: 1000, description: 'held-out examples per task (truth)' }),
    inputs: Type.Union([Type.Literal('gaussian'), Type.Literal('clustered')], { default: 'gaussian', description: 'N(0, I) inputs, or a Gaussian mixture (3 centres per output, centre std 2)' }),
    labels: Type.Union([Type.Literal('teacher'), Type.Literal('clusters')], {
      default: 'teacher',
      description: 'classification labels: teacher argmax, or (same-task with clustered inputs) the mixture component\'s class',
    }),
    labelNoise: Type.Number({ minimum: 0, maximum: 1, default: 0, description: 'fraction of training labels re-drawn at random' }),
    snrDb: Type.Union([Type.Number(), Type.Literal('inf')], { default: 30, description: 'regression: training-target SNR in dB' }),
    taskShift: Type.Number({ minimum: 0, default: 0.5, description: "relative size ‖ΔW_k‖_F/‖W‖_F of each task teacher's shift from the base teacher, per layer" }),
    shiftKind: Type.Union([Type.Literal('low-rank'), Type.Literal('gaussian'), Type.Literal('decaying'), Type.Literal('sparse')], {
      default: 'low-rank',
      description: 'structure of the task shifts',
    }),
    taskRank: Type.Integer({ minimum: 1, default: 4, description: 'rank of low-rank task shifts' }),
    shiftSpread: Type.Number({ minimum: 1, default: 1, description: 'ratio of the largest to smallest task-shift magnitude (log-uniform); 1 = equal' }),
    pretrainSteps: Type.Integer({ minimum: 0, default: 150, description: 'Adam steps pre-training θ₀ (same-task: training each model)' }),
    finetuneSteps: Type.Integer({ minimum: 0, default: 80, description: 'Adam steps fine-tuning θ₀ on each task' }),
    batchSize: Type.Integer({ minimum: 1, default: 32, description: 'minibatch size of core training' }),
    lr: Type.Number({ exclusiveMinimum: 0, default: 0.01, description: 'Adam learning rate of core training' }),
    loraRank: Type.Integer({ minimum: 1, default: 4, description: 'lora: rank of each layer\'s factors' }),
    oftDim: Type.Integer({ minimum: 2, default: 8, description: 'orthogonal: dimension of the subspace each R_k rotates' }),
    oftAngle: Type.Number({ minimum: 0, default: 0.8, description: 'orthogonal: ‖A_k‖_F of the skew generator, R_k = Cayley(A_k)' }),
    oftResidual: Type.Number({ minimum: 0, default: 0, description: 'orthogonal: relative size of a rank-2 residual added to each expert (0 = exact OFT experts)' }),
    calibrationSize: Type.Integer({ minimum: 0, default: 0, description: 'labelled training examples per task shown to the solver (0 = data-free)' }),
  },
  { additionalProperties: false },
);
export type ModelMergingParams = Static<typeof ModelMergingParams>;

/** What the solver sees. */
export const ModelMergingObservation = Type.Object(
  {
    variant: ModelMergingVariant,
    task: TTaskKind,
    /** θ₀, the pre-trained model every θ_k was fine-tuned from (absent for same-task). */
    base: Type.Optional(TMlp),
    models: Type.Array(TMlp, { minItems: 1, description: 'θ_k, one per task (same-task: per seed), same architecture' }),
    lora: Type.Optional(Type.Array(Type.Array(TLoraFactors), { description: 'lora: per task, per layer, factors with θ_k.W_l = θ₀.W_l + B A' })),
    rotations: Type.Optional(Type.Array(TMatrix(), { description: 'orthogonal: R_k (d_in x d_in) with θ_k.W_0 = θ₀.W_0 R_k (+ residual)' })),
    calibration: Type.Optional(Type.Array(TDataset, { description: 'labelled calibration examples per task (only when calibrationSize > 0)' })),
  },
  { additionalProperties: false },
);
export type ModelMergingObservation = Static<typeof ModelMergingObservation>;

/** What only the scorer sees. */
export const ModelMergingTruth = Type.Object(
  {
    tests: Type.Array(TDataset, { description: 'held-out test set per task (same-task: one)' }),
    baseTest: TDataset,
    teachers: Type.Array(TMlp, { description: 'the teacher of each task' }),
  },
  { additionalProperties: false },
);
export type ModelMergingTruth = Static<typeof ModelMergingTruth>;

/** What a solver returns. */
export const ModelMergingSolution = Type.Object(
  {
    /** The merged model θ, same architecture as the θ_k. */
    model: TMlp,
    permutations: Type.Optional(
      Type.Array(Type.Array(TIntVector()), {
        description: 'same-task: per model, per hidden layer, the permutation aligning it (perm[i] = j: unit i of the aligned model is unit j of the model)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ModelMergingSolution = Static<typeof ModelMergingSolution>;
