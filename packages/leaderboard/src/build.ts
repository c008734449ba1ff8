import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { ParsimonyError } from '@parsimony/core';
import { familyProfile, familyScale, paretoFront, profileCurve } from './analysis.js';
import { evaluateClaims, type ClaimResult } from './claims.js';
import { formatNumber } from './format.js';
import { buildLeaderboard, type FamilyInfo, type Leaderboard, type TaskSummary } from './model.js';
import {
  Linker,
  SiteMap,
  allMetricsTable,
  claimsTable,
  failuresTable,
  familyTasksTable,
  metricHeader,
  metricText,
  paperView,
  pluginSolversTable,
  profileTable,
  rankingTable,
  scaleTable,
  solverFailuresTable,
  solverResultsTable,
  verdictSummary,
  type Figure,
  type Table,
} from './pages.js';
import { convergenceSpec, paretoSpec, profileSpec, renderSvg, scaleSpec } from './plots.js';
import { findRunDirs, readRunResults } from './results.js';

/** Options of {@link buildSite}. */
export interface BuildOptions {
  /** Result directories: run folders (with manifest.json), or folders of runs. */
  readonly results: readonly string[];
  /** The site folder: created if missing; must be empty or a site built before. */
  readonly out: string;
}

/** What {@link buildSite} wrote. */
export interface BuildResult {
  /** Absolute path of the home page. */
  readonly indexPath: string;
  /** Every HTML page, relative to `out` (`index.html`, `tasks/….html`, …). */
  readonly pages: string[];
  /** Every SVG plot, relative to `out`. */
  readonly plots: string[];
  /** Problems in the inputs (skipped lines, bad plugin manifests); the site shows them too. */
  readonly warnings: string[];
}

/** Written into every site; a folder holding it may be rebuilt in place. */
export const SITE_MARKER = '.parsimony-leaderboard';
const OWNED = ['index.html', 'scale.html', 'site.css', 'site.js', 'families', 'tasks', 'plugins', 'solvers', 'plots', SITE_MARKER];

/** The templates folder, next to src/ and dist/ alike. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../templates/', import.meta.url));

/**
 * Builds the static leaderboard site from result directories: a home page,
 * one page per family, task, plugin and solver, a scale page, SVG plots
 * rendered now (no browser libraries, no network when viewing) and a small
 * site.js that makes tables sortable. Every string from a plugin, suite or
 * result is escaped by Handlebars; pages carry a Content-Security-Policy.
 *
 * @param options - `results`: run directories (or folders of them); `out`: the site folder
 * @returns the home page path, the pages and plots written, and warnings
 * @throws ParsimonyError (`PARSIMONY_BAD_INPUT`) for a missing or invalid results directory, or an `out` that is not a site
 * @example
 * const { indexPath } = await buildSite({ results: ['results/2025-06-01-quick'], out: 'site' });
 * // open indexPath in a browser (file:// works)
 */
export async function buildSite(options: BuildOptions): Promise<BuildResult> {
  if (options.results.length === 0) throw new ParsimonyError('PARSIMONY_BAD_INPUT', 'no results directory given (pass --results DIR)', 'results');
  const dirs = options.results.flatMap((d) => findRunDirs(d));
  const runs = dirs.map((d) => readRunResults(d));
  const lb = buildLeaderboard(runs);
  const out = resolve(options.out);
  prepareOut(out);

  const site = new SiteWriter(out, lb, loadTemplates());
  await site.writeAll();
  writeFileSync(join(out, SITE_MARKER), 'Built by @parsimony/leaderboard. This folder is rebuilt in place by parsimony-leaderboard build.\n');
  return { indexPath: join(out, 'index.html'), pages: site.pages.sort(), plots: site.plots.sort(), warnings: [...lb.warnings] };
}

