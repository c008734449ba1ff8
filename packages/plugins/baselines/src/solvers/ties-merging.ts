import {
  ParsimonyError,
  Type,
  defineSolver,
  modelMerging,
  type Dataset,
  type Mlp,
  type ModelMergingObservation,
  type ModelMergingSolution,
  type SolverContext,
  type Static,
  type TaskKind,
} from '@parsimony/core';
import { checkBase, checkNumber, chooseScale, linspaceStep, taskVectors, type ScaledMerge } from '../internal/nn.js';

/** Yadav et al. 2023's validation grid for λ: 0.8, 0.9, ..., 1.8. */
const TIES_GRID = linspaceStep(0.8, 1.8, 0.1);

/** Parameters of {@link tiesMerging}. */
export const TiesMergingParams = Type.Object(
  {
    density: Type.Number({
      exclusiveMinimum: 0,
      maximum: 1,
      default: 0.2,
      description: 'k: fraction of each task vector kept by the trim step, largest magnitudes first (the paper\'s default k = 20%)',
    }),
    lambda: Type.Optional(
      Type.Number({
        minimum: 0,
        description: 'scaling λ of θ₀ + λ τ_m; default: the λ of lambdaGrid with the lowest mean task loss on observation.calibration, or 1 when the merge is data-free (the paper\'s default)',
      }),
    ),
    lambdaGrid: Type.Array(Type.Number({ minimum: 0 }), {
      minItems: 1,
      default: TIES_GRID,
      description: 'candidate λ tried on the calibration sets when lambda is not set (the paper: 0.8 to 1.8 in steps of 0.1)',
    }),
  },
  { additionalProperties: false },
);
export type TiesMergingParams = Static<typeof TiesMergingParams>;

/** Options of the plain {@link tiesMerging} function. */
export interface TiesMergingOptions {
  /** Fraction k ∈ (0, 1] of each task vector's entries kept (default 0.2). */
  readonly density?: number;
  /** A fixed λ ≥ 0 (wins over calibration); default 1 without calibration. */
  readonly lambda?: number;
  /** Labelled sets (one per task) to choose λ on. */
  readonly calibration?: readonly Dataset[];
  /** Loss of the calibration sets; required with `calibration`. */
  readonly task?: TaskKind;
  /** Candidates for λ (default 0.8, 0.9, ..., 1.8). */
  readonly lambdaGrid?: readonly number[];
  /** Polled before each candidate λ. */
  readonly signal?: AbortSignal;
  /** Called with each candidate's 1-based index, λ and mean calibration loss. */
  readonly onCandidate?: (index: number, lambda: number, loss: number) => void;
}

/**
 * The first two steps of TIES on one task vector: the entries whose
 * magnitude is at least the `keep`-th largest one survive, the rest become 0
 * (ties at the threshold survive, as in the authors' `topk_values_mask`).
 */
function trim(tau: Float64Array, density: number): Float64Array {
  const n = tau.length;
  // Deviation: keep round(k·n) (at least one) largest; the authors' code keeps int(k·n) + 1 via a k-th value.
  const keep = Math.min(n, Math.max(1, Math.round(density * n)));
  const mag = Float64Array.from(tau, Math.abs).sort();
  const threshold = mag[n - keep];
  return Float64Array.from(tau, (v) => (Math.abs(v) >= threshold ? v : 0));
}

/**
 * The merged task vector of TIES-Merging (Yadav et al. 2023, Alg. 1, steps
 * 1-3): (1) trim each τ_k to its top-k% magnitudes; (2) elect the sign
 * γ = sgn(Σ_k τ̂_k) of every parameter (the sign of the larger total mass);
 * (3) disjoint mean: τ_m = mean of the τ̂_k entries whose sign agrees with γ
 * (zero entries never count; no agreeing entry gives 0).
 *
 * @param tau - the task vectors τ_k, one length each
 * @param density - k ∈ (0, 1], the fraction of entries each τ_k keeps
 * @returns τ_m
 * @example
 * tiesMergeVectors([Float64Array.of(1, -2), Float64Array.of(3, 1)], 1) // => [2, -2]
 */
