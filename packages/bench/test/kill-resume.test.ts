import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parseResultLines } from '@parsimony/core';
import { main } from '../src/cli.js';
import { HOSTILE_PLUGIN, tinySuite, tmp } from './helpers.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'parsimony.js');

const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

test('SIGKILL mid-run, then --resume: every job is recorded exactly once, a torn last line is redone', async () => {
  const dir = tmp();
  const suiteFile = join(dir, 'suite.json');
  // 8 jobs of ~300 ms on 2 workers: about 1.2 s of work, killed after the first 2 records.
  writeFileSync(suiteFile, JSON.stringify(tinySuite({ defaults: { seeds: 8, budgetMs: 5000 } }, { solvers: 'hostile/dawdles', grid: { 'hostile/dawdles': { ms: [300] } } })));
  const out = join(dir, 'run');
  const results = join(out, 'results.jsonl');
  const args = ['bench', 'run', '--suite', suiteFile, '--out', out, '--plugin-dir', HOSTILE_PLUGIN, '--workers', '2'];

  const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const deadline = Date.now() + 30_000;
  while (lines(results).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  const before = lines(results);
  expect(before.length).toBeGreaterThanOrEqual(2);
  expect(before.length).toBeLessThan(8);

  // Simulate a write torn by the kill: half a record, no newline.
  appendFileSync(results, before[0].slice(0, 50));

  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'parsimony', ...args, '--resume'], { out: (s) => (stdout += s), err: (s) => (stderr += s) });
  expect(code, stderr).toBe(0);
  expect(stderr).toMatch(/cut off a torn last line \(50 bytes\)/);
  expect(stdout).toContain(`results: ${out}`);

  const text = readFileSync(results, 'utf8');
  const { records, skipped } = parseResultLines(text);
  expect(skipped).toEqual([]);
  const keys = records.map((r) => r.job);
  expect(keys).toHaveLength(8);
  expect(new Set(keys).size).toBe(8);
  expect(new Set(records.map((r) => r.seed))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));
  expect(records.every((r) => r.status === 'ok')).toBe(true);
  // What was recorded before the kill is kept as it was.
  expect(text.startsWith(before.join('\n') + '\n')).toBe(true);
}, 60_000);
