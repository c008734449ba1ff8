import { describe, expect, test } from 'vitest';
import { aggregateEntries, buildLeaderboard, familyProfile, rankEntries, solverMedian, summarizeTask } from '../src/index.js';
import { F1, NMSE, rec, run, sparse } from './records.js';
import { Linker, SiteMap, rankingTable } from '../src/pages.js';

describe('ranking a task', () => {
  test('ranks by the median over seeds of the primary metric, in its direction', () => {
    const t = summarizeTask('sparse-recovery/quick', sparse, [
      rec('a/x', 0, { nmse_db: -10 }),
      rec('a/x', 1, { nmse_db: -30 }),
      rec('a/x', 2, { nmse_db: -20 }), // median -20
      rec('b/y', 0, { nmse_db: -25 }),
      rec('b/y', 1, { nmse_db: -26 }), // median -25.5 (even count: mean of the middle two)
    ]);
    expect(t.entries.map((e) => [e.solver, e.rank, e.primary?.median])).toEqual([
      ['b/y', 1, -25.5],
      ['a/x', 2, -20],
    ]);
    expect(t.entries[1].primary).toEqual({ median: -20, min: -30, max: -10, n: 3 });
  });

  test('a max metric ranks the largest first', () => {
    const entries = aggregateEntries([rec('a/x', 0, { support_f1: 0.5 }), rec('b/y', 0, { support_f1: 0.9 })], F1);
    expect(rankEntries(entries, 'max').map((e) => e.solver)).toEqual(['b/y', 'a/x']);
  });

  test('equal medians share a rank and the next rank skips (1, 1, 3), tied entries listed by label', () => {
    const t = summarizeTask('t', sparse, [
      rec('z/tied', 0, { nmse_db: -30 }),
      rec('a/tied', 0, { nmse_db: -30 }),
      rec('m/third', 0, { nmse_db: -10 }),
      rec('k/fourth', 0, { nmse_db: -5 }),
    ]);
    expect(t.entries.map((e) => [e.solver, e.rank])).toEqual([
      ['a/tied', 1],
      ['z/tied', 1],
      ['m/third', 3],
      ['k/fourth', 4],
    ]);
  });

  test('failed seeds do not count in the median and are listed with their reasons', () => {
    const t = summarizeTask('t', sparse, [
      rec('a/x', 0, { nmse_db: -20 }),
      rec('a/x', 1, { status: 'timeout', reason: 'exceeded 2000 ms' }),
      rec('a/x', 2, { nmse_db: -22 }),
      rec('a/x', 3, { status: 'invalid' }),
    ]);
    const e = t.entries[0];
    expect(e.rank).toBe(1);
    expect(e.primary?.median).toBe(-21);
    expect([e.ok, e.jobs]).toEqual([2, 4]);
    expect(e.failures).toEqual([
      { seed: 1, status: 'timeout', reason: 'exceeded 2000 ms' },
      { seed: 3, status: 'invalid', reason: '(no reason recorded)' },
    ]);
    expect([t.jobs, t.failed]).toEqual([4, 2]);
  });

  test('a solver that skipped the task (it does not handle the variant) is neither an entry nor a failure', () => {
    const t = summarizeTask('t', sparse, [rec('a/x', 0, { nmse_db: -10 }), rec('b/picky', 0, { status: 'skipped', reason: 'nonnegative signals only' }), rec('b/picky', 1, { status: 'skipped' })]);
    expect(t.entries.map((e) => e.solver)).toEqual(['a/x']);
    expect([t.jobs, t.failed, t.ranked]).toEqual([1, 0, 1]);
    expect(t.skipped).toEqual([{ solver: 'b/picky', reason: 'nonnegative signals only' }]);
  });

  test('a task where every solver failed has no rank and says why', () => {
    const t = summarizeTask('t', sparse, [
      rec('a/x', 0, { status: 'error', reason: 'boom' }),
      rec('a/x', 1, { status: 'timeout' }),
      rec('b/y', 0, { status: 'invalid', reason: 'bad shape' }),
    ]);
    expect(t.ranked).toBe(0);
    expect(t.entries.map((e) => [e.solver, e.rank, e.unranked])).toEqual([
      ['a/x', undefined, 'all 2 seeds failed'],
      ['b/y', undefined, 'all 1 seed failed'],
    ]);
    expect(t.entries[0].primary).toBeUndefined();
  });

  test('an entry missing the primary metric is listed unranked; other metrics are still summarized', () => {
    const t = summarizeTask('t', sparse, [rec('a/x', 0, { support_f1: 1 }), rec('b/y', 0, { nmse_db: -3, support_f1: 0.5 })]);
    expect(t.entries.map((e) => [e.solver, e.rank, e.unranked])).toEqual([
      ['b/y', 1, undefined],
      ['a/x', undefined, 'no nmse_db in its results'],
    ]);
    expect(t.entries[1].metrics.support_f1.median).toBe(1);
  });

  test('a metric missing on some seeds is summarized over the seeds that report it', () => {
    const t = summarizeTask('t', sparse, [rec('a/x', 0, { nmse_db: -10 }), rec('a/x', 1, { nmse_db: -20, support_f1: 0.8 })]);
    expect(t.entries[0].metrics.support_f1).toEqual({ median: 0.8, min: 0.8, max: 0.8, n: 1 });
    expect(t.entries[0].primary?.n).toBe(2);
  });

  test('metrics of records that are not ok are ignored', () => {
    const bad = { ...rec('a/x', 1, { status: 'invalid' }), metrics: { nmse_db: -99 } };
    const t = summarizeTask('t', sparse, [rec('a/x', 0, { nmse_db: -10 }), bad]);
    expect(t.entries[0].primary).toEqual({ median: -10, min: -10, max: -10, n: 1 });
  });

  test('extra metrics the family does not declare are shown after the declared ones', () => {
    const t = summarizeTask('t', sparse, [rec('a/x', 0, { nmse_db: -1, zeta: 2, alpha: 3 })]);
    expect(t.metricIds).toEqual(['nmse_db', 'support_f1', 'alpha', 'zeta']);
  });

  test('a family without metric definitions lists its entries unranked', () => {
    const t = summarizeTask('t', { id: 'x', title: 'x', metrics: [], known: false }, [rec('a/x', 0, { score: 1 })]);
    expect(t.entries[0].rank).toBeUndefined();
    expect(t.entries[0].unranked).toMatch(/no metric definitions/);
  });

  test('one solver with several params gets one entry per params, labelled by them', () => {
    const t = summarizeTask('t', sparse, [
      rec('a/x', 0, { nmse_db: -10 }, { params: { lambda: 0.1 } }),
      rec('a/x', 0, { nmse_db: -12 }, { params: { lambda: 0.01 } }),
    ]);
    expect(t.entries.map((e) => [e.label, e.rank])).toEqual([
      ['a/x (lambda=0.01)', 1],
      ['a/x (lambda=0.1)', 2],
    ]);
    expect(solverMedian(t, 'a/x', 'nmse_db', 'min')).toBe(-12);
  });

  test('time and memory are summarized over ok seeds', () => {
    const t = summarizeTask('t', sparse, [
      rec('a/x', 0, { nmse_db: -1 }, { time_ms: 10, memory_bytes: 100 }),
      rec('a/x', 1, { nmse_db: -1 }, { time_ms: 30, memory_bytes: 300 }),
      rec('a/x', 2, { status: 'timeout' }, { time_ms: 5000 }),
    ]);
    expect(t.entries[0].time?.median).toBe(20);
    expect(t.entries[0].memory?.median).toBe(200);
  });
});

