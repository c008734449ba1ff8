import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { allFamilies, sparseRecovery, type AnyFamily, type DependencyContainer } from '@parsimony/core';
import { loadRegistry } from '../src/registry.js';
import { BUILTIN_SUITES, expandTasks, loadSuite, parseSuite } from '../src/suite.js';
import { expandJobs } from '../src/jobs.js';
import { tinySuite, tmp } from './helpers.js';

const families: readonly AnyFamily[] = allFamilies;

describe('built-in suites', () => {
  test.each(BUILTIN_SUITES)('%s validates and expands to tasks of every registered family', (name) => {
    const { suite, source } = loadSuite(name);
    expect(source).toBe(`builtin:${name}`);
    const tasks = expandTasks(suite, families);
    expect(new Set(tasks.map((t) => t.family))).toEqual(new Set(families.map((f) => f.id)));
    for (const t of tasks) expect(t.id.startsWith(`${t.family}/`)).toBe(true);
  });

  test('quick: every family once at its quick preset, 2-3 seeds, small budgets', () => {
    const tasks = expandTasks(loadSuite('quick').suite, families);
    for (const f of families) {
      const own = tasks.filter((t) => t.family === f.id);
      expect(own.map((t) => t.id)).toContain(`${f.id}/quick`);
      const quick = own.find((t) => t.id === `${f.id}/quick`)!;
      expect(quick.params).toMatchObject(f.presets.quick as object);
      expect(quick.seeds.length).toBeGreaterThanOrEqual(2);
      expect(quick.seeds.length).toBeLessThanOrEqual(3);
      expect(quick.budgetMs).toBeLessThanOrEqual(5000);
    }
  });

  test("scale: one task per rung of each family's presets.scale, with numeric sizes", () => {
    const tasks = expandTasks(loadSuite('scale').suite, families);
    // Plugins add their own scale tasks (e.g. krosbl-scale-*); the family ladder is scale-<i>.
    const sr = tasks.filter((t) => /^sparse-recovery\/scale-\d+$/.test(t.id));
    expect(sr.map((t) => t.id)).toEqual(sparseRecovery.presets.scale.map((_, i) => `sparse-recovery/scale-${i + 1}`));
    expect(sr.map((t) => t.size.n)).toEqual(sparseRecovery.presets.scale.map((p) => p.n));
  });
});

