import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import type { Rng } from '../random/rng.js';
import type { LinalgBackend } from '../linalg/backend.js';
import type { AnyFamily, ObservationOf, SolutionOf } from './family.js';
import { assertValid } from '../schema/validate.js';
import { ParsimonyError } from '../schema/errors.js';

/** One point of a convergence trace: an iteration number and any scalars. */
export interface TracePoint {
  readonly iteration: number;
  readonly [quantity: string]: number;
}

/**
 * What a solver gets besides the observation: seeded randomness, a way to
 * stop, the linear-algebra backend, and a sink for convergence traces. It
 * never carries the truth.
 */
export interface SolverContext {
  /** A stream derived from (suite, task, seed, solver): reproducible. */
  readonly rng: Rng;
  /** Aborted when the job is cancelled or its budget runs out. Poll it each iteration. */
  readonly signal: AbortSignal;
  /** Wall-clock deadline in ms since the epoch (`Infinity` when none). */
  readonly deadline: number;
  /** Kernels to use (the TypeScript backend unless another is registered). */
  readonly linalg: LinalgBackend;
  /** Milliseconds from the injected clock (monotonic in the bench). */
  now(): number;
  /** Records an iterate's scalars (objective, residual...) for convergence plots. */
  report(point: TracePoint): void;
  /**
   * Interactive families: sends a request to the instance's session (a
   * stream, an oracle, an environment) and resolves to its answer. Use the
   * family's typed client (e.g. `sparseTransformOracle(ctx)`) rather than
   * calling it directly. Rejects for non-interactive families.
   */
  interact(method: string, ...args: unknown[]): Promise<unknown>;
}

/** The JSON-Schema-typed parameters every solver declares (`additionalProperties: false`). */
export type ParamsSchema = TObject;

/** A solver of one family. Build it with {@link defineSolver}. */
export interface Solver<F extends AnyFamily = AnyFamily, P extends ParamsSchema = ParamsSchema> {
  /** `<plugin>/<method>`, kebab-case, e.g. `baselines/omp`. */
  readonly id: string;
  readonly family: F;
  /** Human title, e.g. `Orthogonal Matching Pursuit`. */
  readonly title: string;
  /** One sentence: the method and where it comes from. */
  readonly summary?: string;
  /** Parameter schema; defaults live in the schema. */
  readonly params: P;
  solve(observation: ObservationOf<F>, params: Static<P>, ctx: SolverContext): SolutionOf<F> | Promise<SolutionOf<F>>;
  /**
   * Why this solver does not apply to an observation (a variant of the
   * family it does not handle), or undefined when it does; like benchopt's
   * `skip`. A skipped job is not a failure: the bench records it as
   * `skipped` and the leaderboard leaves the solver out of that task. Only
   * for what the method cannot do, not for bad input (throw for that).
   *
   * @example
   * skip: (obs) => (obs.variant === 'network' ? 'prunes one layer from its calibration data; the network variant needs training' : undefined)
   */
  skip?(observation: ObservationOf<F>, params: Static<P>): string | undefined;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySolver = Solver<any, any>;

/** An empty parameter schema, for solvers without options. */
export const NoParams = Type.Object({}, { additionalProperties: false });

const SOLVER_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Declares a solver. Checks the id form and that the params schema is closed
 * (`additionalProperties: false`, so a typo in a parameter name is an error).
 */
export function defineSolver<F extends AnyFamily, P extends ParamsSchema>(solver: Solver<F, P>): Solver<F, P> {
  if (!SOLVER_ID.test(solver.id)) {
    throw new ParsimonyError('PARSIMONY_BAD_MANIFEST', `solver id '${solver.id}' must look like '<plugin>/<method>' in kebab-case, e.g. 'baselines/omp'`, 'solver.id');
  }
  if ((solver.params as TSchema).additionalProperties !== false) {
    throw new ParsimonyError('PARSIMONY_BAD_MANIFEST', `solver '${solver.id}': its params schema must set additionalProperties: false`, 'solver.params');
  }
  return solver;
}

/**
 * Why `solver` does not apply to `observation` (its `skip`), or undefined.
 * A `skip` that throws is a bug in the solver: the error propagates.
 */
export function skipReason<F extends AnyFamily, P extends ParamsSchema>(solver: Solver<F, P>, observation: ObservationOf<F>, params: Static<P>): string | undefined {
  const reason = solver.skip?.(observation, params);
  return reason === undefined || reason === '' ? undefined : String(reason);
}

/**
 * Validates user parameters for a solver, filling schema defaults. Throws a
 * ParsimonyError naming the parameter, e.g. `baselines/omp: params.k must be >= 1 (got 0)`.
 */
export function resolveParams<P extends ParamsSchema>(solver: Solver<AnyFamily, P>, raw: unknown = {}): Static<P> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${solver.id}: params must be a JSON object (got ${Array.isArray(raw) ? 'an array' : String(raw)})`, 'params');
  }
  const copy = structuredClone(raw);
  try {
    return assertValid(solver.params, copy, 'params', 'PARSIMONY_BAD_PARAMS');
  } catch (e) {
    if (e instanceof ParsimonyError) throw new ParsimonyError(e.code, `${solver.id}: ${e.message}`, e.field);
    throw e;
  }
}