describe("a task's own primary metric", () => {
  test('the suite can rank a task by another of its family\'s metrics; the family profile leaves it out (other units)', () => {
    const records = [rec('a/x', 0, { nmse_db: -30, support_f1: 0.5 }), rec('b/y', 0, { nmse_db: -20, support_f1: 1 }), rec('a/x', 0, { nmse_db: -30, support_f1: 0.5 }, { task: 'sparse-recovery/other' }), rec('b/y', 0, { nmse_db: -20, support_f1: 1 }, { task: 'sparse-recovery/other' })];
    const m = { suite: { name: 'quick', hash: 'h', primary: { 'sparse-recovery/quick': 'support_f1' } } };
    const lb = buildLeaderboard([run(records, m)]);
    const own = lb.tasks.find((t) => t.id === 'sparse-recovery/quick')!;
    expect(own.primary?.id).toBe('support_f1');
    expect(own.entries.map((e) => [e.solver, e.rank])).toEqual([['b/y', 1], ['a/x', 2]]);
    const other = lb.tasks.find((t) => t.id === 'sparse-recovery/other')!;
    expect(other.primary?.id).toBe('nmse_db');
    expect(other.entries.map((e) => [e.solver, e.rank])).toEqual([['a/x', 1], ['b/y', 2]]);
    expect(familyProfile(lb.families.find((f) => f.id === 'sparse-recovery')!, lb.tasks).tasks).toEqual(['sparse-recovery/other']);
    expect(lb.warnings).toEqual([]);
    // The task page says which metric ranks it, and why.
    const L = new Linker(new SiteMap(lb), '../');
    const family = lb.families.find((f) => f.id === 'sparse-recovery')!;
    expect(rankingTable(own, family, L).caption).toBe(
      "Ranking by Support F1 (median over seeds; higher is better): this task's metric, as its suite sets it (the family ranks by NMSE, which does not tell these solvers apart here)",
    );
    expect(rankingTable(other, family, L).caption).toBe('Ranking by NMSE (median over seeds; lower is better)');
  });

  test('a task ranked by a metric its family does not define falls back to the family primary, with a warning', () => {
    const m = { suite: { name: 'quick', hash: 'h', primary: { 'sparse-recovery/quick': 'nope' } } };
    const lb = buildLeaderboard([run([rec('a/x', 0, { nmse_db: -30 })], m)]);
    expect(lb.tasks[0].primary?.id).toBe('nmse_db');
    expect(lb.warnings).toEqual(["task sparse-recovery/quick: its suite ranks it by 'nope', which family sparse-recovery does not define; ranked by nmse_db"]);
  });
});

