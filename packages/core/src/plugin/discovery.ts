import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { validatePlugin, type Plugin } from './plugin.js';

/** A package that declares `"parsimony": {"plugin": true}`. */
export interface PluginCandidate {
  readonly packageName: string;
  readonly version: string;
  readonly dir: string;
  /** The file its entry point resolves to, or undefined when it has none. */
  readonly entry: string | undefined;
}

/** A loaded, validated plugin. */
export interface LoadedPlugin {
  readonly plugin: Plugin;
  readonly packageName: string;
  readonly version: string;
  readonly dir: string;
}

/** A plugin that could not be loaded, and why. Reported, never fatal. */
export interface BrokenPlugin {
  readonly packageName: string;
  readonly dir: string;
  readonly reason: string;
}

export interface DiscoveryOptions {
  /** Where to start looking (node_modules of it and its ancestors, and its workspaces). Default: cwd. */
  readonly cwd?: string;
  /** Export conditions to resolve entry points with, in order. Default: import, node, default. */
  readonly conditions?: readonly string[];
}

interface PackageJson {
  name?: string;
  version?: string;
  main?: string;
  exports?: unknown;
  workspaces?: string[] | { packages?: string[] };
  parsimony?: { plugin?: boolean };
}

function readPackageJson(dir: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}

function resolveExport(target: unknown, conditions: readonly string[]): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const t of target) {
      const r = resolveExport(t, conditions);
      if (r) return r;
    }
    return undefined;
  }
  if (target && typeof target === 'object') {
    const obj = target as Record<string, unknown>;
    for (const [k, v] of Object.entries(obj)) {
      if (conditions.includes(k)) {
        const r = resolveExport(v, conditions);
        if (r) return r;
      }
    }
  }
  return undefined;
}

/** The file a package's root entry resolves to under the given conditions. */
export function resolveEntry(dir: string, pkg: PackageJson, conditions: readonly string[]): string | undefined {
  let rel: string | undefined;
  if (pkg.exports !== undefined) {
    const exp = pkg.exports as Record<string, unknown> | string;
    const root = typeof exp === 'object' && !Array.isArray(exp) && Object.keys(exp).some((k) => k.startsWith('.')) ? exp['.'] : exp;
    rel = resolveExport(root, [...conditions, 'default']);
  } else {
    rel = pkg.main ?? 'index.js';
  }
  return rel ? resolve(dir, rel) : undefined;
}

function packagesIn(nodeModules: string): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(nodeModules);
  } catch {
    return out;
  }
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const p = join(nodeModules, name);
    if (name.startsWith('@')) {
      try {
        for (const sub of readdirSync(p)) out.push(join(p, sub));
      } catch {
        /* unreadable scope: skip */
      }
    } else out.push(p);
  }
  return out;
}

function expandWorkspaces(root: string, patterns: readonly string[]): string[] {
  const out: string[] = [];
  for (const pattern of patterns) {
    // npm workspace patterns here are plain paths or end in a single '*'.
    if (pattern.endsWith('/*')) {
      const base = join(root, pattern.slice(0, -2));
      try {
        for (const d of readdirSync(base)) out.push(join(base, d));
      } catch {
        /* missing folder: nothing there */
      }
    } else out.push(join(root, pattern));
  }
  return out;
}

/**
 * Finds installed plugin packages: every package with
 * `"parsimony": {"plugin": true}` in the `node_modules` folders from `cwd`
 * up to the file-system root, and in the npm workspaces of any ancestor
 * package.json. A package found twice (a workspace linked into
 * node_modules) is listed once.
 */
export function findPluginPackages(options: DiscoveryOptions = {}): PluginCandidate[] {
  const conditions = options.conditions ?? ['import', 'node'];
  const seen = new Map<string, PluginCandidate>();
  const consider = (dir: string) => {
    let real: string;
    try {
      real = realpathSync(dir);
      if (!statSync(real).isDirectory()) return;
    } catch {
      return;
    }
    const pkg = readPackageJson(real);
    if (!pkg?.name || pkg.parsimony?.plugin !== true || seen.has(pkg.name)) return;
    seen.set(pkg.name, { packageName: pkg.name, version: pkg.version ?? '0.0.0', dir: real, entry: resolveEntry(real, pkg, conditions) });
  };
  let dir = resolve(options.cwd ?? process.cwd());
  for (;;) {
    for (const p of packagesIn(join(dir, 'node_modules'))) consider(p);
    const pkg = readPackageJson(dir);
    const ws = Array.isArray(pkg?.workspaces) ? pkg.workspaces : pkg?.workspaces?.packages;
    if (ws) for (const p of expandWorkspaces(dir, ws)) consider(p);
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return [...seen.values()].sort((a, b) => a.packageName.localeCompare(b.packageName));
}

/** Imports and validates one candidate; throws with a reason on failure. */
export async function loadPluginPackage(candidate: PluginCandidate): Promise<LoadedPlugin> {
  if (!candidate.entry) throw new Error('package.json has no entry point for import (exports "." or main)');
  if (!existsSync(candidate.entry)) throw new Error(`entry point ${candidate.entry} does not exist (is the package built?)`);
  const mod = (await import(pathToFileURL(candidate.entry).href)) as { default?: unknown };
  if (mod.default === undefined) throw new Error('the module has no default export; export default definePlugin({...})');
  const plugin = validatePlugin(mod.default, candidate.packageName);
  return { plugin, packageName: candidate.packageName, version: candidate.version, dir: candidate.dir };
}

/**
 * Finds and loads every installed plugin. A plugin that fails to load or
 * validate is returned in `broken` with its reason; the others still load.
 */
export async function discoverPlugins(options: DiscoveryOptions = {}): Promise<{ loaded: LoadedPlugin[]; broken: BrokenPlugin[] }> {
  const loaded: LoadedPlugin[] = [];
  const broken: BrokenPlugin[] = [];
  for (const c of findPluginPackages(options)) {
    try {
      loaded.push(await loadPluginPackage(c));
    } catch (e) {
      broken.push({ packageName: c.packageName, dir: c.dir, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return { loaded, broken };
}
