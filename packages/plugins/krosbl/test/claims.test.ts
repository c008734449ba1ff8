import { beforeAll, describe, expect, test } from 'vitest';
import { allFamilies, createRegistry, evaluateClaim, generateInstance, scoreSolution, solveService, sparseRecovery, type AnySolver } from '@parsimony/core';
import baselines from '@parsimony/plugin-baselines';
import plugin, { claims } from '../src/index.js';
import { KRON_TASK } from './helpers.js';

/**
 * The accuracy claims on the bench task `sparse-recovery/krosbl` (5 seeds,
 * instances seeded like the bench's `[suite, task, seed]`, every solver with
 * its default params through the solve service), verdicts by core's
 * evaluateClaim over the median of the seeds. The time claims
 * (`sparse-recovery/krosbl-scale`) are measured by bench/krosbl.bench.ts and
 * the bench's scale suite, never asserted here.
 */
const SEEDS = Array.from({ length: 5 }, (_, i) => i);
const TASK_ID = 'sparse-recovery/krosbl';
const solverIds = ['krosbl/am-krosbl', 'krosbl/svd-krosbl', 'baselines/sbl', 'baselines/omp', 'baselines/kron-omp'];

/** metric -> solver -> one value per seed */
const results = new Map<string, Map<string, number[]>>();
const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const medianOf = (metric: string) => (solver: string) => {
  const v = results.get(metric)?.get(solver);
  return v && v.length ? median(v) : undefined;
};

beforeAll(async () => {
  const service = solveService(createRegistry(allFamilies));
  const all: AnySolver[] = [...plugin.solvers, ...baselines.solvers];
  for (const seed of SEEDS) {
    const { observation, truth } = generateInstance(sparseRecovery, KRON_TASK, ['default', TASK_ID, seed]);
    for (const id of solverIds) {
      const solver = all.find((s) => s.id === id)!;
      const { solution } = await service.solve(solver, observation, {}, { seed: ['default', TASK_ID, seed, id] });
      const outcome = scoreSolution(sparseRecovery, observation, truth, solution);
      if (outcome.status !== 'ok') throw new Error(`${id} on seed ${seed}: ${outcome.status}`);
      for (const [metric, value] of Object.entries(outcome.metrics)) {
        if (!results.has(metric)) results.set(metric, new Map());
        const bySolver = results.get(metric)!;
        bySolver.set(id, [...(bySolver.get(id) ?? []), value]);
      }
    }
  }
  const row = (id: string) =>
    `${id.padEnd(20)} nmse_db median ${medianOf('nmse_db')(id)!.toFixed(2)}  support_f1 median ${medianOf('support_f1')(id)!.toFixed(3)}  ` +
    `(mean nmse_db ${(results.get('nmse_db')!.get(id)!.reduce((a, b) => a + b, 0) / SEEDS.length).toFixed(2)})`;
  console.log(solverIds.map(row).join('\n'));
}, 120_000);

/** The verdict each accuracy claim gets here, as measured (see the README's Claims section). */
const expected: Record<string, 'reproduced' | 'not reproduced'> = {
  'am-beats-sbl': 'reproduced',
  'svd-beats-sbl': 'reproduced',
  'svd-as-accurate-as-am': 'reproduced',
  'svd-finds-support': 'reproduced',
};

describe(`claims on ${TASK_ID} (5 seeds, median)`, () => {
  test('every claim names a solver of this plugin, and a known task', () => {
    const ids = plugin.solvers.map((s: AnySolver) => s.id);
    for (const c of claims) {
      expect(ids).toContain(c.solver);
      expect(['sparse-recovery/krosbl', 'sparse-recovery/krosbl-scale']).toContain(c.task);
    }
  });

  test.each(claims.filter((c) => c.task === TASK_ID).map((c) => [c.id, c] as const))('%s', (id, claim) => {
    const direction = sparseRecovery.metrics.find((m) => m.id === claim.metric)!.direction;
    const verdict = evaluateClaim(claim, direction, medianOf(claim.metric));
    console.log(`${id}: ${verdict.verdict} — ${verdict.detail}`);
    expect(verdict.verdict, verdict.detail).toBe(expected[id]);
  });

  test('the Kronecker-structured methods beat the greedy baselines (OMP, KOMP) by more than 10 dB', () => {
    for (const s of ['krosbl/am-krosbl', 'krosbl/svd-krosbl']) {
      for (const b of ['baselines/omp', 'baselines/kron-omp']) expect(medianOf('nmse_db')(s)!).toBeLessThan(medianOf('nmse_db')(b)! - 10);
    }
  });
});