/** Makes `out` ready: new, empty, or a site built before (whose own files are removed). */
function prepareOut(out: string): void {
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `--out ${out} is a file; give a folder for the site`, 'out');
    const names = readdirSync(out);
    if (names.length > 0 && !names.includes(SITE_MARKER)) {
      throw new ParsimonyError('PARSIMONY_BAD_INPUT', `--out ${out} is not empty and holds no leaderboard site (no ${SITE_MARKER}); choose a new or empty folder`, 'out');
    }
    for (const name of OWNED) rmSync(join(out, name), { recursive: true, force: true });
  }
  mkdirSync(out, { recursive: true });
}

type Render = (ctx: object) => string;

/** Compiles the page templates with the layout and table partials. */
function loadTemplates(): Record<'index' | 'family' | 'task' | 'plugin' | 'solver' | 'scale', Render> {
  const hb = Handlebars.create();
  const read = (name: string) => readFileSync(join(TEMPLATES_DIR, name), 'utf8');
  // Only the built-in helpers (if, each, unless, with): a template cannot call anything else.
  const opts = { knownHelpersOnly: true, strict: false, preventIndent: true } as const;
  for (const partial of ['layout', 'table', 'figure', 'links']) hb.registerPartial(partial, hb.compile(read(`${partial}.hbs`), opts));
  const page = (name: string): Render => {
    const t = hb.compile(read(`${name}.hbs`), opts);
    return (ctx) => t(ctx);
  };
  return { index: page('index'), family: page('family'), task: page('task'), plugin: page('plugin'), solver: page('solver'), scale: page('scale') };
}

/** Width and height of a rendered SVG, for stable <img> layout. */
function svgSize(svg: string): { width: number; height: number } {
  const w = /\bwidth="([\d.]+)"/.exec(svg);
  const h = /\bheight="([\d.]+)"/.exec(svg);
  return { width: w ? Math.round(Number(w[1])) : 600, height: h ? Math.round(Number(h[1])) : 320 };
}

class SiteWriter {
  readonly pages: string[] = [];
  readonly plots: string[] = [];
  private readonly map: SiteMap;
  private readonly claims: ClaimResult[];

  constructor(
    private readonly out: string,
    private readonly lb: Leaderboard,
    private readonly t: ReturnType<typeof loadTemplates>,
  ) {
    this.map = new SiteMap(lb);
    this.claims = evaluateClaims(lb);
  }

  async writeAll(): Promise<void> {
    for (const name of ['site.css', 'site.js']) writeFileSync(join(this.out, name), readFileSync(join(TEMPLATES_DIR, name)));
    this.writeIndex();
    for (const f of this.lb.families) await this.writeFamily(f);
    for (const task of this.lb.tasks) await this.writeTask(task);
    for (const p of this.lb.plugins) this.writePlugin(p);
    for (const s of this.lb.solvers) this.writeSolver(s);
    await this.writeScale();
  }

  private write(rel: string, html: string): void {
    const path = join(this.out, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, html);
    this.pages.push(rel);
  }

  private async plot(rel: string, spec: Parameters<typeof renderSvg>[0], alt: string, caption: string, root: string): Promise<Figure> {
    const svg = await renderSvg(spec);
    const path = join(this.out, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, svg);
    this.plots.push(rel);
    return { src: `${root}${rel}`, alt, caption, ...svgSize(svg) };
  }

  /** What every page's layout needs. */
  private common(pageTitle: string, root: string) {
    const latest = this.lb.runs[this.lb.runs.length - 1]?.manifest;
    return {
      pageTitle,
      root,
      footer: latest
        ? `Built from ${this.lb.runs.length} run${this.lb.runs.length === 1 ? '' : 's'}; latest: ${latest.run_id} (suite ${latest.suite.name}, ${latest.created_at}).`
        : 'Built from no runs.',
    };
  }

  private familyOf(task: TaskSummary): FamilyInfo {
    return this.lb.families.find((f) => f.id === task.family)!;
  }

