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
import { checkBase, chooseScale, linspaceStep, taskVectors, type ScaledMerge } from '../internal/nn.js';

/** Ilharco et al. 2023's validation grid: λ = 0, 0.05, ..., 1. */
const TA_GRID = linspaceStep(0, 1, 0.05);

/** λ when there is no validation data. */
const TA_DEFAULT_LAMBDA = 0.3;

/** Parameters of {@link taskArithmetic}. */
export const TaskArithmeticParams = Type.Object(
  {
    lambda: Type.Optional(
      Type.Number({
        minimum: 0,
        description:
          'scaling coefficient λ of θ₀ + λ Σ_k τ_k; default: the λ of lambdaGrid with the lowest mean task loss on observation.calibration, or 0.3 when the merge is data-free',
      }),
    ),
    lambdaGrid: Type.Array(Type.Number({ minimum: 0 }), {
      minItems: 1,
      default: TA_GRID,
      description: 'candidate λ tried on the calibration sets when lambda is not set (Ilharco et al. 2023: 0 to 1 in steps of 0.05)',
    }),
  },
  { additionalProperties: false },
);
export type TaskArithmeticParams = Static<typeof TaskArithmeticParams>;

/** Options of the plain {@link taskArithmetic} function. */
export interface TaskArithmeticOptions {
  /** A fixed λ ≥ 0 (wins over calibration). */
  readonly lambda?: number;
  /** Labelled sets (one per task) to choose λ on; without them and without `lambda`, λ = 0.3. */
  readonly calibration?: readonly Dataset[];
  /** Loss of the calibration sets; required with `calibration`. */
  readonly task?: TaskKind;
  /** Candidates for λ (default 0, 0.05, ..., 1). */
  readonly lambdaGrid?: readonly number[];
  /** Polled before each candidate λ. */
  readonly signal?: AbortSignal;
  /** Called with each candidate's 1-based index, λ and mean calibration loss. */
  readonly onCandidate?: (index: number, lambda: number, loss: number) => void;
}

/**
 * Task arithmetic (Ilharco et al. 2023, "Editing models with task
 * arithmetic", Sec. 2 and 3): the task vectors τ_k = θ_k − θ₀ are added to
 * the pre-trained weights with one scaling coefficient, θ = θ₀ + λ Σ_k τ_k.
 * The paper picks λ ∈ {0, 0.05, ..., 1} on held-out validation data; with
 * calibration sets this does the same (mean task loss).
 * Deviations: the paper selects λ by validation accuracy, here the family's
 * primary metric (the mean task loss) decides; and the paper always
 * validates λ, while a data-free merge here uses λ = 0.3, the usual
 * data-free choice in later work inside the paper's range.
 *
 * @param base - θ₀
 * @param models - θ_1..θ_K, fine-tuned from θ₀ (same architecture)
 * @param options - `lambda`, or `calibration` + `task` (+ `lambdaGrid`)
 * @returns the merged model and the λ used
 * @example
 * const { model, lambda } = taskArithmetic(base, models, { lambda: 0.4 });
 */
export function taskArithmetic(base: Mlp, models: readonly Mlp[], options: TaskArithmeticOptions = {}): ScaledMerge {
  const fn = 'taskArithmetic';
  checkBase(fn, base, models);
  const { base: b, tau } = taskVectors(base, models);
  const sum = new Float64Array(b.length);
  for (const t of tau) for (let j = 0; j < sum.length; j++) sum[j] += t[j];
  // Deviation: λ minimizes the mean calibration loss (the paper validates accuracy); data-free, λ = 0.3.
  return chooseScale(fn, base, b, sum, options, TA_GRID, TA_DEFAULT_LAMBDA);
}

/** Why the solver does not apply: task vectors need θ₀, which the same-task variant lacks. */
export function skipTaskArithmetic(obs: ModelMergingObservation): string | undefined {
  return obs.base ? undefined : `task vectors θ_k − θ₀ need the pre-trained θ₀, which variant "${obs.variant}" does not give (use baselines/weight-averaging)`;
}

/** The bench entry (every variant with θ₀: fine-tuned, lora, orthogonal). */
export function solveTaskArithmetic(obs: ModelMergingObservation, params: TaskArithmeticParams, ctx: SolverContext): ModelMergingSolution {
  ctx.signal.throwIfAborted();
  const skipped = skipTaskArithmetic(obs);
  if (skipped) throw new ParsimonyError('PARSIMONY_UNSUPPORTED', `baselines/task-arithmetic: ${skipped}`);
  const { model, lambda } = taskArithmetic(obs.base!, obs.models, {
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

/** `baselines/task-arithmetic`: {@link taskArithmetic} as a registered solver. */
export const taskArithmeticSolver = defineSolver({
  id: 'baselines/task-arithmetic',
  family: modelMerging,
  title: 'Task arithmetic',
  summary: 'θ₀ + λ Σ_k (θ_k − θ₀), λ chosen on calibration data or 0.3 when data-free (Ilharco et al. 2023).',
  params: TaskArithmeticParams,
  solve: solveTaskArithmetic,
  skip: skipTaskArithmetic,
});
