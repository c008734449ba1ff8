import { Command, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import type { ResultRecord, RunManifest } from '@parsimony/core';
import { runSuite, type JobInfo, type RunStartInfo } from '../runner.js';
import { mergeRuns } from '../merge.js';
import { formatSummary, summarize } from '../summary.js';
import { BUILTIN_SUITES } from '../suite.js';

/** Where the CLI writes; `tty` says whether stderr is a terminal (progress bar) and `exitCode` lets a command end with a code other than 0. */
export interface BenchIo {
  out: (s: string) => void;
  err: (s: string) => void;
  tty?: boolean;
  exitCode?: number;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function list(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Counts by status, e.g. `12 jobs: 10 ok, 1 invalid, 1 timeout`. */
export function statusLine(records: readonly ResultRecord[]): string {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const parts = ['ok', 'skipped', 'invalid', 'error', 'timeout'].filter((s) => counts.get(s)).map((s) => `${counts.get(s)} ${s}`);
  return `${records.length} jobs${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

/** Progress on stderr: a bar on a terminal, a line per tenth of the jobs otherwise (CI logs). */
function progress(io: BenchIo) {
  let bar: cliProgress.SingleBar | undefined;
  let lastTenth = -1;
  return {
    start(info: RunStartInfo) {
      io.err(`parsimony: ${info.total - info.recorded} jobs to run${info.recorded ? ` (${info.recorded} already recorded)` : ''} on ${info.workers} worker${info.workers === 1 ? '' : 's'}, results in ${info.dir}\n`);
      if (io.tty && info.total > info.recorded) {
        bar = new cliProgress.SingleBar(
          { format: 'bench |{bar}| {value}/{total} jobs | {failed} failed | ETA {eta_formatted}', stream: process.stderr, hideCursor: true, etaBuffer: 20 },
          cliProgress.Presets.shades_classic,
        );
        bar.start(info.total, info.recorded, { failed: 0 });
      }
    },
    job(_r: ResultRecord, info: JobInfo) {
      if (bar) bar.update(info.done, { failed: info.failed });
      else {
        const tenth = Math.floor((10 * info.done) / info.total);
        if (tenth > lastTenth) {
          lastTenth = tenth;
          io.err(`parsimony: ${info.done}/${info.total} jobs done, ${info.failed} failed\n`);
        }
      }
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

function printSummary(io: BenchIo, records: readonly ResultRecord[], manifest: RunManifest) {
  const rows = summarize(records, manifest);
  if (rows.length) io.out(formatSummary(rows) + '\n');
  io.out(`${statusLine(records)}\n`);
}

/** A word for the shell: quoted when it holds anything but plain path characters (a glob's `*`, spaces). */
function shellWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** The command that resumes an interrupted run: the same suite, filters, shard and plugins, into the same directory. */
export function resumeCommand(opts: { suite: string; solvers?: string[]; families?: string[]; shard?: string; pluginDir?: string[] }, dir: string): string {
  const words = ['parsimony', 'bench', 'run', '--suite', opts.suite, '--out', dir];
  if (opts.solvers) words.push('--solvers', opts.solvers.join(','));
  if (opts.families) words.push('--families', opts.families.join(','));
  if (opts.shard) words.push('--shard', opts.shard);
  for (const d of opts.pluginDir ?? []) words.push('--plugin-dir', d);
  return [...words.map(shellWord), '--resume'].join(' ');
}

/** Adds `bench run` and `bench merge` to the program. */
export function addBenchCommands(program: Command, io: BenchIo): void {
  const bench = program.command('bench').description('run benchmark suites and merge their results');

  bench
    .command('run')
    .description('run every registered solver on the tasks of a suite; results go to results/<run-id>/')
    .requiredOption('--suite <suite>', `a built-in suite (${BUILTIN_SUITES.join(', ')}) or a suite JSON file`)
    .option('--out <dir>', 'run directory (default: results/<run-id>)')
    .option('--solvers <globs>', "only solvers matching these globs, comma-separated (e.g. 'baselines/*')", list)
    .option('--families <list>', 'only tasks of these families, comma-separated', list)
    .option('--workers <n>', 'worker threads (default: one per core)', positiveInt)
    .option('--shard <i/n>', "run the i-th of n parts of the jobs; 'auto/n' takes i from JOB_COMPLETION_INDEX")
    .option('--resume', 'skip jobs already recorded in --out (default: the latest matching run in results/)')
    .addOption(new Option('--plugin-dir <dir>', 'also load the plugin package in this folder (repeatable)').argParser(collect))
    .addOption(new Option('--memory-mb <n>', 'JS heap limit of each worker, MB').argParser(positiveInt).default(2048))
    .addOption(new Option('--grace-ms <n>', 'a job is killed this long after its budget').argParser(positiveInt).default(1000))
    .action(
      async (opts: {
        suite: string;
        out?: string;
        solvers?: string[];
        families?: string[];
        workers?: number;
        shard?: string;
        resume?: boolean;
        pluginDir?: string[];
        memoryMb: number;
        graceMs: number;
      }) => {
        const bar = progress(io);
        const controller = new AbortController();
        const onSigint = () => controller.abort();
        process.once('SIGINT', onSigint);
        let result;
        try {
          result = await runSuite({
            suite: opts.suite,
            out: opts.out,
            solvers: opts.solvers,
            families: opts.families,
            workers: opts.workers,
            shard: opts.shard,
            resume: opts.resume,
            pluginDirs: opts.pluginDir,
            memoryLimitMb: opts.memoryMb,
            graceMs: opts.graceMs,
            signal: controller.signal,
            onStart: (info) => bar.start(info),
            onJob: (r, info) => bar.job(r, info),
            onWarning: (m) => io.err(`parsimony: warning: ${m}\n`),
          });
        } finally {
          bar.stop();
          process.removeListener('SIGINT', onSigint);
        }
        if (result.interrupted) {
          io.err(`parsimony: interrupted after ${result.records.length} jobs; continue with: ${resumeCommand(opts, result.dir)}\n`);
          io.exitCode = 130;
        } else if (result.records.length === 0) io.err('parsimony: warning: the suite has no jobs (no installed solver matches its tasks)\n');
        printSummary(io, result.records, result.manifest);
        io.out(`results: ${result.dir}\n`);
      },
    );

  bench
    .command('merge')
    .description('merge run directories (e.g. shards) into one; refuses different suites or versions')
    .argument('<dirs...>', 'run directories')
    .requiredOption('--out <dir>', 'where to write the merged run')
    .action((dirs: string[], opts: { out: string }) => {
      const merged = mergeRuns(dirs, opts.out);
      for (const w of merged.warnings) io.err(`parsimony: warning: ${w}\n`);
      io.err(`parsimony: merged ${dirs.length} runs: ${merged.records.length} records${merged.duplicates ? ` (${merged.duplicates} duplicates dropped)` : ''}\n`);
      printSummary(io, merged.records, merged.manifest);
      io.out(`results: ${merged.dir}\n`);
    });
}
