import type { MetricSpec } from '@parsimony/core';
import type { ClaimResult } from './claims.js';
import type { FamilyProfile, FamilyScale } from './analysis.js';
import { formatBytes, formatMs, formatNumber, formatParams } from './format.js';
import type { Entry, FamilyInfo, Leaderboard, PluginInfo, SolverInfo, TaskSummary } from './model.js';
import { FileNamer, fileSlug, safeHttpUrl } from './paths.js';
import type { Stat } from './stats.js';

/*
 * View models: plain objects of strings that the templates print with
 * Handlebars' escaping `{{ }}`. Nothing here is HTML; every value from a
 * plugin, suite or result stays text.
 */

/** A link; without `href` it is plain text (the target has no page). */
export interface Link {
  readonly text: string;
  readonly href?: string;
}

/** One table cell. `sort` is the raw value site.js sorts by. */
export interface Cell {
  readonly text: string;
  readonly href?: string;
  readonly links?: readonly Link[];
  readonly note?: string;
  readonly sort?: string;
  readonly numeric?: boolean;
  readonly cls?: string;
}

/** A semantic table, sortable by site.js. */
export interface Table {
  readonly id: string;
  readonly caption: string;
  readonly headers: readonly { readonly text: string; readonly numeric?: boolean; readonly title?: string }[];
  readonly rows: readonly { readonly cells: readonly Cell[]; readonly cls?: string }[];
  /** Shown instead of the table when it has no rows. */
  readonly empty: string;
}

/** A plot: an SVG file shown with <img> (so nothing in it can run), with a text alternative. */
export interface Figure {
  readonly src: string;
  readonly alt: string;
  readonly caption: string;
  readonly width: number;
  readonly height: number;
}

/** Where each page and plot of the site lives, relative to the site root. */
export class SiteMap {
  private readonly names = { families: new FileNamer(), tasks: new FileNamer(), plugins: new FileNamer(), solvers: new FileNamer() };
  private readonly plotNames = new Map<string, FileNamer>();
  private readonly plotFiles = new Map<string, string>();
  private readonly families: Set<string>;
  private readonly tasks: Set<string>;
  private readonly plugins: Set<string>;
  private readonly solvers: Set<string>;

  constructor(lb: Leaderboard) {
    this.families = new Set(lb.families.map((f) => f.id));
    this.tasks = new Set(lb.tasks.map((t) => t.id));
    this.plugins = new Set(lb.plugins.map((p) => p.name));
    this.solvers = new Set(lb.solvers.map((s) => s.id));
  }

  family(id: string): string | undefined {
    return this.families.has(id) ? `families/${this.names.families.name(id)}.html` : undefined;
  }
  task(id: string): string | undefined {
    return this.tasks.has(id) ? `tasks/${this.names.tasks.name(id)}.html` : undefined;
  }
  plugin(id: string): string | undefined {
    return this.plugins.has(id) ? `plugins/${this.names.plugins.name(id)}.html` : undefined;
  }
  solver(id: string): string | undefined {
    return this.solvers.has(id) ? `solvers/${this.names.solvers.name(id)}.html` : undefined;
  }
  /** A plot file for `kind` of the thing `id`, e.g. plot('pareto', 'sparse-recovery/quick'). */
  plot(kind: string, id: string): string {
    const k = fileSlug(kind);
    if (!this.plotNames.has(k)) this.plotNames.set(k, new FileNamer());
    let name = `${k}-${this.plotNames.get(k)!.name(id)}`;
    // 'trace-a' of 'b' and 'trace' of 'a-b' would meet; the second gets a suffix.
    const owner = `${kind}\u0000${id}`;
    while (this.plotFiles.has(name) && this.plotFiles.get(name) !== owner) name = `${name}-${fileSlug(`_${owner}`).slice(-8)}`;
    this.plotFiles.set(name, owner);
    return `plots/${name}.svg`;
  }
}

/** Builds the links of one page: site paths made relative to the page's folder. */
export class Linker {
  constructor(
    readonly map: SiteMap,
    /** '' for pages at the root, '../' for pages one folder down. */
    readonly root: string,
  ) {}
  private rel(path: string | undefined): string | undefined {
    return path === undefined ? undefined : `${this.root}${path}`;
  }
  family(id: string): Link {
    return { text: id, ...(this.map.family(id) && { href: this.rel(this.map.family(id)) }) };
  }
  task(id: string): Link {
    return { text: id, ...(this.map.task(id) && { href: this.rel(this.map.task(id)) }) };
  }
  plugin(id: string): Link {
    return { text: id, ...(this.map.plugin(id) && { href: this.rel(this.map.plugin(id)) }) };
  }
  solver(id: string, text = id): Link {
    return { text, ...(this.map.solver(id) && { href: this.rel(this.map.solver(id)) }) };
  }
  asset(path: string): string {
    return `${this.root}${path}`;
  }
}

