import { createHash } from 'node:crypto';
import { ParsimonyError, resolveParams, solversFor, type DependencyContainer, type RegisteredSolver } from '@parsimony/core';
import type { Suite, Task } from './suite.js';

/** One unit of work: a solver (at one grid point) on one (task, seed). */
export interface Job {
  /** `<task>#<seed>#<solver>`, plus `#<grid point>` when the task has a grid for the solver. */
  readonly key: string;
  readonly task: Task;
  readonly seed: number;
  readonly solver: string;
  /** Slug of the plugin that registered the solver. */
  readonly plugin: string;
  /** Solver params as the suite gives them (a grid point; `{}` when none). */
  readonly params: Record<string, unknown>;
}

/** A shard: the `index`-th (1-based) of `count` parts. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Compiles a glob over ids: `*` matches any run of characters, `?` one; everything else is literal. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** True when `id` matches any of the globs. */
export function matchesAny(id: string, globs: readonly string[]): boolean {
  return globs.some((g) => globToRegExp(g).test(id));
}

/** The combinations of a grid, in a stable order (keys sorted, values in given order). */
export function gridPoints(grid: Readonly<Record<string, readonly unknown[]>>): Record<string, unknown>[] {
  let points: Record<string, unknown>[] = [{}];
  for (const key of Object.keys(grid).sort()) {
    points = points.flatMap((p) => grid[key].map((v) => ({ ...p, [key]: v })));
  }
  return points;
}

/** `k=8,mode="fast"`: a grid point as a stable, readable key suffix. */
export function gridSuffix(point: Record<string, unknown>): string {
  return Object.keys(point)
    .sort()
    .map((k) => `${k}=${JSON.stringify(point[k])}`)
    .join(',');
}

/** The key of a job: `<task>#<seed>#<solver>[#<grid point>]`. */
export function jobKey(task: string, seed: number, solver: string, params: Record<string, unknown> = {}): string {
  const suffix = gridSuffix(params);
  return `${task}#${seed}#${solver}${suffix ? `#${suffix}` : ''}`;
}

/**
 * Expands tasks into jobs: task x seed x solver (x grid point), in that
 * order. `solverGlobs` (the `--solvers` filter) further restricts each
 * task's own solver globs. Grid points are validated against the solver's
 * params schema now, so a typo fails before anything runs.
 */
export function expandJobs(tasks: readonly Task[], container: DependencyContainer, solverGlobs?: readonly string[]): Job[] {
  const jobs: Job[] = [];
  for (const task of tasks) {
    const solvers: RegisteredSolver[] = solversFor(container, task.family).filter(
      ({ solver }) => matchesAny(solver.id, task.solvers) && (!solverGlobs || matchesAny(solver.id, solverGlobs)),
    );
    const variants = solvers.map((entry) => {
      const gridKey = Object.keys(task.grid).find((g) => globToRegExp(g).test(entry.solver.id));
      const points = gridKey ? gridPoints(task.grid[gridKey]) : [{}];
      for (const p of points) {
        try {
          resolveParams(entry.solver, p);
        } catch (e) {
          if (e instanceof ParsimonyError) throw new ParsimonyError(e.code, `task ${task.id}, grid '${gridKey}': ${e.message}`, `grid.${gridKey}`);
          throw e;
        }
      }
      return { entry, points };
    });
    for (const seed of task.seeds) {
      for (const { entry, points } of variants) {
        for (const params of points) {
          jobs.push({ key: jobKey(task.id, seed, entry.solver.id, params), task, seed, solver: entry.solver.id, plugin: entry.origin.plugin, params });
        }
      }
    }
  }
  return jobs;
}

/**
 * The jobs of one shard: job i (in expansion order) goes to shard
 * `(i mod count) + 1`. Deterministic for a given suite and set of installed
 * solvers, and balanced in count; the shards partition the jobs.
 */
export function shardJobs<J>(jobs: readonly J[], shard: Shard | undefined): J[] {
  if (!shard) return [...jobs];
  return jobs.filter((_, i) => i % shard.count === shard.index - 1);
}

/**
 * Parses `--shard`: `i/n` (1 <= i <= n), or `auto/n` where i is
 * `JOB_COMPLETION_INDEX + 1` (the 0-based index of a Kubernetes Indexed Job).
 */
export function parseShard(text: string, env: NodeJS.ProcessEnv = process.env): Shard {
  const m = /^(auto|\d+)\/(\d+)$/.exec(text.trim());
  const bad = (why: string) => new ParsimonyError('PARSIMONY_BAD_INPUT', `--shard '${text}': ${why}`, 'shard');
  if (!m) throw bad("expected 'i/n' (e.g. 2/4) or 'auto/n'");
  const count = Number(m[2]);
  if (!Number.isSafeInteger(count) || count < 1) throw bad('n must be a positive integer');
  let index: number;
  if (m[1] === 'auto') {
    const raw = env.JOB_COMPLETION_INDEX;
    if (raw === undefined || !/^\d+$/.test(raw)) throw bad(`'auto' needs JOB_COMPLETION_INDEX (a Kubernetes Indexed Job sets it), got ${raw === undefined ? 'nothing' : `'${raw}'`}`);
    index = Number(raw) + 1;
  } else index = Number(m[1]);
  if (index < 1 || index > count) throw bad(`i must be between 1 and ${count}${m[1] === 'auto' ? ` (JOB_COMPLETION_INDEX=${index - 1} is out of range)` : ''}`);
  return { index, count };
}

/** Canonical JSON: object keys sorted, so equal content hashes equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .sort()
      .filter((k) => obj[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The suite hash recorded in the manifest: sha256 of the expanded tasks and
 * the filters. Runs (shards, resumed runs) merge only when it is equal.
 */
export function suiteHash(suite: Suite, tasks: readonly Task[], filters: { solvers?: readonly string[]; families?: readonly string[] }): string {
  const content = canonicalJson({
    name: suite.name,
    tasks: tasks.map((t) => ({ id: t.id, family: t.family, params: t.params, seeds: t.seeds, budgetMs: t.budgetMs, solvers: t.solvers, grid: t.grid, ...(t.primary !== undefined && { primary: t.primary }) })),
    filters: { solvers: filters.solvers ?? null, families: filters.families ?? null },
  });
  return createHash('sha256').update(content).digest('hex');
}
