import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test, vi } from 'vitest';
import { onlineOdlFwSolver } from '../src/index.js';

const pkg = join(import.meta.dirname, '..');
const readme = readFileSync(join(pkg, 'README.md'), 'utf8');

test('README usage runs as written and logs the values after `// =>`', async () => {
  const code = readme.match(/## Usage\s+```ts\n([\s\S]*?)```/)?.[1];
  expect(code, 'a ```ts block under ## Usage').toBeTruthy();
  const wanted = Array.from(code!.matchAll(/^console\.log\(.*\); \/\/ => (.*)$/gm), (m) => m[1]);
  expect(wanted.length).toBeGreaterThan(0);
  // This package is not linked into its own node_modules: import the source instead.
  const runnable = code!.replaceAll("'@parsimony/plugin-online-odl-fw'", `'${pathToFileURL(join(pkg, 'src', 'index.ts')).href}'`);
  mkdirSync(join(pkg, 'test-output'), { recursive: true });
  const file = join(pkg, 'test-output', 'readme-usage.ts');
  writeFileSync(file, runnable);
  const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await import(pathToFileURL(file).href);
    expect(spy.mock.calls.map((call) => call.map(String).join(' '))).toEqual(wanted);
  } finally {
    spy.mockRestore();
  }
});

test('README options table lists exactly the params schema', () => {
  const table = readme.slice(readme.indexOf('| option |'));
  const documented = Array.from(table.slice(0, table.indexOf('\n\n')).matchAll(/^\| `(\w+)` \|/gm), (m) => m[1]);
  expect(documented.sort()).toEqual(Object.keys(onlineOdlFwSolver.params.properties).sort());
});
