import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, vi } from 'vitest';
import { preconditionedLassoSolver } from '../src/index.js';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/**
 * Runs the README's Usage block as written (the package import pointed at
 * this package's source) and checks every `console.log(...); // => value`.
 */
test("the README's usage example runs and prints what it says", async () => {
  const usage = readme.slice(readme.indexOf('## Usage'));
  const code = /```ts\n([\s\S]*?)```/.exec(usage)![1];
  const expected = [...code.matchAll(/console\.log\(.*\); \/\/ => (.*)$/gm)].map((m) => JSON.parse(m[1]) as unknown);
  expect(expected.length).toBeGreaterThan(0);
  const dir = join(root, 'test-output');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'readme-usage.ts');
  writeFileSync(file, code.replace("from '@parsimony/plugin-random-support-slr'", "from '../src/index.js'"));
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await import(/* @vite-ignore */ file);
    expect(log.mock.calls.map((c) => c[0])).toEqual(expected);
  } finally {
    log.mockRestore();
  }
});

test("the README's options table lists exactly the params schema", () => {
  const from = readme.indexOf('| option |', readme.indexOf('## Options'));
  const table = readme.slice(from, readme.indexOf('\n\n', from));
  expect([...table.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]).sort()).toEqual(Object.keys(preconditionedLassoSolver.params.properties).sort());
});
