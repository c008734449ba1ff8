import { describe, expect, test } from 'vitest';
import { createRegistry } from '../plugin/registry.js';
import { solveService } from '../plugin/run.js';
import { resolveParams, skipReason, type AnySolver } from '../plugin/solver.js';
import { scoreSolution } from '../plugin/family.js';
import { allFamilies, generateInstance } from '../families/index.js';
import { ParsimonyError } from '../schema/errors.js';
import { toJsonText } from '../io/json.js';

/** Options of {@link describeSolverConformance}. */
export interface ConformanceOptions {
  /** Solver params used for the runs (default `{}`: the schema defaults). */
  readonly params?: Record<string, unknown>;
  /** Generator params of the instance (default: the family's `quick` preset). */
  readonly instance?: Record<string, unknown>;
  /** Params the solver must reject, each with a fragment of the expected message. */
  readonly invalidParams?: readonly { readonly params: Record<string, unknown>; readonly message: string | RegExp }[];
  /** Per-test timeout in ms (default 30 000). */
  readonly timeoutMs?: number;
}

const hint = (s: string) => `\n  How to fix: ${s}`;

/**
 * The conformance kit every solver passes, like `benchopt test` or ESLint's
 * RuleTester. Registers a vitest `describe` block that checks: the id and
 * params schema; defaults validate; on the family's quick instance the
 * solution is schema-valid and finite and scores; the same seed gives the
 * same bits; an aborted signal is honoured; bad params are rejected with a
 * message naming the field; the observation is not mutated.
 *
 * @example
 * import { describeSolverConformance } from '@parsimony/core/testing';
 * describeSolverConformance(ompSolver, { invalidParams: [{ params: { k: 0 }, message: 'params.k' }] });
 */
export function describeSolverConformance(solver: AnySolver, options: ConformanceOptions = {}): void {
  const timeout = options.timeoutMs ?? 30_000;
  describe(`${solver.id} conformance`, () => {
    for (const check of conformanceChecks(solver, options)) test(check.name, check.run, timeout);
  });
}

/** One conformance check: a name and a function that throws (with a how-to-fix hint) on failure. */
export interface ConformanceCheck {
  readonly name: string;
  run(): Promise<void>;
}

/** The checks behind {@link describeSolverConformance}, for use outside a describe block. */
export function conformanceChecks(solver: AnySolver, options: ConformanceOptions = {}): ConformanceCheck[] {
  const family = solver.family;
  const registry = createRegistry(allFamilies.some((f) => f.id === family.id) ? allFamilies : [...allFamilies, family]);
  const service = solveService(registry);
  const instance = () => generateInstance(family, options.instance ?? family.presets.quick, ['conformance', family.id]);
  const params = options.params ?? {};
  // Interactive families: a session on the same instance answers ctx.interact.
  const interactive = (inst: { observation: unknown; truth: unknown }) => {
    const session = family.interaction?.open(inst.observation, inst.truth);
    return { session, interact: session && ((m: string, a: readonly unknown[]) => session.handle(m, a)) };
  };

  return [
    check('declares a namespaced id, a title and default params that validate', () => {
      expect(solver.id, hint("use '<plugin>/<method>' in kebab-case")).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+$/);
      expect(solver.title.length, hint('give the solver a human title')).toBeGreaterThan(0);
      expect(() => resolveParams(solver, params), hint('put every default in the params schema')).not.toThrow();
    }),

    check('applies to the instance the kit solves (its skip gives no reason)', () => {
      const reason = skipReason(solver, instance().observation as never, resolveParams(solver, params));
      expect(reason, hint(`it skips the kit's instance; pass options.instance with generator params of a variant it handles`)).toBeUndefined();
    }),

    check(
      "solves the family's quick instance with a valid, finite solution",
      async () => {
        const { observation, truth } = instance();
        const { session, interact } = interactive({ observation, truth });
        const { solution } = await service.solve(solver, observation, params, { seed: ['conformance', solver.id], interact });
        const outcome = scoreSolution(family, observation, truth, solution, session?.usage());
        expect(outcome, hint(`return a solution matching ${family.id}'s solution schema (right lengths, finite numbers)`)).toMatchObject({ status: 'ok' });
      },
    ),

    check(
      'is deterministic for a fixed seed',
      async () => {
        const inst = instance();
        const a = await service.solve(solver, inst.observation, params, { seed: ['conformance', 1], interact: interactive(inst).interact });
        const b = await service.solve(solver, inst.observation, params, { seed: ['conformance', 1], interact: interactive(inst).interact });
        expect(toJsonText(b.solution) === toJsonText(a.solution), hint('take all randomness from ctx.rng, never Math.random or the clock')).toBe(true);
      },
    ),

    check(
      'honours an aborted signal',
      async () => {
        const inst = instance();
        const ac = new AbortController();
        ac.abort(new ParsimonyError('PARSIMONY_ABORTED', 'aborted by the conformance kit'));
        await expect(service.solve(solver, inst.observation, params, { signal: ac.signal, interact: interactive(inst).interact }), hint('call ctx.signal.throwIfAborted() at the start and in every iteration')).rejects.toThrow();
      },
    ),

    check('rejects unknown and invalid params with a message naming the field', () => {
      expect(() => resolveParams(solver, { ...params, notAParameter: 1 }), hint('set additionalProperties: false on the params schema')).toThrow(/params has an unknown field 'notAParameter'/);
      for (const { params: bad, message } of options.invalidParams ?? []) {
        expect(() => resolveParams(solver, bad), hint(`constrain the schema so ${JSON.stringify(bad)} is refused`)).toThrow(message);
      }
    }),

    check(
      'does not mutate its observation',
      async () => {
        const inst = instance();
        const { observation } = inst;
        const before = toJsonText(observation);
        await service.solve(solver, observation, params, { seed: ['conformance', 2], interact: interactive(inst).interact });
        expect(toJsonText(observation) === before, hint('copy arrays before modifying them (e.g. y.slice())')).toBe(true);
      },
    ),
  ];
}

function check(name: string, run: () => void | Promise<void>): ConformanceCheck {
  return { name, run: async () => run() };
}
