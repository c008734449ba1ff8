import { describe, expect, test } from 'vitest';
import {
  Matrix,
  NoParams,
  ParsimonyError,
  allFamilies,
  armGaps,
  armMeans,
  assertObservation,
  bandit,
  banditEnv,
  createRegistry,
  defineSolver,
  generateInstance,
  nrm2,
  openBanditEnv,
  resolveFamilyParams,
  scoreSolution,
  solveService,
  toJsonText,
  type SolverContext,
} from '../../src/index.js';
import { describeSolverConformance } from '../../src/testing/index.js';
import { holds, reachable } from './interactive-helpers.js';

const gen = (params: object, seed = 1) => generateInstance(bandit, params, [seed]);
const metrics = (r: ReturnType<typeof scoreSolution>) => {
  if (r.status !== 'ok') throw new Error(`expected ok, got ${r.reason}`);
  return r.metrics;
};
const fieldOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof ParsimonyError) return e.field;
    throw e;
  }
  return undefined;
};
const argmax = (v: Float64Array) => v.reduce((b, x, i) => (x > v[b] ? i : b), 0);
const mean = (v: Float64Array) => v.reduce((s, x) => s + x, 0) / v.length;

describe('bandit generator and environment', () => {
  test('same seed: byte-identical observation and truth; another seed differs', () => {
    const a = gen({}, 7), b = gen({}, 7), c = gen({}, 8);
    expect(toJsonText(a.observation)).toBe(toJsonText(b.observation));
    expect(toJsonText(a.truth)).toBe(toJsonText(b.truth));
    expect(toJsonText(a.truth)).not.toBe(toJsonText(c.truth));
  });

  test('defaults are the quick size: K = 100 unit arms in d = 50, θ 5-sparse and unit, T = 2000, |η| = ε = 0.05', () => {
    expect(resolveFamilyParams(bandit, {})).toMatchObject({ variant: 'regret', K: 100, d: 50, k: 5, T: 2000, epsilon: 0.05 });
    const { observation: o, truth } = gen({});
    expect([o.arms.rows, o.arms.cols, o.horizon, o.k, o.epsilon, o.noiseStd, o.variant]).toEqual([100, 50, 2000, 5, 0.05, 0.1, 'regret']);
    for (let i = 0; i < 100; i++) expect(nrm2(Matrix.row(o.arms, i))).toBeCloseTo(1, 12);
    expect(truth.theta.filter((v) => v !== 0).length).toBe(5);
    expect(nrm2(truth.theta)).toBeCloseTo(1, 12);
    expect(truth.eta.every((v) => Math.abs(v) === 0.05)).toBe(true);
    expect(new Set(truth.eta).size).toBe(2);
  });

  test('random misspecification stays within ε; without hints the observation holds arms and horizon only', () => {
    const { observation, truth } = gen({ misspecification: 'random', hints: false });
    expect(truth.eta.every((v) => Math.abs(v) <= 0.05)).toBe(true);
    expect(Object.keys(observation).sort()).toEqual(['arms', 'horizon', 'variant']);
  });

  test('rewards average to μ_i; the j-th pull of an arm gives the same reward in every session (common random numbers)', () => {
    const inst = gen({ T: 5000 });
    const { means } = armMeans(inst.observation, inst.truth);
    const a = openBanditEnv(inst.observation, inst.truth), b = openBanditEnv(inst.observation, inst.truth);
    const r = a.handle('pulls', [new Int32Array(4000).fill(7)]) as Float64Array;
    expect(Math.abs(mean(r) - means[7])).toBeLessThan(4 * 0.1 / Math.sqrt(4000));
    b.handle('pull', [3]);
    expect(b.handle('pull', [7])).toBe(r[0]);
    expect(b.handle('pull', [7])).toBe(r[1]);
  });

  test('inconsistent params are errors naming the param; presets grow K', () => {
    expect(() => gen({ d: 4, k: 5 })).toThrow('bandit: params.k = 5 exceeds d = 4');
    expect(() => gen({ variant: 'contextual' })).toThrow(/params.variant/);
    const Ks = bandit.presets.scale.map((p) => p.K!);
    expect(Ks.length).toBeGreaterThanOrEqual(4);
    expect(Ks).toEqual([...Ks].sort((x, y) => x - y));
  });
});

