import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  Matrix,
  allFamilies,
  createRegistry,
  createRng,
  dictionaryLearning,
  evaluateClaim,
  generateInstance,
  haarOrthogonal,
  matmul,
  normSpectral,
  scoreSolution,
  solveService,
  type AnySolver,
  type DictionaryLearningObservation,
  type DictionaryLearningTruth,
} from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { l4MspBatchSolver } from '@parsimony/plugin-baselines';
import plugin, { OnlineOdlFw, claims, onlineOdlFwSolver, polarFactor } from '../src/index.js';

/** A small orthogonal stream: n = 8, 400 samples, Bernoulli(0.3)-Gaussian codes. */
const small = { orthogonal: true, n: 8, N: 400, theta: 0.3, k: 3, snrDb: 'inf' as const };
/** The bench task `dictionary-learning/online-odl-fw` (paper file: n = 16, b = 16, T = 300). */
const benchTask = { orthogonal: true, n: 16, N: 4800, theta: 0.3, k: 5, snrDb: 'inf' as const };

describeSolverConformance(onlineOdlFwSolver, {
  instance: small,
  invalidParams: [
    { params: { batch: 0 }, message: 'params.batch must be >= 1' },
    { params: { maxBatches: 0 }, message: 'params.maxBatches must be >= 1' },
    { params: { gammaExponent: 0 }, message: 'params.gammaExponent' },
    { params: { rhoExponent: 2 }, message: 'params.rhoExponent' },
    { params: { tol: -1 }, message: 'params.tol must be >= 0' },
  ],
});

const service = solveService(createRegistry(allFamilies));
async function l4ErrOf(solver: AnySolver, observation: DictionaryLearningObservation, truth: DictionaryLearningTruth, params: object, seed: number): Promise<number> {
  const { solution } = await service.solve(solver, observation, params, { seed: [seed] });
  const outcome = scoreSolution(dictionaryLearning, observation, truth, solution);
  if (outcome.status !== 'ok') throw new Error(outcome.reason);
  return outcome.metrics.l4_err;
}
function scoreOk(observation: DictionaryLearningObservation, truth: DictionaryLearningTruth, D: Matrix): Record<string, number> {
  const outcome = scoreSolution(dictionaryLearning, observation, truth, { D });
  if (outcome.status !== 'ok') throw new Error(outcome.reason);
  return outcome.metrics;
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

describe('polarFactor', () => {
  test('of diag(3, -2) is diag(1, -1); of an orthogonal matrix is itself', () => {
    expect(Array.from(polarFactor(Matrix.fromRows([[3, 0], [0, -2]]), new Float64Array(4))).map((v) => Math.round(v * 1e12) / 1e12)).toEqual([1, 0, 0, -1]);
    const Q = haarOrthogonal(5, createRng(2));
    polarFactor(Q, new Float64Array(25)).forEach((v, i) => expect(v).toBeCloseTo(Q.data[i], 12));
  });
});

describe('OnlineOdlFw', () => {
  test('the iterate stays in the spectral-norm ball ||D||₂ <= 1 (Frank-Wolfe feasibility), for any data', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 5 }), (seed, n, b) => {
        const rng = createRng(seed);
        const learner = new OnlineOdlFw(n, { rng });
        const Y = Matrix.zeros(n, 6 * b);
        rng.fillNormal(Y.data as Float64Array);
        for (let t = 0; t < 6; t++) {
          learner.update(Y, t * b, b);
          expect(normSpectral(learner.iterate())).toBeLessThanOrEqual(1 + 1e-10);
        }
      }),
      { numRuns: 25 },
    );
  });

  test('the first step is the LMO answer: D_1 = polar(g_1) since γ_1 = ρ_1 = 1', () => {
    const n = 3;
    const Y = Matrix.fromRows([[1, 0, 2, -1], [0, 1, 1, 0], [0.5, -1, 0, 1]]);
    const learner = new OnlineOdlFw(n, { D0: Matrix.eye(n) });
    learner.update(Y);
    // g_1 = (1/4) Y (Y^{∘3})ᵀ with D_0 = I.
    const cube = Matrix.from(3, 4, Y.data.map((v) => v ** 3));
    const g = matmul(Y, cube, { transB: true });
    const S = polarFactor(g, new Float64Array(9));
    learner.iterate().data.forEach((v, i) => expect(v).toBeCloseTo(S[i], 12));
    expect(learner.lastObjective).toBeCloseTo(Y.data.reduce((s, v) => s + v ** 4, 0) / 16, 12);
  });

  test('memory: keeps 2n² floats whatever the number of samples seen', () => {
    const learner = new OnlineOdlFw(16, { rng: createRng(1) });
    const Y = Matrix.zeros(16, 64);
    createRng(2).fillNormal(Y.data as Float64Array);
    for (let t = 0; t < 4; t++) learner.update(Y, 16 * t, 16);
    expect([learner.stateFloats, learner.t, learner.samples]).toEqual([512, 4, 64]);
  });

  test('one pass over noiseless data lands near a signed permutation of the true dictionary', () => {
    const { observation: o, truth } = generateInstance(dictionaryLearning, { ...small, N: 2000 }, [5]);
    const learner = new OnlineOdlFw(8, { rng: createRng(3) });
    for (let t = 0; t < 250; t++) learner.update(o.Y, 8 * t, 8);
    const D = learner.dictionary();
    // 1 - ||DᵀD0||₄⁴ / n by hand (0 iff D is a signed permutation of D0).
    const C = matmul(D, truth.D, { transA: true });
    const err = 1 - C.data.reduce((s, v) => s + v ** 4, 0) / 8;
    expect(err).toBeLessThan(0.03);
    expect(err).toBeCloseTo(scoreOk(o, truth, D).l4_err, 12);
  });

  test('reports one trace point per mini-batch with the O(n²) state size, and reads the stream once', async () => {
    const { observation } = generateInstance(dictionaryLearning, small, [1]);
    const points: Record<string, number>[] = [];
    const ctx = { rng: createRng(1), signal: new AbortController().signal, deadline: Infinity, now: () => 0, report: (p: Record<string, number>) => points.push(p) };
    const { onlineOdlFw } = await import('../src/index.js');
    onlineOdlFw(observation, { batch: 8, rhoExponent: 0.5, gammaExponent: 0.75, tol: 0 }, ctx as never);
    expect(points.length).toBe(50);
    expect(points.at(-1)).toMatchObject({ iteration: 50, samples: 400, state_floats: 128 });
  });

  test('skips a non-orthogonal task (more atoms than dimensions), saying why', async () => {
    const { observation } = generateInstance(dictionaryLearning, { n: 8, K: 12, N: 100, k: 2 }, [1]);
    await expect(service.solve(onlineOdlFwSolver, observation, {}, { seed: [1] })).rejects.toMatchObject({
      code: 'PARSIMONY_UNSUPPORTED',
      message: expect.stringMatching(/learns a square orthogonal dictionary; this task asks for 12 atoms in dimension 8$/),
    });
  });
});

