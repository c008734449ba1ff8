import type { MetricSpec } from '../../plugin/family.js';
import { clampMetric } from '../common.js';
import { evaluateMlp } from '../../nn/losses.js';
import { combineMlps, permuteHidden } from '../../nn/mlp.js';
import type { Mlp, TaskKind } from '../../nn/types.js';
import type { Dataset } from '../../nn/types.js';
import type { ModelMergingObservation, ModelMergingSolution, ModelMergingTruth } from './schema.js';

/** The metrics of model-merging (avg_task_loss is primary). */
export const modelMergingMetrics: readonly MetricSpec[] = [
  { id: 'avg_task_loss', label: 'Avg task loss', direction: 'min', primary: true, description: '(1/K) Σ_k L_k(θ): mean test loss of the merged model over the K tasks (cross-entropy or MSE)' },
  { id: 'avg_task_acc', label: 'Avg task accuracy', direction: 'max', description: '(1/K) Σ_k acc_k(θ) (regression: argmax/sign agreement with the targets)' },
  { id: 'normalized_acc', label: 'Normalized accuracy', direction: 'max', description: '(1/K) Σ_k acc_k(θ) / acc_k(θ_k): merged vs each individual model on its own task' },
  { id: 'worst_task_loss', label: 'Worst task loss', direction: 'min', description: 'max_k L_k(θ)' },
  { id: 'normalized_loss', label: 'Normalized loss', direction: 'min', description: '(1/K) Σ_k L_k(θ) / L_k(θ₀): 1 = no better than the base (same-task: merged loss / mean individual loss)' },
  {
    id: 'loss_barrier',
    label: 'Loss barrier',
    direction: 'min',
    description:
      'same-task, K = 2 with permutations: max over λ ∈ {0, 0.1, …, 1} of L((1-λ)θ_A + λπ(θ_B)) - [(1-λ)L(θ_A) + λL(θ_B)]; otherwise avg_task_loss - (1/K) Σ_k L_k(θ_k)',
  },
  { id: 'base_task_loss', label: 'Base task loss', direction: 'min', description: "test loss of the merged model on θ₀'s own (base) task: forgetting (same-task: the task itself)" },
];

function evalOn(model: Mlp, data: Dataset, task: TaskKind): { loss: number; acc: number } {
  const r = evaluateMlp(model, data, task);
  return { loss: clampMetric(r.loss), acc: Number.isFinite(r.acc) ? r.acc : 0 };
}

/** The interpolation barrier of paper 18 between two (aligned) models on one test set. */
export function interpolationBarrier(a: Mlp, b: Mlp, test: Dataset, task: TaskKind, points = 11): number {
  const la = evalOn(a, test, task).loss, lb = evalOn(b, test, task).loss;
  let worst = -Infinity;
  for (let i = 0; i < points; i++) {
    const t = i / (points - 1);
    const l = evalOn(combineMlps([a, b], [1 - t, t]), test, task).loss;
    worst = Math.max(worst, l - ((1 - t) * la + t * lb));
  }
  return clampMetric(worst);
}

/**
 * Scores a merged model on every task's test set against the K given models
 * (and θ₀). Does not mutate its arguments.
 *
 * @returns the metrics of {@link modelMergingMetrics}
 */
export function scoreModelMerging(obs: ModelMergingObservation, truth: ModelMergingTruth, sol: ModelMergingSolution): Record<string, number> {
  const task = obs.task;
  const sameTask = obs.variant === 'same-task';
  const K = obs.models.length;
  const merged = truth.tests.map((t) => evalOn(sol.model, t, task));
  // Each θ_k on its own task (same-task: every model on the one test set).
  const indiv = obs.models.map((m, k) => evalOn(m, truth.tests[sameTask ? 0 : k], task));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  const avgLoss = clampMetric(mean(merged.map((r) => r.loss)));
  const avgAcc = mean(merged.map((r) => r.acc));
  const meanIndivLoss = mean(indiv.map((r) => r.loss));
  let normalizedAcc: number, normalizedLoss: number;
  if (sameTask) {
    normalizedAcc = avgAcc / Math.max(mean(indiv.map((r) => r.acc)), 1e-12);
    normalizedLoss = avgLoss / Math.max(meanIndivLoss, 1e-300);
  } else {
    normalizedAcc = mean(merged.map((r, k) => r.acc / Math.max(indiv[k].acc, 1e-12)));
    normalizedLoss = mean(merged.map((r, k) => r.loss / Math.max(evalOn(obs.base!, truth.tests[k], task).loss, 1e-300)));
  }

  let barrier = avgLoss - meanIndivLoss;
  if (sameTask && K === 2 && sol.permutations) {
    const a = permuteHidden(obs.models[0], sol.permutations[0]);
    const b = permuteHidden(obs.models[1], sol.permutations[1]);
    barrier = interpolationBarrier(a, b, truth.tests[0], task);
  }

  return {
    avg_task_loss: avgLoss,
    avg_task_acc: avgAcc,
    normalized_acc: clampMetric(normalizedAcc),
    worst_task_loss: clampMetric(Math.max(...merged.map((r) => r.loss))),
    normalized_loss: clampMetric(normalizedLoss),
    loss_barrier: clampMetric(barrier),
    base_task_loss: sameTask ? avgLoss : evalOn(sol.model, truth.baseTest, task).loss,
  };
}
