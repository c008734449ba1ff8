import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const PACKAGES = { core: 'packages/core', baselines: 'packages/plugins/baselines', bench: 'packages/bench' } as const;

function run(cwd: string, cmd: string, args: string[]) {
  // No colours: console.log output is compared as text.
  const env = { ...process.env, NX_DAEMON: 'false', NO_COLOR: '1', FORCE_COLOR: '0' };
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, out: `${r.stdout}\n${r.stderr}` };
}

/** The first ```ts block under a README's "## Usage" heading. */
function usageExample(readme: string): string {
  const usage = readme.slice(readme.indexOf('## Usage'));
  const m = /```ts\n([\s\S]*?)```/.exec(usage);
  if (!m) throw new Error('README has no ```ts block under ## Usage');
  return m[1];
}

const packs: Record<string, { filename: string; files: string[] }> = {};
let app = '';

beforeAll(() => {
  const dest = mkdtempSync(join(tmpdir(), 'parsimony-pack-'));
  for (const [key, dir] of Object.entries(PACKAGES)) {
    const r = run(join(root, dir), 'npm', ['pack', '--json', '--pack-destination', dest]);
    if (r.code !== 0) throw new Error(`npm pack ${dir} failed:\n${r.out}`);
    const [info] = JSON.parse(r.stdout) as { filename: string; files: { path: string }[] }[];
    packs[key] = { filename: join(dest, info.filename), files: info.files.map((f) => f.path).sort() };
  }
  // A fresh project outside the workspace: no workspace links, only the tarballs.
  app = mkdtempSync(join(tmpdir(), 'parsimony-app-'));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  const install = run(app, 'npm', ['install', '--no-audit', '--no-fund', packs.core.filename, packs.baselines.filename, packs.bench.filename]);
  if (install.code !== 0) throw new Error(`npm install of the tarballs failed:\n${install.out}`);
}, 300_000);

describe('npm pack', () => {
  test.each(Object.keys(PACKAGES))('%s: the tarball holds built JS, .d.ts, README, package.json (and suites, examples, bin data) only', (key) => {
    const files = packs[key].files;
    for (const f of files) {
      expect(f, `unexpected file in the ${key} tarball`).toMatch(/^(package\.json|README\.md|dist\/.+\.(js|d\.ts)|bin\/[\w-]+\.js|suites\/[\w-]+\.json|examples\/[\w-]+\.ya?ml|templates\/[\w-]+\.(hbs|css|js))$/);
    }
    expect(files).toContain('README.md');
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files.filter((f) => /(^|\/)tests?\/|\.test\.|\.map$/.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).toEqual([]);
  });
});

describe('installed from tarballs in a fresh project', () => {
  test("the baselines README example runs as written and prints what it says", () => {
    const code = usageExample(readFileSync(join(root, PACKAGES.baselines, 'README.md'), 'utf8'));
    writeFileSync(join(app, 'example.mjs'), code);
    const r = run(app, 'node', ['example.mjs']);
    expect(r.code, r.out).toBe(0);
    const expected = [...code.matchAll(/console\.log\(.*\); \/\/ => (.+)$/gm)].map((m) => m[1].trim());
    expect(expected.length).toBeGreaterThan(0);
    expect(r.stdout.trim().split('\n')).toEqual(expected);
  });

  test('`npx parsimony list` finds the installed plugin by its package.json flag', () => {
    const r = run(app, 'npx', ['parsimony', 'list', '--json']);
    expect(r.code, r.out).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list.solvers.map((s: { id: string }) => s.id)).toContain('baselines/omp');
    expect(list.broken).toEqual([]);
  });
});
