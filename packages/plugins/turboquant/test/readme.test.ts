import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test, vi } from 'vitest';

const root = join(import.meta.dirname, '..');

test('the README usage example runs as written and prints what its `// =>` comments say', async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /## Usage\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block, 'README.md has a ```ts block under ## Usage').toBeDefined();
  const expected = [...block!.matchAll(/^console\.log\(.*\); \/\/ => (.*)$/gm)].map((m) => m[1]);
  expect(expected.length).toBeGreaterThan(0);
  // The package is not installed into itself: point its import at the source.
  const source = block!.replace(`'@parsimony/plugin-turboquant'`, JSON.stringify(pathToFileURL(join(root, 'src/index.ts')).href));
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
