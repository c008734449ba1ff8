#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/ (built from src/cli.ts).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('parsimony-leaderboard: @parsimony/leaderboard is not built (dist/cli.js is missing); run `npm run build` at the repository root');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
