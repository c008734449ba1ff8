import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ParsimonyError, type ResultRecord, type RunManifest } from '@parsimony/core';
import { incompatibility, readManifest, writeManifest } from './manifest.js';
import { RESULTS_FILE, readResults } from './store.js';

export interface MergeResult {
  readonly dir: string;
  readonly manifest: RunManifest;
  /** The merged records, one per job, sorted by job key. */
  readonly records: ResultRecord[];
  /** Records dropped because another input had the same job (the latest `finished_at` is kept). */
  readonly duplicates: number;
  /** Non-fatal problems: missing shards, skipped lines. */
  readonly warnings: string[];
}

const bad = (message: string, field = 'merge') => new ParsimonyError('PARSIMONY_BAD_INPUT', message, field);

/**
 * Merges run directories (typically the shards of one suite) into `out`:
 * refuses runs of a different suite (name or content), package versions or
 * commit, and runs whose instances differ for the same (task, seed); keeps
 * one record per job (the latest); warns about missing shards.
 *
 * @example
 * mergeRuns(['results/shard-1', 'results/shard-2'], 'results/merged');
 */
export function mergeRuns(dirs: readonly string[], out: string): MergeResult {
  if (dirs.length === 0) throw bad('merge: give at least one run directory');
  const outDir = resolve(out);
  const inputs = dirs.map((d) => {
    const dir = resolve(d);
    if (dir === outDir) throw bad(`merge: --out ${out} is also an input; write the merge elsewhere`, 'out');
    const manifest = readManifest(dir);
    if (!manifest) throw bad(`${d} is not a run directory: manifest.json is missing`);
    return { dir, manifest, ...readResults(dir) };
  });
  const first = inputs[0];
  for (const x of inputs.slice(1)) {
    const why = incompatibility(first.manifest, x.manifest);
    if (why) throw bad(`cannot merge ${x.dir} with ${first.dir}: ${why}`);
  }

  const warnings: string[] = [];
  for (const x of inputs) for (const s of x.skipped) warnings.push(`${join(x.dir, RESULTS_FILE)}:${s.line}: skipped (${s.reason})`);
  const shards = inputs.map((x) => x.manifest.shard);
  if (shards.some((s) => s)) {
    const counts = new Set(shards.map((s) => s?.count ?? 1));
    if (counts.size > 1) throw bad(`cannot merge runs split into different numbers of shards (${[...counts].join(', ')})`);
    const n = [...counts][0];
    const have = new Set(shards.map((s) => s?.index));
    const missing = Array.from({ length: n }, (_, i) => i + 1).filter((i) => !have.has(i));
    if (missing.length) warnings.push(`shards ${missing.map((i) => `${i}/${n}`).join(', ')} are missing: the merged run is partial`);
  }

  const instance = new Map<string, { hash: string; dir: string }>();
  const byJob = new Map<string, ResultRecord>();
  let duplicates = 0;
  for (const x of inputs) {
    for (const r of x.records) {
      if (r.instance_hash) {
        const at = `${r.task}#${r.seed}`;
        const seen = instance.get(at);
        if (seen && seen.hash !== r.instance_hash) {
          throw bad(`cannot merge: task ${r.task} seed ${r.seed} has a different instance in ${x.dir} (${r.instance_hash}) than in ${seen.dir} (${seen.hash}); the generator is not reproducible across these machines`);
        }
        instance.set(at, { hash: r.instance_hash, dir: x.dir });
      }
      const prior = byJob.get(r.job);
      if (prior) {
        duplicates++;
        if (r.finished_at < prior.finished_at) continue;
      }
      byJob.set(r.job, r);
    }
  }
  const records = [...byJob.values()].sort((a, b) => (a.job < b.job ? -1 : a.job > b.job ? 1 : 0));

  const existing = readManifest(outDir);
  if (existing && readResults(outDir).records.length > 0) throw bad(`${out} already holds results; merge into a new directory`, 'out');
  const { shard: _shard, ...rest } = first.manifest;
  const manifest: RunManifest = { ...rest, run_id: basename(outDir), created_at: new Date().toISOString(), merged_from: inputs.map((x) => x.manifest.run_id) };
  mkdirSync(outDir, { recursive: true });
  const tmp = join(outDir, `${RESULTS_FILE}.${process.pid}.tmp`);
  writeFileSync(tmp, records.map((r) => JSON.stringify(r) + '\n').join(''));
  renameSync(tmp, join(outDir, RESULTS_FILE));
  writeManifest(outDir, manifest);
  return { dir: outDir, manifest, records, duplicates, warnings };
}
