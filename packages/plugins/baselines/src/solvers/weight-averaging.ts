import {
  ParsimonyError,
  Type,
  defineSolver,
  flattenMlp,
  modelMerging,
  type Mlp,
  type ModelMergingObservation,
  type ModelMergingSolution,
  type SolverContext,
  type Static,
  unflattenMlp,
} from '@parsimony/core';
import { calibrationLoss, checkNumber, checkSameArchitecture } from '../internal/nn.js';

/** Parameters of {@link weightAveraging}. */
export const WeightAveragingParams = Type.Object(
  {
    weights: Type.Optional(
      Type.Array(Type.Number({ minimum: 0 }), {
        minItems: 1,
        description: 'non-negative weight of each model θ_k (normalized to sum 1); default uniform, 1/K each (a uniform model soup)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type WeightAveragingParams = Static<typeof WeightAveragingParams>;

/** Options of the plain {@link weightAveraging} function. */
export interface WeightAveragingOptions {
  /** Non-negative weights, one per model, normalized to sum 1 (default uniform). */
  readonly weights?: readonly number[];
}

/**
 * Weight averaging: θ = Σ_k w_k θ_k with Σ_k w_k = 1 (uniform w_k = 1/K by
 * default), parameter by parameter. The "uniform soup" of Wortsman et al.
 * 2022 (Model soups, Sec. 2.1), the same average FedAvg takes (McMahan et
 * al. 2017, Alg. 1); no alignment of hidden units. Computed as
 * θ_1 + Σ_k w_k (θ_k − θ_1): the rounding error scales with the models'
 * differences, and K identical models average to the model exactly.
 *
 * @param models - θ_1..θ_K, one architecture
 * @param options - `weights`
 * @returns the averaged model (a new object)
 * @example
 * const soup = weightAveraging([a, b, c]); // (a + b + c) / 3
 */
export function weightAveraging(models: readonly Mlp[], options: WeightAveragingOptions = {}): Mlp {
  const fn = 'weightAveraging';
  checkSameArchitecture(fn, models);
  const K = models.length;
  let w: number[];
  if (options.weights === undefined) {
    w = models.map(() => 1 / K);
  } else {
    if (options.weights.length !== K) {
      throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: weights has ${options.weights.length} entries; expected one per model (${K})`, 'weights');
    }
    options.weights.forEach((v, k) => checkNumber(fn, `weights[${k}]`, v, { min: 0 }));
    const s = options.weights.reduce((a, b) => a + b, 0);
    if (!(s > 0)) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: weights sum to ${s}; expected at least one weight > 0`, 'weights');
    w = options.weights.map((v) => v / s);
  }
  const anchor = flattenMlp(models[0]);
  const acc = new Float64Array(anchor.length);
  for (let k = 1; k < K; k++) {
    const wk = w[k], t = flattenMlp(models[k]);
    for (let j = 0; j < acc.length; j++) acc[j] += wk * (t[j] - anchor[j]);
  }
  for (let j = 0; j < acc.length; j++) acc[j] += anchor[j];
  return unflattenMlp(models[0], acc);
}

/** The bench entry: averages observation.models (the base θ₀ is not included). */
export function solveWeightAveraging(obs: ModelMergingObservation, params: WeightAveragingParams, ctx: SolverContext): ModelMergingSolution {
  ctx.signal.throwIfAborted();
  const model = weightAveraging(obs.models, { weights: params.weights });
  // One point: the average has no iterations; with calibration data, its loss.
  ctx.report(obs.calibration ? { iteration: 1, calibration_loss: calibrationLoss(model, obs.calibration, obs.task) } : { iteration: 1 });
  return { model };
}

/** `baselines/weight-averaging`: {@link weightAveraging} as a registered solver. */
export const weightAveragingSolver = defineSolver({
  id: 'baselines/weight-averaging',
  family: modelMerging,
  title: 'Weight averaging',
  summary: 'The (weighted) parameter average of the K models, a uniform model soup (Wortsman et al. 2022); data-free, no alignment.',
  params: WeightAveragingParams,
  solve: solveWeightAveraging,
});
