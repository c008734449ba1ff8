#!/usr/bin/env node
// `npm test`: lint, typecheck and every package's tests through Nx (cached),
// then one closing line `N passed, N failed` summed from vitest's JSON reports.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const args = ['nx', 'run-many', '-t', 'lint', 'typecheck', 'test', '--output-style=stream', '--nxBail=false', ...process.argv.slice(2)];
function reports() {
  const dirs = [join(root, 'tools')];
  for (const base of ['packages', 'packages/plugins']) {
    const abs = join(root, base);
    if (!existsSync(abs)) continue;
    for (const d of readdirSync(abs)) dirs.push(join(abs, d));
  }
  return dirs.map((d) => join(d, 'test-output', 'vitest.json')).filter((f) => existsSync(f));
}

// Reports from an earlier run must not count: Nx restores them on a cache hit.
for (const file of reports()) rmSync(file);
const run = spawnSync('npx', args, { cwd: root, env, stdio: 'inherit' });

let passed = 0, failed = 0, skipped = 0;
for (const file of reports()) {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A suite that failed to load has no tests but is a failure.
  failed += (r.testResults ?? []).filter((s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0).length;
}
// A failing lint or typecheck target is a failure too, even with every test green.
const status = run.status ?? 1;
if (status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(status !== 0 || failed > 0 ? 1 : 0);
