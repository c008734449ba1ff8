import {
  allFamilies,
  createRegistry,
  discoverPlugins,
  registerPlugin,
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

/**
 * Discovers installed plugins (see core's `discoverPlugins`) and registers
 * them. A plugin that cannot be registered (e.g. a duplicate solver id) is
 * moved to `broken`; the others stay.
 */
export async function loadRegistry(options: DiscoveryOptions = {}): Promise<LoadedRegistry> {
  const container = createRegistry(allFamilies);
  const { loaded, broken } = await discoverPlugins(options);
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
