import { Type } from '@sinclair/typebox';
import { describe, expect, test } from 'vitest';
import {
  ParsimonyError,
  allFamilies,
  createRegistry,
  defineFamily,
  definePlugin,
  defineSolver,
  evaluateClaim,
  generateInstance,
  registerPlugin,
  resolveParams,
  scoreSolution,
  skipReason,
  solveService,
  solverById,
  solversFor,
  sparseRecovery,
  ClockToken,
  createRng,
  LinalgBackendToken,
  typescriptBackend,
  type Claim,
} from '../src/index.js';

const zeroSolver = (id: string) =>
  defineSolver({
    id,
    family: sparseRecovery,
    title: 'Zeros',
    params: Type.Object({ scale: Type.Number({ minimum: 0, default: 1 }) }, { additionalProperties: false }),
    solve: (obs) => ({ x: new Float64Array(obs.A.cols) }),
  });

describe('defineSolver', () => {
  test('rejects ids that are not <plugin>/<method>', () => {
    expect(() => zeroSolver('Zero')).toThrow("solver id 'Zero' must look like '<plugin>/<method>'");
  });

  test('rejects an open params schema', () => {
    expect(() =>
      defineSolver({ id: 'a/b', family: sparseRecovery, title: 'B', params: Type.Object({}), solve: (o) => ({ x: new Float64Array(o.A.cols) }) }),
    ).toThrow('additionalProperties: false');
  });

  test('resolveParams fills defaults and names a bad parameter', () => {
    const s = zeroSolver('t/zero');
    expect(resolveParams(s, {})).toEqual({ scale: 1 });
    expect(() => resolveParams(s, { scale: -1 })).toThrow('t/zero: params.scale must be >= 0 (got -1)');
    expect(() => resolveParams(s, { scael: 1 })).toThrow("t/zero: params has an unknown field 'scael'; allowed fields: scale");
    expect(() => resolveParams(s, [1])).toThrow('params must be a JSON object');
  });
});

describe('definePlugin validates the manifest', () => {
  test('a solver id outside the plugin namespace', () => {
    expect(() => definePlugin({ name: 'mine', solvers: [zeroSolver('other/zero')] })).toThrow("solver id 'other/zero' must start with the plugin name 'mine/'");
  });

  test('a bad plugin name names the field', () => {
    const e = (() => {
      try {
        definePlugin({ name: 'Bad Name', solvers: [] });
      } catch (err) {
        return err as ParsimonyError;
      }
    })();
    expect(e?.code).toBe('PARSIMONY_BAD_MANIFEST');
    expect(e?.message).toContain('plugin.name must match pattern');
  });

  test('a bad paper date', () => {
    expect(() => definePlugin({ name: 'p', paper: { title: 'T', date: 'May 2024' }, solvers: [zeroSolver('p/zero')] })).toThrow('plugin.paper.date must match pattern');
  });

  test('a claim naming an unknown solver', () => {
    const claim: Claim = { id: 'c', statement: 's', task: 'sparse-recovery/quick', metric: 'nmse_db', solver: 'p/nope', value: -20 };
    expect(() => definePlugin({ name: 'p', solvers: [zeroSolver('p/zero')], claims: [claim] })).toThrow("claim 'c' names solver 'p/nope'");
  });

  test('a claim with neither versus nor value', () => {
    const claim: Claim = { id: 'c', statement: 's', task: 't', metric: 'nmse_db', solver: 'p/zero' };
    expect(() => definePlugin({ name: 'p', solvers: [zeroSolver('p/zero')], claims: [claim] })).toThrow("needs exactly one of 'versus'");
  });
});

