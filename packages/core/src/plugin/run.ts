import 'reflect-metadata';
import { inject, injectable, type DependencyContainer } from 'tsyringe';
import type { LinalgBackend } from '../linalg/backend.js';
import type { Rng, RngFactory, SeedPart } from '../random/rng.js';
import { ClockToken, LinalgBackendToken, RngFactoryToken, type Clock } from './tokens.js';
import type { AnySolver, SolverContext, TracePoint } from './solver.js';
import { resolveParams, skipReason } from './solver.js';
import { assertValid, checkValid } from '../schema/validate.js';
import { ParsimonyError } from '../schema/errors.js';
import type { AnyFamily } from './family.js';

/** Options of one solve. */
export interface SolveOptions {
  /** Seed path of the solver's stream; the bench uses (suite, task, seed, solver). */
  readonly seed?: readonly SeedPart[];
  /** Cancels the solve (the solver polls it). */
  readonly signal?: AbortSignal;
  /** Time budget in ms; the signal aborts when it runs out. */
  readonly budgetMs?: number;
  /** Receives trace points as they are reported. */
  readonly onReport?: (point: TracePoint) => void;
  /**
   * Interactive families: where `ctx.interact` requests go — a session in
   * this process (`session.handle`), or a channel to the process that holds
   * the truth (the bench's workers).
   */
  readonly interact?: (method: string, args: readonly unknown[]) => unknown;
}

/** What a solve returns: the solver's solution (unscored) and its cost. */
export interface SolveResult {
  readonly solution: unknown;
  readonly timeMs: number;
  readonly trace: TracePoint[];
}

/**
 * Makes `signal` fire on time for synchronous solvers too: a budget timer
 * cannot run while a solver computes without yielding, so reading
 * `signal.aborted` or calling `signal.throwIfAborted()` also runs `check`
 * (which aborts past the deadline). The signal stays a genuine AbortSignal:
 * own-property accessors shadow the prototype's.
 */
export function checkDeadlineOnRead(signal: AbortSignal, check: () => void): void {
  const aborted = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted')!.get!;
  const throwIfAborted = AbortSignal.prototype.throwIfAborted;
  Object.defineProperty(signal, 'aborted', {
    configurable: true,
    get() {
      check();
      return aborted.call(signal);
    },
  });
  Object.defineProperty(signal, 'throwIfAborted', {
    configurable: true,
    value() {
      check();
      return throwIfAborted.call(signal);
    },
  });
}

/** Checks an observation against its family: schema, then cross-field checks. */
export function assertObservation(family: AnyFamily, observation: unknown): void {
  assertValid(family.schemas.observation, observation, 'observation', 'PARSIMONY_BAD_OBSERVATION');
  const problem = family.checkObservation?.(observation);
  if (problem) throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `${family.id}: ${problem.message}`, problem.field);
}

/**
 * Runs solvers: validates the observation and params, builds the
 * {@link SolverContext} from the injected RNG factory, clock and linalg
 * backend, and times the solve. It does not score: scoring needs the truth,
 * which never reaches this code path.
 */
@injectable()
export class SolveService {
  constructor(
    @inject(RngFactoryToken) private readonly rngFactory: RngFactory,
    @inject(ClockToken) private readonly clock: Clock,
    @inject(LinalgBackendToken) private readonly linalg: LinalgBackend,
  ) {}

  /**
   * The context a solver gets; exposed for workers that drive solvers
   * themselves. Call the solver through `run`: it arms the budget timer only
   * if the solver returns a promise (a synchronous solver cannot see a timer
   * fire; polling the signal checks the clock). `dispose` afterwards.
   */
  context(options: SolveOptions & { trace: TracePoint[] }): {
    ctx: SolverContext;
    run: <S extends AnySolver>(solver: S, observation: unknown, params: unknown) => Promise<unknown>;
    dispose: () => void;
  } {
    const controller = new AbortController();
    const onAbort = () => controller.abort(options.signal?.reason);
    if (options.signal) {
      if (options.signal.aborted) controller.abort(options.signal.reason);
      else options.signal.addEventListener('abort', onAbort, { once: true });
    }
    const start = this.clock.now();
    const deadline = options.budgetMs === undefined ? Infinity : start + options.budgetMs;
    const exhausted = () => new ParsimonyError('PARSIMONY_ABORTED', `time budget of ${options.budgetMs} ms exhausted`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (options.budgetMs !== undefined) {
      // The timer cannot fire inside a synchronous solver; polling the signal checks the clock.
      let fired = false;
      checkDeadlineOnRead(controller.signal, () => {
        if (!fired && this.clock.now() >= deadline) {
          fired = true; // set first: abort() reads the signal's state again
          controller.abort(exhausted());
        }
      });
    }
    // Made on first use: many solvers draw no random numbers.
    let rng: Rng | undefined;
    const rngFactory = this.rngFactory;
    const ctx: SolverContext = {
      get rng() {
        return (rng ??= rngFactory(...(options.seed ?? [0])));
      },
      signal: controller.signal,
      deadline,
      linalg: this.linalg,
      now: () => this.clock.now(),
      report: (point) => {
        options.trace.push(point);
        options.onReport?.(point);
      },
      interact: async (method, ...args) => {
        if (!options.interact) {
          throw new ParsimonyError('PARSIMONY_BAD_INPUT', `ctx.interact('${method}'): this instance is not interactive (no session was opened)`);
        }
        controller.signal.throwIfAborted();
        return options.interact(method, args);
      },
    };
    return {
      ctx,
      run: async (solver, observation, params) => {
        const out = solver.solve(observation as never, params as never, ctx);
        if (!isThenable(out)) return out;
        // An asynchronous solver may wait on the signal's abort event: a timer fires it at the deadline.
        if (options.budgetMs !== undefined && !controller.signal.aborted) timer = setTimeout(() => controller.abort(exhausted()), Math.max(0, deadline - this.clock.now()));
        return await out;
      },
      dispose: () => {
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      },
    };
  }

  /**
   * Solves one observation. Bad params or observation throw a ParsimonyError
   * naming the field; an observation the solver does not handle (its `skip`)
   * throws one with code `PARSIMONY_UNSUPPORTED`; the solution is returned as the solver made it (the
   * caller validates and scores it with the truth it holds).
   */
  async solve(solver: AnySolver, observation: unknown, rawParams: unknown = {}, options: SolveOptions = {}): Promise<SolveResult> {
    assertObservation(solver.family, observation);
    const params = resolveParams(solver, rawParams);
    const skipped = skipReason(solver, observation as never, params);
    if (skipped !== undefined) throw new ParsimonyError('PARSIMONY_UNSUPPORTED', `${solver.id} does not apply to this observation: ${skipped}`);
    const trace: TracePoint[] = [];
    const { run, dispose } = this.context({ ...options, trace });
    const t0 = this.clock.now();
    try {
      const solution = await run(solver, observation, params);
      return { solution, timeMs: this.clock.now() - t0, trace };
    } finally {
      dispose();
    }
  }
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return typeof (x as { then?: unknown } | null)?.then === 'function';
}

/** A SolveService resolved from a registry (child container). */
export function solveService(container: DependencyContainer): SolveService {
  return container.resolve(SolveService);
}

/** Validates a solution against its family's schema and checks; returns the problem or undefined. */
export function checkSolution(family: AnyFamily, observation: unknown, solution: unknown): { field: string; message: string } | undefined {
  return checkValid(family.schemas.solution, solution, 'solution') ?? family.checkSolution?.(observation, solution);
}
