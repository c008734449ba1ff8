import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, test } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const RULE = '@nx/enforce-module-boundaries';

/** Lints `code` as if it were a file at `relPath` and returns the boundary-rule messages. */
async function boundaryErrors(relPath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: join(root, relPath) });
  return result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

beforeAll(() => {
  // The rule reads Nx's cached project graph and silently skips without it.
  const r = spawnSync('npx', ['nx', 'show', 'projects'], { cwd: root, env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' }, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}, 120_000);

describe('the dependency arrows of DESIGN.md are enforced by lint', () => {
  test.each([
    ['core imports a plugin', 'packages/core/src/__fixture__.ts', '@parsimony/plugin-baselines'],
    ['core imports the bench', 'packages/core/src/__fixture__.ts', '@parsimony/bench'],
    ['a plugin imports the bench', 'packages/plugins/baselines/src/__fixture__.ts', '@parsimony/bench'],
    ['a plugin imports the leaderboard', 'packages/plugins/baselines/src/__fixture__.ts', '@parsimony/leaderboard'],
    ['the bench imports the leaderboard', 'packages/bench/src/__fixture__.ts', '@parsimony/leaderboard'],
    ['the leaderboard imports the bench', 'packages/leaderboard/src/__fixture__.ts', '@parsimony/bench'],
    ['the leaderboard imports a plugin', 'packages/leaderboard/src/__fixture__.ts', '@parsimony/plugin-baselines'],
  ])('%s: lint error', async (_what, file, target) => {
    const errors = await boundaryErrors(file, `import * as forbidden from '${target}';\nexport const x = forbidden;\n`);
    expect(errors.length, `expected ${RULE} to reject ${target} from ${file}`).toBeGreaterThan(0);
  });

  test('a plugin imports another plugin: lint error (every pair of workspace plugins)', async () => {
    const plugins = readdirSync(join(root, 'packages/plugins')).filter((d) => existsSync(join(root, 'packages/plugins', d, 'package.json')));
    const pairs = plugins.flatMap((a) => plugins.filter((b) => b !== a).map((b) => [a, b] as const)).slice(0, 6);
    for (const [a, b] of pairs) {
      const errors = await boundaryErrors(`packages/plugins/${a}/src/__fixture__.ts`, `import * as other from '@parsimony/plugin-${b}';\nexport const x = other;\n`);
      expect(errors.length, `plugin ${a} must not import plugin ${b}`).toBeGreaterThan(0);
    }
    // With a single plugin there is no pair yet; the constraint itself is checked below.
    const config = (await new ESLint({ cwd: root }).calculateConfigForFile(join(root, 'packages/plugins/baselines/src/index.ts'))) as {
      rules: Record<string, [string, { depConstraints: { sourceTag: string; onlyDependOnLibsWithTags: string[] }[] }]>;
    };
    const plugin = config.rules[RULE][1].depConstraints.find((c) => c.sourceTag === 'scope:plugin');
    expect(plugin?.onlyDependOnLibsWithTags).toEqual(['scope:core']);
  });

  test("a plugin's tests may import the baselines its claims compare against; its source may not", async () => {
    const config = (await new ESLint({ cwd: root }).calculateConfigForFile(join(root, 'packages/plugins/some-paper/test/claim.test.ts'))) as {
      rules: Record<string, [string, { depConstraints: { sourceTag: string; onlyDependOnLibsWithTags: string[] }[] }]>;
    };
    const plugin = config.rules[RULE][1].depConstraints.find((c) => c.sourceTag === 'scope:plugin');
    expect(plugin?.onlyDependOnLibsWithTags).toEqual(['scope:core', 'type:baselines']);
    const others = readdirSync(join(root, 'packages/plugins')).filter((d) => d !== 'baselines' && existsSync(join(root, 'packages/plugins', d, 'package.json')));
    for (const p of others.slice(0, 3)) {
      expect(await boundaryErrors(`packages/plugins/${p}/src/__fixture__.ts`, "import * as b from '@parsimony/plugin-baselines';\nexport const x = b;\n")).not.toEqual([]);
      expect(await boundaryErrors(`packages/plugins/${p}/test/__fixture__.test.ts`, "import * as b from '@parsimony/plugin-baselines';\nexport const x = b;\n")).toEqual([]);
    }
  });

  test.each([
    ['a plugin imports core', 'packages/plugins/baselines/src/__fixture__.ts', '@parsimony/core'],
    ['the bench imports core', 'packages/bench/src/__fixture__.ts', '@parsimony/core'],
    ['the leaderboard imports core', 'packages/leaderboard/src/__fixture__.ts', '@parsimony/core'],
  ])('%s: allowed', async (_what, file, target) => {
    expect(await boundaryErrors(file, `import * as ok from '${target}';\nexport const x = ok;\n`)).toEqual([]);
  });
});
