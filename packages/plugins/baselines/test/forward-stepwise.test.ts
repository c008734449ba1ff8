import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Matrix, allFamilies, createRegistry, createRng, generateInstance, matvec, solveService, sparseRegression, type SparseRegressionSolution } from '@parsimony/core';
import { forwardStepwise, forwardStepwiseSolver } from '../src/index.js';
import { rel, supportOf } from './helpers.js';

/** Residual sum of squares of the least-squares fit of y on the columns S (normal equations, tiny sizes). */
function lsRss(X: Matrix, y: Float64Array, S: number[]): number {
  const k = S.length, N = X.rows, d = X.cols;
  const G = Array.from({ length: k }, (_, a) => Array.from({ length: k }, (_, b) => {
    let s = 0;
    for (let i = 0; i < N; i++) s += X.data[i * d + S[a]] * X.data[i * d + S[b]];
    return s;
  }));
  const rhs = S.map((j) => y.reduce((s, v, i) => s + v * X.data[i * d + j], 0));
  // Gaussian elimination.
  for (let p = 0; p < k; p++) {
    for (let q = p + 1; q < k; q++) {
      const f = G[q][p] / G[p][p];
      for (let c = p; c < k; c++) G[q][c] -= f * G[p][c];
      rhs[q] -= f * rhs[p];
    }
  }
  const w = new Array<number>(k).fill(0);
  for (let p = k - 1; p >= 0; p--) w[p] = (rhs[p] - G[p].slice(p + 1).reduce((s, g, c) => s + g * w[p + 1 + c], 0)) / G[p][p];
  let rss = 0;
  for (let i = 0; i < N; i++) {
    let fit = 0;
    S.forEach((j, a) => (fit += X.data[i * d + j] * w[a]));
    rss += (y[i] - fit) ** 2;
  }
  return rss;
}

describe('forwardStepwise', () => {
  test('each step adds the feature that lowers the RSS most (brute force, property)', () => {
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        const rng = createRng('fs', seed);
        const X = Matrix.zeros(12, 8);
        rng.fillNormal(X.data);
        const y = rng.fillNormal(new Float64Array(12));
        const steps: number[][] = [];
        for (let k = 1; k <= 4; k++) steps.push(supportOf(forwardStepwise(X, y, { k })));
        let chosen: number[] = [];
        for (const S of steps) {
          const added = S.filter((j) => !chosen.includes(j));
          expect(added.length).toBe(1);
          const best = Math.min(...Array.from({ length: 8 }, (_, j) => j).filter((j) => !chosen.includes(j)).map((j) => lsRss(X, y, [...chosen, j])));
          expect(lsRss(X, y, S)).toBeCloseTo(best, 9);
          chosen = S;
        }
      }),
      { numRuns: 25 },
    );
  });

  test('the residual is orthogonal to the chosen features (least-squares refit)', () => {
    const { observation: o } = generateInstance(sparseRegression, { N: 50, d: 80, k: 5 }, [2]);
    const w = forwardStepwise(o.X, o.y, { k: 7 });
    const fit = matvec(o.X, w);
    const g = matvec(o.X, o.y.map((v, i) => v - fit[i]), true);
    w.forEach((v, j) => v !== 0 && expect(Math.abs(g[j])).toBeLessThan(1e-9));
  });

  test('recovers a noiseless k-sparse model exactly', () => {
    const { observation: o, truth } = generateInstance(sparseRegression, { N: 60, d: 100, k: 5, noiseStd: 0 }, [3]);
    expect(rel(forwardStepwise(o.X, o.y, { k: 5 }), truth.w)).toBeLessThan(1e-10);
  });

  test('stops once the mean squared residual reaches tol', () => {
    const { observation: o } = generateInstance(sparseRegression, { N: 60, d: 100, k: 5, noiseStd: 0 }, [3]);
    expect(forwardStepwise(o.X, o.y, { k: 30, tol: 1e-12 }).filter((v) => v !== 0).length).toBe(5);
  });

  test('duplicate features are skipped', () => {
    const X = Matrix.fromRows([
      [1, 1, 0],
      [2, 2, 0],
      [0, 0, 1],
    ]);
    const w = forwardStepwise(X, new Float64Array([1, 2, 3]), { k: 3 });
    expect(w.filter((v) => v !== 0).length).toBe(2);
    expect(Array.from(matvec(X, w)).map((v) => +v.toFixed(12))).toEqual([1, 2, 3]);
  });

  test('the bench entry reports its steps and refuses the logistic loss', async () => {
    const service = solveService(createRegistry(allFamilies));
    const { observation: o } = generateInstance(sparseRegression, { N: 60, d: 100, k: 5 }, [4]);
    const { solution, trace } = (await service.solve(forwardStepwiseSolver, o)) as { solution: SparseRegressionSolution; trace: unknown[] };
    expect(solution.iterations).toBe(trace.length);
    const { observation: l } = generateInstance(sparseRegression, { N: 20, d: 30, k: 2, loss: 'logistic' }, [1]);
    await expect(service.solve(forwardStepwiseSolver, l)).rejects.toThrow("baselines/forward-stepwise: observation.loss = 'logistic' is not supported");
  });

  test('bad inputs are clear errors; an aborted signal is honoured', () => {
    expect(() => forwardStepwise(Matrix.zeros(3, 4), new Float64Array(2))).toThrow('forwardStepwise: y has 2 entries, X has 3 rows');
    const { observation: o } = generateInstance(sparseRegression, { N: 20, d: 30, k: 2 }, [1]);
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    expect(() => forwardStepwise(o.X, o.y, { signal: ac.signal })).toThrow('stop');
  });
});
