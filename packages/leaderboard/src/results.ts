import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ParsimonyError, RunManifestSchema, assertValid, parseResultLines, type ResultRecord, type RunManifest } from '@parsimony/core';

/** One result directory as the leaderboard sees it. */
export interface RunResults {
  readonly dir: string;
  readonly manifest: RunManifest;
  readonly records: ResultRecord[];
  /** Lines of results.jsonl that did not parse or validate (e.g. a torn last line). */
  readonly skipped: { line: number; reason: string }[];
}

/**
 * Reads `manifest.json` and `results.jsonl` of a run directory through the
 * schemas in core (the leaderboard never imports the bench). A bad manifest
 * is an error naming the field; bad result lines are skipped and counted.
 *
 * @param dir - a run directory (`results/<run-id>/`)
 * @returns the manifest, the valid records and the skipped lines
 * @example
 * const run = readRunResults('results/2025-01-01-quick');
 * run.records.length; // => 48
 */
export function readRunResults(dir: string): RunResults {
  const manifestPath = join(dir, 'manifest.json');
  const resultsPath = join(dir, 'results.jsonl');
  if (!existsSync(manifestPath)) {
    throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${dir} is not a result directory: manifest.json is missing`, 'results');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${manifestPath}: not valid JSON (${(e as Error).message})`, 'manifest');
  }
  let manifest: RunManifest;
  try {
    manifest = assertValid(RunManifestSchema, raw, 'manifest', 'PARSIMONY_BAD_INPUT');
  } catch (e) {
    if (e instanceof ParsimonyError) throw new ParsimonyError(e.code, `${manifestPath}: ${e.message}`, e.field);
    throw e;
  }
  const text = existsSync(resultsPath) ? readFileSync(resultsPath, 'utf8') : '';
  const { records, skipped } = parseResultLines(text);
  return { dir, manifest, records, skipped };
}

/**
 * The run directories under `dir`: `dir` itself when it holds a
 * `manifest.json`, otherwise its immediate subfolders that do (a `results/`
 * folder of runs). Throws a ParsimonyError when there is none.
 *
 * @example
 * findRunDirs('results'); // => ['results/run-a', 'results/run-b']
 */
export function findRunDirs(dir: string): string[] {
  if (!existsSync(dir)) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `results directory ${dir} does not exist`, 'results');
  if (!statSync(dir).isDirectory()) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${dir} is a file; expected a result directory (with manifest.json)`, 'results');
  if (existsSync(join(dir, 'manifest.json'))) return [dir];
  const runs = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'manifest.json')))
    .map((d) => join(dir, d.name))
    .sort();
  if (runs.length === 0) {
    throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${dir} is not a result directory: no manifest.json in it or in its subfolders (run \`parsimony bench run\` first)`, 'results');
  }
  return runs;
}