describe('registry (tsyringe)', () => {
  test('solvers are resolved per family token', () => {
    const c = createRegistry(allFamilies);
    registerPlugin(c, definePlugin({ name: 'a', solvers: [zeroSolver('a/zero')] }), '@x/plugin-a');
    expect(solversFor(c, 'sparse-recovery').map((r) => r.solver.id)).toEqual(['a/zero']);
    expect(solverById(c, 'a/zero').origin.packageName).toBe('@x/plugin-a');
  });

  test('a duplicate solver id is an error naming both packages', () => {
    const c = createRegistry(allFamilies);
    registerPlugin(c, definePlugin({ name: 'a', solvers: [zeroSolver('a/zero')] }), '@x/plugin-a');
    const dup = { ...definePlugin({ name: 'a', solvers: [zeroSolver('a/zero')] }) };
    expect(() => registerPlugin(c, dup, '@y/plugin-a-fork')).toThrow(
      "solver id 'a/zero' is registered by both @x/plugin-a and @y/plugin-a-fork",
    );
  });

  test('a solver of an unregistered family is refused', () => {
    const other = defineFamily({ ...sparseRecovery, id: 'other-family' });
    const s = defineSolver({ id: 'a/x', family: other, title: 'X', params: Type.Object({}, { additionalProperties: false }), solve: () => ({ x: new Float64Array(0) }) });
    const c = createRegistry(allFamilies);
    expect(() => registerPlugin(c, definePlugin({ name: 'a', solvers: [s] }), 'pkg')).toThrow("targets family 'other-family', which is not registered");
  });

  test('an unknown solver id suggests close ids', () => {
    const c = createRegistry(allFamilies);
    registerPlugin(c, definePlugin({ name: 'a', solvers: [zeroSolver('a/zero')] }), 'pkg');
    expect(() => solverById(c, 'a/zer')).toThrow("unknown solver 'a/zer'; did you mean a/zero?");
  });

  test('registries are isolated: registering in one does not leak into another', () => {
    const c1 = createRegistry(allFamilies);
    const c2 = createRegistry(allFamilies);
    registerPlugin(c1, definePlugin({ name: 'a', solvers: [zeroSolver('a/zero')] }), 'pkg');
    expect(solversFor(c2, 'sparse-recovery')).toEqual([]);
  });

  test('the clock and the linalg backend are injected into the solver context', async () => {
    const c = createRegistry(allFamilies);
    let t = 1000;
    c.registerInstance(ClockToken, { now: () => (t += 5) });
    const spy = { ...typescriptBackend, name: 'spy' };
    c.registerInstance(LinalgBackendToken, spy);
    let seen = '';
    const s = defineSolver({
      id: 'a/probe',
      family: sparseRecovery,
      title: 'Probe',
      params: Type.Object({}, { additionalProperties: false }),
      solve: (obs, _p, ctx) => {
        seen = ctx.linalg.name;
        ctx.report({ iteration: 1, residual: 0.5 });
        return { x: new Float64Array(obs.A.cols) };
      },
    });
    const { observation } = generateInstance(sparseRecovery, { m: 8, n: 16, k: 2 }, [1]);
    const r = await solveService(c).solve(s, observation);
    expect(seen).toBe('spy');
    expect(r.timeMs).toBe(5);
    expect(r.trace).toEqual([{ iteration: 1, residual: 0.5 }]);
  });

  test('a solve observes its abort signal and its time budget', async () => {
    const c = createRegistry(allFamilies);
    const s = defineSolver({
      id: 'a/slow',
      family: sparseRecovery,
      title: 'Slow',
      params: Type.Object({}, { additionalProperties: false }),
      solve: async (_obs, _p, ctx) => {
        for (;;) {
          ctx.signal.throwIfAborted();
          await new Promise((r) => setTimeout(r, 5));
        }
      },
    });
    const { observation } = generateInstance(sparseRecovery, { m: 8, n: 16, k: 2 }, [1]);
    await expect(solveService(c).solve(s, observation, {}, { budgetMs: 30 })).rejects.toThrow('time budget of 30 ms exhausted');
  });

  test("an asynchronous solver that only waits for the signal's abort event is stopped at the budget (a timer fires it)", async () => {
    const c = createRegistry(allFamilies);
    const s = defineSolver({
      id: 'a/waits',
      family: sparseRecovery,
      title: 'Waits',
      params: Type.Object({}, { additionalProperties: false }),
      solve: (_obs, _p, ctx) =>
        new Promise((_resolve, reject) => {
          // Reads nothing, polls nothing: only the abort event can end it.
          ctx.signal.addEventListener('abort', () => reject(new Error('aborted by the timer')), { once: true });
        }),
    });
    const { observation } = generateInstance(sparseRecovery, { m: 8, n: 16, k: 2 }, [1]);
    await expect(solveService(c).solve(s, observation, {}, { budgetMs: 30 })).rejects.toThrow('aborted by the timer');
  });

  test('ctx.rng is the stream of the seed path, made when the solver first reads it', async () => {
    const c = createRegistry(allFamilies);
    const draws: number[] = [];
    const s = defineSolver({
      id: 'a/draws',
      family: sparseRecovery,
      title: 'Draws',
      params: Type.Object({}, { additionalProperties: false }),
      solve: (obs, _p, ctx) => {
        draws.push(ctx.rng.uniform(), ctx.rng.uniform());
        return { x: new Float64Array(obs.A.cols) };
      },
    });
    const { observation } = generateInstance(sparseRecovery, { m: 8, n: 16, k: 2 }, [1]);
    await solveService(c).solve(s, observation, {}, { seed: ['suite', 'task', 3, 'a/draws'] });
    const ref = createRng('suite', 'task', 3, 'a/draws');
    expect(draws).toEqual([ref.uniform(), ref.uniform()]);
  });

  test('a synchronous solver that polls its signal is stopped at the budget (no timer needed)', async () => {
    const c = createRegistry(allFamilies);
    const s = defineSolver({
      id: 'a/busy',
      family: sparseRecovery,
      title: 'Busy',
      params: Type.Object({}, { additionalProperties: false }),
      solve: (obs, _p, ctx) => {
        for (;;) ctx.signal.throwIfAborted(); // never yields to the event loop
      },
    });
    const { observation } = generateInstance(sparseRecovery, { m: 8, n: 16, k: 2 }, [1]);
    await expect(solveService(c).solve(s, observation, {}, { budgetMs: 30 })).rejects.toThrow('time budget of 30 ms exhausted');
  });

  test('a solver that does not apply to an observation (its skip) is not run, with a PARSIMONY_UNSUPPORTED error giving its reason', async () => {
    const c = createRegistry(allFamilies);
    let ran = false;
    const s = defineSolver({
      id: 'a/nonneg-only',
      family: sparseRecovery,
      title: 'Nonnegative only',
      params: Type.Object({}, { additionalProperties: false }),
      skip: (obs) => (obs.nonnegative ? undefined : 'handles nonnegative signals only'),
      solve: (obs) => {
        ran = true;
        return { x: new Float64Array(obs.A.cols) };
      },
    });
    const { observation } = generateInstance(sparseRecovery, { m: 8, n: 16, k: 2 }, [1]);
    expect(skipReason(s, observation, {})).toBe('handles nonnegative signals only');
    const err = await solveService(c).solve(s, observation).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParsimonyError);
    expect(err).toMatchObject({ code: 'PARSIMONY_UNSUPPORTED', message: 'a/nonneg-only does not apply to this observation: handles nonnegative signals only' });
    expect(ran).toBe(false);
  });

  test('the solver gets the observation only, validated first', async () => {
    const c = createRegistry(allFamilies);
    const s = zeroSolver('a/zero');
    const bad = { A: { rows: 2, cols: 2, data: new Float64Array(4) }, y: new Float64Array(3) };
    await expect(solveService(c).solve(s, bad)).rejects.toThrow('observation.y has 3 entries, A has 2 rows');
  });
});

