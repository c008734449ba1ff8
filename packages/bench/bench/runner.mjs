#!/usr/bin/env node
// `npm run bench:runner`: the cost of the bench runner itself.
//
// For each suite below it reports
// - startup: from the first job's preparation to its start on a worker
//   (the first instance is generated then; plugins are already loaded);
// - the per-job overhead of the runner with one worker: the wall time from
//   the first job's start to the last record, minus the time spent in the
//   solves (timed in the worker), per job. That is everything that keeps the
//   worker from solving: the handoffs, the worker's own checks, packing the
//   reply, and any wait for the parent (which prepares, validates, scores
//   and writes while the worker solves, and keeps its next jobs queued in
//   it). It is compared to the median job (solve) time;
// - the parent's own work per job (wall, overlapped) and its CPU time per
//   job (Linux only: the main thread's utime + stime; instances are
//   generated on the generator thread), which does not depend on the load;
// - the speed-up of 2 workers over 1: wall time from the first job's
//   preparation to the last record;
// - contention: how much longer the same solves take when two run side by
//   side (sum of solve times with 2 workers / with 1). Two cores that share
//   caches, memory bandwidth or, on a VM, a physical core, slow each other
//   down; 2 / contention is the speed-up the machine allows these solves,
//   whatever the runner does. The `fixed` row spins (no memory traffic), so
//   its speed-up is the runner's own.
// Speed is reported, never asserted. Best of --repeat runs per worker count,
// alternating 1 and 2 workers so drift on a shared machine hits both alike.
//
// Usage: node bench/runner.mjs [--seeds N] [--trivial-seeds N] [--fixed-ms MS] [--repeat N]
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { loadSuite } from '../dist/index.js';
import { fixedSuite, measure, median, printTable } from './measure.mjs';

const { values } = parseArgs({
  options: { seeds: { type: 'string', default: '3' }, 'trivial-seeds': { type: 'string', default: '400' }, 'fixed-ms': { type: 'string', default: '5' }, repeat: { type: 'string', default: '2' } },
});
const repeat = Number(values.repeat);
const seeds = Number(values.seeds);

async function bench(label, suite, filters) {
  const wall = { 1: [], 2: [] };
  const solves = { 1: [], 2: [] };
  const startup = [];
  let jobs = 0;
  let failedJobs = 0;
  const overhead = [];
  let solve = [];
  let generate = [];
  let parent = [];
  let worker = [];
  const parentCpu = [];
  for (let i = 0; i < repeat; i++) {
    for (const w of [1, 2]) {
      const m = await measure(suite, filters, w);
      jobs = m.all;
      failedJobs = m.failed;
      wall[w].push(m.wallMs);
      solves[w].push(m.solveMs);
      if (w === 1) {
        startup.push(m.startupMs);
        overhead.push((m.wallMs - m.startupMs - m.solveMs) / m.all);
        if (m.parentCpuMs !== undefined) parentCpu.push(m.parentCpuMs);
        solve = solve.concat(m.jobs.map((j) => j.solveMs));
        parent = parent.concat(m.jobs.map((j) => j.parentMs));
        worker = worker.concat(m.jobs.map((j) => j.workerMs - j.solveMs));
        generate = generate.concat(m.jobs.filter((j) => j.generateMs > 0).map((j) => j.generateMs));
      }
    }
  }
  const over = Math.min(...overhead);
  const medSolve = median(solve);
  const [best1, best2] = [Math.min(...wall[1]), Math.min(...wall[2])];
  const contention = Math.min(...solves[2]) / Math.min(...solves[1]);
  return {
    suite: label,
    jobs,
    'not ok': failedJobs,
    'median job': `${medSolve.toFixed(2)} ms`,
    startup: `${median(startup).toFixed(1)} ms`,
    'overhead/job': `${over.toFixed(2)} ms`,
    'overhead / median job': `${((100 * over) / medSolve).toFixed(1)}%`,
    'worker, besides the solve': `${median(worker).toFixed(2)} ms`,
    'parent work/job (overlapped)': `${median(parent).toFixed(2)} ms`,
    'parent CPU/job': parentCpu.length ? `${median(parentCpu).toFixed(2)} ms` : 'n/a',
    'instance generation': generate.length ? `${median(generate).toFixed(2)} ms` : 'n/a',
    '1 worker': `${(best1 / 1000).toFixed(2)} s`,
    '2 workers': `${(best2 / 1000).toFixed(2)} s`,
    'speed-up': `${(best1 / best2).toFixed(2)}x`,
    contention: `${contention.toFixed(2)}x`,
    'machine allows': `${(2 / contention).toFixed(2)}x`,
  };
}

const quick = loadSuite('quick').suite;
const defaults = loadSuite('default').suite;
// The quick and default suites' sparse-recovery and sparse-regression tasks with every baseline
// (deterministic, and installed whatever other plugins are), so that the benchmark takes minutes
// and each instance serves several solvers, as in the real suites.
const fast = { families: ['sparse-recovery', 'sparse-regression'], solvers: ['baselines/*'] };
const fixedMs = Number(values['fixed-ms']);
const suites = [
  [
    `fixed: a solver that spins ${fixedMs} ms, 200 jobs`,
    fixedSuite(fixedMs, 200).suite,
    fixedSuite(fixedMs, 200).filters,
  ],
  [
    `trivial: sparse-recovery 20x40 k=2, baselines/omp, ${values['trivial-seeds']} seeds`,
    { name: 'runner-trivial', defaults: { seeds: Number(values['trivial-seeds']), budgetMs: 5000 }, tasks: [{ family: 'sparse-recovery', name: 'trivial', params: { m: 20, n: 40, k: 2 } }] },
    { solvers: ['baselines/omp'] },
  ],
  [`quick suite: sparse-recovery + sparse-regression, all baselines, ${seeds} seeds`, { ...quick, defaults: { ...quick.defaults, seeds } }, fast],
  [`default suite: the same, ${Math.max(1, Math.round(seeds / 3))} seeds`, { ...defaults, defaults: { ...defaults.defaults, seeds: Math.max(1, Math.round(seeds / 3)) } }, fast],
];

const load = loadavg().map((x) => x.toFixed(1)).join(' ');
console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, load average ${load} at start; best of ${repeat}`);
const rows = [];
for (const [label, suite, filters] of suites) rows.push(await bench(label, suite, filters));
printTable(rows);
console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} at end`);
