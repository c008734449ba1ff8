#!/usr/bin/env node
// `npm run demo`: build, then generate a sparse-recovery instance, solve it
// with OMP and score it, through the `parsimony` CLI. Files go to ./results/demo.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const dir = join(root, 'results', 'demo');

function step(title, cmd, args) {
  console.log(`\n$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`demo: '${title}' failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

step('build', 'npx', ['nx', 'run-many', '-t', 'build', '--output-style=static']);
step('generate', 'npx', ['parsimony', 'generate', 'sparse-recovery', '--seed', '1', '--out', dir]);
step('solve', 'npx', ['parsimony', 'solve', 'baselines/omp', '--input', join(dir, 'observation.json'), '--output', join(dir, 'solution.json')]);
step('score', 'npx', ['parsimony', 'score', 'sparse-recovery', '--observation', join(dir, 'observation.json'), '--truth', join(dir, 'truth.json'), '--solution', join(dir, 'solution.json')]);