const num = (x: number | undefined): string | undefined => (x === undefined || !Number.isFinite(x) ? undefined : String(x));
const linkCell = (l: Link, extra: Partial<Cell> = {}): Cell => ({ text: l.text, ...(l.href && { href: l.href }), sort: l.text, ...extra });

/** A metric value with its unit. */
export function metricText(value: number | undefined, metric?: MetricSpec): string {
  const v = formatNumber(value);
  return value !== undefined && metric?.unit ? `${v} ${metric.unit}` : v;
}

function rangeText(s: Stat | undefined, metric?: MetricSpec): string {
  if (!s) return '—';
  if (s.n === 1) return '1 seed';
  if (s.min === s.max) return s.n === 2 ? 'same on both seeds' : `same on all ${s.n} seeds`;
  return `${metricText(s.min, metric)} to ${metricText(s.max, metric)}`;
}

function betterText(metric: MetricSpec): string {
  return metric.direction === 'min' ? 'lower is better' : 'higher is better';
}

/** Header text of a metric column, e.g. `NMSE (dB) ↓`. */
export function metricHeader(metric: MetricSpec | undefined, id: string): string {
  if (!metric) return id;
  return `${metric.label}${metric.unit ? ` (${metric.unit})` : ''} ${metric.direction === 'min' ? '↓' : '↑'}`;
}

function verdictCls(v: ClaimResult['verdict']['verdict']): string {
  return v === 'reproduced' ? 'verdict-ok' : v === 'not reproduced' ? 'verdict-bad' : 'verdict-none';
}

function claimedText(r: ClaimResult): string {
  const c = r.claim;
  const unit = r.metric?.unit ? ` ${r.metric.unit}` : '';
  const dir = r.metric ? (r.metric.direction === 'min' ? 'lower' : 'higher') : 'better';
  if (c.versus !== undefined) {
    const margin = c.margin ?? 0;
    return margin > 0 ? `${c.metric} at least ${margin}${unit} ${dir} than ${c.versus}` : `${c.metric} at least as good as ${c.versus}`;
  }
  const op = r.metric ? (r.metric.direction === 'min' ? '≤' : '≥') : 'reaches';
  return `${c.metric} ${op} ${formatNumber(c.value)}${unit}`;
}

function measuredText(r: ClaimResult): string {
  if (r.verdict.verdict === 'not run') return '—';
  const parts = [`${r.claim.solver}: ${metricText(r.solverValue, r.metric)}`];
  if (r.claim.versus !== undefined) parts.push(`${r.claim.versus}: ${metricText(r.versusValue, r.metric)}`);
  parts.push(`needed ${r.metric?.direction === 'max' ? '≥' : '≤'} ${metricText(r.verdict.reference, r.metric)}`);
  return parts.join('; ');
}

/** The claims table (used on plugin, task and solver pages). */
export function claimsTable(id: string, caption: string, results: readonly ClaimResult[], L: Linker, withPlugin: boolean): Table {
  return {
    id,
    caption,
    empty: 'No claims.',
    headers: [
      ...(withPlugin ? [{ text: 'Plugin' }] : []),
      { text: 'Claim' },
      { text: 'Task' },
      { text: 'Claimed' },
      { text: 'Measured (median over seeds)' },
      { text: 'Verdict' },
    ],
    rows: results.map((r) => ({
      cls: verdictCls(r.verdict.verdict),
      cells: [
        ...(withPlugin ? [linkCell(L.plugin(r.plugin))] : []),
        { text: r.claim.statement, note: `${r.claim.id}${r.claim.source ? ` · ${r.claim.source}` : ''}`, sort: r.claim.id },
        linkCell(L.task(r.claim.task)),
        { text: claimedText(r) },
        // core's detail restates the numbers; it is only news when the claim did not run.
        { text: measuredText(r), ...(r.verdict.verdict === 'not run' && { note: r.verdict.detail }) },
        { text: r.verdict.verdict, cls: `verdict ${verdictCls(r.verdict.verdict)}`, sort: r.verdict.verdict },
      ],
    })),
  };
}

