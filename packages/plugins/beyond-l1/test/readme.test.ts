import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, vi } from 'vitest';

/** The README's Usage block, run as written (the package import pointed at src), prints what its `// =>` comments say. */
test("the README's usage example runs and prints what it says", async () => {
  const root = join(import.meta.dirname, '..');
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /## Usage[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)![1];
  const want = [...block.matchAll(/console\.log\(.*\); \/\/ => (.*)$/gm)].map((m) => JSON.parse(m[1]) as unknown);
  expect(want.length).toBeGreaterThan(0);
  mkdirSync(join(root, 'test-output'), { recursive: true });
  const file = join(root, 'test-output', 'readme-usage.ts');
  writeFileSync(file, block.replace("from '@parsimony/plugin-beyond-l1'", "from '../src/index.js'"));
  const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await import(/* @vite-ignore */ file);
    expect(spy.mock.calls.map((c) => c[0])).toEqual(want);
  } finally {
    spy.mockRestore();
  }
});