describe('claims on the bench task (n = 16, 4,800 samples, θ = 0.3, noiseless; seeds 1-3, median)', () => {
  const seeds = [1, 2, 3];
  const runs = seeds.map((seed) => generateInstance(dictionaryLearning, benchTask, ['claim', 'online-odl-fw', seed]));

  test('converges-streaming: final l4_err <= 0.05; within 0.03 of the batch ℓ4 method; 3x lower at T than at T/10', async () => {
    const fw: number[] = [], batch: number[] = [], early: number[] = [];
    for (const [i, { observation, truth }] of runs.entries()) {
      fw.push(await l4ErrOf(onlineOdlFwSolver, observation, truth, {}, seeds[i]));
      batch.push(await l4ErrOf(l4MspBatchSolver, observation, truth, {}, seeds[i]));
      // Same D_0 (same seed) and the same first T/10 = 30 mini-batches: D_{T/10} exactly.
      early.push(await l4ErrOf(onlineOdlFwSolver, observation, truth, { maxBatches: 30 }, seeds[i]));
    }
    const claim = claims.find((c) => c.id === 'converges-streaming')!;
    expect(plugin.solvers.map((s) => s.id)).toContain(claim.solver);
    const verdict = evaluateClaim(claim, 'min', (id) => (id === claim.solver ? median(fw) : undefined));
    // Measured (seeds 1-3): fw [0.0063, 0.0069, 0.0126] (median 0.0069), batch [0.0045, 0.0044, 0.0052] (0.0045),
    // T/10 [0.196, 0.470, 0.599] (0.470): reproduced; 0.0069 - 0.0045 = 0.0024 <= 0.03; 0.470 / 0.0069 ≈ 68 >= 3.
    expect(verdict.verdict, 'detail' in verdict ? verdict.detail : '').toBe('reproduced');
    expect(median(fw) - median(batch)).toBeLessThanOrEqual(0.03);
    expect(median(early) / median(fw)).toBeGreaterThanOrEqual(3);
    // Tolerance of the stated numbers (±0.008 around the measured medians).
    expect(median(fw)).toBeLessThan(0.015);
    expect(median(batch)).toBeLessThan(0.013);
  });
});