export function tiesMergeVectors(tau: readonly Float64Array[], density: number): Float64Array {
  const fn = 'tiesMergeVectors';
  checkNumber(fn, 'density', density, { min: 0, exclusiveMin: true, max: 1 });
  if (tau.length === 0) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: tau is empty; expected at least one task vector`, 'tau');
  const n = tau[0].length;
  tau.forEach((t, k) => {
    if (t.length !== n) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: tau[${k}] has ${t.length} entries, tau[0] has ${n}`, `tau[${k}]`);
  });
  const trimmed = tau.map((t) => trim(t, density));
  const elected = new Float64Array(n);
  for (const t of trimmed) for (let j = 0; j < n; j++) elected[j] += t[j];
  const merged = new Float64Array(n);
  const count = new Int32Array(n);
  for (const t of trimmed) {
    for (let j = 0; j < n; j++) {
      const v = t[j];
      if ((elected[j] > 0 && v > 0) || (elected[j] < 0 && v < 0)) {
        merged[j] += v;
        count[j]++;
      }
    }
  }
  for (let j = 0; j < n; j++) if (count[j] > 1) merged[j] /= count[j];
  return merged;
}

/**
 * TIES-Merging (Yadav et al. 2023, "TIES-Merging: resolving interference
 * when merging models", Alg. 1): θ = θ₀ + λ τ_m with τ_m the trimmed,
 * sign-elected disjoint mean of the task vectors τ_k = θ_k − θ₀
 * ({@link tiesMergeVectors}). Every parameter (weights and biases) is one
 * vector, trimmed globally per task as in the authors' code. λ is chosen on
 * calibration data over 0.8..1.8 when given, else 1 (the paper's default
 * with k = 20%).
 * Deviation: λ is selected on the mean task loss (the family's primary
 * metric), not on validation accuracy.
 *
 * @param base - θ₀
 * @param models - θ_1..θ_K, fine-tuned from θ₀ (same architecture)
 * @param options - `density`, `lambda`, or `calibration` + `task` (+ `lambdaGrid`)
 * @returns the merged model and the λ used
 * @example
 * const { model } = tiesMerging(base, models, { density: 0.2 });
 */
export function tiesMerging(base: Mlp, models: readonly Mlp[], options: TiesMergingOptions = {}): ScaledMerge {
  const fn = 'tiesMerging';
  checkBase(fn, base, models);
  const { base: b, tau } = taskVectors(base, models);
  const merged = tiesMergeVectors(tau, options.density ?? 0.2);
  // Deviation: with calibration data λ minimizes the mean task loss (the paper validates accuracy).
  return chooseScale(fn, base, b, merged, options, TIES_GRID, 1);
}

/** Why the solver does not apply: task vectors need θ₀, which the same-task variant lacks. */
export function skipTiesMerging(obs: ModelMergingObservation): string | undefined {
  return obs.base ? undefined : `task vectors θ_k − θ₀ need the pre-trained θ₀, which variant "${obs.variant}" does not give (use baselines/weight-averaging)`;
}

/** The bench entry (every variant with θ₀: fine-tuned, lora, orthogonal). */
export function solveTiesMerging(obs: ModelMergingObservation, params: TiesMergingParams, ctx: SolverContext): ModelMergingSolution {
  ctx.signal.throwIfAborted();
  const skipped = skipTiesMerging(obs);
  if (skipped) throw new ParsimonyError('PARSIMONY_UNSUPPORTED', `baselines/ties-merging: ${skipped}`);
  const { model, lambda } = tiesMerging(obs.base!, obs.models, {
    density: params.density,
    lambda: params.lambda,
    lambdaGrid: params.lambdaGrid,
    calibration: obs.calibration,
    task: obs.task,
    signal: ctx.signal,
    onCandidate: (iteration, lam, loss) => ctx.report({ iteration, lambda: lam, calibration_loss: loss }),
  });
  if (!obs.calibration || params.lambda !== undefined) ctx.report({ iteration: 1, lambda });
  return { model };
}

/** `baselines/ties-merging`: {@link tiesMerging} as a registered solver. */
export const tiesMergingSolver = defineSolver({
  id: 'baselines/ties-merging',
  family: modelMerging,
  title: 'TIES-Merging',
  summary: 'Trim each task vector to its top-k% magnitudes, elect signs by total mass, average the agreeing entries, scale by λ (Yadav et al. 2023).',
  params: TiesMergingParams,
  solve: solveTiesMerging,
  skip: skipTiesMerging,
});
