#!/usr/bin/env node
// `npm run bench:scaling`: how the bench scales with its workers on this
// machine (the runner benchmark compares 1 and 2 workers; this goes up to
// every core).
//
// For each row and worker count it reports the wall time from the first
// job's preparation to the last record, the speed-up over 1 worker, the
// efficiency (speed-up / workers) and the contention (the sum of the solve
// times over the sum with 1 worker: how much the solves slow each other
// down, sharing caches and memory bandwidth). The `fixed` row spins (no
// memory traffic), so its speed-up is the runner's own; the other rows are
// the quick and default suites' sparse-recovery and sparse-regression tasks
// with every baseline. Speed is reported, never asserted.
//
// Usage: node bench/scaling.mjs [--workers 1,2,4,...] [--seeds N] [--fixed-ms MS] [--fixed-jobs N]
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { loadSuite } from '../dist/index.js';
import { fixedSuite, measure, printTable } from './measure.mjs';

const cores = availableParallelism();
const ladder = [1, 2, 4, 8, 16, 32, 64].filter((w) => w < cores).concat(cores);
const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: ladder.join(',') },
    seeds: { type: 'string', default: '6' },
    'fixed-ms': { type: 'string', default: '10' },
    'fixed-jobs': { type: 'string', default: String(Math.max(200, 40 * cores)) },
  },
});
const workers = values.workers.split(',').map(Number);
const seeds = Number(values.seeds);
const fixed = fixedSuite(Number(values['fixed-ms']), Number(values['fixed-jobs']));
const subset = { families: ['sparse-recovery', 'sparse-regression'], solvers: ['baselines/*'] };
const withSeeds = (name) => {
  const s = loadSuite(name).suite;
  return { ...s, defaults: { ...s.defaults, seeds } };
};
const rows = [
  [`fixed: ${values['fixed-jobs']} jobs that spin ${values['fixed-ms']} ms`, fixed.suite, fixed.filters],
  [`quick: sparse-recovery + sparse-regression, all baselines, ${seeds} seeds`, withSeeds('quick'), subset],
  [`default: the same, ${seeds} seeds`, withSeeds('default'), subset],
];

console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cores} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} at start`);
const table = [];
for (const [label, suite, filters] of rows) {
  let base;
  for (const w of workers) {
    const m = await measure(suite, filters, w);
    base ??= m;
    const speedup = base.wallMs / m.wallMs;
    table.push({
      suite: label,
      jobs: m.all,
      'not ok': m.failed,
      workers: w,
      wall: `${(m.wallMs / 1000).toFixed(2)} s`,
      'speed-up': `${speedup.toFixed(2)}x`,
      efficiency: `${((100 * speedup) / (w / base.workers)).toFixed(0)}%`,
      contention: `${(m.solveMs / base.solveMs).toFixed(2)}x`,
    });
    console.error(`${label}: ${w} workers, ${(m.wallMs / 1000).toFixed(2)} s`);
  }
}
printTable(table);
console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} at end`);
