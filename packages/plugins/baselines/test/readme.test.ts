import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { AnySolver } from '@parsimony/core';
import plugin from '../src/index.js';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');

/** The option names of the first table in a solver's README section. */
function documentedOptions(id: string): string[] {
  const start = readme.indexOf(`### \`${id}\``);
  expect(start, `README.md has no section "### \`${id}\`"`).toBeGreaterThanOrEqual(0);
  const next = readme.indexOf('\n### ', start + 1);
  const body = readme.slice(start, next < 0 ? undefined : next);
  const from = body.indexOf('| option |');
  if (from < 0) return [];
  const table = body.slice(from, body.indexOf('\n\n', from));
  return [...table.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
}

describe('README.md', () => {
  test.each(plugin.solvers.map((s: AnySolver) => [s.id, s] as const))('%s: has a section whose options table lists exactly the params schema', (id, solver) => {
    expect(documentedOptions(id).sort()).toEqual(Object.keys(solver.params.properties).sort());
  });

  test('the solver table lists every registered solver, once', () => {
    const table = [...readme.matchAll(/^\| `(baselines\/[a-z0-9-]+)` \|/gm)].map((m) => m[1]);
    expect([...table].sort()).toEqual(plugin.solvers.map((s: AnySolver) => s.id).sort());
  });
});
