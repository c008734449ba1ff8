import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  Matrix,
  allFamilies,
  armGaps,
  bandit,
  createRegistry,
  createRng,
  generateInstance,
  primaryMetric,
  scoreSolution,
  solveService,
  type AnySolver,
  type BanditObservation,
  type BanditSession,
  type BanditTruth,
  type SolverContext,
} from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { RidgeBanditState, quadraticForms, type LinearBanditEnv } from '../src/internal/bandit.js';
import { lasso } from '../src/solvers/lasso.js';
import { ridge } from '../src/solvers/ridge.js';
import { linUcb, linUcbSolver, solveLinUcb } from '../src/solvers/linucb.js';
import { epsilonGreedy, epsilonGreedySolver } from '../src/solvers/epsilon-greedy.js';
import { isForcedRound, lassoBandit, lassoBanditSolver } from '../src/solvers/lasso-bandit.js';

describeSolverConformance(linUcbSolver, {
  invalidParams: [
    { params: { alpha: -1 }, message: 'params.alpha must be >= 0' },
    { params: { lambda: 0 }, message: 'params.lambda must be > 0' },
  ],
});
describeSolverConformance(epsilonGreedySolver, {
  invalidParams: [
    { params: { schedule: 'softmax' }, message: 'params.schedule' },
    { params: { epsilon: 1.5 }, message: 'params.epsilon must be <= 1' },
    { params: { c: 0 }, message: 'params.c must be > 0' },
    { params: { lambda: 0 }, message: 'params.lambda must be > 0' },
  ],
});
describeSolverConformance(lassoBanditSolver, {
  invalidParams: [
    { params: { q: 0 }, message: 'params.q must be >= 1' },
    { params: { lambda0: 0 }, message: 'params.lambda0 must be > 0' },
    { params: { h: -1 }, message: 'params.h must be > 0' },
    { params: { refitEvery: 0 }, message: 'params.refitEvery must be >= 1' },
  ],
});

const service = solveService(createRegistry(allFamilies));
const quick = (seed: string | number, over: object = {}) => generateInstance(bandit, { ...bandit.presets.quick, ...over }, ['bandit-regret', seed]);

/** Runs a solver through a session; returns the scored outcome, the trivial score and the pull log. */
async function play(solver: AnySolver, inst: { observation: BanditObservation; truth: BanditTruth }, params: Record<string, unknown> = {}) {
  const session = bandit.interaction!.open(inst.observation, inst.truth) as BanditSession;
  const { solution } = await service.solve(solver, inst.observation, params, { seed: ['bandit-regret', 1], interact: (m, a) => session.handle(m, a) });
  const outcome = scoreSolution(bandit, inst.observation, inst.truth, solution, session.usage());
  const trivial = scoreSolution(bandit, inst.observation, inst.truth, bandit.trivialSolution!(inst.observation));
  if (outcome.status !== 'ok' || trivial.status !== 'ok') throw new Error('scoring failed');
  return { metrics: outcome.metrics, trivial: trivial.metrics, log: session.log(), solution };
}

/** Pseudo-regret of the first and the second half of a pull log. */
function halves(inst: { observation: BanditObservation; truth: BanditTruth }, log: Int32Array): [number, number] {
  const gaps = armGaps(inst.observation, inst.truth);
  let first = 0, second = 0;
  for (let t = 0; t < log.length; t++) {
    if (t < log.length / 2) first += gaps[log[t]];
    else second += gaps[log[t]];
  }
  return [first, second];
}

/** A deterministic environment: the reward of arm a is means[a]. */
function fixedEnv(rows: number[][], means: number[], horizon: number): LinearBanditEnv {
  return { arms: Matrix.fromRows(rows), horizon, pull: (a) => means[a] };
}

/** An environment on a session (sync pulls), for the plain functions. */
function sessionEnv(inst: { observation: BanditObservation; truth: BanditTruth }): { env: LinearBanditEnv; session: BanditSession } {
  const session = bandit.interaction!.open(inst.observation, inst.truth) as BanditSession;
  return { session, env: { arms: inst.observation.arms, horizon: inst.observation.horizon, pull: (a) => session.handle('pull', [a]) as number } };
}

const metric = primaryMetric(bandit);

