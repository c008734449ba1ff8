import type { InjectionToken } from 'tsyringe';
import type { LinalgBackend } from '../linalg/backend.js';
import type { RngFactory } from '../random/rng.js';
import type { AnyFamily } from './family.js';
import type { RegisteredSolver } from './registry.js';

/** A clock in milliseconds; the bench injects a monotonic one, tests a fake. */
export interface Clock {
  now(): number;
}

/** The linear-algebra backend solvers receive as `ctx.linalg`. */
export const LinalgBackendToken: InjectionToken<LinalgBackend> = 'parsimony:LinalgBackend';
/** Makes seeded streams from a seed path (task, seed, solver). */
export const RngFactoryToken: InjectionToken<RngFactory> = 'parsimony:RngFactory';
/** The clock used for `ctx.now()`, deadlines and timings. */
export const ClockToken: InjectionToken<Clock> = 'parsimony:Clock';
/** Every registered family (resolveAll). */
export const FamilyToken: InjectionToken<AnyFamily> = 'parsimony:Family';

const solverTokens = new Map<string, InjectionToken<RegisteredSolver>>();

/** The injection token under which a family's solvers are registered (one per family). */
export function solversToken(familyId: string): InjectionToken<RegisteredSolver> {
  let t = solverTokens.get(familyId);
  if (!t) {
    t = `parsimony:Solvers:${familyId}`;
    solverTokens.set(familyId, t);
  }
  return t;
}
