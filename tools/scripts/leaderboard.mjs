#!/usr/bin/env node
// `npm run leaderboard`: build, run the quick suite, build the static site from
// that run, and print the path of its index.html. Results: results/<run-id>/;
// site: site/. Extra arguments go to `parsimony bench run` (e.g. --suite default).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const extra = process.argv.slice(2);
const suite = extra.includes('--suite') ? [] : ['--suite', 'quick'];
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const runDir = join(root, 'results', `${extra.includes('--suite') ? 'run' : 'quick'}-${stamp}`);
const site = join(root, 'site');

function step(title, cmd, args) {
  console.error(`\n$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`leaderboard: '${title}' failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

step('build', 'npx', ['nx', 'run-many', '-t', 'build', '--output-style=static']);
step('bench', 'npx', ['parsimony', 'bench', 'run', ...suite, ...extra, '--out', runDir]);
step('site', 'npx', ['parsimony-leaderboard', 'build', '--results', runDir, '--out', site]);
console.log(`\nLeaderboard: ${join(site, 'index.html')}`);