describe('bandit scoring', () => {
  const inst = gen({});
  const { observation, truth } = inst;
  const gaps = armGaps(observation, truth);
  const best = argmax(gaps.map((g) => -g));
  const worst = argmax(gaps);
  const play = (arms: number[], obs = observation) => {
    const s = openBanditEnv(obs, truth);
    if (arms.length) s.handle('pulls', [Int32Array.from(arms)]);
    return s.usage();
  };

  test('the oracle policy (always the best arm) has regret 0; other policies score worse', () => {
    expect(gaps[best]).toBe(0);
    const oracle = metrics(scoreSolution(bandit, observation, truth, {}, play(new Array(2000).fill(best))));
    expect(oracle).toEqual({ regret: 0, cumulative_regret: 0, regret_per_step: 0, simple_regret: 0, pulls: 2000 });
    const bad = metrics(scoreSolution(bandit, observation, truth, {}, play(new Array(2000).fill(worst))));
    expect(bad.regret).toBeCloseTo(2000 * gaps[worst], 9);
    expect(bad.simple_regret).toBe(gaps[worst]);
    const roundRobin = metrics(scoreSolution(bandit, observation, truth, {}, play(Array.from({ length: 2000 }, (_, t) => t % 100))));
    expect(roundRobin.regret).toBeCloseTo(2000 * mean(gaps), 9);
  });

  test('zero pulls: a finite, bad regret (every unplayed round costs the mean gap), with or without usage', () => {
    const none = metrics(scoreSolution(bandit, observation, truth, bandit.trivialSolution!(observation), play([])));
    expect(none.regret).toBeCloseTo(2000 * mean(gaps), 9);
    expect(none).toMatchObject({ pulls: 0, simple_regret: mean(gaps) });
    expect(metrics(scoreSolution(bandit, observation, truth, {}))).toEqual(none);
    // Stopping early is charged the same way.
    const early = metrics(scoreSolution(bandit, observation, truth, {}, play(new Array(1000).fill(best))));
    expect(early.regret).toBeCloseTo(1000 * mean(gaps), 9);
  });

  test('best-arm: simple regret of the named arm is primary; pulls are not charged past those made', () => {
    const ba = gen({ variant: 'best-arm' });
    const g = armGaps(ba.observation, ba.truth);
    const b = argmax(g.map((x) => -x)), w = argmax(g);
    const s = openBanditEnv(ba.observation, ba.truth);
    s.handle('pulls', [Int32Array.of(w, w, b)]);
    expect(metrics(scoreSolution(bandit, ba.observation, ba.truth, { arm: b }, s.usage()))).toMatchObject({ regret: 0, simple_regret: 0, pulls: 3 });
    const m = metrics(scoreSolution(bandit, ba.observation, ba.truth, { arm: w }, s.usage()));
    expect(m.regret).toBe(g[w]);
    expect(m.cumulative_regret).toBeCloseTo(2 * g[w], 12);
    expect(m.regret_per_step).toBeCloseTo((2 * g[w]) / 3, 12);
    expect(bandit.trivialSolution!(ba.observation)).toEqual({ arm: 0 });
  });

  test('invalid solutions are invalid, with a reason naming the field', () => {
    const ba = gen({ variant: 'best-arm' });
    expect(scoreSolution(bandit, ba.observation, ba.truth, {})).toMatchObject({ status: 'invalid', field: 'solution.arm', reason: expect.stringContaining('required in the best-arm variant') });
    expect(scoreSolution(bandit, observation, truth, { arm: 100 })).toMatchObject({ status: 'invalid', field: 'solution.arm', reason: 'solution.arm = 100 is not an arm; arms are 0..99' });
    expect(scoreSolution(bandit, observation, truth, { arm: -1 })).toMatchObject({ status: 'invalid', reason: expect.stringContaining('solution.arm') });
    expect(scoreSolution(bandit, observation, truth, { arm: 1.5 })).toMatchObject({ status: 'invalid', reason: expect.stringContaining('solution.arm') });
    expect(scoreSolution(bandit, observation, truth, { arms: [1] })).toMatchObject({ status: 'invalid', reason: expect.stringContaining('arms') });
  });

  test('scoring does not mutate its inputs', () => {
    const before = toJsonText({ observation, truth });
    scoreSolution(bandit, observation, truth, { arm: 3 }, play([1, 2, 3]));
    expect(toJsonText({ observation, truth })).toBe(before);
  });

  test('the observation schema rejects a malformed observation, naming the field', () => {
    expect(() => assertObservation(bandit, { ...observation, k: 51 })).toThrow('bandit: observation.k = 51 exceeds the 50 features of the arms');
    expect(() => assertObservation(bandit, { ...observation, horizon: 0 })).toThrow('observation.horizon must be >= 1');
    expect(() => assertObservation(bandit, { ...observation, theta: truth.theta })).toThrow(/unknown field 'theta'/);
    expect(() => assertObservation(bandit, { ...observation, arms: Matrix.zeros(0, 50) })).toThrow('bandit: observation.arms is 0x50');
  });
});

