import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isParsimonyError } from '@parsimony/core';
import { buildSite } from './build.js';

/** Where the CLI writes; tests capture it. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const USAGE = `Usage: parsimony-leaderboard build --results DIR [DIR...] --out SITE

Builds the static leaderboard site from bench result directories.

Options:
  --results DIR...  run directories (with manifest.json and results.jsonl), or
                    folders of them such as results/; repeatable
  --out SITE        the site folder (new, empty, or a site built before)
  --quiet           do not print warnings about the inputs
  --debug           print stack traces of internal errors
  -h, --help        show this help
  -v, --version     show the version
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Runs `parsimony-leaderboard` with Node's argv. Bad usage or bad input
 * (a missing or invalid results directory) prints one line and returns 2;
 * an internal error returns 1.
 *
 * @param argv - `process.argv` (the first two entries are skipped)
 * @param io - stdout/stderr writers (defaults: the process streams)
 * @returns the exit code
 * @example
 * process.exitCode = await main(['node', 'parsimony-leaderboard', 'build', '--results', 'results', '--out', 'site']);
 */
export async function main(argv: readonly string[], io: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.slice(2),
      allowPositionals: true,
      strict: true,
      options: {
        results: { type: 'string', multiple: true },
        out: { type: 'string' },
        quiet: { type: 'boolean' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (e) {
    io.err(`parsimony-leaderboard: ${(e as Error).message.split('\n')[0]} (run with --help for usage)\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (values.version) {
    io.out(`${version()}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (command !== 'build') {
    io.err(`parsimony-leaderboard: ${command === undefined ? 'missing command' : `unknown command '${command}'`}; expected 'build' (run with --help for usage)\n`);
    return 2;
  }
  // `--results a b c` leaves b and c as positionals: they are more result directories.
  const results = [...(values.results ?? []), ...rest];
  if (results.length === 0) {
    io.err('parsimony-leaderboard: build needs --results DIR (a bench result directory)\n');
    return 2;
  }
  if (values.out === undefined || values.out === '') {
    io.err('parsimony-leaderboard: build needs --out SITE (the folder to write the site to)\n');
    return 2;
  }
  try {
    const res = await buildSite({ results, out: values.out });
    if (!values.quiet) for (const w of res.warnings) io.err(`parsimony-leaderboard: warning: ${w}\n`);
    io.out(`wrote ${res.pages.length} pages and ${res.plots.length} plots; open ${res.indexPath}\n`);
    return 0;
  } catch (e) {
    if (isParsimonyError(e)) {
      io.err(`parsimony-leaderboard: ${e.message.split('\n')[0]}\n`);
      return 2;
    }
    io.err(`parsimony-leaderboard: internal error: ${(e as Error)?.message ?? String(e)}${values.debug ? `\n${(e as Error)?.stack ?? ''}` : ' (run with --debug for the stack trace)'}\n`);
    return 1;
  }
}
