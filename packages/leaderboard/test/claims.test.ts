import { describe, expect, test } from 'vitest';
import type { Claim } from '@parsimony/core';
import { buildLeaderboard, evaluateClaims, evaluateTaskClaim } from '../src/index.js';
import { rec, run } from './records.js';

const base = { id: 'c', statement: 'a beats b', task: 'sparse-recovery/quick', metric: 'nmse_db', solver: 'p/a' } as const;

/** p/a: median -30 dB (seeds -29, -30, -31; one failed seed ignored); base/b: median -27 dB. */
const lb = buildLeaderboard([
  run([
    rec('p/a', 0, { nmse_db: -29, support_f1: 0.9 }),
    rec('p/a', 1, { nmse_db: -30, support_f1: 1 }),
    rec('p/a', 2, { nmse_db: -31, support_f1: 0.95 }),
    rec('p/a', 3, { status: 'error', reason: 'boom' }),
    rec('base/b', 0, { nmse_db: -27, support_f1: 0.8 }),
    rec('base/b', 1, { nmse_db: -26, support_f1: 0.8 }),
    rec('base/b', 2, { nmse_db: -28, support_f1: 0.8 }),
    rec('base/dead', 0, { status: 'timeout' }),
  ]),
]);
const evaluate = (claim: Claim) => evaluateTaskClaim('p', claim, lb.tasks, lb.families);

describe('claim evaluation on results', () => {
  test('a relative claim that holds is reproduced, with the measured numbers', () => {
    const r = evaluate({ ...base, versus: 'base/b', margin: 2 });
    expect(r.verdict).toMatchObject({ verdict: 'reproduced', measured: -30, reference: -29 });
    expect([r.solverValue, r.versusValue]).toEqual([-30, -27]);
  });

  test('a relative claim whose margin is not met is not reproduced, with the measured and required numbers', () => {
    const r = evaluate({ ...base, versus: 'base/b', margin: 5 });
    expect(r.verdict).toMatchObject({ verdict: 'not reproduced', measured: -30, reference: -32 });
    expect(r.verdict.detail).toContain('-27');
  });

  test('a margin of zero means at least as good; direction follows the metric (max for support_f1)', () => {
    expect(evaluate({ ...base, metric: 'support_f1', versus: 'base/b' }).verdict).toMatchObject({ verdict: 'reproduced', measured: 0.95, reference: 0.8 });
    expect(evaluate({ ...base, metric: 'support_f1', versus: 'base/b', margin: 0.2 }).verdict).toMatchObject({ verdict: 'not reproduced', reference: 1 });
  });

  test('an absolute claim compares the median with the value', () => {
    expect(evaluate({ ...base, value: -25 }).verdict).toMatchObject({ verdict: 'reproduced', measured: -30, reference: -25 });
    expect(evaluate({ ...base, value: -35 }).verdict).toMatchObject({ verdict: 'not reproduced', measured: -30, reference: -35 });
  });

  test('a claim on a task that is not in the results is not run', () => {
    expect(evaluate({ ...base, task: 'sparse-recovery/kronecker', value: 0 }).verdict).toEqual({ verdict: 'not run', detail: 'task sparse-recovery/kronecker is not in these results' });
  });

  test('a claim whose solver, or baseline, has no score on the task is not run', () => {
    expect(evaluate({ ...base, solver: 'p/missing', value: 0 }).verdict.verdict).toBe('not run');
    expect(evaluate({ ...base, versus: 'base/dead' }).verdict).toEqual({ verdict: 'not run', detail: 'base/dead has no result on sparse-recovery/quick' });
  });

  test('a claim on a metric the family does not have is not run, and says so', () => {
    expect(evaluate({ ...base, metric: 'psnr', value: 0 }).verdict).toEqual({ verdict: 'not run', detail: 'psnr is not a metric of family sparse-recovery' });
  });

  test('a solver run with several params is judged by its best configuration', () => {
    const grid = buildLeaderboard([
      run([
        rec('p/a', 0, { nmse_db: -10 }, { params: { lambda: 1 } }),
        rec('p/a', 0, { nmse_db: -40 }, { params: { lambda: 0.1 } }),
        rec('base/b', 0, { nmse_db: -20 }),
      ]),
    ]);
    expect(evaluateTaskClaim('p', { ...base, versus: 'base/b', margin: 10 }, grid.tasks, grid.families).verdict).toMatchObject({ verdict: 'reproduced', measured: -40 });
  });

  test('evaluateClaims covers every claim of every plugin', () => {
    const plugins = [
      { name: 'p', solvers: [{ id: 'p/a', title: 'A', family: 'sparse-recovery' }], claims: [{ ...base, value: -25 }, { ...base, id: 'd', versus: 'base/b', margin: 5 }] },
      { name: 'base', solvers: [{ id: 'base/b', title: 'B', family: 'sparse-recovery' }], claims: [] },
    ];
    const withClaims = buildLeaderboard([{ ...lb.runs[0], manifest: { ...lb.runs[0].manifest, plugins } }]);
    expect(evaluateClaims(withClaims).map((r) => [r.plugin, r.claim.id, r.verdict.verdict])).toEqual([
      ['p', 'c', 'reproduced'],
      ['p', 'd', 'not reproduced'],
    ]);
  });
});
