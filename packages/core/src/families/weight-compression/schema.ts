import { Type, type Static } from '@sinclair/typebox';
import { TMatrix, TVector } from '../../schema/types.js';
import { TActivation, TDataset, TMlp, TTaskKind } from '../../nn/types.js';

/** The fields of {@link WeightCompressionBudget}. */
const budgetFields = {
  sparsity: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1, description: 'fraction of weights that must be zero (kept ≤ ⌈(1 - sparsity)·size⌉; factored layers count nnz of both factors)' })),
  pattern: Type.Optional(Type.Literal('n:m', { description: 'semi-structured sparsity: at most n nonzeros in every m consecutive weights of a row' })),
  n: Type.Optional(Type.Integer({ minimum: 0, description: 'n of the n:m pattern' })),
  m: Type.Optional(Type.Integer({ minimum: 1, description: 'm of the n:m pattern (must divide d_in)' })),
  bits: Type.Optional(Type.Integer({ minimum: 1, maximum: 16, description: 'at most 2^bits distinct values per group (per layer; the mean bits over layers with scope global)' })),
  groupSize: Type.Optional(Type.Integer({ minimum: 1, description: 'quantization group: this many consecutive weights of a row (default: the whole row)' })),
  scope: Type.Optional(Type.Union([Type.Literal('layer'), Type.Literal('global')], { description: 'sparsity and bits per layer (default) or across all layers' })),
};

/**
 * The compression budget. Every field present is a constraint, all must
 * hold: `{sparsity}`, `{pattern: 'n:m', n, m}`, `{bits, groupSize}`, or a
 * combination (e.g. GQSA's W4S50%: `{sparsity: 0.5, bits: 4, groupSize: 16}`);
 * `scope: 'global'` turns sparsity and bits into budgets across all layers.
 */
export const WeightCompressionBudget = Type.Object(budgetFields, { additionalProperties: false });
export type WeightCompressionBudget = Static<typeof WeightCompressionBudget>;

/** Which matrices to compress. */
export const WeightCompressionVariant = Type.Union([Type.Literal('layer'), Type.Literal('kv-cache'), Type.Literal('network')], {
  description: 'layer: weight matrices + calibration inputs; kv-cache: attention key/value caches + decode queries; network: an MLP + training data (retraining allowed)',
});
export type WeightCompressionVariant = Static<typeof WeightCompressionVariant>;

/** Generator parameters; defaults are the `quick` size of FAMILIES.md (one 256 x 512 layer, 512 inputs). */
export const WeightCompressionParams = Type.Object(
  {
    variant: Type.Union(WeightCompressionVariant.anyOf, { default: 'layer', description: WeightCompressionVariant.description }),
    budget: Type.Object(budgetFields, { additionalProperties: false, default: { sparsity: 0.5 }, description: 'the compression budget (see WeightCompressionBudget)' }),
    // layer
    dOut: Type.Integer({ minimum: 1, default: 256, description: 'layer: output dimension of each layer' }),
    dIn: Type.Integer({ minimum: 1, default: 512, description: 'layer: input dimension of each layer' }),
    layers: Type.Integer({ minimum: 1, default: 1, description: 'layer: number of layers (each dOut x dIn)' }),
    shapes: Type.Array(Type.Tuple([Type.Integer({ minimum: 1 }), Type.Integer({ minimum: 1 })]), {
      default: [],
      description: 'layer: explicit [dOut, dIn] per layer; overrides dOut, dIn and layers when non-empty',
    }),
    nCalib: Type.Integer({ minimum: 1, default: 512, description: 'calibration inputs per layer (network: training rows whose activations are given)' }),
    nTest: Type.Integer({ minimum: 1, default: 512, description: 'held-out inputs per layer (network: test examples)' }),
    weights: Type.Union([Type.Literal('gaussian'), Type.Literal('student-t'), Type.Literal('power-law')], {
      default: 'gaussian',
      description: 'layer: N(0, 1/d_in) entries; heavy-tailed Student-t (ν = 4) entries; or singular values i^(-α), α ~ U[0.3, 1.5] per layer',
    }),
    inputCorrelation: Type.Number({ minimum: 0, maximum: 1, default: 0.5, description: 'layer: share of input variance from 16 common factors' }),
    channelScaleStd: Type.Number({ minimum: 0, default: 0.5, description: 'layer: log-normal σ of the per-channel input scales' }),
    scaleBlock: Type.Integer({ minimum: 1, default: 1, description: 'layer: consecutive channels sharing one scale (16 = head-like blocks)' }),
    outlierChannels: Type.Integer({ minimum: 0, default: 8, description: 'layer: input channels scaled by outlierScale' }),
    outlierScale: Type.Number({ minimum: 0, default: 10, description: 'layer: scale of the outlier channels' }),
    // kv-cache
    heads: Type.Integer({ minimum: 1, default: 4, description: 'kv-cache: attention heads' }),
    tokens: Type.Integer({ minimum: 1, default: 1024, description: 'kv-cache: cached tokens T' }),
    headDim: Type.Integer({ minimum: 1, default: 64, description: 'kv-cache: channels per head d' }),
    queries: Type.Integer({ minimum: 1, default: 32, description: 'kv-cache: calibration decode queries per head (as many held out)' }),
    keyOutliers: Type.Integer({ minimum: 0, default: 4, description: 'kv-cache: key channels scaled x8' }),
    kvTarget: Type.Union([Type.Literal('both'), Type.Literal('keys'), Type.Literal('values')], { default: 'both', description: 'kv-cache: caches under the budget; the others must be returned unchanged' }),
    denseWindow: Type.Integer({ minimum: 0, default: 32, description: 'kv-cache: the most recent tokens, exempt from the budget' }),
    // network
    inputDim: Type.Integer({ minimum: 1, default: 64, description: 'network: input dimension' }),
    hidden: Type.Array(Type.Integer({ minimum: 1 }), { default: [256], description: 'network: hidden widths' }),
    outputs: Type.Integer({ minimum: 1, default: 10, description: 'network: classes or outputs' }),
    activation: Type.Union(TActivation.anyOf, { default: 'relu', description: TActivation.description }),
    task: Type.Union(TTaskKind.anyOf, { default: 'classification', description: TTaskKind.description }),
    nTrain: Type.Integer({ minimum: 1, default: 2048, description: 'network: training examples' }),
    labelNoise: Type.Number({ minimum: 0, maximum: 1, default: 0, description: 'network: fraction of training labels re-drawn at random' }),
    steps: Type.Integer({ minimum: 0, default: 300, description: 'network: step budget for retraining' }),
    batchSize: Type.Integer({ minimum: 1, default: 64, description: 'network: suggested minibatch size' }),
    networkInit: Type.Union([Type.Literal('dense'), Type.Literal('scratch')], {
      default: 'dense',
      description: 'network: the given model is the dense teacher to compress, or a random init (sparse training from scratch; the teacher stays hidden)',
    }),
  },
  { additionalProperties: false },
);
export type WeightCompressionParams = Static<typeof WeightCompressionParams>;

