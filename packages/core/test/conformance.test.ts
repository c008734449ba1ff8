import { Type } from '@sinclair/typebox';
import { describe, expect, test } from 'vitest';
import { defineSolver, sparseRecovery, type AnySolver, type Solver } from '../src/index.js';
import { conformanceChecks } from '../src/testing/index.js';

const params = Type.Object({ k: Type.Integer({ minimum: 1, default: 3 }) }, { additionalProperties: false });
const make = (id: string, solve: Solver<typeof sparseRecovery, typeof params>['solve']) => defineSolver({ id, family: sparseRecovery, title: 'T', params, solve });

/** Runs every check and returns the names of those that fail. */
async function failing(solver: AnySolver): Promise<string[]> {
  const out: string[] = [];
  for (const c of conformanceChecks(solver, { instance: { m: 16, n: 32, k: 2 }, invalidParams: [{ params: { k: 0 }, message: 'params.k' }] })) {
    try {
      await c.run();
    } catch {
      out.push(c.name);
    }
  }
  return out;
}

describe('the conformance kit catches what it promises to', () => {
  test('a conforming solver passes every check', async () => {
    const good = make('t/good', (obs, _p, ctx) => {
      ctx.signal.throwIfAborted();
      return { x: new Float64Array(obs.A.cols).map(() => ctx.rng.normal()) };
    });
    expect(await failing(good)).toEqual([]);
  });

  test('wrong shape, non-determinism, ignored abort and mutation are each caught', async () => {
    const wrongShape = make('t/shape', () => ({ x: new Float64Array(3) }));
    const random = make('t/random', (obs, _p, ctx) => {
      ctx.signal.throwIfAborted();
      return { x: new Float64Array(obs.A.cols).map(() => Math.random()) };
    });
    const mutates = make('t/mutates', (obs, _p, ctx) => {
      ctx.signal.throwIfAborted();
      obs.y[0] += 1;
      return { x: new Float64Array(obs.A.cols) };
    });
    expect(await failing(wrongShape)).toEqual(["solves the family's quick instance with a valid, finite solution", 'honours an aborted signal']);
    expect(await failing(random)).toEqual(['is deterministic for a fixed seed']);
    expect(await failing(mutates)).toEqual(['does not mutate its observation']);
  });

  test("a solver that skips the kit's instance is told to pass one it handles", async () => {
    const picky = defineSolver({ id: 't/picky', family: sparseRecovery, title: 'T', params, skip: () => 'not this variant', solve: () => ({ x: new Float64Array(32) }) });
    expect(await failing(picky)).toContain('applies to the instance the kit solves (its skip gives no reason)');
  });
});
