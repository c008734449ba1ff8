import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Matrix, allFamilies, createRegistry, createRng, generateInstance, gram, matvec, solveService, sparseRegression, type SparseRegressionObservation, type SparseRegressionSolution } from '@parsimony/core';
import { lasso, lassoGram, lassoMany, lassoSolver } from '../src/index.js';
import { fixtures, npyMatrix, npyVector, rel, rowsOf, supportOf } from './helpers.js';

const service = solveService(createRegistry(allFamilies));
const f = fixtures.cases.lasso;
const X = npyMatrix(f.X), y = npyVector(f.y);

describe('lasso against scikit-learn Lasso(fit_intercept=False) (fixtures/make_fixtures.py)', () => {
  const coefs = rowsOf(npyMatrix(f.coef));
  const cases: [string, number, number][] = f.runs.map((r: { alpha: number; tol: number }, i: number) => [r.alpha.toPrecision(4), r.tol, i]);
  test.each(cases)(
    'alpha = %s, tol = %s: same support, coefficients to 1e-6, same epochs and gap',
    (_a, _t, i) => {
      const run = f.runs[i];
      const want = coefs[i];
      const got = lasso(X, y, { alpha: run.alpha, tol: run.tol, maxIter: run.max_iter });
      expect(supportOf(got.w)).toEqual(supportOf(want));
      expect(rel(got.w, want)).toBeLessThan(1e-6);
      // Same update order and stopping rule: the same number of epochs (n_iter_) and dual_gap_.
      expect(got.iterations).toBe(run.n_iter);
      expect(got.dualGap).toBeCloseTo(run.dual_gap, 12);
    },
  );

  test('several responses: lassoMany and lasso match Lasso(), lassoGram matches Lasso(precompute=True)', () => {
    const ys = rowsOf(npyMatrix(f.Ys));
    const gramRef = rowsOf(npyMatrix(f.W_many_gram));
    const plainRef = rowsOf(npyMatrix(f.W_many_plain));
    const many = lassoMany(X, ys, { alpha: f.alpha_many });
    const G = gram(X);
    ys.forEach((yi, i) => {
      expect(supportOf(many[i].w)).toEqual(supportOf(plainRef[i]));
      expect(rel(many[i].w, plainRef[i])).toBeLessThan(1e-6);
      expect(rel(lasso(X, yi, { alpha: f.alpha_many }).w, plainRef[i])).toBeLessThan(1e-6);
      const viaGram = lassoGram(G, matvec(X, yi, true), yi.reduce((s, v) => s + v * v, 0), X.rows, { alpha: f.alpha_many });
      expect(supportOf(viaGram.w)).toEqual(supportOf(gramRef[i]));
      expect(rel(viaGram.w, gramRef[i])).toBeLessThan(1e-6);
    });
  });
});

