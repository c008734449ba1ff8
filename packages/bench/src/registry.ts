import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  allFamilies,
  createRegistry,
  discoverPlugins,
  loadPluginPackage,
  registerPlugin,
  resolveEntry,
  type BrokenPlugin,
  type DiscoveryOptions,
  type LoadedPlugin,
} from '@parsimony/core';
import type { DependencyContainer } from '@parsimony/core';

/** A registry with every core family and every installed plugin that loads. */
export interface LoadedRegistry {
  readonly container: DependencyContainer;
  readonly plugins: LoadedPlugin[];
  /** Plugins that failed to load, validate or register: reported, skipped. */
  readonly broken: BrokenPlugin[];
}

/** Where to find plugins: discovery from `cwd`, plus explicit plugin package folders. */
export interface RegistryOptions extends DiscoveryOptions {
  /** Folders of plugin packages to load as well (each with a package.json flagged `"parsimony": {"plugin": true}`). */
  readonly pluginDirs?: readonly string[];
}

/** Loads the plugin package in `dir` (not necessarily installed anywhere). */
async function loadPluginDir(dir: string, conditions: readonly string[]): Promise<LoadedPlugin> {
  let pkg: { name?: string; version?: string; parsimony?: { plugin?: boolean } };
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch {
    throw new Error(`${dir} has no readable package.json`);
  }
  if (pkg.parsimony?.plugin !== true) throw new Error(`${join(dir, 'package.json')} does not declare "parsimony": {"plugin": true}`);
  const packageName = pkg.name ?? dir;
  return loadPluginPackage({ packageName, version: pkg.version ?? '0.0.0', dir, entry: resolveEntry(dir, pkg, conditions) });
}

/**
 * Discovers installed plugins (see core's `discoverPlugins`), loads the
 * `pluginDirs` too, and registers them. A plugin that cannot be loaded or
 * registered (e.g. a duplicate solver id) is moved to `broken`; the others stay.
 */
export async function loadRegistry(options: RegistryOptions = {}): Promise<LoadedRegistry> {
  const container = createRegistry(allFamilies);
  const { loaded, broken } = await discoverPlugins(options);
  for (const raw of options.pluginDirs ?? []) {
    const dir = resolve(raw);
    try {
      loaded.push(await loadPluginDir(dir, options.conditions ?? ['import', 'node']));
    } catch (e) {
      broken.push({ packageName: dir, dir, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  const plugins: LoadedPlugin[] = [];
  for (const p of loaded) {
    try {
      registerPlugin(container, { ...p.plugin, version: p.version }, p.packageName);
      plugins.push(p);
    } catch (e) {
      broken.push({ packageName: p.packageName, dir: p.dir, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return { container, plugins, broken };
}
