import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, platform, arch } from 'node:os';
import { join } from 'node:path';
import {
  ParsimonyError,
  RunManifestSchema,
  assertValid,
  manifestOf,
  writeJsonFile,
  type AnyFamily,
  type RunManifest,
} from '@parsimony/core';
import type { LoadedRegistry } from './registry.js';
import type { Shard } from './jobs.js';

/** The manifest file of a run directory. */
export const MANIFEST_FILE = 'manifest.json';

function versionAt(file: string): string {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return 'unknown';
  }
}

/** Versions of core, the bench and every loaded plugin package. */
export function packageVersions(registry: LoadedRegistry): Record<string, string> {
  const out: Record<string, string> = {};
  let corePkg: string | undefined;
  try {
    corePkg = createRequire(import.meta.url).resolve('@parsimony/core/package.json');
  } catch {
    corePkg = undefined;
  }
  out['@parsimony/core'] = corePkg ? versionAt(corePkg) : 'unknown';
  out['@parsimony/bench'] = versionAt(new URL('../package.json', import.meta.url).pathname);
  for (const p of registry.plugins) out[p.packageName] = p.version;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** The commit being run: `git rev-parse HEAD` in `cwd`, else $GITHUB_SHA / $GIT_COMMIT, else undefined. */
export function gitSha(cwd: string): string | undefined {
  try {
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
    if (/^[0-9a-f]{40}$/.test(sha)) return sha;
  } catch {
    /* not a git checkout, or no git */
  }
  return process.env.GITHUB_SHA ?? process.env.GIT_COMMIT ?? undefined;
}

/** A run id: `<suite>-<UTC yyyymmdd-hhmmss>[-shard-<i>of<n>]`. */
export function makeRunId(suiteName: string, shard?: Shard, date = new Date()): string {
  const ts = date.toISOString().replace(/\.\d+Z$/, '').replace(/[-:]/g, '').replace('T', '-');
  return `${suiteName}-${ts}${shard ? `-shard-${shard.index}of${shard.count}` : ''}`;
}

/** What a manifest records about the suite (the schema lets this object carry extra fields). */
export interface SuiteInfo {
  readonly name: string;
  readonly hash: string;
  /** `builtin:quick` or the suite file's path. */
  readonly source: string;
  readonly description?: string;
  /** Jobs in the whole suite (all shards), after filters. */
  readonly jobs: number;
  readonly filters?: { readonly solvers?: readonly string[]; readonly families?: readonly string[] };
  /** Task id -> the metric it ranks by, for tasks that declare one (`primary` in the suite). */
  readonly primary?: Readonly<Record<string, string>>;
}

/**
 * Builds `manifest.json`: the suite, the versions of every package, git sha,
 * node, platform, CPU, date, the shard, the families of the run (id, title,
 * metrics) and every loaded plugin's manifest (for ranks and claims).
 */
export function buildManifest(input: { runId: string; suite: SuiteInfo; registry: LoadedRegistry; families: readonly AnyFamily[]; shard?: Shard; cwd: string }): RunManifest {
  const sha = gitSha(input.cwd);
  const manifest: RunManifest = {
    run_id: input.runId,
    suite: { ...input.suite },
    created_at: new Date().toISOString(),
    ...(sha && { git_sha: sha }),
    node: process.version,
    platform: `${platform()}-${arch()}`,
    cpu: { model: cpus()[0]?.model?.trim() || 'unknown', cores: availableParallelism() },
    packages: packageVersions(input.registry),
    ...(input.shard && { shard: { index: input.shard.index, count: input.shard.count } }),
    families: input.families.map((f) => ({
      id: f.id,
      title: f.title,
      metrics: f.metrics.map((m) => ({ id: m.id, label: m.label, direction: m.direction, ...(m.primary && { primary: true }), ...(m.unit && { unit: m.unit }) })),
    })),
    plugins: input.registry.plugins.map((p) => manifestOf({ ...p.plugin, version: p.version })),
  };
  return assertValid(RunManifestSchema, manifest, 'manifest', 'PARSIMONY_BAD_INPUT');
}

/** Reads and validates `dir/manifest.json`; undefined when there is none. */
export function readManifest(dir: string): RunManifest | undefined {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${file}: not valid JSON (${(e as Error).message})`, 'manifest');
  }
  return assertValid(RunManifestSchema, raw, `${file}`, 'PARSIMONY_BAD_INPUT');
}

/** Writes `dir/manifest.json` atomically. */
export function writeManifest(dir: string, manifest: RunManifest): void {
  writeJsonFile(join(dir, MANIFEST_FILE), manifest, 2);
}

/**
 * Why two runs cannot be combined (resumed into one another or merged), or
 * undefined: a different suite (name or hash), different package versions
 * or a different commit.
 */
export function incompatibility(a: RunManifest, b: RunManifest): string | undefined {
  if (a.suite.name !== b.suite.name) return `suite '${b.suite.name}' differs from '${a.suite.name}'`;
  if (a.suite.hash !== b.suite.hash) return `suite '${a.suite.name}' has different content (tasks, params, seeds, budgets or filters): hash ${b.suite.hash.slice(0, 12)} vs ${a.suite.hash.slice(0, 12)}`;
  const names = [...new Set([...Object.keys(a.packages), ...Object.keys(b.packages)])].sort();
  const diff = names.filter((n) => a.packages[n] !== b.packages[n]).map((n) => `${n} ${b.packages[n] ?? '(absent)'} vs ${a.packages[n] ?? '(absent)'}`);
  if (diff.length) return `package versions differ: ${diff.join(', ')}`;
  if (a.git_sha && b.git_sha && a.git_sha !== b.git_sha) return `git commits differ: ${b.git_sha.slice(0, 12)} vs ${a.git_sha.slice(0, 12)}`;
  return undefined;
}
