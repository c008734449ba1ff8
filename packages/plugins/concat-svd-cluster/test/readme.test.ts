import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, vi } from 'vitest';

/**
 * Runs the README's Usage block as written (the package import pointed at
 * this package's source) and checks every `console.log(...); // => value`.
 */
test("the README's usage example runs and prints what it says", async () => {
  const root = join(import.meta.dirname, '..');
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const usage = readme.slice(readme.indexOf('## Usage'));
  const code = /```ts\n([\s\S]*?)```/.exec(usage)![1];
  const expected = [...code.matchAll(/console\.log\(.*\); \/\/ => (.*)$/gm)].map((m) => JSON.parse(m[1]) as unknown);
  expect(expected.length).toBeGreaterThan(0);
  const dir = join(root, 'test-output');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'readme-usage.ts');
  writeFileSync(file, code.replace("from '@parsimony/plugin-concat-svd-cluster'", "from '../src/index.js'"));
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await import(/* @vite-ignore */ file);
    expect(log.mock.calls.map((c) => c[0])).toEqual(expected);
  } finally {
    log.mockRestore();
  }
});

/** Every solver's options table lists exactly its params schema. */
test.each(
  ['weyl', 'residual', 'approximate', 'kmeans-blocks', 'random-groups'].map((m) => [m] as const),
)('the README documents the options of concat-svd-cluster/%s', async (method) => {
  const { default: plugin } = await import('../src/index.js');
  const solver = plugin.solvers.find((s) => s.id === `concat-svd-cluster/${method}`)!;
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const start = readme.indexOf(`\`concat-svd-cluster/${method}\` — plain function`);
  expect(start).toBeGreaterThanOrEqual(0);
  const from = readme.indexOf('| option |', start);
  const table = readme.slice(from, readme.indexOf('\n\n', from));
  const documented = [...table.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
  expect(documented.sort()).toEqual(Object.keys(solver.params.properties).sort());
});
