/**
 * The paper's claims (src/claims.ts) on small seeded versions of their bench
 * tasks: the same generator params as the suites' tasks except N = 1000
 * vectors and 200 queries (the bench runs N = 2000 and 4000), three seeds,
 * verdicts from core's evaluateClaim over the median. Tolerances: the claims
 * carry them (10% on D_mse, 15% on D_prod·d, 0.02 on the slope).
 */
import { describe, expect, test } from 'vitest';
import { allFamilies, createRegistry, evaluateClaim, generateInstance, scoreSolution, solveService, vectorQuantization, type AnySolver } from '@parsimony/core';
import { productQuantizationSolver } from '@parsimony/plugin-baselines';
import plugin, { claims } from '../src/index.js';

const small = { N: 1000, d: 128, nQueries: 200 };
/** Generator params of each claim task, at the test's size. */
const TASKS: Record<string, Record<string, unknown>> = {
  ...Object.fromEntries([1, 2, 3, 4].map((b) => [`vector-quantization/turboquant-b${b}`, { ...small, bits: b, target: 'inner-product' }])),
  'vector-quantization/turboquant-pq': { ...small, bits: 2, online: false },
};
const SEEDS = [1, 2, 3];
const SOLVERS: Record<string, AnySolver> = Object.fromEntries([...plugin.solvers, productQuantizationSolver].map((s) => [s.id, s]));
const service = solveService(createRegistry(allFamilies));

const runs = new Map<string, Promise<Record<string, number>[]>>();
/** Metrics of `solver` on `task` for each seed (memoized: several claims share a run). */
function metricsOf(task: string, solver: string): Promise<Record<string, number>[]> {
  const key = `${task} ${solver}`;
  if (!runs.has(key)) {
    runs.set(
      key,
      Promise.all(
        SEEDS.map(async (seed) => {
          const { observation, truth } = generateInstance(vectorQuantization, TASKS[task], ['claims', task, seed]);
          const { solution } = await service.solve(SOLVERS[solver], observation, {}, { seed: ['claims', task, seed, solver] });
          const outcome = scoreSolution(vectorQuantization, observation, truth, solution);
          if (outcome.status !== 'ok') throw new Error(`${solver} on ${task}: ${outcome.reason}`);
          return outcome.metrics;
        }),
      ),
    );
  }
  return runs.get(key)!;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const medianOf = async (task: string, solver: string, metric: string) => median((await metricsOf(task, solver)).map((m) => m[metric]));

/**
 * Measured verdicts that differ from 'reproduced'. mse-vs-pq: PQ's k-means
 * codebooks, trained on the very vectors they encode, distort less than
 * TurboQuant-mse at 2 bits: median mse 0.055 (PQ) vs 0.116 (TurboQuant) at
 * N = 1000 here; 0.078 vs 0.116 at N = 4000 and 0.090 vs 0.116 at
 * N = 16 000 (seed 1). 4-dimensional VQ with 256 centroids beats any
 * scalar quantizer in MSE, and the gap narrows but stays as N grows.
 */
const NOT_REPRODUCED = new Set(['mse-vs-pq']);

describe('claims (small seeded tasks, median of 3 seeds)', () => {
  test('every claim names a task of this test and a metric of the family', () => {
    const metrics = vectorQuantization.metrics.map((m) => m.id);
    for (const c of claims) {
      expect(TASKS[c.task], c.id).toBeDefined();
      expect(metrics).toContain(c.metric);
    }
  });

  test.each(claims.map((c) => [c.id, c] as const))('%s', async (_id, claim) => {
    const direction = vectorQuantization.metrics.find((m) => m.id === claim.metric)!.direction;
    const values = new Map<string, number>();
    for (const id of [claim.solver, claim.versus].filter((x): x is string => !!x)) values.set(id, await medianOf(claim.task, id, claim.metric));
    const verdict = evaluateClaim(claim, direction, (id) => values.get(id));
    const detail = 'detail' in verdict ? verdict.detail : '';
    expect(verdict.verdict, detail).toBe(NOT_REPRODUCED.has(claim.id) ? 'not reproduced' : 'reproduced');
  }, 60_000);
});

describe("the paper file's checks on the same runs", () => {
  const task = (b: number) => `vector-quantization/turboquant-b${b}`;

  test('D_mse is within ±10% of 0.36, 0.117, 0.034, 0.0093 and between 4^-b and 2.72·4^-b', async () => {
    for (const [i, ref] of [0.36, 0.117, 0.034, 0.0093].entries()) {
      const mse = await medianOf(task(i + 1), 'turboquant/turboquant-mse', 'mse');
      expect(Math.abs(mse / ref - 1), `b = ${i + 1}: ${mse}`).toBeLessThan(0.1);
      expect(mse * 4 ** (i + 1)).toBeGreaterThanOrEqual(1);
      expect(mse * 4 ** (i + 1)).toBeLessThanOrEqual(2.72);
    }
  });

  test('D_prod·d is within ±15% of 1.55, 0.55, 0.18, 0.05', async () => {
    for (const [i, ref] of [1.55, 0.55, 0.18, 0.05].entries()) {
      const ip = await medianOf(task(i + 1), 'turboquant/turboquant-prod', 'ip_err');
      expect(Math.abs(ip / ref - 1), `b = ${i + 1}: ${ip}`).toBeLessThan(0.15);
    }
  });

  test('the MSE quantizer is biased: slope 2/π ± 0.02 at b = 1, rising towards 1 (0.878, 0.968, 0.991 ± 0.02)', async () => {
    const slopes = await Promise.all([1, 2, 3, 4].map(async (b) => 1 - (await medianOf(task(b), 'turboquant/turboquant-mse', 'ip_bias'))));
    expect(Math.abs(slopes[0] - 2 / Math.PI)).toBeLessThan(0.02);
    [0.878, 0.968, 0.991].forEach((ref, i) => expect(Math.abs(slopes[i + 1] - ref)).toBeLessThan(0.02));
    for (let i = 1; i < 4; i++) expect(slopes[i]).toBeGreaterThan(slopes[i - 1]);
  });

  test('measured against PQ (not reproduced): PQ distorts less, by a wide margin at N = 1000', async () => {
    const tq = await medianOf('vector-quantization/turboquant-pq', 'turboquant/turboquant-mse', 'mse');
    const pq = await medianOf('vector-quantization/turboquant-pq', 'baselines/product-quantization', 'mse');
    expect(Math.abs(tq - 0.117)).toBeLessThan(0.01);
    expect(pq).toBeLessThan(0.7 * tq);
  }, 60_000);
});