describe('bandit session', () => {
  const inst = gen({ K: 10, d: 5, k: 2, T: 6 });

  test('bad requests are ParsimonyErrors naming the argument, and are not counted', () => {
    const s = openBanditEnv(inst.observation, inst.truth);
    expect(() => s.handle('pull', [10])).toThrow('bandit: pull(arm): arm = 10 is not an arm; arms are integers in 0..9');
    for (const a of [-1, 1.5, NaN, '3', undefined]) expect(fieldOf(() => s.handle('pull', [a]))).toBe('pull.arm');
    expect(fieldOf(() => s.handle('pull', []))).toBe('pull.arm');
    expect(fieldOf(() => s.handle('pulls', [[1, 2]]))).toBe('pulls.arms');
    expect(fieldOf(() => s.handle('pulls', [new Int32Array(0)]))).toBe('pulls.arms');
    expect(fieldOf(() => s.handle('pulls', [Int32Array.of(1, 12)]))).toBe('pulls.arms[1]');
    expect(fieldOf(() => s.handle('reset', []))).toBe('method');
    expect(() => s.handle('reset', [])).toThrow("unknown request 'reset'; the session answers pull, pulls");
    expect(s.usage()).toMatchObject({ pulls: 0, requests: 0 });
  });

  test('the horizon is enforced: a request past it is refused whole, naming the argument', () => {
    const s = openBanditEnv(inst.observation, inst.truth);
    s.handle('pulls', [Int32Array.of(0, 1, 2, 3)]);
    expect(() => s.handle('pulls', [Int32Array.of(4, 5, 6)])).toThrow('pulls(arms): 3 pulls requested but only 2 of the horizon T = 6 remain');
    expect(s.usage().pulls).toBe(4);
    s.handle('pull', [4]);
    s.handle('pull', [4]);
    expect(fieldOf(() => s.handle('pull', [4]))).toBe('pull.arm');
    expect(() => s.handle('pull', [4])).toThrow('only 0 of the horizon T = 6 remain; stop pulling and return the solution');
    const ba = gen({ K: 10, d: 5, k: 2, T: 1, variant: 'best-arm' });
    const sb = openBanditEnv(ba.observation, ba.truth);
    sb.handle('pull', [0]);
    expect(() => sb.handle('pull', [0])).toThrow('of the pull budget T = 1 remain');
  });

  test('the session counts every pull (the same arm twice is two pulls) and computes the pseudo-regret from its log', () => {
    const s = openBanditEnv(inst.observation, inst.truth);
    const g = armGaps(inst.observation, inst.truth);
    s.handle('pull', [2]);
    s.handle('pull', [2]);
    s.handle('pulls', [Int32Array.of(5, 2)]);
    expect(Array.from(s.log())).toEqual([2, 2, 5, 2]);
    expect(s.usage()).toEqual({ pulls: 4, pseudo_regret: 3 * g[2] + g[5], distinct_arms: 2, most_pulled_arm: 2, requests: 3 });
  });

  test('the client tallies pulls left and converts integer arrays; it rejects non-integers, naming the index', async () => {
    const s = openBanditEnv(inst.observation, inst.truth);
    const env = banditEnv({ interact: async (m, ...a) => s.handle(m, a) }, inst.observation);
    expect([env.K, env.d, env.horizon, env.pullsLeft]).toEqual([10, 5, 6, 6]);
    expect(typeof (await env.pull(1))).toBe('number');
    expect((await env.pullMany([1, 3])).length).toBe(2);
    expect(env.pullsLeft).toBe(3);
    await expect(env.pullMany([0.5])).rejects.toThrow('pulls(arms): arms[0] = 0.5 is not an arm index');
    await expect(env.pull(11)).rejects.toThrow('arm = 11 is not an arm');
    expect(s.usage().pulls).toBe(3);
  });
});

