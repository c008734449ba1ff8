import type { FamilyInfo, TaskSummary } from './model.js';
import { solverMedian } from './model.js';
import { fitPowerLaw, type PowerFit } from './stats.js';

/** One solver's distance to the best solver on each task of a family. */
export interface ProfileRow {
  readonly solver: string;
  /** Per task (in `FamilyProfile.tasks` order): |median − best median| in the primary metric's units; Infinity when the solver has no score there. */
  readonly gaps: readonly number[];
  /** Tasks where it is the best (gap 0; ties count for everyone tied). */
  readonly wins: number;
  /** Tasks where it has a score. */
  readonly solved: number;
}

/** A family's performance profile over its tasks. */
export interface FamilyProfile {
  /** The tasks that count: those where at least one solver has a score. */
  readonly tasks: readonly string[];
  readonly rows: readonly ProfileRow[];
}

/**
 * The performance profile of a family: for each solver and task, how far its
 * median primary metric is from the best solver's, in the metric's own units
 * (the metrics are often logarithmic, e.g. dB, so a gap rather than a
 * Dolan–Moré ratio). A task no solver scored on is left out, and so is a
 * task ranked by another metric than the family's primary (its gaps would
 * be in other units); a solver with no score on a task never reaches it
 * (gap Infinity).
 *
 * @example
 * familyProfile(family, tasks).rows[0]; // => { solver: 'baselines/omp', gaps: [0, 1.5], wins: 1, solved: 2 }
 */
export function familyProfile(family: FamilyInfo, tasks: readonly TaskSummary[]): FamilyProfile {
  const primary = family.primary;
  const mine = tasks.filter((t) => t.family === family.id);
  const solvers = [...new Set(mine.flatMap((t) => t.entries.map((e) => e.solver)))].sort();
  if (!primary) return { tasks: [], rows: [] };
  const scored = mine.filter((t) => t.ranked > 0 && t.primary?.id === primary.id);
  const rows = solvers.map((solver) => {
    const gaps = scored.map((t) => {
      const best = t.entries[0].primary!.median;
      const v = solverMedian(t, solver, primary.id, primary.direction);
      if (v === undefined) return Infinity;
      return Math.max(0, primary.direction === 'min' ? v - best : best - v);
    });
    return { solver, gaps, wins: gaps.filter((g) => g === 0).length, solved: gaps.filter((g) => Number.isFinite(g)).length };
  });
  return { tasks: scored.map((t) => t.id), rows };
}

/**
 * Points of the profile's step curves: for each solver, the fraction of tasks
 * within a gap τ of the best, at τ = 0, at each of its gaps, and at the right
 * edge so every curve spans the plot.
 */
export function profileCurve(profile: FamilyProfile): { solver: string; gap: number; fraction: number }[] {
  const total = profile.tasks.length;
  if (total === 0) return [];
  const finite = profile.rows.flatMap((r) => r.gaps.filter((g) => Number.isFinite(g)));
  const edge = Math.max(1, ...finite) * 1.1;
  const out: { solver: string; gap: number; fraction: number }[] = [];
  for (const r of profile.rows) {
    const gs = r.gaps.filter((g) => Number.isFinite(g)).sort((a, b) => a - b);
    const at = (tau: number) => gs.filter((g) => g <= tau).length / total;
    const xs = [...new Set([0, ...gs, edge])].sort((a, b) => a - b);
    for (const x of xs) out.push({ solver: r.solver, gap: x, fraction: at(x) });
  }
  return out;
}

/** One (task, solver) measurement for the scale plot. */
export interface ScalePoint {
  readonly task: string;
  readonly size: number;
  readonly timeMs: number;
  readonly memoryBytes?: number;
}

/** A solver's cost across sizes, with the fitted exponents. */
export interface ScaleRow {
  readonly solver: string;
  readonly points: readonly ScalePoint[];
  /** time ≈ c · size^exponent; undefined with fewer than two sizes. */
  readonly timeFit?: PowerFit;
  readonly memoryFit?: PowerFit;
}

/** How cost grows with size in one family. */
export interface FamilyScale {
  /** The size parameter on the x axis (the one that varies most, `n` on a tie); undefined when no record has a size. */
  readonly sizeKey?: string;
  /** Number of distinct sizes seen. */
  readonly sizes: number;
  readonly rows: readonly ScaleRow[];
}

/**
 * Cost versus size in a family: for each solver, its median wall time (and
 * memory) over `ok` seeds on each task that records an instance size, and
 * a least-squares power law on log-log axes.
 *
 * @example
 * familyScale(family, tasks).rows[0].timeFit?.exponent; // => 2.02
 */
export function familyScale(family: FamilyInfo, tasks: readonly TaskSummary[]): FamilyScale {
  const mine = tasks.filter((t) => t.family === family.id);
  const values = new Map<string, Set<number>>();
  for (const t of mine) {
    for (const e of t.entries) {
      for (const r of e.records) {
        if (r.status !== 'ok' || !r.size) continue;
        for (const [k, v] of Object.entries(r.size)) {
          if (!values.has(k)) values.set(k, new Set());
          values.get(k)!.add(v);
        }
      }
    }
  }
  const keys = [...values.keys()].sort((a, b) => values.get(b)!.size - values.get(a)!.size || (a === 'n' ? -1 : b === 'n' ? 1 : a < b ? -1 : 1));
  const sizeKey = keys[0];
  if (sizeKey === undefined) return { sizes: 0, rows: [] };
  const bySolver = new Map<string, ScalePoint[]>();
  for (const t of mine) {
    for (const e of t.entries) {
      const withSize = e.records.find((r) => r.status === 'ok' && r.size?.[sizeKey] !== undefined);
      if (!withSize || e.ok === 0 || !e.time) continue;
      const point: ScalePoint = {
        task: t.id,
        size: withSize.size![sizeKey],
        timeMs: e.time.median,
        ...(e.memory && { memoryBytes: e.memory.median }),
      };
      if (!bySolver.has(e.solver)) bySolver.set(e.solver, []);
      bySolver.get(e.solver)!.push(point);
    }
  }
  const rows = [...bySolver.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([solver, points]) => {
      points.sort((a, b) => a.size - b.size || (a.task < b.task ? -1 : 1));
      const timeFit = fitPowerLaw(points.map((p) => ({ x: p.size, y: p.timeMs })));
      const memoryFit = fitPowerLaw(points.filter((p) => p.memoryBytes !== undefined).map((p) => ({ x: p.size, y: p.memoryBytes! })));
      return { solver, points, ...(timeFit && { timeFit }), ...(memoryFit && { memoryFit }) };
    });
  return { sizeKey, sizes: values.get(sizeKey)!.size, rows };
}

/**
 * Marks the Pareto front of (time, quality) points: a point is on the front
 * when no other point is at least as fast and at least as good, and strictly
 * better in one of the two.
 *
 * @example
 * paretoFront([{ timeMs: 1, value: 5 }, { timeMs: 2, value: 3 }, { timeMs: 3, value: 4 }], 'min'); // => [true, true, false]
 */
export function paretoFront(points: readonly { timeMs: number; value: number }[], direction: 'min' | 'max'): boolean[] {
  const q = (v: number) => (direction === 'min' ? v : -v);
  return points.map((p) =>
    !points.some((o) => o !== p && o.timeMs <= p.timeMs && q(o.value) <= q(p.value) && (o.timeMs < p.timeMs || q(o.value) < q(p.value))),
  );
}
