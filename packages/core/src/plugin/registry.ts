import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import type { AnyFamily } from './family.js';
import type { AnySolver } from './solver.js';
import { validatePlugin, type Plugin } from './plugin.js';
import { ClockToken, FamilyToken, LinalgBackendToken, RngFactoryToken, solversToken } from './tokens.js';
import { typescriptBackend } from '../linalg/backend.js';
import { createRng } from '../random/rng.js';
import { ParsimonyError } from '../schema/errors.js';

/** Where a registered solver came from. */
export interface SolverOrigin {
  readonly plugin: string;
  readonly packageName: string;
  readonly version?: string;
}

/** A solver as registered: the solver and the plugin/package that brought it. */
export interface RegisteredSolver {
  readonly solver: AnySolver;
  readonly origin: SolverOrigin;
}

/** A registered plugin with the package it came from. */
export interface RegisteredPlugin {
  readonly plugin: Plugin;
  readonly packageName: string;
}

const IndexToken = 'parsimony:SolverIndex';

interface SolverIndex {
  readonly byId: Map<string, RegisteredSolver>;
  readonly plugins: RegisteredPlugin[];
}

function indexOf(container: DependencyContainer): SolverIndex {
  if (!container.isRegistered(IndexToken, false)) {
    container.registerInstance<SolverIndex>(IndexToken, { byId: new Map(), plugins: [] });
  }
  return container.resolve<SolverIndex>(IndexToken);
}

/**
 * A registry: a tsyringe child container with the default services (the
 * TypeScript linalg backend, the xoshiro256** RNG factory, a performance
 * clock) and the given families. Override any token on it to swap a service.
 */
export function createRegistry(families: readonly AnyFamily[], parent: DependencyContainer = rootContainer): DependencyContainer {
  const c = parent.createChildContainer();
  c.registerInstance(LinalgBackendToken, typescriptBackend);
  c.registerInstance(RngFactoryToken, createRng);
  c.registerInstance(ClockToken, { now: () => performance.timeOrigin + performance.now() });
  for (const f of families) registerFamily(c, f);
  indexOf(c);
  return c;
}

/** Adds a family to a registry. */
export function registerFamily(container: DependencyContainer, family: AnyFamily): void {
  if (familiesIn(container).some((f) => f.id === family.id)) {
    throw new ParsimonyError('PARSIMONY_BAD_MANIFEST', `family '${family.id}' is registered twice`);
  }
  container.register(FamilyToken, { useValue: family });
}

/** The registered families, in registration order. */
export function familiesIn(container: DependencyContainer): AnyFamily[] {
  return container.isRegistered(FamilyToken, true) ? container.resolveAll(FamilyToken) : [];
}

/** The family with this id, or a ParsimonyError listing the known ones. */
export function familyById(container: DependencyContainer, id: string): AnyFamily {
  const all = familiesIn(container);
  const f = all.find((x) => x.id === id);
  if (!f) {
    throw new ParsimonyError('PARSIMONY_UNKNOWN_FAMILY', `unknown family '${id}'; known families: ${all.map((x) => x.id).join(', ') || '(none)'}`, 'family');
  }
  return f;
}

/**
 * Registers a plugin's solvers under their families' tokens. A duplicate
 * solver id is an error naming both packages; a solver whose family the
 * registry does not know is an error naming the family.
 */
export function registerPlugin(container: DependencyContainer, plugin: Plugin, packageName = `plugin '${plugin.name}'`): void {
  const p = validatePlugin(plugin, packageName);
  const index = indexOf(container);
  const known = new Set(familiesIn(container).map((f) => f.id));
  for (const s of p.solvers) {
    const prior = index.byId.get(s.id);
    if (prior) {
      throw new ParsimonyError(
        'PARSIMONY_DUPLICATE_SOLVER',
        `solver id '${s.id}' is registered by both ${prior.origin.packageName} and ${packageName}; rename one (ids are '<plugin>/<method>')`,
        'solver.id',
      );
    }
    if (!known.has(s.family.id)) {
      throw new ParsimonyError('PARSIMONY_UNKNOWN_FAMILY', `${packageName}: solver '${s.id}' targets family '${s.family.id}', which is not registered; known: ${[...known].join(', ')}`, 'solver.family');
    }
  }
  const origin: SolverOrigin = { plugin: p.name, packageName, ...(p.version !== undefined && { version: p.version }) };
  for (const s of p.solvers) {
    const entry: RegisteredSolver = { solver: s, origin };
    index.byId.set(s.id, entry);
    container.register(solversToken(s.family.id), { useValue: entry });
  }
  index.plugins.push({ plugin: p, packageName });
}

/** The solvers registered for a family (resolveAll on its token). */
export function solversFor(container: DependencyContainer, familyId: string): RegisteredSolver[] {
  const t = solversToken(familyId);
  return container.isRegistered(t, true) ? container.resolveAll(t) : [];
}

/** Every registered solver, by family then registration order. */
export function allSolvers(container: DependencyContainer): RegisteredSolver[] {
  return familiesIn(container).flatMap((f) => solversFor(container, f.id));
}

/** The registered plugins. */
export function pluginsIn(container: DependencyContainer): RegisteredPlugin[] {
  return [...indexOf(container).plugins];
}

/** The solver with this id, or a ParsimonyError with the closest known ids. */
export function solverById(container: DependencyContainer, id: string): RegisteredSolver {
  const found = indexOf(container).byId.get(id);
  if (found) return found;
  const ids = [...indexOf(container).byId.keys()];
  const near = ids.filter((x) => x.endsWith(`/${id.split('/').pop()}`) || x.startsWith(id.split('/')[0] + '/')).slice(0, 5);
  throw new ParsimonyError(
    'PARSIMONY_UNKNOWN_SOLVER',
    `unknown solver '${id}'` + (near.length ? `; did you mean ${near.join(', ')}?` : `; run 'parsimony list' to see the ${ids.length} registered solvers`),
    'solver',
  );
}