describe('recursive ridge state (Sherman-Morrison)', () => {
  test('property: after any pulls, θ̂ equals ridge(X, y, λ) and the widths equal x_iᵀ(λI + XᵀX)⁻¹x_i', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.tuple(fc.nat(), fc.double({ min: -2, max: 2, noNaN: true })), { minLength: 1, maxLength: 40 }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.integer({ min: 3, max: 1000 }),
        (K, d, draws, lambda, refresh) => {
          const rng = createRng('sm', K, d);
          const A = Matrix.from(K, d, rng.fillNormal(new Float64Array(K * d)));
          const state = new RidgeBanditState(A, lambda, true, refresh);
          const X = Matrix.zeros(draws.length, d), y = new Float64Array(draws.length);
          draws.forEach(([a0, r], t) => {
            const a = a0 % K;
            state.update(a, r);
            X.data.set(A.data.subarray(a * d, (a + 1) * d), t * d);
            y[t] = r;
          });
          const want = ridge(X, y, { lambda });
          for (let j = 0; j < d; j++) expect(state.theta[j]).toBeCloseTo(want[j], 9);
          const V = Matrix.eye(d);
          for (let i = 0; i < d * d; i++) V.data[i] *= lambda;
          for (let t = 0; t < draws.length; t++) for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) V.data[p * d + q] += X.data[t * d + p] * X.data[t * d + q];
          const Vinv = new Float64Array(d * d);
          for (let j = 0; j < d; j++) {
            const e = new Float64Array(d);
            e[j] = 1;
            const col = ridgeSolve(V, e);
            for (let i = 0; i < d; i++) Vinv[i * d + j] = col[i];
          }
          const widths = quadraticForms(A, Vinv);
          for (let i = 0; i < K; i++) {
            expect(state.widths[i]).toBeCloseTo(widths[i], 9);
            let m = 0;
            for (let j = 0; j < d; j++) m += A.data[i * d + j] * want[j];
            expect(state.means[i]).toBeCloseTo(m, 9);
          }
        },
      ),
      { seed: 1, numRuns: 20 },
    );
  });
});

/** Solves the SPD system V x = b by Gaussian elimination (an independent check of the state). */
function ridgeSolve(V: Matrix, b: Float64Array): Float64Array {
  const n = V.rows, a = V.data.slice(), x = b.slice();
  for (let k = 0; k < n; k++) {
    for (let i = k + 1; i < n; i++) {
      const f = a[i * n + k] / a[k * n + k];
      for (let j = k; j < n; j++) a[i * n + j] -= f * a[k * n + j];
      x[i] -= f * x[k];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let j = i + 1; j < n; j++) s -= a[i * n + j] * x[j];
    x[i] = s / a[i * n + i];
  }
  return x;
}

