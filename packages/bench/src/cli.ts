import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import {
  ParsimonyError,
  familyById,
  generateInstance,
  readJsonFile,
  resolveFamilyParams,
  scoreSolution,
  solveService,
  solverById,
  toJsonText,
  writeJsonFile,
} from '@parsimony/core';
import { loadRegistry } from './registry.js';
import { formatListing, listing } from './commands/list.js';
import { addBenchCommands, type BenchIo } from './commands/bench.js';

/** Parses `--params` JSON; errors name the flag. */
function jsonOption(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch (e) {
    throw new InvalidArgumentError(`not valid JSON (${(e as Error).message})`);
  }
}

function seedOption(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

/**
 * Where the CLI writes: stdout and stderr text (tests capture it); `tty`
 * turns on the bench progress bar; a command may set `exitCode`.
 */
export type Io = BenchIo;

/** Builds the `parsimony` program. `io` receives stdout/stderr text (tests capture it). */
export function buildProgram(io: Io): Command {
  const program = new Command('parsimony')
    .description('Solvers for parsimonious models, and a benchmark that ranks them.')
    .option('--debug', 'show stack traces of internal errors')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('list')
    .description('list families, installed solvers and plugins')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const reg = await loadRegistry();
      if (opts.json) io.out(JSON.stringify(listing(reg), null, 2) + '\n');
      else io.out(formatListing(reg) + '\n');
      for (const b of reg.broken) io.err(`parsimony: skipped plugin ${b.packageName}: ${b.reason}\n`);
    });

  program
    .command('generate')
    .description('draw a seeded instance of a family: observation.json, truth.json, params.json')
    .argument('<family>', 'family id, e.g. sparse-recovery')
    .option('--params <json>', 'generator params as JSON (defaults: the quick size)', jsonOption, {})
    .option('--seed <n>', 'seed (non-negative integer)', seedOption, 0)
    .requiredOption('--out <dir>', 'output directory')
    .action(async (familyId: string, opts: { params: unknown; seed: number; out: string }) => {
      const { container } = await loadRegistry();
      const family = familyById(container, familyId);
      const params = resolveFamilyParams(family, opts.params);
      const { observation, truth } = generateInstance(family, params, [opts.seed]);
      mkdirSync(opts.out, { recursive: true });
      writeJsonFile(join(opts.out, 'observation.json'), observation);
      writeJsonFile(join(opts.out, 'truth.json'), truth);
      writeJsonFile(join(opts.out, 'params.json'), { family: family.id, seed: opts.seed, params }, 2);
      io.out(`wrote ${join(opts.out, 'observation.json')}, truth.json, params.json\n`);
    });

  program
    .command('solve')
    .description('run one solver on an observation file; prints the solution JSON')
    .argument('<solver>', 'solver id, e.g. baselines/omp')
    .requiredOption('--input <file>', 'observation JSON')
    .option('--params <json>', 'solver params as JSON', jsonOption, {})
    .option('--seed <n>', 'seed of the solver\'s random stream', seedOption, 0)
    .option('--output <file>', 'write the solution here instead of stdout')
    .action(async (solverId: string, opts: { input: string; params: unknown; seed: number; output?: string }) => {
      const { container } = await loadRegistry();
      const { solver } = solverById(container, solverId);
      const observation = readJsonFile(opts.input, solver.family.schemas.observation, 'observation', 'PARSIMONY_BAD_OBSERVATION');
      const result = await solveService(container).solve(solver, observation, opts.params, { seed: ['solve', solver.id, opts.seed] });
      if (opts.output) {
        writeJsonFile(opts.output, result.solution);
        io.err(`${solver.id}: solved in ${result.timeMs.toFixed(1)} ms, wrote ${opts.output}\n`);
      } else io.out(toJsonText(result.solution));
    });

  program
    .command('score')
    .description('score a solution against the truth; prints the metrics JSON')
    .argument('<family>', 'family id')
    .requiredOption('--observation <file>', 'observation JSON')
    .requiredOption('--truth <file>', 'truth JSON')
    .requiredOption('--solution <file>', 'solution JSON')
    .action(async (familyId: string, opts: { observation: string; truth: string; solution: string }) => {
      const { container } = await loadRegistry();
      const family = familyById(container, familyId);
      const observation = readJsonFile(opts.observation, family.schemas.observation, 'observation', 'PARSIMONY_BAD_OBSERVATION');
      const truth = readJsonFile(opts.truth, family.schemas.truth, 'truth', 'PARSIMONY_BAD_TRUTH');
      const solution = readJsonFile(opts.solution, family.schemas.solution, 'solution', 'PARSIMONY_BAD_SOLUTION');
      const outcome = scoreSolution(family, observation, truth, solution);
      io.out(JSON.stringify(outcome.status === 'ok' ? outcome.metrics : outcome, null, 2) + '\n');
      if (outcome.status !== 'ok') throw new ParsimonyError('PARSIMONY_BAD_SOLUTION', `the solution is invalid: ${outcome.reason}`, outcome.field);
    });

  addBenchCommands(program, io);

  return program;
}

/**
 * Runs the CLI and returns the exit code: 0 done (a bench run with failed
 * jobs is done: failures are results), 2 bad input (one line naming what is
 * wrong), 1 internal error (stack trace with --debug), 130 a bench run
 * interrupted by Ctrl-C (resume it with --resume).
 */
export async function main(
  argv: readonly string[],
  io: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), tty: process.stderr.isTTY === true },
): Promise<number> {
  const program = buildProgram(io);
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv as string[]);
    return io.exitCode ?? 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; usage errors were already printed by commander.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof ParsimonyError) {
      io.err(`parsimony: ${e.message}\n`);
      if (debug) io.err(`${e.stack ?? ''}\n`);
      return 2;
    }
    const err = e as Error;
    io.err(`parsimony: internal error: ${err?.message ?? String(e)}${debug ? `\n${err?.stack ?? ''}` : ' (run with --debug for the stack trace)'}\n`);
    return 1;
  }
}
