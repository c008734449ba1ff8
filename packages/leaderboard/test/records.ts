import type { MetricSpec, ResultRecord, RunManifest } from '@parsimony/core';
import type { FamilyInfo } from '../src/index.js';
import type { RunResults } from '../src/results.js';

/** Test helpers: small hand-made records and families. */

export const NMSE: MetricSpec = { id: 'nmse_db', label: 'NMSE', direction: 'min', primary: true, unit: 'dB' };
export const F1: MetricSpec = { id: 'support_f1', label: 'Support F1', direction: 'max' };

export const sparse: FamilyInfo = { id: 'sparse-recovery', title: 'Sparse recovery', metrics: [NMSE, F1], primary: NMSE, known: true };

/** A record on `task` (family sparse-recovery unless said); `ok` when metrics are given. */
export function rec(
  solver: string,
  seed: number,
  metrics: Record<string, number> | { status: 'invalid' | 'error' | 'timeout' | 'skipped'; reason?: string },
  extra: Partial<ResultRecord> = {},
): ResultRecord {
  const task = extra.task ?? 'sparse-recovery/quick';
  const failed = 'status' in metrics;
  return {
    job: `${task}#${seed}#${solver}#${JSON.stringify(extra.params ?? {})}`,
    task,
    family: 'sparse-recovery',
    seed,
    solver,
    plugin: solver.split('/')[0],
    params: {},
    status: failed ? (metrics as { status: ResultRecord['status'] }).status : 'ok',
    ...(failed && (metrics as { reason?: string }).reason !== undefined && { reason: (metrics as { reason: string }).reason }),
    ...(!failed && { metrics: metrics as Record<string, number> }),
    time_ms: 10,
    finished_at: '2025-06-01T10:00:00.000Z',
    ...extra,
  } as ResultRecord;
}

export function manifest(extra: Partial<RunManifest> = {}): RunManifest {
  return {
    run_id: 'run-1',
    suite: { name: 'quick', hash: 'h' },
    created_at: '2025-06-01T10:00:00.000Z',
    node: 'v20',
    platform: 'linux-x64',
    cpu: { model: 'cpu', cores: 2 },
    packages: {},
    families: [{ id: 'sparse-recovery', title: 'Sparse recovery', metrics: [NMSE, F1] }],
    ...extra,
  };
}

export function run(records: ResultRecord[], extra: Partial<RunManifest> = {}, dir = 'results/run-1'): RunResults {
  return { dir, manifest: manifest(extra), records, skipped: [] };
}