describe('baselines/linucb', () => {
  test('by hand: arms e₁, e₂ with rewards 0 and 1, α = λ = 1: arm 0 on the tie, then arm 1 forever', async () => {
    // Round 2: UCB₀ = 0 + √(1/2) ≈ 0.71 < UCB₁ = 0 + 1; from then on UCB₁ = n/(n+1) + 1/√(n+1) > 0.71.
    const { pulls, theta, arm } = await linUcb(fixedEnv([[1, 0], [0, 1]], [0, 1], 6));
    expect(Array.from(pulls)).toEqual([0, 1, 1, 1, 1, 1]);
    expect(theta[0]).toBe(0);
    expect(theta[1]).toBeCloseTo(5 / 6, 15);
    expect(arm).toBe(1);
  });

  test('the plain function on a session makes the same pulls as the solver', async () => {
    const inst = quick('same', { T: 300 });
    const { log, solution } = await play(linUcbSolver, inst);
    const { env } = sessionEnv(inst);
    const res = await linUcb(env);
    expect(Array.from(res.pulls)).toEqual(Array.from(log));
    expect(solution).toEqual({ arm: res.arm });
  });

  test('quick preset: beats the trivial answer, and its regret over the 2nd half is below the 1st half', async () => {
    const inst = quick(1);
    const { metrics, trivial, log } = await play(linUcbSolver, inst);
    expect(metrics[metric.id]).toBeLessThan(trivial[metric.id]);
    const [first, second] = halves(inst, log);
    expect(second).toBeLessThan(first);
  });

  // Per instance the order is not guaranteed: on instances ['bandit-regret', 1..10] LinUCB wins 8 of 10
  // (mean 136 vs 168), on ['quality', 1..3] it loses all 3 (α = 1 over-explores at σ = 0.1); see the report.
  test('quick preset, five instances: LinUCB (α = 1) has lower total cumulative regret than ε-greedy with ε fixed at 0.1', async () => {
    let ucb = 0, eg = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const inst = quick(seed);
      ucb += (await play(linUcbSolver, inst)).metrics.cumulative_regret;
      eg += (await play(epsilonGreedySolver, inst, { schedule: 'fixed', epsilon: 0.1 })).metrics.cumulative_regret;
    }
    expect(ucb).toBeLessThan(eg);
  });

  test('skips the best-arm variant, naming the solvers to use; a direct call throws PARSIMONY_UNSUPPORTED', async () => {
    const inst = quick('variant', { variant: 'best-arm' });
    const reason =
      "observation.variant = 'best-arm' is not supported; this solver minimizes cumulative regret (variant regret). For variant 'best-arm' use baselines/uniform-allocation or baselines/g-optimal-design";
    expect(linUcbSolver.skip!(inst.observation, { alpha: 1, lambda: 1 })).toBe(reason);
    expect(linUcbSolver.skip!(quick('variant').observation, { alpha: 1, lambda: 1 })).toBeUndefined();
    await expect(service.solve(linUcbSolver, inst.observation, {}, { interact: () => 0 })).rejects.toThrow(`baselines/linucb does not apply to this observation: ${reason}`);
    await expect(solveLinUcb(inst.observation, { alpha: 1, lambda: 1 }, {} as SolverContext)).rejects.toMatchObject({ code: 'PARSIMONY_UNSUPPORTED', message: `baselines/linucb: ${reason}` });
  });

  test('bad input is a clear error naming the field', async () => {
    await expect(linUcb(fixedEnv([[1]], [0], 1), { alpha: -1 })).rejects.toThrow('linUcb: alpha = -1; expected a finite number >= 0');
    await expect(linUcb(fixedEnv([[1]], [0], 1), { lambda: 0 })).rejects.toThrow('linUcb: lambda = 0; expected a finite number > 0');
    await expect(linUcb({ arms: Matrix.zeros(0, 2), horizon: 1, pull: () => 0 })).rejects.toThrow('linUcb: env.arms is 0x2; it needs at least one arm and one feature');
    await expect(linUcb(fixedEnv([[1]], [0], 1.5))).rejects.toThrow('linUcb: env.horizon = 1.5; expected an integer >= 0');
    await expect(linUcb(fixedEnv([[1]], [NaN], 1))).rejects.toThrow('linUcb: env.pull(0) returned NaN; rewards must be finite numbers');
  });
});

describe('baselines/epsilon-greedy', () => {
  test('ε = 0 is greedy and can lock onto a bad arm: e₁, e₂ with rewards 0 and 1 pulls arm 0 forever', async () => {
    const { pulls } = await epsilonGreedy(fixedEnv([[1, 0], [0, 1]], [0, 1], 20), { schedule: 'fixed', epsilon: 0 });
    expect(Array.from(new Set(pulls))).toEqual([0]);
  });

  test('the decaying schedule explores with probability min(1, c/t): a replay of the coins gives the same pulls', async () => {
    const K = 7, T = 200, c = 12;
    const rows = Array.from({ length: K }, (_, i) => Array.from({ length: 3 }, (_, j) => Math.cos(i + 2 * j)));
    const means = rows.map((r) => r[0] - r[2]);
    const points: number[] = [];
    const { pulls } = await epsilonGreedy(fixedEnv(rows, means, T), { c, rng: createRng('eg', 1), report: (p) => points.push(p.explored) });
    const replay = createRng('eg', 1);
    let explored = 0;
    for (let t = 1; t <= T; t++) {
      if (replay.uniform() < Math.min(1, c / t)) {
        explored++;
        expect(pulls[t - 1]).toBe(replay.int(K));
      }
      if (t <= c) expect(explored).toBe(t);
    }
    expect(points.at(-1)).toBe(explored);
  });

  test('quick preset: both schedules beat the trivial answer; the fixed one explores about εT rounds', async () => {
    const inst = quick(2);
    for (const params of [{}, { schedule: 'fixed', epsilon: 0.1 }]) {
      const { metrics, trivial } = await play(epsilonGreedySolver, inst, params);
      expect(metrics[metric.id]).toBeLessThan(trivial[metric.id]);
    }
    const { env } = sessionEnv(inst);
    let explored = 0;
    await epsilonGreedy(env, { schedule: 'fixed', epsilon: 0.1, rng: createRng(3), report: (p) => (explored = p.explored) });
    // Binomial(2000, 0.1): mean 200, sd 13.4.
    expect(Math.abs(explored - 200)).toBeLessThan(60);
  });

  test('skips the best-arm variant', async () => {
    const inst = quick('variant', { variant: 'best-arm' });
    await expect(service.solve(epsilonGreedySolver, inst.observation, {}, { interact: () => 0 })).rejects.toThrow(
      "baselines/epsilon-greedy does not apply to this observation: observation.variant = 'best-arm' is not supported",
    );
  });

  test('bad input is a clear error naming the field', async () => {
    const env = fixedEnv([[1]], [0], 1);
    await expect(epsilonGreedy(env, { epsilon: 2 })).rejects.toThrow('epsilonGreedy: epsilon = 2; expected a number in [0, 1]');
    await expect(epsilonGreedy(env, { c: -1 })).rejects.toThrow('epsilonGreedy: c = -1; expected a finite number > 0');
    await expect(epsilonGreedy(env, { schedule: 'ucb' as 'fixed' })).rejects.toThrow("epsilonGreedy: schedule = ucb; expected 'decaying' or 'fixed'");
  });
});

