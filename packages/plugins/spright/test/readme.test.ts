import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test, vi } from 'vitest';
import { sparseFhtSolver, sprightSolver } from '../src/index.js';

const pkg = join(import.meta.dirname, '..');
const readme = readFileSync(join(pkg, 'README.md'), 'utf8');

describe('README.md', () => {
  test('the ## Usage example runs as written; each console.log prints its `// =>` value', async () => {
    const code = readme.match(/## Usage\n+```ts\n([\s\S]*?)\n```/)?.[1];
    if (code === undefined) throw new Error('README.md needs a ```ts block right under "## Usage"');
    const promised = Array.from(code.matchAll(/console\.log\(.*\); \/\/ => (.*)$/gm), (m) => m[1]);
    expect(promised.length).toBeGreaterThan(0);
    // Run it against this package's sources (the package does not depend on itself).
    const dir = join(pkg, 'test-output');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'usage.ts');
    writeFileSync(file, code.replaceAll("'@parsimony/plugin-spright'", `'${pathToFileURL(join(pkg, 'src', 'index.ts')).href}'`));
    const printed: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
    try {
      await import(pathToFileURL(file).href);
    } finally {
      spy.mockRestore();
    }
    expect(printed).toEqual(promised);
  });

  test.each([sprightSolver, sparseFhtSolver].map((s) => [s.id, s] as const))('the options table of %s lists exactly its params schema', (id, solver) => {
    const at = readme.indexOf(`### \`${id}\``);
    expect(at, `README.md needs a heading "### \`${id}\`"`).toBeGreaterThan(0);
    const table = readme.slice(readme.indexOf('| option |', at)).split('\n\n')[0];
    const names = Array.from(table.matchAll(/^\| `(\w+)` \|/gm), (m) => m[1]);
    expect(names.sort()).toEqual(Object.keys(solver.params.properties).sort());
  });
});
