import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { RunManifestSchema, checkValid, parseResultLines } from '@parsimony/core';
import { main } from '../src/cli.js';
import { resumeCommand } from '../src/commands/bench.js';
import { tinySuite, tmp } from './helpers.js';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await main(['node', 'parsimony', ...args], { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('parsimony bench run', () => {
  test('--suite quick (built-in) with the installed baselines: summary table, status line, results path', async () => {
    const out = join(tmp(), 'quick');
    const r = await cli('bench', 'run', '--suite', 'quick', '--solvers', 'baselines/omp', '--families', 'sparse-recovery', '--workers', '1', '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^task\s+jobs\s+best solver\s+median primary\s+failures\s+skipped$/m);
    expect(r.out).toMatch(/^sparse-recovery\/quick\s+3\s+baselines\/omp\s+nmse_db -\d+\.\d+\s+0\s+0$/m);
    // The quick suite's sparse-recovery tasks that run OMP: the family's quick task and krosbl's.
    expect(r.out).toMatch(/^sparse-recovery\/krosbl\s+3\s+baselines\/omp/m);
    expect(r.out).toContain('6 jobs: 6 ok');
    expect(r.out.trimEnd().split('\n').pop()).toBe(`results: ${out}`);
    expect(r.err).toContain(`6 jobs to run on 1 worker, results in ${out}`);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(checkValid(RunManifestSchema, manifest, 'manifest')).toBeUndefined();
    expect(manifest.suite).toMatchObject({ name: 'quick', source: 'builtin:quick', filters: { solvers: ['baselines/omp'], families: ['sparse-recovery'] } });
    const { records, skipped } = parseResultLines(readFileSync(join(out, 'results.jsonl'), 'utf8'));
    expect([records.length, skipped.length]).toEqual([6, 0]);
  }, 60_000);

  test('failed jobs are results: the exit code is still 0', async () => {
    const dir = tmp();
    const suite = join(dir, 's.json');
    writeFileSync(suite, JSON.stringify(tinySuite({ defaults: { seeds: [0], budgetMs: 1000 } }, { solvers: 'hostile/throws' })));
    const r = await cli('bench', 'run', '--suite', suite, '--out', join(dir, 'run'), '--plugin-dir', join(import.meta.dirname, 'fixtures', 'hostile-plugin'), '--workers', '1');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('1 jobs: 1 error');
    expect(r.out).toMatch(/sparse-recovery\/small\s+1\s+-\s+-\s+1 \(1 error\)/);
  }, 60_000);
});

describe('the distribution recipes, locally', () => {
  test('shards from JOB_COMPLETION_INDEX (--shard auto/2), then bench merge', async () => {
    const dir = tmp();
    const suite = join(dir, 's.json');
    writeFileSync(suite, JSON.stringify(tinySuite({ defaults: { seeds: 3, budgetMs: 2000 } }, { solvers: 'baselines/omp' })));
    const prior = process.env.JOB_COMPLETION_INDEX;
    try {
      for (const index of ['0', '1']) {
        process.env.JOB_COMPLETION_INDEX = index;
        const r = await cli('bench', 'run', '--suite', suite, '--shard', 'auto/2', '--out', join(dir, `shard-${index}`), '--workers', '1');
        expect(r.code, r.err).toBe(0);
        expect(JSON.parse(readFileSync(join(dir, `shard-${index}`, 'manifest.json'), 'utf8')).shard).toEqual({ index: Number(index) + 1, count: 2 });
      }
    } finally {
      if (prior === undefined) delete process.env.JOB_COMPLETION_INDEX;
      else process.env.JOB_COMPLETION_INDEX = prior;
    }
    const merged = await cli('bench', 'merge', join(dir, 'shard-0'), join(dir, 'shard-1'), '--out', join(dir, 'merged'));
    expect(merged.code, merged.err).toBe(0);
    expect(merged.err).toContain('merged 2 runs: 3 records');
    expect(merged.out).toContain('3 jobs: 3 ok');
    expect(merged.out.trimEnd().split('\n').pop()).toBe(`results: ${join(dir, 'merged')}`);
    // Merging into a directory that holds results is refused.
    const again = await cli('bench', 'merge', join(dir, 'shard-0'), '--out', join(dir, 'merged'));
    expect(again.code).toBe(2);
    expect(again.err).toContain('already holds results');
  }, 60_000);
});

describe('bad input: exit code 2 and one line naming the problem', () => {
  test.each([
    [['--suite', 'nope'], "suite 'nope' is neither a built-in suite"],
    [['--suite', 'quick', '--families', 'nope'], "--families: unknown family 'nope'"],
    [['--suite', 'quick', '--shard', '4/3'], "--shard '4/3': i must be between 1 and 3"],
    [['--suite', 'quick', '--shard', 'auto/3'], "'auto' needs JOB_COMPLETION_INDEX"],
    [['--suite', 'quick', '--workers', '0'], 'expected a positive integer'],
  ])('bench run %j', async (args, message) => {
    const prior = process.env.JOB_COMPLETION_INDEX;
    delete process.env.JOB_COMPLETION_INDEX;
    const r = await cli('bench', 'run', ...args, '--out', tmp());
    if (prior !== undefined) process.env.JOB_COMPLETION_INDEX = prior;
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  test('a suite file with a bad field', async () => {
    const file = join(tmp(), 'bad.json');
    writeFileSync(file, JSON.stringify({ name: 'bad', tasks: [{ family: 'sparse-recovery', name: 'a', budgetMs: -5 }] }));
    const r = await cli('bench', 'run', '--suite', file);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`parsimony: ${file}: suite.tasks[0].budgetMs must be > 0 (got -5)\n`);
  });

  test('bench merge of a directory that is not a run', async () => {
    const r = await cli('bench', 'merge', tmp(), '--out', tmp());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is not a run directory: manifest.json is missing/);
  });
});

describe('an interrupted run', () => {
  test('is told the command that resumes it: the same suite, filters, shard and plugins, quoted for the shell', () => {
    expect(resumeCommand({ suite: 'quick', solvers: ['baselines/*'], families: ['sparse-recovery', 'bandit'], shard: '2/4', pluginDir: ['/my plugins/x'] }, '/tmp/run 1')).toBe(
      "parsimony bench run --suite quick --out '/tmp/run 1' --solvers 'baselines/*' --families sparse-recovery,bandit --shard 2/4 --plugin-dir '/my plugins/x' --resume",
    );
    expect(resumeCommand({ suite: 'quick' }, 'results/quick-1')).toBe('parsimony bench run --suite quick --out results/quick-1 --resume');
  });
});
