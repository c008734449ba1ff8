import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { discoverPlugins, findPluginPackages } from '../src/index.js';

/** Writes a package into `dir` with the given package.json fields and files. */
function pkg(dir: string, json: Record<string, unknown>, files: Record<string, string> = {}) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify(json));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
}

const goodPlugin = (name: string) => `export default {
  name: '${name}',
  solvers: [{ id: '${name}/zero', title: 'Zero', family: { id: 'sparse-recovery' }, params: {}, solve: () => ({}) }],
  claims: [],
};\n`;

let root = '';
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'parsimony-discovery-'));
  const nm = join(root, 'node_modules');
  pkg(root, { name: 'app', private: true, workspaces: ['plugins/*'] });
  pkg(join(nm, '@acme/plugin-good'), { name: '@acme/plugin-good', version: '1.2.3', type: 'module', exports: { '.': { import: './dist/index.js' } }, parsimony: { plugin: true } }, { 'dist/index.js': goodPlugin('good') });
  pkg(join(nm, 'plugin-throws'), { name: 'plugin-throws', type: 'module', main: 'index.js', parsimony: { plugin: true } }, { 'index.js': "throw new Error('boom at import');\n" });
  pkg(join(nm, 'plugin-bad-manifest'), { name: 'plugin-bad-manifest', type: 'module', main: 'index.js', parsimony: { plugin: true } }, { 'index.js': "export default { name: 'Bad Name', solvers: [] };\n" });
  pkg(join(nm, 'plugin-unbuilt'), { name: 'plugin-unbuilt', type: 'module', exports: './dist/index.js', parsimony: { plugin: true } });
  pkg(join(nm, 'plugin-no-default'), { name: 'plugin-no-default', type: 'module', main: 'index.js', parsimony: { plugin: true } }, { 'index.js': 'export const x = 1;\n' });
  pkg(join(nm, 'left-pad'), { name: 'left-pad', main: 'index.js' }, { 'index.js': 'module.exports = 1;\n' });
  pkg(join(root, 'plugins', 'local'), { name: '@app/plugin-local', type: 'module', main: 'index.js', parsimony: { plugin: true } }, { 'index.js': goodPlugin('local') });
});

describe('plugin discovery', () => {
  test('finds flagged packages in node_modules (scoped too) and in workspaces, ignores others', () => {
    const names = findPluginPackages({ cwd: root }).map((c) => c.packageName);
    expect(names).toEqual(['@acme/plugin-good', '@app/plugin-local', 'plugin-bad-manifest', 'plugin-no-default', 'plugin-throws', 'plugin-unbuilt']);
  });

  test('loads the good plugins and reports each broken one with its reason, never failing the others', async () => {
    const { loaded, broken } = await discoverPlugins({ cwd: root });
    expect(loaded.map((p) => [p.packageName, p.version, p.plugin.name])).toEqual([
      ['@acme/plugin-good', '1.2.3', 'good'],
      ['@app/plugin-local', '0.0.0', 'local'],
    ]);
    const reasons = Object.fromEntries(broken.map((b) => [b.packageName, b.reason]));
    expect(reasons['plugin-throws']).toBe('boom at import');
    expect(reasons['plugin-bad-manifest']).toContain('plugin-bad-manifest: plugin.name must match pattern');
    expect(reasons['plugin-unbuilt']).toMatch(/entry point .*dist\/index\.js does not exist \(is the package built\?\)/);
    expect(reasons['plugin-no-default']).toContain('no default export');
  });

  test('finds nothing, without error, where nothing is installed', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'parsimony-empty-'));
    // Parents of a temp dir may hold packages; count only those below it.
    expect(findPluginPackages({ cwd: empty }).filter((c) => c.dir.startsWith(empty))).toEqual([]);
  });
});