  private writeIndex(): void {
    const L = new Linker(this.map, '');
    const lb = this.lb;
    const families: Table = {
      id: 'families',
      caption: 'Problem families',
      empty: 'No families in these runs.',
      headers: [{ text: 'Family' }, { text: 'Title' }, { text: 'Ranked by' }, { text: 'Most wins' }, { text: 'Tasks', numeric: true }, { text: 'Solvers', numeric: true }, { text: 'Jobs', numeric: true }, { text: 'Failed', numeric: true }],
      rows: lb.families.map((f) => {
        const tasks = lb.tasks.filter((t) => t.family === f.id);
        const solvers = new Set([...lb.solvers.filter((s) => s.family === f.id).map((s) => s.id), ...tasks.flatMap((t) => t.entries.map((e) => e.solver))]);
        const link = L.family(f.id);
        const jobs = tasks.reduce((a, t) => a + t.jobs, 0);
        const failed = tasks.reduce((a, t) => a + t.failed, 0);
        const profile = familyProfile(f, tasks);
        const most = Math.max(0, ...profile.rows.map((r) => r.wins));
        const leaders = profile.rows.filter((r) => r.wins === most && most > 0);
        return {
          cls: tasks.length === 0 ? 'muted' : '',
          cells: [
            { text: link.text, ...(link.href && { href: link.href }), sort: f.id },
            { text: f.title, ...(f.summary && { note: f.summary }) },
            { text: f.primary ? metricHeader(f.primary, f.primary.id) : 'not ranked' },
            leaders.length > 0
              ? { text: '', links: leaders.map((r) => L.solver(r.solver)), note: `best on ${most} of ${profile.tasks.length} task${profile.tasks.length === 1 ? '' : 's'}`, sort: leaders[0].solver }
              : { text: '—' },
            { text: String(tasks.length), sort: String(tasks.length), numeric: true },
            { text: String(solvers.size), sort: String(solvers.size), numeric: true },
            { text: String(jobs), sort: String(jobs), numeric: true },
            { text: String(failed), sort: String(failed), numeric: true },
          ],
        };
      }),
    };
    const plugins: Table = {
      id: 'plugins',
      caption: 'Plugins (one paper each, plus the baselines)',
      empty: 'No plugins in these runs.',
      headers: [{ text: 'Plugin' }, { text: 'Paper' }, { text: 'Date' }, { text: 'Solvers', numeric: true }, { text: 'Claims' }],
      rows: lb.plugins.map((p) => {
        const link = L.plugin(p.name);
        return {
          cells: [
            { text: link.text, ...(link.href && { href: link.href }), sort: p.name },
            { text: p.paper?.title ?? (p.hasManifest ? 'no paper (textbook methods)' : 'no manifest in these runs') },
            { text: p.paper?.date ?? '—', sort: p.paper?.date ?? '' },
            { text: String(p.solvers.length), sort: String(p.solvers.length), numeric: true },
            { text: verdictSummary(this.claims.filter((c) => c.plugin === p.name)) },
          ],
        };
      }),
    };
    const latest = lb.runs[lb.runs.length - 1]?.manifest;
    const runs: Table = {
      id: 'runs',
      caption: 'Runs included (oldest first)',
      empty: 'No runs.',
      headers: [{ text: 'Run' }, { text: 'Suite' }, { text: 'Created' }, { text: 'Shard' }, { text: 'Results', numeric: true }, { text: 'Skipped lines', numeric: true }],
      rows: lb.runs.map((r) => ({
        cells: [
          { text: r.manifest.run_id },
          { text: r.manifest.suite.name },
          { text: r.manifest.created_at },
          { text: r.manifest.shard ? `${r.manifest.shard.index} of ${r.manifest.shard.count}` : '—' },
          { text: String(r.records.length), sort: String(r.records.length), numeric: true },
          { text: String(r.skipped.length), sort: String(r.skipped.length), numeric: true },
        ],
      })),
    };
    const packages: Table = {
      id: 'packages',
      caption: 'Package versions of the latest run',
      empty: 'No package versions recorded.',
      headers: [{ text: 'Package' }, { text: 'Version' }],
      rows: Object.entries(latest?.packages ?? {})
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, version]) => ({ cells: [{ text: name }, { text: version }] })),
    };
    const facts = latest
      ? [
          { term: 'Run', value: latest.run_id },
          { term: 'Suite', value: `${latest.suite.name} (hash ${latest.suite.hash})` },
          { term: 'Created', value: latest.created_at },
          ...(latest.git_sha ? [{ term: 'Git commit', value: latest.git_sha }] : []),
          { term: 'Machine', value: `${latest.cpu.model}, ${latest.cpu.cores} cores; ${latest.platform}; Node ${latest.node}` },
          ...(latest.shard ? [{ term: 'Shard', value: `${latest.shard.index} of ${latest.shard.count}` }] : []),
        ]
      : [];
    this.write(
      'index.html',
      this.t.index({
        ...this.common('Parsimony leaderboard', ''),
        families,
        plugins,
        runs,
        packages,
        facts,
        manyRuns: lb.runs.length > 1,
        warnings: lb.warnings,
        totals: {
          tasks: lb.tasks.length,
          solvers: lb.solvers.length,
          jobs: lb.tasks.reduce((a, t) => a + t.jobs, 0),
          claims: verdictSummary(this.claims),
        },
        scaleHref: 'scale.html',
      }),
    );
  }

  private async writeFamily(f: FamilyInfo): Promise<void> {
    const rel = this.map.family(f.id)!;
    const L = new Linker(this.map, '../');
    const tasks = this.lb.tasks.filter((t) => t.family === f.id);
    const profile = familyProfile(f, tasks);
    const curve = profileCurve(profile);
    const figure =
      f.primary && curve.length > 0
        ? await this.plot(
            this.map.plot('profile', f.id),
            profileSpec(curve, f.primary),
            `Performance profile of ${f.title}: ${profile.rows.map((r) => `${r.solver} best on ${r.wins} of ${profile.tasks.length} tasks`).join('; ')}`,
            `Performance profile over ${profile.tasks.length} task${profile.tasks.length === 1 ? '' : 's'}: for each solver, the fraction of tasks on which its median ${f.primary.label} is within τ of the best solver's. Higher and further left is better; a curve that never reaches 1 failed somewhere.`,
            '../',
          )
        : undefined;
    const metrics: Table = {
      id: 'metric-specs',
      caption: 'Metrics',
      empty: 'No metric definitions for this family in the run manifests.',
      headers: [{ text: 'Metric' }, { text: 'Label' }, { text: 'Unit' }, { text: 'Better' }, { text: 'Ranked by' }, { text: 'Meaning' }],
      rows: f.metrics.map((m) => ({
        cls: m === f.primary ? 'best' : '',
        cells: [{ text: m.id }, { text: m.label }, { text: m.unit ?? '—' }, { text: m.direction === 'min' ? 'lower' : 'higher' }, { text: m === f.primary ? 'yes' : '' }, { text: m.description ?? '' }],
      })),
    };
    const solverIds = [...new Set([...this.lb.solvers.filter((s) => s.family === f.id).map((s) => s.id), ...tasks.flatMap((t) => t.entries.map((e) => e.solver))])].sort();
    const solvers: Table = {
      id: 'family-solvers',
      caption: `Solvers of ${f.title}`,
      empty: 'No solver of this family is installed in these runs.',
      headers: [{ text: 'Solver' }, { text: 'Title' }, { text: 'Plugin' }],
      rows: solverIds.map((id) => {
        const s = this.lb.solvers.find((x) => x.id === id);
        const sl = L.solver(id);
        const pl = L.plugin(s?.plugin ?? id.split('/')[0]);
        return {
          cells: [
            { text: sl.text, ...(sl.href && { href: sl.href }), sort: id },
            { text: s?.title ?? id },
            { text: pl.text, ...(pl.href && { href: pl.href }), sort: pl.text },
          ],
        };
      }),
    };
    this.write(
      rel,
      this.t.family({
        ...this.common(f.title, '../'),
        family: f,
        unknown: !f.known,
        metrics,
        tasks: familyTasksTable(f, tasks, L),
        figure,
        profile: profileTable(profile, f, L),
        solvers,
      }),
    );
  }

  private async writeTask(task: TaskSummary): Promise<void> {
    const rel = this.map.task(task.id)!;
    const L = new Linker(this.map, '../');
    const family = this.familyOf(task);
    const p = task.primary;

    let pareto: Figure | undefined;
    const scored = task.entries.filter((e) => e.primary && e.time);
    if (p && scored.length > 0) {
      const pts = scored.map((e) => ({ label: e.label, timeMs: e.time!.median, value: e.primary!.median }));
      const front = paretoFront(pts, p.direction);
      const onFront = pts.filter((_, i) => front[i]).map((x) => x.label);
      pareto = await this.plot(
        this.map.plot('pareto', task.id),
        paretoSpec(pts.map((x, i) => ({ ...x, front: front[i] })), p),
        `Quality versus time on ${task.id}: ${pts.map((x) => `${x.label} ${metricText(x.value, p)} in ${formatNumber(x.timeMs)} ms`).join('; ')}`,
        `Median ${p.label} against median wall time (log scale). On the Pareto front (no other solver is both faster and better): ${onFront.join(', ')}.`,
        '../',
      );
    }

    const convergence: Figure[] = [];
    const traced = task.entries.flatMap((e) => e.records.filter((r) => r.trace && r.trace.length > 0).map((r) => ({ e, r })));
    if (traced.length > 0) {
      const keys = new Set<string>();
      for (const { r } of traced) for (const pt of r.trace!) for (const k of Object.keys(pt)) if (k !== 'iteration') keys.add(k);
      // The objective first; at most three quantities, so a chatty trace does not flood the page.
      const quantities = [...keys].sort((a, b) => (a === 'objective' ? -1 : b === 'objective' ? 1 : a < b ? -1 : 1)).slice(0, 3);
      for (const q of quantities) {
        const rows = traced.flatMap(({ e, r }) =>
          r.trace!.filter((pt) => Number.isFinite(pt[q]) && Number.isFinite(pt.iteration)).map((pt) => ({ label: e.label, seed: r.seed, iteration: pt.iteration, value: pt[q] })),
        );
        if (rows.length === 0) continue;
        const who = [...new Set(rows.map((r) => r.label))];
        convergence.push(
          await this.plot(
            this.map.plot(`trace-${q}`, task.id),
            convergenceSpec(q, rows),
            `Convergence of ${q} on ${task.id} for ${who.join(', ')}`,
            `${q} against the iteration, one line per solver and seed (traces are downsampled by the bench).`,
            '../',
          ),
        );
      }
    }

    const facts = [
      { term: 'Family', value: family.title, href: this.map.family(family.id) ? `../${this.map.family(family.id)}` : undefined },
      { term: 'Seeds', value: task.seeds.join(', ') },
      ...(task.size ? [{ term: 'Instance size', value: Object.entries(task.size).map(([k, v]) => `${k} = ${formatNumber(v)}`).join(', ') }] : []),
      { term: 'Jobs', value: `${task.jobs} (${task.failed} not scored)` },
      // Reasons often start with the solver id already; say it once.
      ...task.skipped.map((s) => ({ term: 'Not applicable', value: `${s.solver}: ${s.reason.startsWith(`${s.solver}: `) ? s.reason.slice(s.solver.length + 2) : s.reason}` })),
      ...(p ? [{ term: 'Ranked by', value: `${p.label} (${p.id}), median over seeds, ${p.direction === 'min' ? 'lower' : 'higher'} is better` }] : []),
    ];
    const claims = this.claims.filter((c) => c.claim.task === task.id);
    this.write(
      rel,
      this.t.task({
        ...this.common(task.id, '../'),
        task,
        family: L.family(family.id),
        facts,
        allFailed: task.jobs > 0 && task.ranked === 0,
        ranking: rankingTable(task, family, L),
        metrics: allMetricsTable(task, family, L),
        failures: failuresTable(task, L),
        pareto,
        convergence,
        claims: claims.length > 0 ? claimsTable('claims', `Claims about ${task.id}`, claims, L, true) : undefined,
      }),
    );
  }

  private writePlugin(p: Leaderboard['plugins'][number]): void {
    const rel = this.map.plugin(p.name)!;
    const L = new Linker(this.map, '../');
    const claims = this.claims.filter((c) => c.plugin === p.name);
    this.write(
      rel,
      this.t.plugin({
        ...this.common(p.name, '../'),
        plugin: p,
        paper: paperView(p),
        claimSummary: verdictSummary(claims),
        solvers: pluginSolversTable(p, this.lb, L),
        claims: claimsTable('claims', `Claims of ${p.name}, evaluated on these results`, claims, L, false),
      }),
    );
  }

  private writeSolver(s: Leaderboard['solvers'][number]): void {
    const rel = this.map.solver(s.id)!;
    const L = new Linker(this.map, '../');
    const claims = this.claims.filter((c) => c.claim.solver === s.id || c.claim.versus === s.id);
    this.write(
      rel,
      this.t.solver({
        ...this.common(s.title, '../'),
        solver: s,
        plugin: L.plugin(s.plugin),
        family: s.family ? L.family(s.family) : undefined,
        results: solverResultsTable(s, this.lb.tasks, this.lb.families, L),
        failures: solverFailuresTable(s, this.lb.tasks, L),
        claims: claimsTable('claims', `Claims naming ${s.id}`, claims, L, true),
      }),
    );
  }

  private async writeScale(): Promise<void> {
    const L = new Linker(this.map, '');
    const sections = [];
    const thin = [];
    for (const f of this.lb.families) {
      const scale = familyScale(f, this.lb.tasks);
      if (scale.rows.length === 0) continue;
      const link = L.family(f.id);
      if (scale.sizes < 2 || !scale.sizeKey) {
        thin.push({ link, note: `one instance size only (${scale.sizeKey ?? 'no size recorded'}); run the scale suite to see how cost grows` });
        continue;
      }
      const points = scale.rows.flatMap((r) => r.points.map((pt) => ({ solver: r.solver, size: pt.size, timeMs: pt.timeMs })));
      const fits = scale.rows.flatMap((r) => {
        if (!r.timeFit) return [];
        const xs = r.points.map((pt) => pt.size);
        return [Math.min(...xs), Math.max(...xs)].map((x) => ({ solver: r.solver, size: x, timeMs: 10 ** (r.timeFit!.intercept + r.timeFit!.exponent * Math.log10(x)) }));
      });
      const figure = await this.plot(
        this.map.plot('scale', f.id),
        scaleSpec(scale.sizeKey, points, fits),
        `Median wall time against ${scale.sizeKey} for ${f.title}: ${scale.rows.map((r) => `${r.solver} exponent ${r.timeFit ? formatNumber(Number(r.timeFit.exponent.toFixed(2))) : 'n/a'}`).join('; ')}`,
        `Median wall time over ok seeds against ${scale.sizeKey}, both on log scales; dashed lines are the fitted power laws, whose slopes are the exponents in the table.`,
        '',
      );
      sections.push({ family: f, link, figure, table: scaleTable(f, scale, L, `scale-${sections.length + 1}`) });
    }
    this.write('scale.html', this.t.scale({ ...this.common('How cost grows with size', ''), sections, thin }));
  }
}
