import type { ResultRecord, RunManifest } from '@parsimony/core';

/** One row of the end-of-run table. */
export interface TaskSummary {
  readonly task: string;
  readonly jobs: number;
  /** Jobs whose solver does not apply to the task (not failures). */
  readonly skipped: number;
  /** Best solver (with its grid point) by the median of the primary metric over seeds; undefined when nothing succeeded. */
  readonly best?: string;
  readonly metric?: string;
  readonly median?: number;
  /** Jobs not `ok`, by status. */
  readonly failures: { readonly invalid: number; readonly error: number; readonly timeout: number };
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** `baselines/omp` or `baselines/omp[k=8]`: a solver and its grid point. */
export function variantOf(r: ResultRecord): string {
  const keys = Object.keys(r.params).sort();
  return keys.length ? `${r.solver}[${keys.map((k) => `${k}=${JSON.stringify(r.params[k])}`).join(',')}]` : r.solver;
}

/**
 * Per task: jobs, the best solver by the median over seeds of the family's
 * primary metric (from the manifest's families), that median, and failures.
 */
export function summarize(records: readonly ResultRecord[], manifest: Pick<RunManifest, 'families' | 'suite'>): TaskSummary[] {
  const primary = new Map<string, { id: string; direction: 'min' | 'max' }>();
  const metrics = new Map<string, NonNullable<RunManifest['families']>[number]['metrics']>();
  for (const f of manifest.families ?? []) {
    metrics.set(f.id, f.metrics);
    const m = f.metrics.find((x) => x.primary) ?? f.metrics[0];
    if (m) primary.set(f.id, { id: m.id, direction: m.direction });
  }
  /** The task's own ranking metric (the suite's `primary`), else its family's. */
  const primaryOf = (task: string, family: string) => {
    const own = manifest.suite?.primary?.[task];
    const m = own === undefined ? undefined : metrics.get(family)?.find((x) => x.id === own);
    return m ? { id: m.id, direction: m.direction } : primary.get(family);
  };
  const byTask = new Map<string, ResultRecord[]>();
  for (const r of records) byTask.set(r.task, [...(byTask.get(r.task) ?? []), r]);
  const rows: TaskSummary[] = [];
  for (const [task, rs] of [...byTask].sort(([a], [b]) => a.localeCompare(b))) {
    const failures = { invalid: 0, error: 0, timeout: 0 };
    let skipped = 0;
    for (const r of rs) {
      if (r.status === 'skipped') skipped++;
      else if (r.status !== 'ok') failures[r.status]++;
    }
    const p = primaryOf(task, rs[0].family);
    let best: { variant: string; median: number } | undefined;
    if (p) {
      const values = new Map<string, number[]>();
      for (const r of rs) {
        const v = r.status === 'ok' ? r.metrics?.[p.id] : undefined;
        if (v !== undefined) values.set(variantOf(r), [...(values.get(variantOf(r)) ?? []), v]);
      }
      for (const [variant, vs] of [...values].sort(([a], [b]) => a.localeCompare(b))) {
        const m = median(vs);
        if (!best || (p.direction === 'min' ? m < best.median : m > best.median)) best = { variant, median: m };
      }
    }
    rows.push({ task, jobs: rs.length, skipped, ...(best && { best: best.variant, median: best.median }), ...(p && { metric: p.id }), failures });
  }
  return rows;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6 ? x.toPrecision(4) : x.toExponential(3);
}

/** The summary as an aligned text table. */
export function formatSummary(rows: readonly TaskSummary[]): string {
  const table = [
    ['task', 'jobs', 'best solver', 'median primary', 'failures', 'skipped'],
    ...rows.map((r) => {
      const f = r.failures;
      const n = f.invalid + f.error + f.timeout;
      const parts = (['invalid', 'error', 'timeout'] as const).filter((k) => f[k] > 0).map((k) => `${f[k]} ${k}`);
      return [r.task, String(r.jobs), r.best ?? '-', r.median === undefined ? '-' : `${r.metric} ${fmt(r.median)}`, n ? `${n} (${parts.join(', ')})` : '0', String(r.skipped)];
    }),
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  return table.map((row) => row.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}