describe('lasso', () => {
  test('satisfies the KKT conditions at tight tolerance (property)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.double({ min: 0.02, max: 0.8, noNaN: true }), (seed, ratio) => {
        const rng = createRng('lasso-kkt', seed);
        const N = 30, d = 50;
        const A = Matrix.zeros(N, d);
        rng.fillNormal(A.data);
        const b = rng.fillNormal(new Float64Array(N));
        let amax = 0;
        for (const v of matvec(A, b, true)) amax = Math.max(amax, Math.abs(v) / N);
        const alpha = ratio * amax;
        const { w } = lasso(A, b, { alpha, tol: 1e-14, maxIter: 100000 });
        const fit = matvec(A, w);
        const r = b.map((v, i) => v - fit[i]);
        const grad = matvec(A, r, true).map((v) => v / N); // Xᵀ(y − Xw)/N
        w.forEach((wj, j) => {
          if (wj !== 0) expect(grad[j]).toBeCloseTo(alpha * Math.sign(wj), 6);
          else expect(Math.abs(grad[j])).toBeLessThanOrEqual(alpha * (1 + 1e-6));
        });
      }),
      { numRuns: 20 },
    );
  });

  test('lassoGram gives the iterates of lasso (same epochs, same answer)', () => {
    const G = Matrix.zeros(X.cols, X.cols);
    G.data.set(matmulT(X).data);
    const q = matvec(X, y, true);
    const yy = y.reduce((s, v) => s + v * v, 0);
    for (const alpha of [0.5, 0.1, 0.02]) {
      const a = lasso(X, y, { alpha });
      const b = lassoGram(G, q, yy, X.rows, { alpha });
      expect(b.iterations).toBe(a.iterations);
      expect(rel(b.w, a.w)).toBeLessThan(1e-9);
    }
  });

  test('alpha ≥ ‖Xᵀy‖_∞/N gives w = 0 after one epoch', () => {
    let amax = 0;
    for (const v of matvec(X, y, true)) amax = Math.max(amax, Math.abs(v) / X.rows);
    const got = lasso(X, y, { alpha: amax * 1.0001 });
    expect(got.w.every((v) => v === 0)).toBe(true);
    expect(got.iterations).toBe(1);
  });

  test('the reported objective never increases (coordinate descent is monotone)', () => {
    const trace: number[] = [];
    lasso(X, y, { alpha: 0.05, tol: 1e-10, onIteration: (_e, obj) => trace.push(obj) });
    expect(trace.length).toBeGreaterThan(3);
    for (let i = 1; i < trace.length; i++) expect(trace[i]).toBeLessThanOrEqual(trace[i - 1] * (1 + 1e-12));
  });

  test('maxIter caps the epochs', () => {
    expect(lasso(X, y, { alpha: 0.01, tol: 0, maxIter: 3 }).iterations).toBe(3);
  });

  test("the bench entry minimizes the family's objective with the observation's lambda", async () => {
    const { observation: o } = generateInstance(sparseRegression, { N: 60, d: 100, k: 5 }, [3]);
    const { solution } = (await service.solve(lassoSolver, o, { tol: 1e-8 })) as { solution: SparseRegressionSolution };
    const direct = lasso(o.X, o.y, { alpha: o.lambda!, tol: 1e-8 });
    expect(Array.from(solution.w)).toEqual(Array.from(direct.w));
    expect(solution.iterations).toBe(direct.iterations);
    expect(objective(o, solution.w)).toBeLessThan(objective(o, new Float64Array(100)));
  });

  test('refuses a logistic-loss observation, naming the field', async () => {
    const { observation: o } = generateInstance(sparseRegression, { N: 20, d: 30, k: 2, loss: 'logistic' }, [1]);
    await expect(service.solve(lassoSolver, o)).rejects.toThrow("baselines/lasso: observation.loss = 'logistic' is not supported");
  });

  test('bad inputs are clear errors', () => {
    expect(() => lasso(Matrix.zeros(3, 4), new Float64Array(2), { alpha: 1 })).toThrow('lasso: y has 2 entries, X has 3 rows');
    expect(() => lasso(X, y, { alpha: 0 })).toThrow('lasso: alpha must be a finite number > 0 (got 0)');
    expect(() => lassoMany(X, [y, new Float64Array(3)], { alpha: 1 })).toThrow('lassoMany: ys[1] has 3 entries, X has 60 rows');
  });

  test('honours an aborted signal', () => {
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    expect(() => lasso(X, y, { alpha: 0.1, signal: ac.signal })).toThrow('stop');
  });
});

/** XᵀX by definition (independent of core's gram). */
function matmulT(A: Matrix): Matrix {
  const { rows: m, cols: n, data } = A;
  const G = Matrix.zeros(n, n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) G.data[j * n + k] += data[i * n + j] * data[i * n + k];
  return G;
}

/** The family's reported objective (1/2N)‖y − Xw‖² + λ‖w‖₁. */
function objective(o: SparseRegressionObservation, w: Float64Array): number {
  const fit = matvec(o.X, w);
  const rss = o.y.reduce((s, v, i) => s + (v - fit[i]) ** 2, 0);
  return rss / (2 * o.y.length) + o.lambda! * w.reduce((s, v) => s + Math.abs(v), 0);
}
