import { beforeAll, describe, expect, test } from 'vitest';
import { allFamilies, createRegistry, dictionaryLearning, evaluateClaim, generateInstance, Matrix, scoreSolution, solveService, type AnySolver } from '@parsimony/core';
import { ompMany } from '@parsimony/plugin-baselines';
import plugin, { claims } from '../src/index.js';
import { CODING_TASK, LEARNING_TASK, median } from './helpers.js';

/**
 * The claims on their bench tasks (quick sizes, 3 seeds, instances seeded
 * like the bench's `[suite, task, seed]`, every solver with its default
 * params through the solve service), verdicts by core's evaluateClaim over
 * the median of the seeds.
 */
const SEEDS = [0, 1, 2];
const TASKS = {
  'dictionary-learning/beyond-l1-coding': CODING_TASK,
  'dictionary-learning/beyond-l1': LEARNING_TASK,
} as const;
type TaskId = keyof typeof TASKS;

/** task -> metric -> solver -> one value per seed */
const results = new Map<string, Map<string, Map<string, number[]>>>();
/** rep_err of OMP with the true k on the coding-only task, per seed. */
const ompErr: number[] = [];
const medianOf = (task: string, metric: string) => (solver: string) => {
  const v = results.get(task)?.get(metric)?.get(solver);
  return v && v.length ? median(v) : undefined;
};

beforeAll(async () => {
  const service = solveService(createRegistry(allFamilies));
  const all: AnySolver[] = [...plugin.solvers];
  for (const [task, params] of Object.entries(TASKS)) {
    // Learning costs ~0.5 s a run: only the two solvers its claim compares run there.
    const ids = task === 'dictionary-learning/beyond-l1' ? ['beyond-l1/soft', 'beyond-l1/cel0'] : plugin.solvers.map((s) => s.id);
    const byMetric = new Map<string, Map<string, number[]>>();
    results.set(task, byMetric);
    for (const seed of SEEDS) {
      const { observation, truth } = generateInstance(dictionaryLearning, params, ['default', task, seed]);
      if (observation.D) {
        // Reference, not a claim: OMP with the true k on the given D (the oracle-sparsity coder, baselines' ompMany).
        const { Y, D, k } = observation, N = Y.cols, K = D.cols;
        const cols = Array.from({ length: N }, (_, j) => Float64Array.from({ length: Y.rows }, (_, i) => Y.data[i * N + j]));
        const X = Matrix.zeros(K, N);
        ompMany(D, cols, { k }).forEach((x, j) => x.forEach((v, a) => (X.data[a * N + j] = v)));
        const outcome = scoreSolution(dictionaryLearning, observation, truth, { X });
        if (outcome.status === 'ok') ompErr.push(outcome.metrics.rep_err);
      }
      for (const id of ids) {
        const solver = all.find((s) => s.id === id)!;
        const { solution } = await service.solve(solver, observation, {}, { seed: ['default', task, seed, id] });
        const outcome = scoreSolution(dictionaryLearning, observation, truth, solution);
        if (outcome.status !== 'ok') throw new Error(`${id} on ${task} seed ${seed}: ${outcome.status}`);
        for (const [metric, value] of Object.entries(outcome.metrics)) {
          if (!byMetric.has(metric)) byMetric.set(metric, new Map());
          const bySolver = byMetric.get(metric)!;
          bySolver.set(id, [...(bySolver.get(id) ?? []), value]);
        }
      }
    }
    console.log(
      `${task}\n` +
        ids
          .map((id) => `  ${id.padEnd(16)} rep_err ${medianOf(task, 'rep_err')(id)!.toFixed(4)}  density ${medianOf(task, 'density')(id)!.toFixed(4)}  atom_recovery ${medianOf(task, 'atom_recovery')(id)!.toFixed(3)}`)
          .join('\n') +
        (ompErr.length ? `\n  OMP (true k)     rep_err ${median(ompErr).toFixed(4)}` : ''),
    );
    ompErr.length = 0;
  }
}, 120_000);

/** The verdict each claim gets here, as measured (see the README's Claims section). */
const expected: Record<string, 'reproduced' | 'not reproduced'> = {
  'cel0-beats-soft-coding': 'reproduced',
  'cel0-close-to-hard-coding': 'reproduced',
  // Measured (3 seeds, median rep_err): CEL0 0.47 vs soft 0.59, a 1.26x gain where 1.5x is claimed.
  'cel0-beats-soft-learning': 'not reproduced',
};

describe('claims (3 seeds, median)', () => {
  test('every claim names a solver of this plugin and one of its two tasks', () => {
    const ids = plugin.solvers.map((s: AnySolver) => s.id);
    for (const c of claims) {
      expect(ids).toContain(c.solver);
      expect(ids).toContain(c.versus);
      expect(Object.keys(TASKS)).toContain(c.task);
    }
  });

  test.each(claims.map((c) => [c.id, c] as const))('%s', (id, claim) => {
    const direction = dictionaryLearning.metrics.find((m) => m.id === claim.metric)!.direction;
    const verdict = evaluateClaim(claim, direction, medianOf(claim.task, claim.metric));
    console.log(`${id}: ${verdict.verdict} — ${verdict.detail}`);
    expect(verdict.verdict, verdict.detail).toBe(expected[id]);
  });

  test('every solver meets the matched density: within [0.9ρ, ρ] on every seed', () => {
    for (const [task, p] of Object.entries(TASKS) as [TaskId, (typeof TASKS)[TaskId]][]) {
      const rho = p.k / p.K;
      for (const [id, densities] of results.get(task)!.get('density')!) {
        for (const d of densities) {
          expect(d, `${id} on ${task}`).toBeLessThanOrEqual(rho + 1e-12);
          expect(d, `${id} on ${task}`).toBeGreaterThanOrEqual(0.9 * rho - 1e-12);
        }
      }
    }
  });
});
