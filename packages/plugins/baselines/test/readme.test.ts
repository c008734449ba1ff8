import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { AnySolver } from '@parsimony/core';
import { cosampSolver, fistaSolver, forwardStepwiseSolver, ihtSolver, istaSolver, lassoSolver, ompSolver, randomizedSvdSolver, ridgeSolver, sblSolver, truncatedSvdSolver } from '../src/index.js';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');

/** The option names of the first table in a solver's README section. */
function documentedOptions(id: string): string[] {
  const start = readme.indexOf(`### \`${id}\``);
  expect(start, `README.md has no section "### \`${id}\`"`).toBeGreaterThanOrEqual(0);
  const from = readme.indexOf('| option |', start);
  const table = readme.slice(from, readme.indexOf('\n\n', from));
  return [...table.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
}

describe('README.md', () => {
  test.each([ompSolver, cosampSolver, ihtSolver, istaSolver, fistaSolver, sblSolver, lassoSolver, forwardStepwiseSolver, ridgeSolver, truncatedSvdSolver, randomizedSvdSolver].map((s: AnySolver) => [s.id, s] as const))(
    '%s: the options table lists exactly the params schema',
    (id, solver) => {
      expect(documentedOptions(id).sort()).toEqual(Object.keys(solver.params.properties).sort());
    },
  );
});