describe('baselines/lasso-bandit', () => {
  test('property: isForcedRound(t, q) ⇔ t ∈ {(2ⁿ − 1)q + j : n ≥ 0, 1 ≤ j ≤ q} (Bastani & Bayati 2020, §2.2)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 5000 }), (q, t) => {
        let forced = false;
        for (let n = 0; (2 ** n - 1) * q < t; n++) {
          const j = t - (2 ** n - 1) * q;
          if (j >= 1 && j <= q) forced = true;
        }
        expect(isForcedRound(t, q)).toBe(forced);
      }),
      { seed: 1, numRuns: 200 },
    );
  });

  test('forced rounds sweep the arms in a random order, and the last estimate is the Lasso of all pulls at λ_T', async () => {
    const inst = quick('lasso', { T: 400 });
    const { env } = sessionEnv(inst);
    const q = 20, lambda0 = 0.06;
    const res = await lassoBandit(env, { q, lambda0, rng: createRng(5) });
    const forced = Array.from(res.pulls).filter((_, t) => isForcedRound(t + 1, q));
    // Blocks at rounds 1-40, 61-80, 141-160, 301-320: 100 forced pulls, one per arm.
    expect(forced).toHaveLength(100);
    expect(new Set(forced).size).toBe(100);
    const { arms } = inst.observation;
    const d = arms.cols, T = 400;
    const X = Matrix.zeros(T, d);
    for (let t = 0; t < T; t++) X.data.set(arms.data.subarray(res.pulls[t] * d, (res.pulls[t] + 1) * d), t * d);
    const lambdaT = lambda0 * Math.sqrt((Math.log(T) + Math.log(d)) / T);
    const { w } = lasso(X, res.rewards, { alpha: lambdaT / 2, tol: 1e-10, maxIter: 100000 });
    for (let j = 0; j < d; j++) expect(res.theta[j]).toBeCloseTo(w[j], 3);
  });

  test('quick preset: beats the trivial answer', async () => {
    const inst = quick(3);
    const { metrics, trivial } = await play(lassoBanditSolver, inst);
    expect(metrics[metric.id]).toBeLessThan(trivial[metric.id]);
  });

  test('skips the best-arm variant', async () => {
    const inst = quick('variant', { variant: 'best-arm' });
    await expect(service.solve(lassoBanditSolver, inst.observation, {}, { interact: () => 0 })).rejects.toThrow(
      "baselines/lasso-bandit does not apply to this observation: observation.variant = 'best-arm' is not supported",
    );
  });

  test('bad input is a clear error naming the field', async () => {
    const env = fixedEnv([[1]], [0], 1);
    await expect(lassoBandit(env, { q: 0 })).rejects.toThrow('lassoBandit: q = 0; expected an integer >= 1');
    await expect(lassoBandit(env, { lambda0: -1 })).rejects.toThrow('lassoBandit: lambda0 = -1; expected a finite number > 0');
    await expect(lassoBandit(env, { refitEvery: 0.5 })).rejects.toThrow('lassoBandit: refitEvery = 0.5; expected an integer >= 1');
  });
});
