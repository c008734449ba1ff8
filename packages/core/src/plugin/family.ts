import type { Static, TSchema } from '@sinclair/typebox';
import type { Rng } from '../random/rng.js';
import { checkValid } from '../schema/validate.js';

/** One metric a family reports for every solution. */
export interface MetricSpec {
  /** snake_case id, e.g. `nmse_db`. */
  readonly id: string;
  /** Human label for tables, e.g. `NMSE`. */
  readonly label: string;
  /** Whether smaller or larger is better. */
  readonly direction: 'min' | 'max';
  /** The metric the leaderboard ranks by; exactly one per family. */
  readonly primary?: boolean;
  /** Unit shown next to values, e.g. `dB`. */
  readonly unit?: string;
  /** One sentence with the formula. */
  readonly description?: string;
}

/** Named generator presets: `quick` (CI), `default` (leaderboard), a `scale` ladder. */
export interface FamilyPresets<P> {
  readonly quick: Partial<P>;
  readonly default: Partial<P>;
  readonly scale: readonly Partial<P>[];
}

/**
 * The parent-side half of an interactive instance (streams, oracles,
 * environments). It lives where the truth lives — the bench's parent
 * process — and answers the solver's requests; the solver reaches it only
 * through `ctx.interact`, so hidden state is not reachable through any
 * property, and what it counts (samples, pulls, rows) is counted here.
 */
export interface InteractionSession {
  /** Answers one request; throws a ParsimonyError naming the bad argument. */
  handle(method: string, args: readonly unknown[]): unknown;
  /** Counted quantities so far (e.g. `{ samples: 4096 }`), passed to `score`. */
  usage(): Record<string, number>;
}

/** Opens sessions on instances of an interactive family. */
export interface Interaction<O, T> {
  /** The request methods the session answers (for error messages and docs). */
  readonly methods: readonly string[];
  open(observation: O, truth: T): InteractionSession;
}

/** An instance: what the solver sees and what only the scorer sees. */
export interface Instance<O, T> {
  readonly observation: O;
  readonly truth: T;
}

/**
 * A problem family: a seeded generator, the schemas of its params,
 * observation, truth and solution (TypeBox: one definition gives the TS type
 * and the JSON Schema), and its scoring. Scoring lives here and only here.
 */
export interface Family<
  P extends TSchema = TSchema,
  O extends TSchema = TSchema,
  T extends TSchema = TSchema,
  S extends TSchema = TSchema,
> {
  /** kebab-case id, e.g. `sparse-recovery`. */
  readonly id: string;
  readonly title: string;
  /** One sentence: what is recovered from what. */
  readonly summary: string;
  readonly schemas: { readonly params: P; readonly observation: O; readonly truth: T; readonly solution: S };
  readonly metrics: readonly MetricSpec[];
  readonly presets: FamilyPresets<Static<P>>;
  /** Draws an instance; all randomness comes from `rng`. */
  generate(params: Static<P>, rng: Rng): Instance<Static<O>, Static<T>>;
  /** Cross-field checks the schema cannot express (e.g. `y` has as many entries as `A` has rows). */
  checkObservation?(observation: Static<O>): { field: string; message: string } | undefined;
  /** Shape and hard-constraint checks of a schema-valid solution against its observation. */
  checkSolution?(observation: Static<O>, solution: Static<S>): { field: string; message: string } | undefined;
  /**
   * The simplest valid answer (zeros, the mean, an identity): the floor every
   * solver must beat, and what scaffolded solvers return until they are written.
   */
  trivialSolution?(observation: Static<O>): Static<S>;
  /**
   * Interactive families only: the session that serves `ctx.interact`
   * requests (streams, queries, pulls) from the hidden state.
   */
  readonly interaction?: Interaction<Static<O>, Static<T>>;
  /**
   * Metrics of a valid solution. `usage` holds what the interaction session
   * counted (interactive families). Must not mutate its arguments.
   */
  score(observation: Static<O>, truth: Static<T>, solution: Static<S>, usage?: Record<string, number>): Record<string, number>;
}

/** Any family, for registries and tooling. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFamily = Family<any, any, any, any>;

export type ParamsOf<F> = F extends Family<infer P, TSchema, TSchema, TSchema> ? Static<P> : never;
export type ObservationOf<F> = F extends Family<TSchema, infer O, TSchema, TSchema> ? Static<O> : never;
export type TruthOf<F> = F extends Family<TSchema, TSchema, infer T, TSchema> ? Static<T> : never;
export type SolutionOf<F> = F extends Family<TSchema, TSchema, TSchema, infer S> ? Static<S> : never;

/** Declares a family; checks that exactly one metric is primary. */
export function defineFamily<P extends TSchema, O extends TSchema, T extends TSchema, S extends TSchema>(
  family: Family<P, O, T, S>,
): Family<P, O, T, S> {
  const primaries = family.metrics.filter((m) => m.primary);
  if (primaries.length !== 1) {
    throw new Error(`family '${family.id}' must mark exactly one metric primary, found ${primaries.length}`);
  }
  return family;
}

/** The primary metric of a family. */
export function primaryMetric(family: AnyFamily): MetricSpec {
  return family.metrics.find((m) => m.primary)!;
}

/** The outcome of scoring: metrics, or why the solution was not scored. */
export type ScoreOutcome =
  | { readonly status: 'ok'; readonly metrics: Record<string, number> }
  | { readonly status: 'invalid'; readonly reason: string; readonly field?: string };

/**
 * Validates a solution (schema: shape, finite values; then the family's own
 * checks) and scores it. Anything invalid is reported, never scored; a metric
 * that comes out non-finite is an error in the family, reported as such.
 */
export function scoreSolution(
  family: AnyFamily,
  observation: unknown,
  truth: unknown,
  solution: unknown,
  usage?: Record<string, number>,
): ScoreOutcome {
  const problem = checkValid(family.schemas.solution, solution, 'solution');
  if (problem) return { status: 'invalid', reason: problem.message, field: problem.field };
  const hard = family.checkSolution?.(observation, solution);
  if (hard) return { status: 'invalid', reason: hard.message, field: hard.field };
  const metrics = family.score(observation, truth, solution, usage);
  for (const m of family.metrics) {
    const v = metrics[m.id];
    if (v === undefined) throw new Error(`family '${family.id}' did not report metric '${m.id}'`);
    if (!Number.isFinite(v)) throw new Error(`family '${family.id}' computed a non-finite ${m.id} (${v})`);
  }
  return { status: 'ok', metrics };
}
