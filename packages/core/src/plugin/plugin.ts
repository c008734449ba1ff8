import { Type, type Static } from '@sinclair/typebox';
import { ClaimSchema, type Claim } from './claims.js';
import type { AnySolver } from './solver.js';
import { checkValid } from '../schema/validate.js';
import { ParsimonyError } from '../schema/errors.js';

/** The paper a plugin implements. */
export const PaperSchema = Type.Object(
  {
    title: Type.String({ minLength: 1 }),
    date: Type.String({ pattern: '^\\d{4}(-\\d{2}(-\\d{2})?)?$', description: 'YYYY, YYYY-MM or YYYY-MM-DD' }),
    url: Type.Optional(Type.String({ pattern: '^https?://' })),
    authors: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
);
export type Paper = Static<typeof PaperSchema>;

/** The serializable part of a plugin, validated when a plugin is defined or loaded. */
export const ManifestSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', description: 'kebab-case slug; solver ids start with it' }),
    version: Type.Optional(Type.String()),
    paper: Type.Optional(PaperSchema),
    solvers: Type.Array(
      Type.Object({ id: Type.String(), title: Type.String({ minLength: 1 }), family: Type.String() }),
      { description: 'at least one solver' },
    ),
    claims: Type.Array(ClaimSchema),
  },
  { additionalProperties: false },
);
export type Manifest = Static<typeof ManifestSchema>;

/** A plugin: a named set of solvers, the paper they come from, and its claims as data. */
export interface Plugin {
  readonly name: string;
  readonly version?: string;
  readonly paper?: Paper;
  readonly solvers: readonly AnySolver[];
  readonly claims: readonly Claim[];
}

/** The manifest (data only) of a plugin. */
export function manifestOf(plugin: Plugin): Manifest {
  return {
    name: plugin.name,
    ...(plugin.version !== undefined && { version: plugin.version }),
    ...(plugin.paper !== undefined && { paper: plugin.paper }),
    solvers: plugin.solvers.map((s) => ({ id: s.id, title: s.title, family: s.family?.id })),
    claims: [...plugin.claims],
  };
}

/**
 * Checks a plugin: manifest schema, solver ids under the plugin's name and
 * unique, claims naming solvers that exist. `where` names the package in errors.
 */
export function validatePlugin(plugin: unknown, where = 'plugin'): Plugin {
  if (typeof plugin !== 'object' || plugin === null) {
    throw new ParsimonyError('PARSIMONY_BAD_MANIFEST', `${where}: the default export must be a plugin object from definePlugin(), got ${plugin === null ? 'null' : typeof plugin}`);
  }
  const p = plugin as Plugin;
  if (!Array.isArray(p.solvers) || p.solvers.some((s) => typeof s?.solve !== 'function' || typeof s.family?.id !== 'string')) {
    throw new ParsimonyError('PARSIMONY_BAD_MANIFEST', `${where}: plugin.solvers must be an array of solvers from defineSolver() (each with a family and a solve function)`, 'plugin.solvers');
  }
  const problem = checkValid(ManifestSchema, manifestOf({ ...p, claims: p.claims ?? [] }), 'plugin');
  if (problem) throw new ParsimonyError('PARSIMONY_BAD_MANIFEST', `${where}: ${problem.message}`, problem.field);
  const ids = new Set<string>();
  for (const s of p.solvers) {
    if (!s.id.startsWith(`${p.name}/`)) {
      throw new ParsimonyError('PARSIMONY_BAD_MANIFEST', `${where}: solver id '${s.id}' must start with the plugin name '${p.name}/'`, 'plugin.solvers');
    }
    if (ids.has(s.id)) throw new ParsimonyError('PARSIMONY_DUPLICATE_SOLVER', `${where}: solver id '${s.id}' appears twice in the plugin`, 'plugin.solvers');
    ids.add(s.id);
  }
  for (const c of p.claims ?? []) {
    if (!ids.has(c.solver)) {
      throw new ParsimonyError('PARSIMONY_BAD_MANIFEST', `${where}: claim '${c.id}' names solver '${c.solver}', which the plugin does not define`, 'plugin.claims');
    }
    if (c.ratio !== undefined && (c.versus === undefined || c.margin !== undefined)) {
      throw new ParsimonyError('PARSIMONY_BAD_MANIFEST', `${where}: claim '${c.id}' uses 'ratio', which needs 'versus' and excludes 'margin'`, 'plugin.claims');
    }
    if ((c.versus === undefined) === (c.value === undefined)) {
      throw new ParsimonyError('PARSIMONY_BAD_MANIFEST', `${where}: claim '${c.id}' needs exactly one of 'versus' (a baseline solver) or 'value' (an absolute level)`, 'plugin.claims');
    }
  }
  return { ...p, claims: p.claims ?? [] };
}

/**
 * Declares a plugin (the default export of a plugin package), validated now
 * so a mistake shows when the package is imported, not deep in a run.
 *
 * @example
 * export default definePlugin({ name: 'baselines', solvers: [ompSolver], claims: [] });
 */
export function definePlugin(plugin: Omit<Plugin, 'claims'> & { claims?: readonly Claim[] }): Plugin {
  return validatePlugin(plugin, `plugin '${plugin.name}'`);
}