describe('scoreSolution', () => {
  const { observation, truth } = generateInstance(sparseRecovery, { m: 20, n: 40, k: 3 }, [2]);

  test('the truth scores at the top; zeros score worse', () => {
    const best = scoreSolution(sparseRecovery, observation, truth, { x: truth.x });
    const zero = scoreSolution(sparseRecovery, observation, truth, { x: new Float64Array(40) });
    expect(best).toEqual({ status: 'ok', metrics: { nmse_db: -300, support_f1: 1, exact_recovery: 1 } });
    expect(zero.status === 'ok' && zero.metrics.nmse_db).toBe(0);
  });

  test.each([
    ['wrong length', { x: new Float64Array(3) }, 'solution.x has 3 entries, expected n = 40'],
    ['NaN', { x: new Float64Array(40).fill(NaN) }, 'solution.x entry [0] is NaN; expected a finite number'],
    ['missing field', {}, "solution is missing the required field 'x'"],
    ['not an object', 42, 'solution must be object (got 42)'],
  ])('%s is invalid with a reason, never scored', (_what, solution, reason) => {
    expect(scoreSolution(sparseRecovery, observation, truth, solution)).toMatchObject({ status: 'invalid', reason });
  });

  test('scoring does not mutate its inputs', () => {
    const sol = { x: truth.x.map((v) => v + 0.1) };
    const before = [observation.A.data.slice(), observation.y.slice(), truth.x.slice(), sol.x.slice()];
    scoreSolution(sparseRecovery, observation, truth, sol);
    expect([observation.A.data, observation.y, truth.x, sol.x]).toEqual(before);
  });
});

