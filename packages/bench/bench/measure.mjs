// Shared by the runner benchmarks (runner.mjs, scaling.mjs): one timed run of a suite.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSuite } from '../dist/index.js';

/** The test plugin whose `hostile/dawdles` spins for a set time (the `fixed` rows). */
export const TEST_PLUGIN = fileURLToPath(new URL('../test/fixtures/hostile-plugin', import.meta.url));

/** A suite of `jobs` jobs that each spin `ms` ms: no memory traffic, so the runner's own cost and scaling show. */
export function fixedSuite(ms, jobs) {
  return {
    suite: { name: 'runner-fixed', defaults: { seeds: jobs, budgetMs: 5000 + 10 * ms }, tasks: [{ family: 'sparse-recovery', name: 'fixed', params: { m: 20, n: 40, k: 2 }, grid: { 'hostile/dawdles': { ms: [ms] } } }] },
    filters: { solvers: ['hostile/dawdles'], pluginDirs: [TEST_PLUGIN] },
  };
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * CPU time of this (the main) thread in ms, on Linux (/proc; 10 ms ticks),
 * else undefined. Unlike wall times it does not grow when other processes
 * take the cores.
 */
export function mainThreadCpuMs() {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, at the usual USER_HZ = 100
  } catch {
    return undefined;
  }
}

/** Runs a suite once: the dispatch-phase wall time and per-job timings. */
export async function measure(suite, filters, workers) {
  const root = mkdtempSync(join(tmpdir(), 'parsimony-runner-bench-'));
  const jobs = [];
  let first = Infinity;
  let firstStart = Infinity;
  let last = 0;
  let cpu0;
  const run = await runSuite({
    suite,
    workers,
    out: join(root, 'run'),
    ...filters,
    onStart: () => {
      cpu0 = mainThreadCpuMs();
    },
    onJob: (r, info) => {
      const now = performance.now();
      first = Math.min(first, info.startMs);
      if (info.startedMs !== undefined) firstStart = Math.min(firstStart, info.startedMs);
      last = now;
      jobs.push({ ...info, ok: r.status === 'ok' });
    },
  });
  const cpu1 = mainThreadCpuMs();
  rmSync(root, { recursive: true, force: true });
  // The parent's main-thread CPU per job (instances are generated on the generator thread).
  const parentCpuMs = cpu0 === undefined || cpu1 === undefined ? undefined : Math.max(0, cpu1 - cpu0) / Math.max(1, jobs.length);
  if (run.records.length === 0) throw new Error(`no jobs ran: no installed solver matches (${run.warnings.join('; ') || 'is the baselines plugin built?'})`);
  const solveMs = jobs.reduce((sum, j) => sum + j.solveMs, 0);
  return { workers, wallMs: last - first, startupMs: firstStart - first, solveMs, all: jobs.length, jobs: jobs.filter((j) => j.ok), failed: jobs.length - jobs.filter((j) => j.ok).length, parentCpuMs };
}


/** Prints rows (objects with the same keys) as a Markdown table. */
export function printTable(rows) {
  const cols = Object.keys(rows[0]);
  console.log(`| ${cols.join(' | ')} |\n|${cols.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${cols.map((c) => r[c]).join(' | ')} |`);
}
