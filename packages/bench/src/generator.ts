/**
 * The instance generator thread (run by tinypool from dist/generator.js).
 * It belongs to the parent's side of the isolation boundary: it runs only
 * the families' seeded generators (core code), never a solver, and hands
 * the observation *and the truth* back to the parent, which keeps the truth
 * and sends solvers the observation alone. Generating here keeps the
 * parent's thread free to dispatch jobs and lets instances be made ahead of
 * time, on another core, while the solver workers run.
 */
import { Tinypool, markMovable } from 'tinypool';
import { ParsimonyError, assertObservation, familyById, generateInstance, precompile, type SeedPart } from '@parsimony/core';
import { loadRegistry, type LoadedRegistry } from './registry.js';
import { buffersOf, instanceHash } from './instances.js';

/** What the generator thread needs to find the families (plugins may register some). */
export interface GeneratorSetup {
  readonly cwd: string;
  readonly pluginDirs: readonly string[];
  /** The run's families: their params and observation validators are compiled before the first instance. */
  readonly families?: readonly string[];
}

/** One instance to generate. */
export interface GenerateRequest {
  readonly family: string;
  readonly params: unknown;
  readonly seed: readonly SeedPart[];
}

/** A generated instance, checked against its family, with its fingerprint. */
export interface GeneratedInstance {
  readonly observation: unknown;
  readonly truth: unknown;
  readonly hash: string;
  readonly generateMs: number;
}

const setup = (Tinypool.workerData ?? { cwd: process.cwd(), pluginDirs: [] }) as GeneratorSetup;
let registry: Promise<LoadedRegistry> | undefined;

/** A ParsimonyError, as data (an Error crossing threads loses its code and field). */
export interface GenerateFailure {
  readonly failed: { readonly message: string; readonly code: string; readonly field?: string };
}

/**
 * Generates one instance; the default export is tinypool's handler. A
 * ParsimonyError (bad generator params, an invalid observation) comes back
 * as {@link GenerateFailure}; anything else as a rejection.
 */
export default async function generate(req: GenerateRequest | { ping: true }): Promise<unknown> {
  registry ??= loadRegistry({ cwd: setup.cwd, pluginDirs: [...setup.pluginDirs] }).then((reg) => {
    for (const id of setup.families ?? []) {
      try {
        const family = familyById(reg.container, id);
        precompile(family.schemas.params);
        precompile(family.schemas.observation);
      } catch {
        /* an unknown family: its instances report that */
      }
    }
    return reg;
  });
  const { container } = await registry;
  if ('ping' in req) return { pong: true }; // warm-up: the registry is loaded
  let observation: unknown, truth: unknown, generateMs: number;
  try {
    const family = familyById(container, req.family);
    const t0 = performance.now();
    ({ observation, truth } = generateInstance(family, req.params, req.seed));
    // Checked once here rather than in every job's worker: a generator bug stops the run with the family's message.
    assertObservation(family, observation);
    generateMs = performance.now() - t0;
  } catch (e) {
    if (e instanceof ParsimonyError) return { failed: { message: e.message, code: e.code, ...(e.field !== undefined && { field: e.field }) } } satisfies GenerateFailure;
    throw e;
  }
  const value: GeneratedInstance = { observation, truth, hash: instanceHash(observation, truth), generateMs };
  const transfer = [...buffersOf(value)];
  if (transfer.length === 0) return value;
  // Moved, not copied: the buffers are the parent's from now on.
  const wrapper = { [Tinypool.transferableSymbol]: transfer, [Tinypool.valueSymbol]: value };
  markMovable(wrapper);
  return wrapper;
}
