import { Type, type Static } from '@sinclair/typebox';

/**
 * A paper's claim as data, evaluated on bench results (median over seeds of
 * one task's primary or named metric). Either relative — `solver` beats
 * `versus` by at least `margin` in the metric's units, in its direction, or
 * stays within `ratio` times it (for positive metrics such as errors,
 * iterations, times) — or absolute — `solver` reaches `value` or better.
 */
export const ClaimSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', description: 'kebab-case id, unique in the plugin' }),
    statement: Type.String({ minLength: 1, description: "The paper's sentence, paraphrased." }),
    task: Type.String({ minLength: 1, description: 'Suite task id, e.g. sparse-recovery/kronecker' }),
    metric: Type.String({ pattern: '^[a-z0-9_]+$', description: 'Metric id of the task family' }),
    solver: Type.String({ description: 'Solver whose result is claimed' }),
    versus: Type.Optional(Type.String({ description: 'Baseline solver it must beat' })),
    margin: Type.Optional(Type.Number({ minimum: 0, description: 'Required improvement over versus, metric units (default 0)' })),
    ratio: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description: 'Relative form instead of margin: solver <= ratio * versus (min metrics) or >= ratio * versus (max metrics); e.g. 1.05 = within 5%, 0.33 = at most a third',
      }),
    ),
    value: Type.Optional(Type.Number({ description: 'Absolute level the solver must reach (or beat)' })),
    source: Type.Optional(Type.String({ description: 'Where in the paper (table, figure)' })),
  },
  { additionalProperties: false },
);

export type Claim = Static<typeof ClaimSchema>;

export type ClaimVerdict =
  | { readonly verdict: 'reproduced' | 'not reproduced'; readonly measured: number; readonly reference: number; readonly detail: string }
  | { readonly verdict: 'not run'; readonly detail: string };

/**
 * Evaluates a claim given the measured medians of the metric per solver on
 * the claim's task (undefined when the solver did not run or failed there).
 */
export function evaluateClaim(
  claim: Claim,
  direction: 'min' | 'max',
  medianOf: (solverId: string) => number | undefined,
): ClaimVerdict {
  const measured = medianOf(claim.solver);
  if (measured === undefined) return { verdict: 'not run', detail: `${claim.solver} has no result on ${claim.task}` };
  const better = (a: number, b: number) => (direction === 'min' ? a <= b : a >= b);
  if (claim.versus !== undefined) {
    const base = medianOf(claim.versus);
    if (base === undefined) return { verdict: 'not run', detail: `${claim.versus} has no result on ${claim.task}` };
    const margin = claim.margin ?? 0;
    const target = claim.ratio !== undefined ? claim.ratio * base : direction === 'min' ? base - margin : base + margin;
    const ok = better(measured, target);
    return {
      verdict: ok ? 'reproduced' : 'not reproduced',
      measured,
      reference: target,
      detail: `${claim.metric}: ${claim.solver} ${fmt(measured)} vs ${claim.versus} ${fmt(base)} (needs ${direction === 'min' ? '<=' : '>='} ${fmt(target)})`,
    };
  }
  const value = claim.value!;
  const ok = better(measured, value);
  return {
    verdict: ok ? 'reproduced' : 'not reproduced',
    measured,
    reference: value,
    detail: `${claim.metric}: ${claim.solver} ${fmt(measured)} (needs ${direction === 'min' ? '<=' : '>='} ${fmt(value)})`,
  };
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(4);
}
