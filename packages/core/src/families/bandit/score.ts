import type { MetricSpec } from '../../plugin/family.js';
import { clampMetric } from '../common.js';
import type { BanditObservation, BanditSolution, BanditTruth } from './schema.js';

/** The metrics of `bandit`, one primary (formulas in README.md). */
export const banditMetrics: readonly MetricSpec[] = [
  {
    id: 'regret',
    label: 'Regret',
    direction: 'min',
    primary: true,
    description: "the task's regret: cumulative_regret for variant regret, simple_regret for variant best-arm",
  },
  {
    id: 'cumulative_regret',
    label: 'Cumulative regret',
    direction: 'min',
    description: 'Σ over pulls of (μ* - μ_a); for variant regret each of the T - pulls unplayed rounds is charged the mean gap (a uniformly random arm)',
  },
  { id: 'regret_per_step', label: 'Regret per step', direction: 'min', description: 'cumulative_regret / T (regret) or / max(pulls, 1) (best-arm)' },
  {
    id: 'simple_regret',
    label: 'Simple regret',
    direction: 'min',
    description: 'μ* - μ_â of the recommended arm â (solution.arm, else the most pulled arm; the mean gap when there is neither)',
  },
  { id: 'pulls', label: 'Pulls', direction: 'min', unit: 'pulls', description: 'pulls made (counted by the session)' },
];

/**
 * Mean reward of every arm, μ_i = ⟨θ, a_i⟩ + η_i (the misspecification
 * included), and μ* = max μ_i.
 *
 * @example
 * const { means, best } = armMeans(observation, truth);
 */
export function armMeans(obs: BanditObservation, truth: BanditTruth): { means: Float64Array; best: number } {
  const { rows: K, cols: d, data } = obs.arms;
  const means = new Float64Array(K);
  let best = -Infinity;
  for (let i = 0; i < K; i++) {
    let s = truth.eta[i];
    for (let j = 0; j < d; j++) s += truth.theta[j] * data[i * d + j];
    means[i] = s;
    if (s > best) best = s;
  }
  return { means, best };
}

/** Gaps μ* - μ_i ≥ 0 of every arm. */
export function armGaps(obs: BanditObservation, truth: BanditTruth): Float64Array {
  const { means, best } = armMeans(obs, truth);
  return means.map((m) => best - m);
}

/**
 * Metrics of a valid solution. `usage` is what the session counted (pulls,
 * and the pseudo-regret it computed from its pull log and θ); without it the
 * run counts as zero pulls.
 */
export function scoreBandit(obs: BanditObservation, truth: BanditTruth, sol: BanditSolution, usage?: Record<string, number>): Record<string, number> {
  const gaps = armGaps(obs, truth);
  const K = gaps.length, T = obs.horizon;
  let meanGap = 0;
  for (let i = 0; i < K; i++) meanGap += gaps[i];
  meanGap /= K;

  const pulls = usage?.pulls ?? 0;
  const pulled = usage?.pseudo_regret ?? 0;
  const regretTask = obs.variant === 'regret';
  // Unplayed rounds of a horizon cost what a uniformly random arm costs, so stopping early never pays.
  const cumulative = regretTask ? pulled + Math.max(0, T - pulls) * meanGap : pulled;
  const most = usage?.most_pulled_arm ?? -1;
  const recommended = sol.arm ?? (pulls > 0 && most >= 0 && most < K ? most : -1);
  const simple = recommended >= 0 ? gaps[recommended] : meanGap;
  return {
    regret: clampMetric(regretTask ? cumulative : simple),
    cumulative_regret: clampMetric(cumulative),
    regret_per_step: clampMetric(cumulative / (regretTask ? T : Math.max(pulls, 1))),
    simple_regret: clampMetric(simple),
    pulls: clampMetric(pulls),
  };
}
