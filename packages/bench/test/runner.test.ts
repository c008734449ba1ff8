import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  ManifestSchema,
  ResultRecordSchema,
  RunManifestSchema,
  checkValid,
  generateInstance,
  parseResultLines,
  sparseRecovery,
  type ResultRecord,
} from '@parsimony/core';
import { runSuite, type RunSuiteResult } from '../src/runner.js';
import { mergeRuns } from '../src/merge.js';
import { instanceSeed } from '../src/instances.js';
import { readManifest } from '../src/manifest.js';
import { HOSTILE_PLUGIN, tinySuite, tmp } from './helpers.js';

const byJob = (records: readonly ResultRecord[]) => new Map(records.map((r) => [r.job, r]));

describe('a run with a hostile plugin completes, and every job gets its status', () => {
  let run: RunSuiteResult;
  let rec: Map<string, ResultRecord>;
  beforeAll(async () => {
    run = await runSuite({
      suite: tinySuite({ defaults: { seeds: [0], budgetMs: 1000 } }, { solvers: ['baselines/omp', 'hostile/*'], grid: { 'hostile/dawdles': { ms: [5] } } }),
      out: join(tmp(), 'hostile'),
      pluginDirs: [HOSTILE_PLUGIN],
      workers: 2,
      // Generous: on a loaded machine the memory bomb needs a second or more to hit the limit.
      graceMs: 2000,
      memoryLimitMb: 96,
      tracePoints: 10,
    });
    rec = byJob(run.records);
  }, 60_000);

  const at = (solver: string) => {
    const r = [...rec.values()].find((x) => x.solver === solver);
    expect(r, `no record for ${solver}`).toBeDefined();
    return r!;
  };

  test('one record per job, all valid against core schema, all written to results.jsonl', () => {
    expect(run.records).toHaveLength(13);
    for (const r of run.records) expect(checkValid(ResultRecordSchema, r, 'record')).toBeUndefined();
    const { records, skipped } = parseResultLines(readFileSync(join(run.dir, 'results.jsonl'), 'utf8'));
    expect(skipped).toEqual([]);
    expect(records.map((r) => r.job).sort()).toEqual([...rec.keys()].sort());
  });

  test('the well-behaved solver is unaffected: ok, scored, with trace, time and memory', () => {
    const omp = at('baselines/omp');
    expect(omp.status).toBe('ok');
    expect(omp.metrics!.nmse_db).toBeLessThan(-20);
    expect(omp.trace!.length).toBeGreaterThan(0);
    expect(omp.time_ms).toBeGreaterThan(0);
    expect(omp.memory_bytes).toBeGreaterThanOrEqual(0);
    expect(omp.size).toMatchObject({ m: 20, n: 40, k: 2 });
    expect(omp.instance_hash).toMatch(/^[0-9a-f]{16}$/);
  });

  test.each([
    ['hostile/throws', 'error', /hostile: boom/],
    ['hostile/loops', 'timeout', /killed after \d+ ms: the solver did not return within its budget of 1000 ms \+ 2000 ms grace/],
    ['hostile/polite', 'timeout', /time budget of 1000 ms exhausted; the solver stopped when ctx.signal fired/],
    ['hostile/nan', 'invalid', /solution.x entry \[0\] is NaN/],
    ['hostile/wrong-shape', 'invalid', /solution.x has 41 entries, expected n = 40/],
    ['hostile/unclonable', 'invalid', /the solution is not plain data: solution.x is a function/],
    ['hostile/memory-bomb', 'error', /the worker ran out of memory \(limit 96 MB of JS heap\)/],
    ['hostile/exits', 'error', /the worker exited during the job/],
    // It rewrote A.cols in its copy; the parent checks against its own.
    ['hostile/mutates', 'invalid', /solution.x has 3 entries, expected n = 40/],
    // Its skip says it does not apply: not run, not a failure.
    ['hostile/picky', 'skipped', /^handles nonnegative signals only$/],
  ])('%s: %s', (solver, status, reason) => {
    const r = at(solver);
    expect(r.status).toBe(status);
    expect(r.reason).toMatch(reason);
    expect(r.metrics).toBeUndefined();
  });

  test('a solver looking for the truth finds none (it returns zeros: 0 dB, not a perfect score)', () => {
    const r = at('hostile/peeks');
    expect(r.status).toBe('ok');
    expect(r.metrics!.nmse_db).toBe(0);
  });

  test('grid points are recorded as params and in the job key', () => {
    const r = at('hostile/dawdles');
    expect(r.params).toEqual({ ms: 5 });
    expect(r.job).toBe('sparse-recovery/small#0#hostile/dawdles#ms=5');
  });

  test('the manifest: suite, versions, machine, families and plugin manifests', () => {
    const m = readManifest(run.dir)!;
    expect(checkValid(RunManifestSchema, m, 'manifest')).toBeUndefined();
    expect(m.suite).toMatchObject({ name: 'tiny', source: 'inline', jobs: 13 });
    expect(m.suite.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(m.packages).toMatchObject({ '@parsimony/core': expect.any(String), '@parsimony/bench': expect.any(String), 'parsimony-plugin-hostile-fixture': '0.0.1' });
    expect(m.cpu.cores).toBeGreaterThan(0);
    expect(m.families).toEqual([expect.objectContaining({ id: 'sparse-recovery', metrics: expect.arrayContaining([expect.objectContaining({ id: 'nmse_db', primary: true })]) })]);
    const hostile = (m.plugins as { name: string }[]).find((p) => p.name === 'hostile')!;
    expect(checkValid(ManifestSchema, hostile, 'plugin')).toBeUndefined();
    expect(hostile).toMatchObject({ name: 'hostile', version: '0.0.1' });
  });
});

describe('jobs queued in a worker behind one that is killed', () => {
  test('run again on the fresh worker: each job is recorded once, with its own status', async () => {
    // One worker holds JOBS_PER_WORKER jobs; the loop and the exit kill it with jobs queued behind them.
    const run = await runSuite({
      suite: tinySuite({ defaults: { seeds: [0, 1, 2], budgetMs: 300 } }, { solvers: ['hostile/loops', 'hostile/exits', 'baselines/omp', 'hostile/dawdles'], grid: { 'hostile/dawdles': { ms: [2] } } }),
      out: join(tmp(), 'requeue'),
      pluginDirs: [HOSTILE_PLUGIN],
      workers: 1,
      graceMs: 300,
    });
    expect(run.records).toHaveLength(12);
    expect(new Set(run.records.map((r) => r.job)).size).toBe(12);
    const status = (solver: string) => run.records.filter((r) => r.solver === solver).map((r) => r.status);
    expect(status('hostile/loops')).toEqual(['timeout', 'timeout', 'timeout']);
    expect(status('hostile/exits')).toEqual(['error', 'error', 'error']);
    expect(status('baselines/omp')).toEqual(['ok', 'ok', 'ok']);
    expect(status('hostile/dawdles')).toEqual(['ok', 'ok', 'ok']);
    // A re-sent job is timed from its own start, not from when it was first queued.
    for (const r of run.records.filter((x) => x.solver === 'hostile/loops')) expect(r.reason).toMatch(/killed after \d+ ms/);
  }, 60_000);
});

describe('workers that cannot start', () => {
  test('fail the run at once with the reason (here: not loaded within startupMs), without hanging', async () => {
    const run = runSuite({ suite: tinySuite({}, { solvers: ['baselines/omp'] }), out: join(tmp(), 'nostart'), workers: 2, startupMs: 1 });
    await expect(run).rejects.toThrow(/^the bench workers cannot start: the worker did not load the plugins within 1 ms$/);
  }, 60_000);
});

describe('interactive families', () => {
  test('ctx.interact reaches the session in the parent; its usage is scored; its errors reach the solver', async () => {
    const run = await runSuite({
      suite: { name: 'interactive', defaults: { seeds: [0], budgetMs: 2000 }, tasks: [{ family: 'sparse-transform', name: 'tiny', params: { n: 8, K: 3 }, solvers: ['hostile/oracle', 'hostile/bad-query'] }] },
      out: join(tmp(), 'interactive'),
      pluginDirs: [HOSTILE_PLUGIN],
      workers: 1,
    });
    const rec = byJob(run.records);
    const ok = rec.get('sparse-transform/tiny#0#hostile/oracle')!;
    expect(ok.status, ok.reason).toBe('ok');
    // 0, 1, 5 and 5 again: 3 distinct samples, counted by the session, not the solver.
    expect(ok.metrics).toMatchObject({ samples: 3, sample_fraction: 3 / 256 });
    expect(ok.trace).toEqual([{ iteration: 1, first: expect.any(Number) }]);
    const bad = rec.get('sparse-transform/tiny#0#hostile/bad-query')!;
    expect(bad.status).toBe('error');
    expect(bad.reason).toMatch(/PARSIMONY_BAD_INPUT: sparse-transform: query\(indices\): indices\[0\] = 256 is out of range/);
  }, 60_000);
});

describe('reproducibility, resume, shards and merge', () => {
  const suite = tinySuite({ defaults: { seeds: [0, 1, 2], budgetMs: 2000 } }, { solvers: ['baselines/omp', 'hostile/dawdles'], grid: { 'hostile/dawdles': { ms: [1] } } });
  const opts = { pluginDirs: [HOSTILE_PLUGIN], workers: 1 };
  let a: RunSuiteResult;
  let b: RunSuiteResult;
  let root: string;
  beforeAll(async () => {
    root = tmp();
    a = await runSuite({ ...opts, suite, out: join(root, 'a') });
    b = await runSuite({ ...opts, suite, out: join(root, 'b'), workers: 2 });
  }, 60_000);

  test('the same suite and seed give identical instances, bit for bit', () => {
    const seed = instanceSeed('tiny', 'sparse-recovery/small', 1);
    const x = generateInstance(sparseRecovery, { m: 20, n: 40, k: 2 }, seed);
    const y = generateInstance(sparseRecovery, { m: 20, n: 40, k: 2 }, seed);
    expect(Buffer.from(x.observation.A.data.buffer).equals(Buffer.from(y.observation.A.data.buffer))).toBe(true);
    expect(Buffer.from(x.truth.x.buffer).equals(Buffer.from(y.truth.x.buffer))).toBe(true);
    const ra = byJob(a.records);
    for (const r of b.records) expect(r.instance_hash).toBe(ra.get(r.job)!.instance_hash);
    expect(new Set(a.records.map((r) => `${r.seed}:${r.instance_hash}`)).size).toBe(3);
  });

  test('... and identical scores for deterministic solvers', () => {
    const ra = byJob(a.records);
    expect(b.records).toHaveLength(6);
    for (const r of b.records) {
      expect(r.status).toBe('ok');
      expect(r.metrics).toEqual(ra.get(r.job)!.metrics);
    }
  });

  test('--resume of a finished run runs nothing and keeps the records', async () => {
    const again = await runSuite({ ...opts, suite, out: a.dir, resume: true });
    expect([again.ran, again.resumed, again.records.length]).toEqual([0, 6, 6]);
  });

  test('--resume without --out continues the latest run of the same suite in the results folder', async () => {
    const resultsDir = join(root, 'results');
    const first = await runSuite({ ...opts, suite, resultsDir, solvers: ['baselines/*'] });
    expect(first.dir.startsWith(join(resultsDir, 'tiny-'))).toBe(true);
    const again = await runSuite({ ...opts, suite, resultsDir, solvers: ['baselines/*'], resume: true });
    expect([again.dir, again.ran, again.resumed]).toEqual([first.dir, 0, 3]);
    // Other filters make other suite content: nothing to resume.
    await expect(runSuite({ ...opts, suite, resultsDir, resume: true })).rejects.toThrow("--resume: no earlier run of suite 'tiny' with this content");
  });

  test('running into a directory that holds results without --resume is refused', async () => {
    await expect(runSuite({ ...opts, suite, out: a.dir })).rejects.toThrow('already holds results; pass --resume');
  });

  test('resuming with a different suite is refused', async () => {
    const other = { ...suite, defaults: { seeds: [0, 1, 2], budgetMs: 999 } };
    await expect(runSuite({ ...opts, suite: other, out: a.dir, resume: true })).rejects.toThrow(/cannot resume .*: suite 'tiny' has different content/);
  });

  test('shards 1/3 + 2/3 + 3/3 merged equal the unsharded run', async () => {
    const shards = [];
    for (const index of [1, 2, 3]) shards.push(await runSuite({ ...opts, suite, out: join(root, `shard-${index}`), shard: `${index}/3` }));
    expect(shards.map((s) => s.records.length)).toEqual([2, 2, 2]);
    const merged = mergeRuns(
      shards.map((s) => s.dir),
      join(root, 'merged'),
    );
    expect(merged.warnings).toEqual([]);
    expect(merged.records.map((r) => r.job)).toEqual(a.records.map((r) => r.job).sort());
    const ra = byJob(a.records);
    for (const r of merged.records) expect(r.metrics).toEqual(ra.get(r.job)!.metrics);
    const m = readManifest(merged.dir)!;
    expect(m.shard).toBeUndefined();
    expect(m.merged_from).toEqual(shards.map((s) => s.manifest.run_id));
    expect(m.suite.hash).toBe(a.manifest.suite.hash);

    // A missing shard is a warning; a duplicate input is de-duplicated.
    const partial = mergeRuns([shards[0].dir, shards[2].dir, shards[2].dir], join(root, 'partial'));
    expect(partial.warnings).toEqual(['shards 2/3 are missing: the merged run is partial']);
    expect([partial.records.length, partial.duplicates]).toEqual([4, 2]);
  });

  test('merge refuses runs of another suite or other package versions', () => {
    const other = join(root, 'other');
    cpSync(b.dir, other, { recursive: true });
    const file = join(other, 'manifest.json');
    const m = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...m, packages: { ...m.packages, '@parsimony/core': '9.9.9' } }));
    expect(() => mergeRuns([a.dir, other], join(root, 'm1'))).toThrow(/cannot merge .*: package versions differ: @parsimony\/core 9\.9\.9 vs/);
    writeFileSync(file, JSON.stringify({ ...m, suite: { ...m.suite, hash: 'f'.repeat(64) } }));
    expect(() => mergeRuns([a.dir, other], join(root, 'm2'))).toThrow(/suite 'tiny' has different content/);
  });
});