describe('evaluateClaim', () => {
  const base: Claim = { id: 'c', statement: 's', task: 't', metric: 'nmse_db', solver: 'p/new', versus: 'baselines/omp', margin: 3 };
  const medians = (m: Record<string, number>) => (id: string) => m[id];

  test('beats the baseline by the margin (min metric)', () => {
    expect(evaluateClaim(base, 'min', medians({ 'p/new': -30, 'baselines/omp': -26 })).verdict).toBe('reproduced');
    expect(evaluateClaim(base, 'min', medians({ 'p/new': -28, 'baselines/omp': -26 }))).toMatchObject({ verdict: 'not reproduced', measured: -28, reference: -29 });
  });

  test('max metrics flip the direction', () => {
    const c = { ...base, metric: 'support_f1', margin: 0.1 };
    expect(evaluateClaim(c, 'max', medians({ 'p/new': 0.95, 'baselines/omp': 0.8 })).verdict).toBe('reproduced');
  });

  test('ratio claims: within 5% of, or at most a third of, the baseline', () => {
    const within = { ...base, margin: undefined, ratio: 1.05 };
    expect(evaluateClaim(within, 'min', medians({ 'p/new': 0.0104, 'baselines/omp': 0.01 }))).toMatchObject({ verdict: 'reproduced', reference: 0.0105 });
    expect(evaluateClaim(within, 'min', medians({ 'p/new': 0.0106, 'baselines/omp': 0.01 })).verdict).toBe('not reproduced');
    const third = { ...base, margin: undefined, metric: 'iterations', ratio: 1 / 3 };
    expect(evaluateClaim(third, 'min', medians({ 'p/new': 300, 'baselines/omp': 1000 })).verdict).toBe('reproduced');
    expect(() => definePlugin({ name: 'p', solvers: [zeroSolver('p/zero')], claims: [{ ...base, solver: 'p/zero', ratio: 2 }] })).toThrow("uses 'ratio', which needs 'versus' and excludes 'margin'");
  });

  test('absolute claims', () => {
    const c: Claim = { id: 'c', statement: 's', task: 't', metric: 'nmse_db', solver: 'p/new', value: -20 };
    expect(evaluateClaim(c, 'min', medians({ 'p/new': -25 })).verdict).toBe('reproduced');
  });

  test('missing results are "not run"', () => {
    expect(evaluateClaim(base, 'min', medians({ 'baselines/omp': -26 })).verdict).toBe('not run');
    expect(evaluateClaim(base, 'min', medians({ 'p/new': -26 })).verdict).toBe('not run');
  });
});

test('ParsimonyError carries a code and a field', () => {
  const e = new ParsimonyError('PARSIMONY_BAD_PARAMS', 'msg', 'params.k');
  expect([e.code, e.field, e.message, e instanceof Error]).toEqual(['PARSIMONY_BAD_PARAMS', 'params.k', 'msg', true]);
});

describe('interactive families', () => {
  // A toy oracle family: the hidden vector is reachable only through ctx.interact('query', i).
  const Obs = Type.Object({ n: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
  const Truth = Type.Object({ secret: Type.Array(Type.Number()) }, { additionalProperties: false });
  const Sol = Type.Object({ guess: Type.Array(Type.Number()) }, { additionalProperties: false });
  const oracle = defineFamily({
    id: 'toy-oracle',
    title: 'Toy oracle',
    summary: 'Read a hidden vector one query at a time.',
    schemas: { params: Type.Object({}, { additionalProperties: false }), observation: Obs, truth: Truth, solution: Sol },
    metrics: [
      { id: 'err', label: 'Error', direction: 'min', primary: true },
      { id: 'queries', label: 'Queries', direction: 'min' },
    ],
    presets: { quick: {}, default: {}, scale: [] },
    generate: () => ({ observation: { n: 3 }, truth: { secret: [4, 5, 6] } }),
    interaction: {
      methods: ['query'],
      open: (_obs, truth) => {
        let queries = 0;
        return {
          handle: (method, args) => {
            if (method !== 'query') throw new ParsimonyError('PARSIMONY_BAD_INPUT', `unknown method ${method}`);
            queries++;
            return truth.secret[args[0] as number];
          },
          usage: () => ({ queries }),
        };
      },
    },
    score: (_o, truth, sol, usage) => ({ err: sol.guess.reduce((s, g, i) => s + Math.abs(g - truth.secret[i]), 0), queries: usage?.queries ?? 0 }),
  });
  const reader = defineSolver({
    id: 'toy/reader',
    family: oracle,
    title: 'Reader',
    params: Type.Object({}, { additionalProperties: false }),
    solve: async (obs, _p, ctx) => {
      const guess: number[] = [];
      for (let i = 0; i < obs.n; i++) guess.push((await ctx.interact('query', i)) as number);
      return { guess };
    },
  });

  test('requests reach the session, which counts them; the score sees the usage', async () => {
    const c = createRegistry([...allFamilies, oracle]);
    const { observation, truth } = oracle.generate({}, createRng(1));
    const session = oracle.interaction!.open(observation, truth);
    const { solution } = await solveService(c).solve(reader, observation, {}, { interact: (m, a) => session.handle(m, a) });
    expect(scoreSolution(oracle, observation, truth, solution, session.usage())).toEqual({ status: 'ok', metrics: { err: 0, queries: 3 } });
  });

  test('without a session, ctx.interact rejects with a clear message', async () => {
    const c = createRegistry([...allFamilies, oracle]);
    await expect(solveService(c).solve(reader, { n: 1 })).rejects.toThrow("ctx.interact('query'): this instance is not interactive");
  });
});