describe('suite validation: errors name the field', () => {
  test.each([
    [{ tasks: [] }, "suite is missing the required field 'name'"],
    [{ name: 'Bad Name', tasks: [{ family: 'x', name: 'a' }] }, 'suite.name must match pattern'],
    [{ name: 's', tasks: [] }, 'suite.tasks must NOT have fewer than 1 items'],
    [{ name: 's', tasks: [{ family: 'sparse-recovery', name: 'a', seeds: [-1] }] }, 'suite.tasks[0].seeds'],
    [{ name: 's', tasks: [{ family: 'sparse-recovery', name: 'a', budgetMs: 0 }] }, 'suite.tasks[0].budgetMs must be > 0'],
    [{ name: 's', tasks: [{ family: 'sparse-recovery', name: 'a', sedes: 3 }] }, "suite.tasks[0] has an unknown field 'sedes'"],
    [{ name: 's', tasks: [{ family: 'sparse-recovery', name: 'a', preset: 'huge' }] }, 'suite.tasks[0].preset'],
  ])('%j', (raw, message) => {
    expect(() => parseSuite(raw)).toThrow(message);
  });

  test('a suite file with a bad field names the file and the field', () => {
    const file = join(tmp(), 'mine.json');
    writeFileSync(file, JSON.stringify({ name: 'mine', tasks: [{ family: 'sparse-recovery', name: 'a', seeds: 'three' }] }));
    expect(() => loadSuite(file)).toThrow(`${file}: suite.tasks[0].seeds`);
  });

  test('malformed JSON and a missing file are clear errors', () => {
    const file = join(tmp(), 'broken.json');
    writeFileSync(file, '{"name": ');
    expect(() => loadSuite(file)).toThrow(/broken\.json: not valid JSON/);
    expect(() => loadSuite('nope')).toThrow("suite 'nope' is neither a built-in suite (quick, default, scale) nor a file");
  });

  test('an unknown family, a duplicate task id and bad generator params name the task', () => {
    expect(() => expandTasks(parseSuite({ name: 's', tasks: [{ family: 'nope', name: 'a' }] }), families)).toThrow("suite.tasks[0].family: unknown family 'nope'");
    const dup = parseSuite({ name: 's', tasks: [{ family: 'sparse-recovery', preset: 'quick' }, { family: '*', preset: 'quick' }] });
    expect(() => expandTasks(dup, families)).toThrow("suite.tasks[1]: task id 'sparse-recovery/quick' is already defined by suite.tasks[0]");
    const badParams = parseSuite({ name: 's', tasks: [{ family: 'sparse-recovery', name: 'a', params: { m: 0 } }] });
    expect(() => expandTasks(badParams, families)).toThrow('suite.tasks[0] (sparse-recovery/a): sparse-recovery: params.m must be >= 1 (got 0)');
    expect(() => expandTasks(parseSuite({ name: 's', tasks: [{ family: 'sparse-recovery' }] }), families)).toThrow("suite.tasks[0] needs a 'name'");
  });

  test("a task's own primary metric must be one of its family's metrics", () => {
    const ok = expandTasks(parseSuite({ name: 's', tasks: [{ family: 'sparse-recovery', name: 'a', primary: 'support_f1' }] }), families);
    expect(ok[0].primary).toBe('support_f1');
    expect(() => expandTasks(parseSuite({ name: 's', tasks: [{ family: 'sparse-recovery', name: 'a', primary: 'child_cos' }] }), families)).toThrow(
      "suite.tasks[0].primary: family 'sparse-recovery' has no metric 'child_cos'; its metrics: nmse_db",
    );
  });

  test('--families keeps only those families; an unknown one is an error', () => {
    const suite = loadSuite('quick').suite;
    expect([...new Set(expandTasks(suite, families, ['sparse-recovery']).map((t) => t.family))]).toEqual(['sparse-recovery']);
    expect(() => expandTasks(suite, families, ['nope'])).toThrow("--families: unknown family 'nope'");
  });

  test('defaults apply; a task overrides them; seeds n means 0..n-1', () => {
    const suite = parseSuite({
      name: 's',
      defaults: { seeds: 3, budgetMs: 500, solvers: 'baselines/*' },
      tasks: [
        { family: 'sparse-recovery', name: 'a' },
        { family: 'sparse-recovery', name: 'b', seeds: [7, 9], budgetMs: 100, solvers: ['x/*', 'y/z'] },
      ],
    });
    const [a, b] = expandTasks(suite, families);
    expect([a.seeds, a.budgetMs, a.solvers]).toEqual([[0, 1, 2], 500, ['baselines/*']]);
    expect([b.seeds, b.budgetMs, b.solvers]).toEqual([[7, 9], 100, ['x/*', 'y/z']]);
  });
});

describe('grids', () => {
  let container: DependencyContainer;
  beforeAll(async () => {
    container = (await loadRegistry()).container;
  });

  test('a grid multiplies the jobs of the matching solver; the point is in the key and params', () => {
    const suite = parseSuite(tinySuite({}, { solvers: 'baselines/omp', grid: { 'baselines/om*': { k: [2, 4], tol: [0] } } }));
    const jobs = expandJobs(expandTasks(suite, families), container);
    expect(jobs.map((j) => j.key)).toEqual([
      'sparse-recovery/small#0#baselines/omp#k=2,tol=0',
      'sparse-recovery/small#0#baselines/omp#k=4,tol=0',
      'sparse-recovery/small#1#baselines/omp#k=2,tol=0',
      'sparse-recovery/small#1#baselines/omp#k=4,tol=0',
    ]);
    expect(jobs[1].params).toEqual({ k: 4, tol: 0 });
  });

  test('grid values are checked against the solver params schema before anything runs', () => {
    const suite = parseSuite(tinySuite({}, { solvers: 'baselines/omp', grid: { 'baselines/omp': { k: [0] } } }));
    expect(() => expandJobs(expandTasks(suite, families), container)).toThrow("task sparse-recovery/small, grid 'baselines/omp': baselines/omp: params.k must be >= 1 (got 0)");
  });
});
