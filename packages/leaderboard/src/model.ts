import { ClaimSchema, ManifestSchema, checkValid, type Claim, type JobStatus, type MetricSpec, type ResultRecord, type RunManifest } from '@parsimony/core';
import { formatParams } from './format.js';
import type { RunResults } from './results.js';
import { summarize, type Stat } from './stats.js';

/** A problem family as described by the run manifests. */
export interface FamilyInfo {
  readonly id: string;
  readonly title: string;
  readonly summary?: string;
  readonly metrics: readonly MetricSpec[];
  /** The metric ranked by; undefined when no manifest describes the family. */
  readonly primary?: MetricSpec;
  /** False when results name a family that no manifest describes (shown unranked). */
  readonly known: boolean;
}

/** A plugin: its manifest when a run recorded one, else what the results say. */
export interface PluginInfo {
  /** The plugin slug, e.g. `baselines`. */
  readonly name: string;
  readonly version?: string;
  readonly paper?: { readonly title: string; readonly date: string; readonly url?: string; readonly authors?: readonly string[] };
  readonly solvers: readonly string[];
  readonly claims: readonly Claim[];
  /** False when only result records name the plugin. */
  readonly hasManifest: boolean;
}

/** A solver as listed in a plugin manifest (or seen in results). */
export interface SolverInfo {
  readonly id: string;
  readonly title: string;
  readonly plugin: string;
  readonly family?: string;
}

/** One seed that did not give a score. */
export interface Failure {
  readonly seed: number;
  readonly status: JobStatus;
  readonly reason: string;
}

/**
 * One solver configuration on one task: the solver with one set of params,
 * summarized over seeds. A solver run with several params (a grid) has one
 * entry per params.
 */
export interface Entry {
  readonly key: string;
  readonly solver: string;
  readonly plugin: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** `baselines/ista`, or `baselines/ista (lambda=0.1)` when the solver has several configurations here. */
  readonly label: string;
  readonly records: readonly ResultRecord[];
  /** Jobs (seeds) of this entry, and how many ended `ok`. */
  readonly jobs: number;
  readonly ok: number;
  readonly failures: readonly Failure[];
  /** Median and range over `ok` seeds of every metric they report. */
  readonly metrics: Readonly<Record<string, Stat>>;
  /** The primary metric's summary, when ranked. */
  readonly primary?: Stat;
  /** Wall time over `ok` seeds (over all seeds when none is ok). */
  readonly time?: Stat;
  readonly memory?: Stat;
  /** 1-based competition rank ("1, 1, 3" on a tie); undefined when unranked. */
  readonly rank?: number;
  /** Why the entry has no rank. */
  readonly unranked?: string;
}

/** One suite task: its entries ranked by the primary metric. */
export interface TaskSummary {
  /** Suite task id, e.g. `sparse-recovery/quick`. */
  readonly id: string;
  readonly family: string;
  /** Ranked entries first (by rank), then the unranked ones. */
  readonly entries: readonly Entry[];
  readonly seeds: readonly number[];
  readonly jobs: number;
  readonly failed: number;
  /** Number of entries with a rank. */
  readonly ranked: number;
  /** Solvers that do not apply to this task (their jobs were `skipped`), with the reason they gave: not entries, not failures. */
  readonly skipped: readonly { readonly solver: string; readonly reason: string }[];
  /** Instance size of the task (from the first record that has one). */
  readonly size?: Readonly<Record<string, number>>;
  /** Metric ids shown: the family's, then any other the records report. */
  readonly metricIds: readonly string[];
  /** The metric the entries are ranked by: the task's own (the suite's `primary`), else the family's; undefined when unranked. */
  readonly primary?: MetricSpec;
}