/** Counts of verdicts, e.g. `2 reproduced, 1 not reproduced`. */
export function verdictSummary(results: readonly ClaimResult[]): string {
  if (results.length === 0) return 'no claims';
  const n = (v: string) => results.filter((r) => r.verdict.verdict === v).length;
  return [
    [n('reproduced'), 'reproduced'],
    [n('not reproduced'), 'not reproduced'],
    [n('not run'), 'not run'],
  ]
    .filter(([k]) => (k as number) > 0)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

function failuresRows(task: TaskSummary, entries: readonly Entry[], L: Linker, withTask: boolean) {
  return entries.flatMap((e) =>
    e.failures.map((f) => ({
      cls: `status-${f.status}`,
      cells: [
        ...(withTask ? [linkCell(L.task(task.id))] : []),
        linkCell(L.solver(e.solver, e.label)),
        { text: String(f.seed), sort: String(f.seed), numeric: true },
        { text: f.status, cls: `status status-${f.status}` },
        { text: f.reason },
      ],
    })),
  );
}

/** The ranking table of a task. */
export function rankingTable(task: TaskSummary, family: FamilyInfo, L: Linker): Table {
  const p = task.primary;
  const own = p !== undefined && p.id !== family.primary?.id;
  return {
    id: 'ranking',
    caption: p
      ? `Ranking by ${p.label} (median over seeds; ${betterText(p)})${own ? `: this task's metric, as its suite sets it (the family ranks by ${family.primary?.label ?? 'another metric'}, which does not tell these solvers apart here)` : ''}`
      : 'Solvers (unranked: the family has no metric definitions)',
    empty: 'No results.',
    headers: [
      { text: 'Rank', numeric: true },
      { text: 'Solver' },
      { text: 'Plugin' },
      { text: p ? `${metricHeader(p, p.id)} median` : 'Primary metric', numeric: true },
      { text: 'Range over seeds' },
      { text: 'Seeds ok', numeric: true },
      { text: 'Time (median)', numeric: true },
      { text: 'Memory (median)', numeric: true },
    ],
    rows: task.entries.map((e) => ({
      cls: e.rank === 1 ? 'best' : e.rank === undefined ? 'unranked' : '',
      cells: [
        { text: e.rank === undefined ? '—' : String(e.rank), ...(num(e.rank) && { sort: num(e.rank) }), numeric: true },
        linkCell(L.solver(e.solver, e.label), e.unranked ? { note: e.unranked } : {}),
        linkCell(L.plugin(e.plugin)),
        { text: metricText(e.primary?.median, p), ...(num(e.primary?.median) && { sort: num(e.primary?.median) }), numeric: true },
        { text: rangeText(e.primary, p) },
        { text: `${e.ok} / ${e.jobs}`, sort: String(e.ok / e.jobs), numeric: true },
        { text: formatMs(e.time?.median), ...(num(e.time?.median) && { sort: num(e.time?.median) }), numeric: true },
        { text: formatBytes(e.memory?.median), ...(num(e.memory?.median) && { sort: num(e.memory?.median) }), numeric: true },
      ],
    })),
  };
}

/** Every metric of every entry on a task: median, with the range as a note. */
export function allMetricsTable(task: TaskSummary, family: FamilyInfo, L: Linker): Table {
  const spec = (id: string) => family.metrics.find((m) => m.id === id);
  return {
    id: 'metrics',
    caption: 'All metrics (median over ok seeds; range below)',
    empty: 'No metrics.',
    headers: [{ text: 'Solver' }, ...task.metricIds.map((m) => ({ text: metricHeader(spec(m), m), numeric: true, ...(spec(m)?.description && { title: spec(m)!.description }) }))],
    rows: task.entries.map((e) => ({
      cells: [
        linkCell(L.solver(e.solver, e.label)),
        ...task.metricIds.map((m) => {
          const s = e.metrics[m];
          return { text: metricText(s?.median, spec(m)), ...(s && s.n > 1 && { note: rangeText(s, spec(m)) }), ...(num(s?.median) && { sort: num(s?.median) }), numeric: true };
        }),
      ],
    })),
  };
}

/** Failures of a task with their reasons. */
export function failuresTable(task: TaskSummary, L: Linker): Table {
  return {
    id: 'failures',
    caption: 'Failures (not scored): invalid solutions, errors, timeouts',
    empty: 'No failures: every job returned a valid solution.',
    headers: [{ text: 'Solver' }, { text: 'Seed', numeric: true }, { text: 'Status' }, { text: 'Reason' }],
    rows: failuresRows(task, task.entries, L, false),
  };
}

/** Tasks of a family with their best solvers. */
export function familyTasksTable(family: FamilyInfo, tasks: readonly TaskSummary[], L: Linker): Table {
  const p = family.primary;
  const mixed = tasks.some((t) => t.primary && t.primary.id !== p?.id);
  return {
    id: 'tasks',
    caption: `Tasks of ${family.title}`,
    empty: 'No results for this family yet.',
    headers: [
      { text: 'Task' },
      { text: 'Best solver' },
      { text: p && !mixed ? `Best ${metricHeader(p, p.id)}` : 'Best', numeric: true },
      { text: 'Ranked solvers', numeric: true },
      { text: 'Jobs', numeric: true },
      { text: 'Failed', numeric: true },
    ],
    rows: tasks.map((t) => {
      const best = t.entries.filter((e) => e.rank === 1);
      return {
        cells: [
          linkCell(L.task(t.id)),
          best.length > 0
            ? { text: '', links: best.map((e) => L.solver(e.solver, e.label)), sort: best[0].label }
            : { text: t.jobs > 0 ? 'none (every solver failed)' : 'none', cls: 'muted' },
          {
            text: mixed && t.primary ? `${t.primary.label}: ${metricText(best[0]?.primary?.median, t.primary)}` : metricText(best[0]?.primary?.median, t.primary ?? p),
            ...(num(best[0]?.primary?.median) && { sort: num(best[0]?.primary?.median) }),
            numeric: true,
          },
          { text: `${t.ranked} / ${t.entries.length}`, sort: String(t.ranked), numeric: true },
          { text: String(t.jobs), sort: String(t.jobs), numeric: true },
          { text: String(t.failed), sort: String(t.failed), numeric: true },
        ],
      };
    }),
  };
}

/** The profile as a table: wins, tasks scored, median and worst gap. */
export function profileTable(profile: FamilyProfile, family: FamilyInfo, L: Linker): Table {
  const p = family.primary;
  return {
    id: 'profile',
    caption: `Over ${profile.tasks.length} scored task${profile.tasks.length === 1 ? '' : 's'}: distance to the best ${p?.label ?? 'value'} per task`,
    empty: 'No task of this family has a scored result yet.',
    headers: [{ text: 'Solver' }, { text: 'Wins', numeric: true }, { text: 'Tasks scored', numeric: true }, { text: 'Median gap', numeric: true }, { text: 'Worst gap', numeric: true }],
    rows: profile.rows.map((r) => {
      const gaps = [...r.gaps].sort((a, b) => a - b);
      const mid = gaps.length === 0 ? undefined : gaps.length % 2 ? gaps[gaps.length >> 1] : (gaps[gaps.length / 2 - 1] + gaps[gaps.length / 2]) / 2;
      const worst = gaps[gaps.length - 1];
      const gapText = (g: number | undefined) => (g === undefined ? '—' : Number.isFinite(g) ? metricText(g, p) : 'not scored');
      return {
        cells: [
          linkCell(L.solver(r.solver)),
          { text: String(r.wins), sort: String(r.wins), numeric: true },
          { text: `${r.solved} / ${profile.tasks.length}`, sort: String(r.solved), numeric: true },
          { text: gapText(mid), ...(num(mid) && { sort: num(mid) }), numeric: true },
          { text: gapText(worst), ...(num(worst) && { sort: num(worst) }), numeric: true },
        ],
      };
    }),
  };
}

/** A solver's results across its tasks. */
export function solverResultsTable(solver: SolverInfo, tasks: readonly TaskSummary[], families: readonly FamilyInfo[], L: Linker): Table {
  const rows = tasks.flatMap((t) => {
    const p = t.primary;
    return t.entries
      .filter((e) => e.solver === solver.id)
      .map((e) => ({
        cls: e.rank === 1 ? 'best' : '',
        cells: [
          linkCell(L.task(t.id)),
          { text: Object.keys(e.params).length > 0 ? formatParams(e.params) : '—' },
          { text: e.rank === undefined ? '—' : `${e.rank} of ${t.ranked}`, ...(num(e.rank) && { sort: num(e.rank) }), numeric: true, ...(e.unranked && { note: e.unranked }) },
          { text: p ? `${p.label}: ${metricText(e.primary?.median, p)}` : '—', ...(num(e.primary?.median) && { sort: num(e.primary?.median) }), numeric: true },
          { text: rangeText(e.primary, p) },
          { text: `${e.ok} / ${e.jobs}`, sort: String(e.ok / e.jobs), numeric: true },
          { text: formatMs(e.time?.median), ...(num(e.time?.median) && { sort: num(e.time?.median) }), numeric: true },
          { text: formatBytes(e.memory?.median), ...(num(e.memory?.median) && { sort: num(e.memory?.median) }), numeric: true },
        ],
      }));
  });
  return {
    id: 'results',
    caption: `Results of ${solver.id} per task`,
    empty: 'This solver has no results in these runs.',
    headers: [
      { text: 'Task' },
      { text: 'Params' },
      { text: 'Rank', numeric: true },
      { text: 'Primary metric (median)', numeric: true },
      { text: 'Range over seeds' },
      { text: 'Seeds ok', numeric: true },
      { text: 'Time (median)', numeric: true },
      { text: 'Memory (median)', numeric: true },
    ],
    rows,
  };
}

/** A solver's failures across tasks. */
export function solverFailuresTable(solver: SolverInfo, tasks: readonly TaskSummary[], L: Linker): Table {
  return {
    id: 'failures',
    caption: `Failures of ${solver.id}`,
    empty: 'No failures.',
    headers: [{ text: 'Task' }, { text: 'Solver' }, { text: 'Seed', numeric: true }, { text: 'Status' }, { text: 'Reason' }],
    rows: tasks.flatMap((t) => failuresRows(t, t.entries.filter((e) => e.solver === solver.id), L, true)),
  };
}

/** A plugin's solvers with their ranks on each task. */
export function pluginSolversTable(plugin: PluginInfo, lb: Leaderboard, L: Linker): Table {
  return {
    id: 'solvers',
    caption: `Solvers of ${plugin.name} and their ranks`,
    empty: 'This plugin declares no solvers.',
    headers: [{ text: 'Solver' }, { text: 'Title' }, { text: 'Family' }, { text: 'Ranks (best configuration per task)' }, { text: 'Wins', numeric: true }],
    rows: plugin.solvers.map((id) => {
      const info = lb.solvers.find((s) => s.id === id);
      const ranks = lb.tasks.flatMap((t) => {
        const mine = t.entries.filter((e) => e.solver === id);
        if (mine.length === 0) return [];
        const best = mine.find((e) => e.rank !== undefined);
        const link = L.task(t.id);
        return [{ text: best ? `${best.rank} of ${t.ranked} on ${t.id}` : `unranked on ${t.id}`, ...(link.href && { href: link.href }), rank: best?.rank }];
      });
      const wins = ranks.filter((r) => r.rank === 1).length;
      return {
        cells: [
          linkCell(L.solver(id)),
          { text: info?.title ?? id },
          info?.family ? linkCell(L.family(info.family)) : { text: '—' },
          ranks.length > 0 ? { text: '', links: ranks.map(({ text, href }) => ({ text, ...(href && { href }) })) } : { text: 'not run', cls: 'muted' },
          { text: String(wins), sort: String(wins), numeric: true },
        ],
      };
    }),
  };
}

/** The paper of a plugin, with a link only for an http(s) URL. */
export function paperView(plugin: PluginInfo): { title: string; date: string; url?: string; authors?: string } | undefined {
  if (!plugin.paper) return undefined;
  const url = safeHttpUrl(plugin.paper.url);
  return {
    title: plugin.paper.title,
    date: plugin.paper.date,
    ...(url && { url }),
    ...(plugin.paper.authors && plugin.paper.authors.length > 0 && { authors: plugin.paper.authors.join(', ') }),
  };
}

/** The scale table of one family. */
export function scaleTable(family: FamilyInfo, scale: FamilyScale, L: Linker, id: string): Table {
  const exp = (f: { exponent: number } | undefined) => (f ? formatNumber(Number(f.exponent.toFixed(2))) : '—');
  return {
    id,
    caption: `${family.title}: time ≈ c · ${scale.sizeKey ?? 'size'}^b (least squares on log-log axes)`,
    empty: 'No successful results with an instance size.',
    headers: [
      { text: 'Solver' },
      { text: 'Sizes', numeric: true },
      { text: 'Time exponent b', numeric: true },
      { text: 'Fit R²', numeric: true },
      { text: 'Memory exponent', numeric: true },
      { text: `Median time at ${scale.sizeKey ?? 'size'} =` },
    ],
    rows: scale.rows.map((r) => ({
      cells: [
        linkCell(L.solver(r.solver)),
        { text: String(new Set(r.points.map((p) => p.size)).size), sort: String(new Set(r.points.map((p) => p.size)).size), numeric: true },
        { text: exp(r.timeFit), ...(r.timeFit && { sort: String(r.timeFit.exponent) }), numeric: true },
        { text: r.timeFit ? formatNumber(Number(r.timeFit.r2.toFixed(3))) : '—', ...(r.timeFit && { sort: String(r.timeFit.r2) }), numeric: true },
        { text: exp(r.memoryFit), ...(r.memoryFit && { sort: String(r.memoryFit.exponent) }), numeric: true },
        { text: [...new Set(r.points.map((p) => `${formatNumber(p.size)}: ${formatMs(p.timeMs)}`))].join('; ') },
      ],
    })),
  };
}
