import { allSolvers, familiesIn, pluginsIn, primaryMetric } from '@parsimony/core';
import type { LoadedRegistry } from '../registry.js';

/** The data `parsimony list --json` prints. */
export function listing(reg: LoadedRegistry) {
  const { container } = reg;
  return {
    families: familiesIn(container).map((f) => ({
      id: f.id,
      title: f.title,
      metrics: f.metrics.map((m) => ({ id: m.id, label: m.label, direction: m.direction, ...(m.primary && { primary: true }), ...(m.unit && { unit: m.unit }) })),
    })),
    solvers: allSolvers(container).map(({ solver, origin }) => ({
      id: solver.id,
      family: solver.family.id,
      plugin: origin.packageName,
      title: solver.title,
    })),
    plugins: pluginsIn(container).map(({ plugin, packageName }) => ({
      name: packageName,
      version: plugin.version ?? '0.0.0',
      ...(plugin.paper && { paper: plugin.paper }),
      solvers: plugin.solvers.length,
      claims: plugin.claims.length,
    })),
    broken: reg.broken.map((b) => ({ name: b.packageName, reason: b.reason })),
  };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

/** Human-readable listing. */
export function formatListing(reg: LoadedRegistry): string {
  const l = listing(reg);
  const out: string[] = [];
  out.push(`Families (${l.families.length})`);
  out.push(
    table([
      ['id', 'title', 'primary metric'],
      ...familiesIn(reg.container).map((f) => {
        const p = primaryMetric(f);
        return [f.id, f.title, `${p.id} (${p.direction})`];
      }),
    ]),
  );
  out.push('', `Solvers (${l.solvers.length})`);
  out.push(l.solvers.length ? table([['id', 'family', 'plugin', 'title'], ...l.solvers.map((s) => [s.id, s.family, s.plugin, s.title])]) : '(none installed)');
  out.push('', `Plugins (${l.plugins.length})`);
  out.push(
    l.plugins.length
      ? table([['name', 'version', 'paper'], ...l.plugins.map((p) => [p.name, p.version, p.paper ? `${p.paper.title} (${p.paper.date})` : '-'])])
      : '(none installed)',
  );
  return out.join('\n');
}
