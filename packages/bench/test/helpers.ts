import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Suite } from '../src/suite.js';

/** The hostile test plugin (loaded through `pluginDirs`, never installed). */
export const HOSTILE_PLUGIN = join(import.meta.dirname, 'fixtures', 'hostile-plugin');

/** A fresh temporary directory. */
export const tmp = (prefix = 'parsimony-bench-') => mkdtempSync(join(tmpdir(), prefix));

/** A tiny sparse-recovery suite: jobs take about a millisecond. */
export function tinySuite(overrides: Partial<Suite> = {}, task: Partial<Suite['tasks'][number]> = {}): Suite {
  return {
    name: 'tiny',
    defaults: { seeds: [0, 1], budgetMs: 1000 },
    tasks: [{ family: 'sparse-recovery', name: 'small', params: { m: 20, n: 40, k: 2 }, ...task }],
    ...overrides,
  };
}
