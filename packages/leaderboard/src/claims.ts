import { evaluateClaim, type Claim, type ClaimVerdict, type MetricSpec } from '@parsimony/core';
import type { Leaderboard, TaskSummary } from './model.js';
import { solverMedian } from './model.js';

/** A plugin's claim with its verdict on these results. */
export interface ClaimResult {
  readonly plugin: string;
  readonly claim: Claim;
  /** From core's evaluateClaim, or `not run` when the task, metric or solver is absent. */
  readonly verdict: ClaimVerdict;
  /** The metric's spec in the task's family, when known. */
  readonly metric?: MetricSpec;
  /** Median of the claimed solver on the task (undefined: no result). */
  readonly solverValue?: number;
  /** Median of the `versus` solver on the task, for relative claims. */
  readonly versusValue?: number;
}

/**
 * Evaluates one claim on the results with core's `evaluateClaim`: the median
 * over seeds of `claim.metric` for `claim.solver` (and `claim.versus`) on
 * `claim.task`, in the direction of the family's metric. A solver run with
 * several params counts with its best configuration. A task that is not in
 * the results, or a metric its family does not have, makes the claim `not run`.
 *
 * @example
 * evaluateTaskClaim(claim, lb.tasks, lb.families).verdict.verdict; // => 'reproduced'
 */
export function evaluateTaskClaim(
  plugin: string,
  claim: Claim,
  tasks: readonly TaskSummary[],
  families: Leaderboard['families'],
): ClaimResult {
  const task = tasks.find((t) => t.id === claim.task);
  if (!task) return { plugin, claim, verdict: { verdict: 'not run', detail: `task ${claim.task} is not in these results` } };
  const family = families.find((f) => f.id === task.family);
  const metric = family?.metrics.find((m) => m.id === claim.metric);
  if (!metric) {
    return { plugin, claim, verdict: { verdict: 'not run', detail: `${claim.metric} is not a metric of family ${task.family}` } };
  }
  const medianOf = (solver: string) => solverMedian(task, solver, metric.id, metric.direction);
  const solverValue = medianOf(claim.solver);
  const versusValue = claim.versus !== undefined ? medianOf(claim.versus) : undefined;
  return {
    plugin,
    claim,
    verdict: evaluateClaim(claim, metric.direction, medianOf),
    metric,
    ...(solverValue !== undefined && { solverValue }),
    ...(versusValue !== undefined && { versusValue }),
  };
}

/**
 * Evaluates every plugin's declared claims against the leaderboard's results.
 *
 * @returns one result per claim, grouped by plugin in the leaderboard's order
 */
export function evaluateClaims(lb: Leaderboard): ClaimResult[] {
  return lb.plugins.flatMap((p) => p.claims.map((c) => evaluateTaskClaim(p.name, c, lb.tasks, lb.families)));
}