let seenCtx: SolverContext | undefined;
let seenClient: unknown;
/** UCB with a σ-scaled bonus: each arm once, then argmax of mean + σ √(2 ln t / n). */
const ucbSolver = defineSolver({
  id: 'test/ucb',
  family: bandit,
  title: 'UCB',
  params: NoParams,
  solve: async (obs, _p, ctx) => {
    seenCtx = ctx;
    const env = banditEnv(ctx, obs);
    seenClient = env;
    const sigma = obs.noiseStd ?? 1;
    const n = new Float64Array(env.K), sum = new Float64Array(env.K);
    const first = await env.pullMany(Int32Array.from({ length: Math.min(env.K, env.horizon) }, (_, i) => i));
    first.forEach((r, i) => {
      sum[i] = r;
      n[i] = 1;
    });
    for (let t = first.length; t < env.horizon; t++) {
      ctx.signal.throwIfAborted();
      let a = 0, best = -Infinity;
      for (let i = 0; i < env.K; i++) {
        const u = sum[i] / n[i] + sigma * Math.sqrt((2 * Math.log(t + 1)) / n[i]);
        if (u > best) {
          best = u;
          a = i;
        }
      }
      sum[a] += await env.pull(a);
      n[a]++;
    }
    return {};
  },
});

/** Best-arm by uniform allocation: spend the budget evenly, name the best average. */
const uniformBestArm = defineSolver({
  id: 'test/uniform-best-arm',
  family: bandit,
  title: 'Uniform allocation',
  params: NoParams,
  solve: async (obs, _p, ctx) => {
    const env = banditEnv(ctx, obs);
    const m = Math.floor(env.horizon / env.K);
    const plan = Int32Array.from({ length: m * env.K }, (_, t) => t % env.K);
    const r = await env.pullMany(plan);
    const avg = new Float64Array(env.K);
    r.forEach((x, t) => (avg[plan[t]] += x / m));
    return { arm: argmax(avg) };
  },
});

describe('bandit end to end (SolveService + session)', () => {
  const service = solveService(createRegistry(allFamilies));

  test('UCB beats a uniformly random policy by far; θ and η are not reachable from ctx or the client', async () => {
    const inst = gen({});
    const session = openBanditEnv(inst.observation, inst.truth);
    const { solution } = await service.solve(ucbSolver, inst.observation, {}, { interact: (m, a) => session.handle(m, a) });
    const m = metrics(scoreSolution(bandit, inst.observation, inst.truth, solution, session.usage()));
    const gaps = armGaps(inst.observation, inst.truth);
    expect(m.pulls).toBe(2000);
    // About 0.15 of it on this seed.
    expect(m.regret).toBeLessThan(0.25 * 2000 * mean(gaps));
    expect(reachable(seenCtx).keys).toEqual(expect.arrayContaining(['interact', 'rng']));
    expect(Object.keys(seenClient as object).sort()).toEqual(['K', 'arms', 'd', 'horizon', 'pull', 'pullMany', 'pullsLeft']);
    for (const root of [seenCtx, seenClient]) {
      expect(holds(root, inst.truth.theta)).toBe(false);
      expect(holds(root, inst.truth.eta)).toBe(false);
      expect(holds(root, armMeans(inst.observation, inst.truth).means)).toBe(false);
      expect(reachable(root).keys).not.toContain('noiseKey');
    }
  });

  test('best-arm: uniform allocation names a near-best arm within the budget', async () => {
    const inst = gen({ variant: 'best-arm' });
    const session = openBanditEnv(inst.observation, inst.truth);
    const { solution } = await service.solve(uniformBestArm, inst.observation, {}, { interact: (m, a) => session.handle(m, a) });
    const m = metrics(scoreSolution(bandit, inst.observation, inst.truth, solution, session.usage()));
    expect(m.pulls).toBe(2000);
    expect(m.regret).toBe(m.simple_regret);
    // 20 pulls per arm at σ = 0.1: within 2ε of the best (0.02 on this seed; the largest gap is about 0.7).
    expect(m.simple_regret).toBeLessThan(2 * inst.observation.epsilon!);
  });
});

// The conformance kit opens a session per run for interactive families.
describeSolverConformance(ucbSolver, { instance: { K: 20, d: 10, k: 2, T: 200 } });
