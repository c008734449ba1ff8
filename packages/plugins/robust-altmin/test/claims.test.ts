import { describe, expect, test } from 'vitest';
import { createRng, evaluateClaim, generateInstance, Matrix, matrixCompletion, scoreSolution, type MatrixCompletionObservation, type MatrixCompletionTruth } from '@parsimony/core';
import { als } from '@parsimony/plugin-baselines';
import { claims, robustAltmin } from '../src/index.js';

/**
 * The paper's claims on small seeded tasks, each verdict from core's
 * evaluateClaim on the median over three seeds. The tasks are the bench
 * tasks' quick sizes: `matrix-completion/robust-altmin(-noisy)` at
 * 250 x 250, rank 8, |Ω| = 20 000 (p = 0.32, 5x the degrees of freedom;
 * k > q_max = 5, so CG cannot solve a regression exactly in 5 steps),
 * and claim (2) on |Ω| = 6 (m + n) 40 at m = n = 500 for k = 20 and 40.
 */
const SEEDS = [1, 2, 3];
const claim = (id: string) => claims.find((c) => c.id === id)!;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const small = { m: 250, n: 250, rank: 8, samples: 20_000, nTest: 1000 };

type Run = { iterations: number; reach: number; metrics: Record<string, number> };

/** Runs one AM variant; `reach` is the first iteration with rel_err_full <= 1e-6 (-1: never). */
function run(solve: typeof robustAltmin | typeof als, obs: MatrixCompletionObservation, truth: MatrixCompletionTruth, seed: number): Run {
  let reach = -1;
  const res = solve(obs, {
    rng: createRng('claims', seed),
    onIteration: (it) => {
      if (reach >= 0 || it.iteration === 0) return;
      const s = scoreSolution(matrixCompletion, obs, truth, { U: Matrix.clone(it.U), V: Matrix.clone(it.V) });
      if (s.status === 'ok' && s.metrics.rel_err_full <= 1e-6) reach = it.iteration;
    },
  });
  const s = scoreSolution(matrixCompletion, obs, truth, { U: res.U, V: res.V });
  if (s.status !== 'ok') throw new Error(s.reason);
  return { iterations: res.iterations, reach, metrics: s.metrics };
}

describe('claim (1): robustness to approximate regressions', () => {
  test('noiseless-reaches-1e-6: both reach 1e-6 within 30 iterations, iteration counts within 30% (measured: 11 for both on every seed)', () => {
    const robust: Run[] = [], exact: Run[] = [];
    for (const seed of SEEDS) {
      const { observation, truth } = generateInstance(matrixCompletion, small, ['robust-altmin', seed]);
      robust.push(run(robustAltmin, observation, truth, seed));
      exact.push(run(als, observation, truth, seed));
    }
    const c = claim('noiseless-reaches-1e-6');
    const verdict = evaluateClaim(c, 'min', (id) => (id === c.solver ? median(robust.map((r) => r.metrics.rel_err_full)) : undefined));
    expect(verdict.verdict).toBe('reproduced');
    for (let s = 0; s < SEEDS.length; s++) {
      expect(exact[s].reach).toBeGreaterThan(0);
      expect(robust[s].reach).toBeGreaterThan(0);
      expect(robust[s].reach).toBeLessThanOrEqual(30);
      expect(Math.abs(robust[s].reach - exact[s].reach)).toBeLessThanOrEqual(0.3 * exact[s].reach);
    }
    // Measured: both reach 1e-6 at iteration 11 on every seed and stop (tol 1e-8) at 15.
    expect(robust.map((r) => r.reach)).toEqual([11, 11, 11]);
    expect(exact.map((r) => r.reach)).toEqual([11, 11, 11]);
  });

  test('noisy-within-5pct-of-exact (40 dB): rmse_test ratio 1.000065 <= 1.05; robust AM is worse by 7e-5 relative on every seed', () => {
    const robust: number[] = [], exact: number[] = [];
    for (const seed of SEEDS) {
      const { observation, truth } = generateInstance(matrixCompletion, { ...small, snrDb: 40 }, ['robust-altmin-noisy', seed]);
      robust.push(run(robustAltmin, observation, truth, seed).metrics.rmse_test);
      exact.push(run(als, observation, truth, seed).metrics.rmse_test);
    }
    const c = claim('noisy-within-5pct-of-exact');
    const ratio = median(robust) / median(exact);
    expect(evaluateClaim(c, 'min', (id) => (id === c.solver ? ratio : undefined)).verdict).toBe('reproduced');
    expect(ratio).toBeCloseTo(1.000065, 5);
    // Both converge to the same fixed point; robust AM ends a hair behind, so the strict form
    // (margin 0 against baselines/als on rmse_test) would read 'not reproduced'.
    for (let s = 0; s < SEEDS.length; s++) expect(robust[s] / exact[s] - 1).toBeGreaterThan(0);
    for (let s = 0; s < SEEDS.length; s++) expect(robust[s] / exact[s] - 1).toBeLessThan(1e-4);
  });
});

describe('claim (2): nearly linear cost in k (flop counts, not time)', () => {
  // A V-step's flops depend on Ω only through the entries per column: s = 480 on average, as
  // |Ω| = 6 (m + n) 40 gives for m = n. Here m = 500 rows and n = 100 columns, |Ω| = 480 n, for
  // k = 20 and k = 40 on the same positions. innerTol = 0 makes every regression take its q_max = 5
  // CG steps, the cost the paper's bound counts: the counts are then the closed forms of
  // test/robust-altmin.test.ts, independent of the seed and of how good the warm start is.
  const size = { m: 500, n: 100, samples: 480 * 100, nTest: 500 };
  const vStep = (rank: number) => {
    const { observation } = generateInstance(matrixCompletion, { ...size, rank }, ['robust-altmin-scale', 1]);
    const rng = createRng('claims', 1);
    const robust = robustAltmin(observation, { maxIter: 1, innerTol: 0, rng }).flops.halfSteps[0];
    return { robust, exact: als(observation, { maxIter: 1, rng }).flops.halfSteps[0] };
  };

  test('flops-linear-in-k: exact AM x3.79 (>= 3.5 holds); robust AM x2.74 (claimed <= 2.5: not reproduced at 480 entries per column)', () => {
    const k20 = vStep(20), k40 = vStep(40);
    const ratio = { robust: k40.robust / k20.robust, exact: k40.exact / k20.exact };
    expect(ratio.exact).toBeGreaterThanOrEqual(3.5);
    expect(ratio.exact).toBeCloseTo(3.7906, 4);
    const c = claim('flops-linear-in-k');
    const verdict = evaluateClaim(c, 'min', (id) => (id === c.solver ? ratio.robust : undefined));
    expect(verdict).toMatchObject({ verdict: 'not reproduced', reference: 2.5 });
    expect(ratio.robust).toBeCloseTo(2.7359, 4);
    // Robust AM is already cheaper than exact AM at k = 40 (0.89x), not at k = 20 (1.23x).
    expect(k40.robust / k40.exact).toBeCloseTo(0.8914, 3);
    expect(k20.robust / k20.exact).toBeCloseTo(1.2346, 3);
  });
});
