import { existsSync, readFileSync } from 'node:fs';
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
  const manifest = assertValid(RunManifestSchema, raw, 'manifest', 'PARSIMONY_BAD_INPUT');
  const text = existsSync(resultsPath) ? readFileSync(resultsPath, 'utf8') : '';
  const { records, skipped } = parseResultLines(text);
  return { dir, manifest, records, skipped };
}
