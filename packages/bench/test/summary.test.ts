import { describe, expect, test } from 'vitest';
import type { ResultRecord, RunManifest } from '@parsimony/core';
import { join } from 'node:path';
import { summarize } from '../src/summary.js';
import { runSuite } from '../src/runner.js';
import { tinySuite, tmp } from './helpers.js';

const rec = (task: string, solver: string, seed: number, metrics: Record<string, number>): ResultRecord =>
  ({ job: `${task}#${seed}#${solver}`, task, family: 'sparse-recovery', seed, solver, plugin: solver.split('/')[0], params: {}, status: 'ok', metrics, time_ms: 1, finished_at: '' }) as ResultRecord;

const families: RunManifest['families'] = [
  { id: 'sparse-recovery', title: 'Sparse recovery', metrics: [{ id: 'nmse_db', label: 'NMSE', direction: 'min', primary: true }, { id: 'support_f1', label: 'Support F1', direction: 'max' }] },
];

describe('the end-of-run summary', () => {
  const records = [rec('sparse-recovery/a', 'x/good-nmse', 0, { nmse_db: -40, support_f1: 0.5 }), rec('sparse-recovery/a', 'y/good-f1', 0, { nmse_db: -20, support_f1: 1 })];

  test("best solver by the family's primary metric", () => {
    expect(summarize(records, { families, suite: { name: 's', hash: 'h' } })[0]).toMatchObject({ best: 'x/good-nmse', metric: 'nmse_db', median: -40 });
  });

  test("best solver by the task's own metric when the suite gives one", () => {
    const suite = { name: 's', hash: 'h', primary: { 'sparse-recovery/a': 'support_f1' } };
    expect(summarize(records, { families, suite })[0]).toMatchObject({ best: 'y/good-f1', metric: 'support_f1', median: 1 });
  });

  test('the run manifest lists the tasks that rank by their own metric', async () => {
    const run = await runSuite({ suite: tinySuite({}, { solvers: ['baselines/omp'], primary: 'support_f1' }), out: join(tmp(), 'primary'), workers: 1 });
    expect(run.manifest.suite.primary).toEqual({ 'sparse-recovery/small': 'support_f1' });
  }, 60_000);
});