describe('merging runs', () => {
  test('a job present in two runs keeps the record finished last, with a warning', () => {
    const a = run([rec('a/x', 0, { nmse_db: -1 }, { finished_at: '2025-06-01T10:00:00Z' })]);
    const b = run([rec('a/x', 0, { nmse_db: -7 }, { finished_at: '2025-06-02T10:00:00Z' })], { run_id: 'run-2', created_at: '2025-06-02T00:00:00Z' });
    for (const order of [[a, b], [b, a]]) {
      const lb = buildLeaderboard(order);
      expect(lb.tasks[0].entries[0].primary?.median).toBe(-7);
      expect(lb.warnings).toEqual(['1 result appeared in more than one run; the one finished last is shown']);
      expect(lb.runs.map((r) => r.manifest.run_id)).toEqual(['run-1', 'run-2']);
    }
  });

  test('shards of one run add up', () => {
    const lb = buildLeaderboard([run([rec('a/x', 0, { nmse_db: -1 })]), run([rec('a/x', 1, { nmse_db: -3 })], { run_id: 'run-1b' })]);
    expect(lb.tasks[0].entries[0].primary).toEqual({ median: -2, min: -3, max: -1, n: 2 });
    expect(lb.warnings).toEqual([]);
  });

  test('plugins and solvers come from the manifests, and from the records when no manifest names them', () => {
    const plugins = [{ name: 'a', paper: { title: 'Paper A', date: '2024' }, solvers: [{ id: 'a/x', title: 'X', family: 'sparse-recovery' }], claims: [] }];
    const lb = buildLeaderboard([run([rec('a/x', 0, { nmse_db: -1 }), rec('b/y', 0, { nmse_db: -2 })], { plugins })]);
    expect(lb.plugins.map((p) => [p.name, p.hasManifest, p.solvers])).toEqual([
      ['a', true, ['a/x']],
      ['b', false, ['b/y']],
    ]);
    expect(lb.solvers.map((s) => [s.id, s.title])).toEqual([
      ['a/x', 'X'],
      ['b/y', 'b/y'],
    ]);
  });

  test('a plugin manifest that fails its schema is reported; its valid parts are kept', () => {
    const plugins = [
      {
        name: 'a',
        paper: { title: 'P', date: 'yesterday' },
        solvers: [{ id: 'a/x', title: 'X', family: 'sparse-recovery' }],
        claims: [{ id: 'ok-claim', statement: 's', task: 't', metric: 'nmse_db', solver: 'a/x', value: 1 }, { id: 'Bad Id' }],
      },
      { nonsense: true },
    ];
    const lb = buildLeaderboard([run([], { plugins })]);
    expect(lb.plugins.map((p) => [p.name, p.paper, p.claims.map((c) => c.id)])).toEqual([['a', undefined, ['ok-claim']]]);
    expect(lb.warnings).toHaveLength(2);
    expect(lb.warnings[0]).toMatch(/^run run-1: plugin 'a' in manifest.json: .*\(shown without the invalid parts\)$/);
    expect(lb.warnings[1]).toMatch(/plugin #2 .*\(ignored\)$/);
  });

  test('results of a family no manifest describes are kept, unranked, with a warning', () => {
    const lb = buildLeaderboard([run([rec('a/x', 0, { score: 1 }, { family: 'mystery', task: 'mystery/t' })])]);
    expect(lb.families.map((f) => [f.id, f.known])).toEqual([
      ['mystery', false],
      ['sparse-recovery', true],
    ]);
    expect(lb.tasks[0].entries[0].rank).toBeUndefined();
    expect(lb.warnings[0]).toMatch(/family mystery has results but no run manifest/);
  });

  test('skipped result lines are reported per run', () => {
    const r = { ...run([]), skipped: [{ line: 7, reason: 'not valid JSON (torn line?)' }] };
    expect(buildLeaderboard([r]).warnings).toEqual(['run run-1: skipped 1 line of results.jsonl (line 7: not valid JSON (torn line?))']);
  });

  test('a family with no metric marked primary ranks by its first metric, with a warning', () => {
    const lb = buildLeaderboard([run([rec('a/x', 0, { nmse_db: -1 })], { families: [{ id: 'sparse-recovery', title: 'S', metrics: [{ ...NMSE, primary: undefined }] }] })]);
    expect(lb.families[0].primary?.id).toBe('nmse_db');
    expect(lb.tasks[0].entries[0].rank).toBe(1);
    expect(lb.warnings[0]).toMatch(/no metric is marked primary/);
  });
});
