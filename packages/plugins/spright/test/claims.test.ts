/**
 * The paper's claims (src/claims.ts) on their bench tasks at full size
 * (n = 16: each SPRIGHT run takes milliseconds), 20 seeds as the paper file
 * asks, verdicts from core's evaluateClaim over the median. Samples are
 * counted by the family's session (distinct indices). Tolerances: those of
 * the paper file (≥ 19/20 exact supports, ≤ 0.3·N samples, error ≤ 2x the
 * full FWHT's, SparseFHT ≤ 10/20, sample ratio in [1.6, 2.4]).
 */
import { describe, expect, test } from 'vitest';
import { allFamilies, createRegistry, evaluateClaim, generateInstance, scoreSolution, solveService, sparseTransform, type AnySolver } from '@parsimony/core';
import { fwhtTopKSolver } from '@parsimony/plugin-baselines';
import plugin, { claims } from '../src/index.js';

/** Generator params of each claim task: the suite entries of the report. */
const TASKS: Record<string, Record<string, unknown>> = {
  'sparse-transform/spright': { n: 16, K: 32, snrDb: 10, amplitudes: 'unit' },
  'sparse-transform/spright-k64': { n: 16, K: 64, snrDb: 10, amplitudes: 'unit' },
  // The paper file's noisy-hard task: no claim, measured below.
  'sparse-transform/spright-0db': { n: 16, K: 32, snrDb: 0, amplitudes: 'unit' },
};
const SEEDS = Array.from({ length: 20 }, (_, i) => i);
const SOLVERS: Record<string, AnySolver> = Object.fromEntries([...plugin.solvers, fwhtTopKSolver].map((s) => [s.id, s]));
const service = solveService(createRegistry(allFamilies));

const runs = new Map<string, Promise<Record<string, number>[]>>();
/** Metrics of `solver` on `task` for each seed, the session counting the samples (memoized). */
function metricsOf(task: string, solver: string): Promise<Record<string, number>[]> {
  const key = `${task} ${solver}`;
  if (!runs.has(key)) {
    runs.set(
      key,
      (async () => {
        const out: Record<string, number>[] = [];
        for (const seed of SEEDS) {
          const { observation, truth } = generateInstance(sparseTransform, TASKS[task], ['claims', task, seed]);
          const session = sparseTransform.interaction!.open(observation, truth);
          const { solution } = await service.solve(SOLVERS[solver], observation, {}, { seed: ['claims', task, seed, solver], interact: (m, a) => session.handle(m, a) });
          const outcome = scoreSolution(sparseTransform, observation, truth, solution, session.usage());
          if (outcome.status !== 'ok') throw new Error(`${solver} on ${task}: ${outcome.reason}`);
          out.push(outcome.metrics);
        }
        return out;
      })(),
    );
  }
  return runs.get(key)!;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const medianOf = async (task: string, solver: string, metric: string) => median((await metricsOf(task, solver)).map((m) => m[metric]));
const successes = async (task: string, solver: string, metric: string) => (await metricsOf(task, solver)).filter((m) => m[metric] === 1).length;

/**
 * Measured verdicts that differ from 'reproduced'. error-within-2x-fwht:
 * SPRIGHT's median coef_nmse_db is −32.2 dB against the full FWHT's −43.0 dB
 * (the bound is −37.1 dB): its error is 3.5x the FWHT's, not ≤ 2x. Each of
 * its values averages one bin over P = 5 · 11 delays (noise σ²/(B·P) with
 * B = 64), the FWHT's all N samples (σ²/N); with 14% of the samples no
 * unbiased estimate can get below √(1/0.14) ≈ 2.7x.
 */
const NOT_REPRODUCED = new Set(['error-within-2x-fwht']);

describe('claims (bench tasks, 20 seeds, median)', () => {
  test('every claim names a task of this test, a metric of the family and solvers that exist', () => {
    const metrics = sparseTransform.metrics.map((m) => m.id);
    for (const c of claims) {
      expect(TASKS[c.task], c.id).toBeDefined();
      expect(metrics, c.id).toContain(c.metric);
      expect(SOLVERS[c.solver], c.id).toBeDefined();
      if (c.versus) expect(SOLVERS[c.versus], c.id).toBeDefined();
    }
  });

  test.each(claims.map((c) => [c.id, c] as const))('%s: verdict as measured', async (id, claim) => {
    const direction = sparseTransform.metrics.find((m) => m.id === claim.metric)!.direction;
    const values = new Map<string, number>();
    for (const s of [claim.solver, claim.versus].filter((s): s is string => s !== undefined)) values.set(s, await medianOf(claim.task, s, claim.metric));
    const verdict = evaluateClaim(claim, direction, (s) => values.get(s));
    expect(verdict.verdict, verdict.detail).toBe(NOT_REPRODUCED.has(id) ? 'not reproduced' : 'reproduced');
  });

  test('claim 1: SPRIGHT finds the exact support in ≥ 19 of 20 seeds (measured 20/20, 14% of N)', async () => {
    expect(await successes('sparse-transform/spright', 'spright/spright', 'exact_support')).toBeGreaterThanOrEqual(19);
  });

  test('claim 1: the error ratio to the full FWHT, measured on the same seeds, is 3.5x (not ≤ 2x)', async () => {
    const db = (await medianOf('sparse-transform/spright', 'spright/spright', 'coef_nmse_db')) - (await medianOf('sparse-transform/spright', 'baselines/fwht-top-k', 'coef_nmse_db'));
    const ratio = Math.pow(10, db / 20);
    expect(ratio).toBeGreaterThan(3);
    expect(ratio).toBeLessThan(4.2);
    // The FWHT reads every sample: its error is σ/√N, the claim's reference.
    expect(await medianOf('sparse-transform/spright', 'baselines/fwht-top-k', 'coef_nmse_db')).toBeCloseTo(10 * Math.log10(3.2 / 65536), 0);
  });

  test('claim 2: SparseFHT finds the exact support in ≤ 10 of 20 seeds at 10 dB (measured 0/20)', async () => {
    expect(await successes('sparse-transform/spright', 'spright/sparse-fht', 'exact_support')).toBeLessThanOrEqual(10);
  });

  test('claim 3: doubling K (b = 6 → 7) multiplies the median samples by 1.6 to 2.4 (measured 1.76)', async () => {
    const ratio = (await medianOf('sparse-transform/spright-k64', 'spright/spright', 'samples')) / (await medianOf('sparse-transform/spright', 'spright/spright', 'samples'));
    expect(ratio).toBeGreaterThanOrEqual(1.6);
    expect(ratio).toBeLessThanOrEqual(2.4);
  });

  test('noisy-hard (0 dB, no claim): P1 = 9 is chosen from the measured SNR; exact support in ≥ 18 of 20 seeds with < 0.3·N samples (measured 19/20, 0.250)', async () => {
    expect(await successes('sparse-transform/spright-0db', 'spright/spright', 'exact_support')).toBeGreaterThanOrEqual(18);
    expect(await medianOf('sparse-transform/spright-0db', 'spright/spright', 'sample_fraction')).toBeLessThan(0.3);
  });
});
