import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test, vi } from 'vitest';
import type { AnySolver } from '@parsimony/core';
import { randomOrderEigvecSimpleSolver, randomOrderEigvecSolver } from '../src/index.js';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('README.md', () => {
  test('the usage example runs as written and prints what its `// =>` comments say', async () => {
    const block = /## Usage\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'README.md has a ```ts block under ## Usage').toBeDefined();
    const expected = [...block!.matchAll(/^console\.log\(.*\); \/\/ => (.*)$/gm)].map((m) => m[1]);
    expect(expected.length).toBeGreaterThan(0);
    // The package is not installed into itself: point its import at the source.
    const source = block!.replace(`'@parsimony/plugin-random-order-eigvec'`, JSON.stringify(pathToFileURL(join(root, 'src/index.ts')).href));
    mkdirSync(join(root, 'test-output'), { recursive: true });
    const file = join(root, 'test-output', 'readme-usage.ts');
    writeFileSync(file, source);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await import(pathToFileURL(file).href);
      expect(log.mock.calls.map((args) => args.map(String).join(' '))).toEqual(expected);
    } finally {
      log.mockRestore();
    }
  });

  test.each([randomOrderEigvecSolver, randomOrderEigvecSimpleSolver].map((s: AnySolver) => [s.id, s] as const))('%s: the options table lists exactly the params schema', (id, solver) => {
    const start = readme.indexOf(`### \`${id}\``);
    expect(start, `README.md has no section "### \`${id}\`"`).toBeGreaterThanOrEqual(0);
    const from = readme.indexOf('| option |', start);
    const table = readme.slice(from, readme.indexOf('\n\n', from));
    expect([...table.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]).sort()).toEqual(Object.keys(solver.params.properties).sort());
  });
});