/** Everything the site shows, derived from the result directories. */
export interface Leaderboard {
  /** Runs oldest first; the last one is the latest. */
  readonly runs: readonly RunResults[];
  readonly families: readonly FamilyInfo[];
  readonly plugins: readonly PluginInfo[];
  readonly solvers: readonly SolverInfo[];
  readonly tasks: readonly TaskSummary[];
  /** Problems worth showing (skipped lines, bad plugin manifests, replaced results). */
  readonly warnings: readonly string[];
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Canonical JSON with sorted keys, so equal params give equal keys. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Whether `a` is strictly better than `b` in `direction`. */
function better(direction: 'min' | 'max', a: number, b: number): boolean {
  return direction === 'min' ? a < b : a > b;
}

/**
 * Groups a task's records into entries (solver x params) and summarizes each
 * over seeds: medians and ranges of every metric over `ok` seeds, wall time,
 * memory, and the failures with their reasons.
 *
 * @param records - the records of one task
 * @param primary - the metric ranked by (undefined: nothing is ranked)
 * @returns unranked entries, sorted by label
 */
export function aggregateEntries(records: readonly ResultRecord[], primary?: MetricSpec): Entry[] {
  const groups = new Map<string, ResultRecord[]>();
  for (const r of records) {
    const key = `${r.solver}\u0000${canonical(r.params)}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const configs = new Map<string, number>();
  for (const g of groups.values()) configs.set(g[0].solver, (configs.get(g[0].solver) ?? 0) + 1);

  const entries: Entry[] = [];
  for (const [key, rs] of groups) {
    rs.sort((a, b) => a.seed - b.seed);
    const first = rs[0];
    const ok = rs.filter((r) => r.status === 'ok');
    const metricIds = new Set<string>();
    for (const r of ok) for (const m of Object.keys(r.metrics ?? {})) metricIds.add(m);
    const metrics: Record<string, Stat> = {};
    for (const m of [...metricIds].sort()) {
      const s = summarize(ok.map((r) => r.metrics?.[m]).filter((v): v is number => v !== undefined));
      if (s) metrics[m] = s;
    }
    const timed = ok.length > 0 ? ok : rs;
    const mem = timed.map((r) => r.memory_bytes).filter((v): v is number => v !== undefined);
    const failures: Failure[] = rs
      .filter((r) => r.status !== 'ok')
      .map((r) => ({ seed: r.seed, status: r.status, reason: r.reason ?? '(no reason recorded)' }));
    const time = summarize(timed.map((r) => r.time_ms));
    const memory = summarize(mem);
    const primaryStat = primary ? metrics[primary.id] : undefined;
    let unranked: string | undefined;
    if (!primary) unranked = 'no metric definitions for this family in the run manifests';
    else if (ok.length === 0) unranked = `all ${rs.length} seed${rs.length === 1 ? '' : 's'} failed`;
    else if (!primaryStat) unranked = `no ${primary.id} in its results`;
    const several = (configs.get(first.solver) ?? 0) > 1;
    entries.push({
      key,
      solver: first.solver,
      plugin: first.plugin,
      params: first.params,
      label: several ? `${first.solver} (${formatParams(first.params)})` : first.solver,
      records: rs,
      jobs: rs.length,
      ok: ok.length,
      failures,
      metrics,
      ...(primaryStat && { primary: primaryStat }),
      ...(time && { time }),
      ...(memory && { memory }),
      ...(unranked !== undefined && { unranked }),
    });
  }
  return entries.sort((a, b) => byString(a.label, b.label));
}

/**
 * Ranks entries by the median of the primary metric over their `ok` seeds,
 * in the metric's direction. Equal medians share a rank (competition ranking:
 * 1, 1, 3) and are listed by label; entries without a median (all seeds
 * failed, or the metric missing) come last with no rank.
 *
 * @example
 * rankEntries(entries, 'min').map((e) => e.rank); // => [1, 1, 3, undefined]
 */
export function rankEntries(entries: readonly Entry[], direction: 'min' | 'max'): Entry[] {
  const ranked = entries.filter((e) => e.primary !== undefined && e.unranked === undefined);
  const rest = entries.filter((e) => !(e.primary !== undefined && e.unranked === undefined));
  ranked.sort((a, b) => {
    const x = a.primary!.median;
    const y = b.primary!.median;
    if (x !== y) return better(direction, x, y) ? -1 : 1;
    return byString(a.label, b.label);
  });
  const out: Entry[] = [];
  for (let i = 0; i < ranked.length; i++) {
    const prev = out[i - 1];
    const rank = prev !== undefined && prev.primary!.median === ranked[i].primary!.median ? prev.rank! : i + 1;
    out.push({ ...ranked[i], rank });
  }
  return [...out, ...[...rest].sort((a, b) => byString(a.label, b.label)).map((e) => ({ ...e, rank: undefined }))];
}

/**
 * Summarizes one task: entries ranked by its primary metric.
 *
 * @param id - the suite task id
 * @param family - the family of the task (its metrics give directions)
 * @param records - every record of the task
 * @param primary - the metric to rank by: the family's primary unless the suite gave the task its own
 */
export function summarizeTask(id: string, family: FamilyInfo, all: readonly ResultRecord[], primary: MetricSpec | undefined = family.primary): TaskSummary {
  // A skipped job is a solver saying it does not handle this task's variant: not an attempt.
  const records = all.filter((r) => r.status !== 'skipped');
  const reasons = new Map<string, string>();
  for (const r of all) if (r.status === 'skipped' && !reasons.has(r.solver) && !records.some((x) => x.solver === r.solver)) reasons.set(r.solver, r.reason ?? '(no reason given)');
  const skipped = [...reasons].map(([solver, reason]) => ({ solver, reason })).sort((a, b) => byString(a.solver, b.solver));
  const entries = primary ? rankEntries(aggregateEntries(records, primary), primary.direction) : aggregateEntries(records);
  const extra = new Set<string>();
  for (const e of entries) for (const m of Object.keys(e.metrics)) extra.add(m);
  const known = family.metrics.map((m) => m.id);
  for (const m of known) extra.delete(m);
  const sized = records.find((r) => r.size !== undefined);
  return {
    id,
    family: family.id,
    entries,
    seeds: [...new Set(records.map((r) => r.seed))].sort((a, b) => a - b),
    jobs: records.length,
    failed: records.filter((r) => r.status !== 'ok').length,
    ranked: entries.filter((e) => e.rank !== undefined).length,
    skipped,
    ...(sized?.size && { size: sized.size }),
    metricIds: [...known, ...[...extra].sort()],
    ...(primary && { primary }),
  };
}

/**
 * The best median of `metricId` reached by any configuration of `solverId` on
 * the task (the median over its `ok` seeds), or undefined when it has none.
 * Claims and profiles compare solvers through this.
 */
export function solverMedian(task: TaskSummary, solverId: string, metricId: string, direction: 'min' | 'max'): number | undefined {
  let best: number | undefined;
  for (const e of task.entries) {
    if (e.solver !== solverId) continue;
    const m = e.metrics[metricId]?.median;
    if (m !== undefined && (best === undefined || better(direction, m, best))) best = m;
  }
  return best;
}

/** The primary metric of a list of metric specs: the one marked, else the first. */
function primaryOf(metrics: readonly MetricSpec[]): MetricSpec | undefined {
  return metrics.find((m) => m.primary) ?? metrics[0];
}

/**
 * Merges result directories into one leaderboard: families and plugins from
 * the manifests (a later run's description wins), records from every run
 * (when two runs hold the same job, the one finished last is kept), tasks
 * summarized and ranked.
 *
 * @param runs - runs as read by readRunResults, in any order
 */
export function buildLeaderboard(runs: readonly RunResults[]): Leaderboard {
  const warnings: string[] = [];
  const ordered = [...runs].sort((a, b) => byString(a.manifest.created_at, b.manifest.created_at) || byString(a.dir, b.dir));

  const families = new Map<string, FamilyInfo>();
  const plugins = new Map<string, PluginInfo>();
  const solvers = new Map<string, SolverInfo>();
  /** Task id -> the metric id its suite ranks it by (the latest run's word). */
  const taskPrimary = new Map<string, string>();
  for (const run of ordered) {
    for (const [task, metric] of Object.entries(run.manifest.suite.primary ?? {})) taskPrimary.set(task, metric);
    if (run.skipped.length > 0) {
      const first = run.skipped[0];
      warnings.push(`run ${run.manifest.run_id}: skipped ${run.skipped.length} line${run.skipped.length === 1 ? '' : 's'} of results.jsonl (line ${first.line}: ${first.reason})`);
    }
    for (const f of run.manifest.families ?? []) {
      if (f.metrics.length > 0 && !f.metrics.some((m) => m.primary)) warnings.push(`family ${f.id}: no metric is marked primary; ranking by ${f.metrics[0].id}`);
      families.set(f.id, { id: f.id, title: f.title, ...(f.summary !== undefined && { summary: f.summary }), metrics: f.metrics, primary: primaryOf(f.metrics), known: f.metrics.length > 0 });
    }
    (run.manifest.plugins ?? []).forEach((raw, i) => {
      const problem = checkValid(ManifestSchema, raw, `plugins[${i}]`);
      if (problem) {
        const name = typeof (raw as { name?: unknown })?.name === 'string' ? `'${(raw as { name: string }).name}'` : `#${i + 1}`;
        // Keep what can be shown: a claim that fails its schema is dropped, the rest stays.
        const salvaged = salvagePlugin(raw);
        warnings.push(`run ${run.manifest.run_id}: plugin ${name} in manifest.json: ${problem.message}${salvaged ? ' (shown without the invalid parts)' : ' (ignored)'}`);
        if (!salvaged) return;
        raw = salvaged;
      }
      const p = raw as PluginManifestLike;
      plugins.set(p.name, {
        name: p.name,
        ...(p.version !== undefined && { version: p.version }),
        ...(p.paper !== undefined && { paper: p.paper }),
        solvers: p.solvers.map((s) => s.id),
        claims: p.claims,
        hasManifest: true,
      });
      for (const s of p.solvers) solvers.set(s.id, { id: s.id, title: s.title, plugin: p.name, family: s.family });
    });
  }

  // One record per job: a job repeated by a later run (a resume, a re-run) is replaced.
  const byJob = new Map<string, ResultRecord>();
  let replaced = 0;
  for (const run of ordered) {
    for (const r of run.records) {
      const prev = byJob.get(r.job);
      if (prev) {
        replaced++;
        if (byString(r.finished_at, prev.finished_at) < 0) continue;
      }
      byJob.set(r.job, r);
    }
  }
  if (replaced > 0) warnings.push(`${replaced} result${replaced === 1 ? '' : 's'} appeared in more than one run; the one finished last is shown`);
  const records = [...byJob.values()];

  const byTask = new Map<string, ResultRecord[]>();
  for (const r of records) {
    const g = byTask.get(r.task);
    if (g) g.push(r);
    else byTask.set(r.task, [r]);
    if (!solvers.has(r.solver)) solvers.set(r.solver, { id: r.solver, title: r.solver, plugin: r.plugin, family: r.family });
    if (!plugins.has(r.plugin)) plugins.set(r.plugin, { name: r.plugin, solvers: [], claims: [], hasManifest: false });
    const p = plugins.get(r.plugin)!;
    if (!p.solvers.includes(r.solver)) plugins.set(r.plugin, { ...p, solvers: [...p.solvers, r.solver] });
    if (!families.has(r.family)) {
      warnings.push(`family ${r.family} has results but no run manifest describes its metrics; its tasks are shown unranked`);
      families.set(r.family, { id: r.family, title: r.family, metrics: [], known: false });
    }
  }

  const tasks = [...byTask.entries()]
    .sort(([a], [b]) => byString(a, b))
    .map(([id, rs]) => {
      const family = families.get(rs[0].family)!;
      const own = taskPrimary.get(id);
      const spec = own === undefined ? undefined : family.metrics.find((m) => m.id === own);
      if (own !== undefined && !spec && family.known) warnings.push(`task ${id}: its suite ranks it by '${own}', which family ${family.id} does not define; ranked by ${family.primary?.id ?? 'nothing'}`);
      return summarizeTask(id, family, rs, spec ?? family.primary);
    });

  return {
    runs: ordered,
    families: [...families.values()].sort((a, b) => byString(a.id, b.id)),
    plugins: [...plugins.values()].sort((a, b) => byString(a.name, b.name)),
    solvers: [...solvers.values()].sort((a, b) => byString(a.id, b.id)),
    tasks,
    warnings,
  };
}

