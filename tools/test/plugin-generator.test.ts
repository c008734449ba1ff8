import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', CI: 'true' };

function run(cwd: string, cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

/**
 * A temporary copy of the workspace: every tracked or unignored file, with
 * the installed node_modules (root and per package) linked, not copied.
 */
function copyWorkspace(): string {
  const dest = mkdtempSync(join(tmpdir(), 'parsimony-gen-'));
  const listed = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' }).stdout;
  for (const f of listed.split('\0').filter(Boolean)) {
    const src = join(root, f);
    if (!existsSync(src)) continue; // deleted but not yet committed
    mkdirSync(dirname(join(dest, f)), { recursive: true });
    cpSync(src, join(dest, f));
  }
  symlinkSync(join(root, 'node_modules'), join(dest, 'node_modules'));
  for (const base of ['packages', 'packages/plugins']) {
    for (const d of readdirSync(join(root, base))) {
      const nm = join(root, base, d, 'node_modules');
      if (existsSync(nm) && existsSync(join(dest, base, d))) symlinkSync(nm, join(dest, base, d, 'node_modules'));
    }
  }
  return dest;
}

let ws = '';
let gen: { code: number | null; out: string };
beforeAll(() => {
  ws = copyWorkspace();
  gen = run(ws, 'npx', ['nx', 'g', '@parsimony/tools:plugin', 'demo-method', '--family', 'sparse-recovery', '--paper', "Let's Demo: a \"Paper\"", '--date', '2024-05', '--no-interactive']);
}, 180_000);

describe('nx g @parsimony/tools:plugin', () => {
  test('scaffolds a plugin package with the plugin flag, tags, solver, claim, tests and README', () => {
    expect(gen.code, gen.out).toBe(0);
    const dir = join(ws, 'packages/plugins/demo-method');
    for (const f of ['package.json', 'README.md', 'src/index.ts', 'src/claims.ts', 'src/solvers/demo-method.ts', 'test/demo-method.test.ts', 'tsconfig.json', 'tsconfig.lib.json', 'vitest.config.ts']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('@parsimony/plugin-demo-method');
    expect(pkg.parsimony).toEqual({ plugin: true });
    expect(pkg.nx.tags).toEqual(['scope:plugin']);
    expect(pkg.peerDependencies).toHaveProperty('@parsimony/core');
  });

  test('the new package builds, lints, typechecks and passes its tests', () => {
    const r = run(ws, 'npx', ['nx', 'run-many', '-t', 'build', 'lint', 'typecheck', 'test', '--projects=@parsimony/plugin-demo-method', '--output-style=static']);
    expect(r.code, r.out.slice(-4000)).toBe(0);
    const report = JSON.parse(readFileSync(join(ws, 'packages/plugins/demo-method/test-output/vitest.json'), 'utf8'));
    expect([report.numPassedTests, report.numFailedTests]).toEqual([8, 0]);
  }, 300_000);

  test('it shows up in `parsimony list` with no edit elsewhere', () => {
    const r = run(ws, 'npx', ['parsimony', 'list', '--json']);
    expect(r.code, r.out).toBe(0);
    const list = JSON.parse(r.out.slice(r.out.indexOf('{'), r.out.lastIndexOf('}') + 1));
    expect(list.solvers).toContainEqual({ id: 'demo-method/demo-method', family: 'sparse-recovery', plugin: '@parsimony/plugin-demo-method', title: 'DemoMethod' });
    expect(list.plugins).toContainEqual(expect.objectContaining({ name: '@parsimony/plugin-demo-method', paper: { title: 'Let\'s Demo: a "Paper"', date: '2024-05' } }));
  }, 60_000);

  test('it runs in the bench and appears on the leaderboard with its claim verdict', () => {
    const suite = join(ws, 'gen-suite.json');
    writeFileSync(suite, JSON.stringify({ name: 'gen-check', tasks: [{ family: 'sparse-recovery', name: 'quick', preset: 'quick', seeds: 2, solvers: 'demo-method/*' }] }));
    const out = join(ws, 'results', 'gen');
    const bench = run(ws, 'npx', ['parsimony', 'bench', 'run', '--suite', suite, '--out', out, '--workers', '1']);
    expect(bench.code, bench.out).toBe(0);
    const records = readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(records.map((r) => [r.solver, r.status])).toEqual([
      ['demo-method/demo-method', 'ok'],
      ['demo-method/demo-method', 'ok'],
    ]);
    const site = join(ws, 'site');
    const lb = run(ws, 'npx', ['parsimony-leaderboard', 'build', '--results', out, '--out', site]);
    expect(lb.code, lb.out).toBe(0);
    const pages = readdirSync(join(site), { recursive: true }).map(String);
    const pluginPage = pages.find((p) => p.includes('demo-method') && p.startsWith('plugin'));
    expect(pluginPage, pages.join(', ')).toBeDefined();
    const html = readFileSync(join(site, pluginPage!), 'utf8');
    expect(html).toContain('Let&#x27;s Demo: a &quot;Paper&quot;');
    expect(html).toContain('matches-trivial');
    expect(html).toMatch(/reproduced/);
  }, 180_000);

  test('refuses an unknown family and an existing slug, naming them', () => {
    const bad = run(ws, 'npx', ['nx', 'g', '@parsimony/tools:plugin', 'other', '--family', 'no-such-family', '--no-interactive']);
    expect(bad.code).not.toBe(0);
    expect(bad.out).toContain("unknown family 'no-such-family'");
    const dup = run(ws, 'npx', ['nx', 'g', '@parsimony/tools:plugin', 'demo-method', '--family', 'sparse-recovery', '--no-interactive']);
    expect(dup.code).not.toBe(0);
    expect(dup.out).toContain('packages/plugins/demo-method already exists');
  }, 60_000);
});