/** One matrix to compress. */
export const WeightCompressionLayer = Type.Object(
  {
    W: TMatrix({ description: 'weights, d_out x d_in (kv-cache: the T x d cache)' }),
    X: Type.Optional(TMatrix({ description: 'calibration inputs N x d_in (kv-cache: decode queries; network: this layer\'s input activations)' })),
    role: Type.Optional(Type.Union([Type.Literal('key'), Type.Literal('value')])),
    head: Type.Optional(Type.Integer({ minimum: 0 })),
    frozen: Type.Optional(Type.Boolean({ description: 'not under the budget: return it unchanged' })),
  },
  { additionalProperties: false },
);
export type WeightCompressionLayer = Static<typeof WeightCompressionLayer>;

/** What the solver sees. */
export const WeightCompressionObservation = Type.Object(
  {
    variant: WeightCompressionVariant,
    budget: WeightCompressionBudget,
    layers: Type.Array(WeightCompressionLayer, { minItems: 1 }),
    denseWindow: Type.Optional(Type.Integer({ minimum: 0, description: 'kv-cache: the last denseWindow rows of each cache are exempt from the budget' })),
    network: Type.Optional(
      Type.Object(
        {
          model: TMlp,
          train: TDataset,
          task: TTaskKind,
          steps: Type.Integer({ minimum: 0 }),
          batchSize: Type.Integer({ minimum: 1 }),
          fromScratch: Type.Boolean({ description: 'true: model is a random init and the teacher is hidden' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type WeightCompressionObservation = Static<typeof WeightCompressionObservation>;

/** Held-out inputs and the dense outputs to compare against. */
export const WeightCompressionOutput = Type.Object(
  {
    X: TMatrix({ description: 'held-out inputs (kv-cache: queries of one head)' }),
    Y: TMatrix({ description: 'dense outputs X Wᵀ (kv-cache: softmax(X Kᵀ/√d) V)' }),
  },
  { additionalProperties: false },
);

/** What only the scorer sees. */
export const WeightCompressionTruth = Type.Object(
  {
    outputs: Type.Array(WeightCompressionOutput, { description: 'layer: one per layer; kv-cache: one per head; network: empty' }),
    network: Type.Optional(Type.Object({ test: TDataset, teacher: TMlp }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type WeightCompressionTruth = Static<typeof WeightCompressionTruth>;

/** One compressed matrix. */
export const WeightCompressionSolutionLayer = Type.Object(
  {
    W: TMatrix({ description: 'Ŵ, dense with zeros, same shape as the layer' }),
    bits: Type.Optional(Type.Integer({ minimum: 1, maximum: 32, description: 'declared value bits: at most 2^bits distinct values per group (checked)' })),
    factors: Type.Optional(
      Type.Object(
        { left: TMatrix({ description: 'd_out x r' }), right: TMatrix({ description: 'r x d_in' }) },
        { additionalProperties: false, description: 'a factorization Ŵ = left · right; parameters are counted as nnz(left) + nnz(right)' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type WeightCompressionSolutionLayer = Static<typeof WeightCompressionSolutionLayer>;

/** What a solver returns. */
export const WeightCompressionSolution = Type.Object(
  {
    layers: Type.Array(WeightCompressionSolutionLayer, { description: 'one per observation layer, in order' }),
    biases: Type.Optional(Type.Array(TVector(), { description: 'network: retrained biases per layer (default: the given model\'s)' })),
  },
  { additionalProperties: false },
);
export type WeightCompressionSolution = Static<typeof WeightCompressionSolution>;