interface PluginManifestLike {
  name: string;
  version?: string;
  paper?: { title: string; date: string; url?: string; authors?: string[] };
  solvers: { id: string; title: string; family: string }[];
  claims: Claim[];
}

/**
 * Keeps the valid parts of a plugin manifest that failed validation: its
 * name and solvers when they are well-formed, the claims that pass the claim
 * schema, the paper only when valid. Undefined when even that is impossible.
 */
function salvagePlugin(raw: unknown): PluginManifestLike | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const o = raw as Record<string, unknown>;
  const base = { name: o.name, solvers: o.solvers, claims: [] };
  if (checkValid(ManifestSchema, base, 'plugin')) return undefined;
  const claims = Array.isArray(o.claims) ? o.claims.filter((c) => !checkValid(ClaimSchema, c, 'claim')) : [];
  const out: PluginManifestLike = { ...(base as PluginManifestLike), claims: claims as Claim[] };
  if (typeof o.version === 'string') out.version = o.version;
  if (o.paper !== undefined && !checkValid(ManifestSchema, { ...base, paper: o.paper }, 'plugin')) out.paper = o.paper as PluginManifestLike['paper'];
  return out;
}

/** The manifest of the latest run (the one created last). */
export function latestManifest(lb: Leaderboard): RunManifest | undefined {
  return lb.runs[lb.runs.length - 1]?.manifest;
}
