import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { allFamilies, createRegistry, createRng, generateInstance, lstsq, Matrix, matrixCompletion, scoreSolution, solveService, typescriptBackend } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import plugin, { robustAltmin, robustAltminSolver } from '../src/index.js';
import { groupEntries, splitEntries } from '../src/internal/entries.js';
import { SketchedRegression } from '../src/internal/sketched-regression.js';

// Five iterations keep the kit's four solves on the quick instance short (convergence is tested below).
describeSolverConformance(robustAltminSolver, {
  params: { maxIter: 5 },
  invalidParams: [
    { params: { maxIter: 0 }, message: 'params.maxIter must be >= 1' },
    { params: { k: 0 }, message: 'params.k must be >= 1' },
    { params: { innerIter: 0 }, message: 'params.innerIter must be >= 1' },
    { params: { innerTol: 2 }, message: 'params.innerTol must be <= 1' },
    { params: { sketchRows: 0 }, message: 'params.sketchRows must be >= 1' },
    { params: { mu: 0 }, message: 'params.mu' },
    { params: { sampleSplitting: 'yes' }, message: 'params.sampleSplitting' },
  ],
});

/** One small least-squares problem min_x ‖A x − b‖ laid out as the solver sees it: F's rows 0..s-1. */
function problem(s: number, k: number, seed: number, noise = 0) {
  const rng = createRng('regression', seed);
  const A = Matrix.zeros(s, k);
  rng.fillNormal(A.data as Float64Array);
  const x = rng.fillNormal(new Float64Array(k));
  const b = new Float64Array(s);
  for (let t = 0; t < s; t++) {
    for (let c = 0; c < k; c++) b[t] += A.data[t * k + c] * x[c];
    b[t] += noise * rng.normal();
  }
  const ids = Int32Array.from({ length: s }, (_, t) => t);
  return { A, b, ids, rng };
}

describe('SketchedRegression (CountSketch-preconditioned CG)', () => {
  test('with k + 2 CG steps and no early stop it solves the least-squares problem (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 80 }), fc.nat(), (k, extra, seed) => {
        const s = k + extra + 2;
        const { A, b, ids, rng } = problem(s, k, seed, 0.1);
        const reg = new SketchedRegression({ k, sketchRows: Math.max(4 * k, k + 10), maxRows: s, innerIter: k + 2, innerTol: 0, warmStart: true, rng, linalg: typescriptBackend });
        const x = new Float64Array(k);
        reg.solve(A.data, ids, 0, s, ids, b, x);
        const want = lstsq(A, b).x;
        let d = 0, w = 0;
        for (let c = 0; c < k; c++) {
          d += (x[c] - want[c]) ** 2;
          w += want[c] ** 2;
        }
        // 5000 runs: worst 7.8e-13.
        expect(Math.sqrt(d / w)).toBeLessThan(1e-8);
      }),
      { numRuns: 100 },
    );
  });

  test('with no more rows than the sketch, the preconditioner is exact: one CG step solves the problem', () => {
    const { A, b, ids, rng } = problem(12, 4, 7, 0.5);
    const reg = new SketchedRegression({ k: 4, sketchRows: 16, maxRows: 12, innerIter: 1, innerTol: 0, warmStart: true, rng, linalg: typescriptBackend });
    const x = new Float64Array(4);
    reg.solve(A.data, ids, 0, 12, ids, b, x);
    const want = lstsq(A, b).x;
    for (let c = 0; c < 4; c++) expect(x[c]).toBeCloseTo(want[c], 10);
  });

  test('a warm start at the solution stops after one CG step', () => {
    const { A, b, ids, rng } = problem(50, 4, 1, 0.1);
    const reg = new SketchedRegression({ k: 4, sketchRows: 16, maxRows: 50, innerIter: 5, innerTol: 1e-3, warmStart: true, rng, linalg: typescriptBackend });
    const x = lstsq(A, b).x.slice();
    reg.solve(A.data, ids, 0, 50, ids, b, x);
    expect(reg.cgIterations).toBe(1);
    expect(Array.from(x).map((v, c) => v - lstsq(A, b).x[c]).every((d) => Math.abs(d) < 1e-12)).toBe(true);
  });

  test('counts s(23k + 32) + r k(k+1) + k³/3 + 10k² + 28k flops when s > r and all 5 CG steps run', () => {
    for (const [s, k, r] of [[480, 20, 80], [480, 40, 160], [61, 7, 28]]) {
      const { A, b, ids, rng } = problem(s, k, 2, 1);
      const reg = new SketchedRegression({ k, sketchRows: r, maxRows: s, innerIter: 5, innerTol: 0, warmStart: true, rng, linalg: typescriptBackend });
      reg.solve(A.data, ids, 0, s, ids, b, new Float64Array(k));
      expect(reg.cgIterations).toBe(5);
      expect(reg.takeFlops()).toBeCloseTo(s * (23 * k + 32) + r * k * (k + 1) + k ** 3 / 3 + 10 * k * k + 28 * k, 6);
    }
  });

  test('no observed entries gives 0; an all-zero design gives 0', () => {
    const reg = new SketchedRegression({ k: 2, sketchRows: 12, maxRows: 3, innerIter: 5, innerTol: 1e-3, warmStart: true, rng: createRng(1), linalg: typescriptBackend });
    const x = new Float64Array([1, 2]);
    reg.solve(new Float64Array(6), new Int32Array(3), 0, 0, new Int32Array(3), new Float64Array(3), x);
    expect(Array.from(x)).toEqual([0, 0]);
    x.set([1, 2]);
    reg.solve(new Float64Array(6), Int32Array.from([0, 1, 2]), 0, 3, Int32Array.from([0, 1, 2]), new Float64Array([1, 1, 1]), x);
    expect(Array.from(x)).toEqual([0, 0]);
  });
});

describe('Ω grouping', () => {
  test('groupEntries is a stable counting sort by key', () => {
    const g = groupEntries(Int32Array.from([2, 0, 2, 1, 0]), 4);
    expect(Array.from(g.ptr)).toEqual([0, 2, 3, 5, 5]);
    expect(Array.from(g.ids)).toEqual([1, 4, 3, 0, 2]);
    expect(g.maxSize).toBe(2);
    expect(Array.from(groupEntries(Int32Array.from([2, 0, 2, 1, 0]), 4, Int32Array.from([0, 3])).ids)).toEqual([3, 0]);
  });

  test('splitEntries partitions Ω into disjoint parts', () => {
    const rng = createRng(3);
    const parts = splitEntries(1000, 7, (n) => rng.int(n));
    const all = parts.flatMap((p) => Array.from(p)).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 1000 }, (_, t) => t));
  });
});

describe('robustAltmin', () => {
  const small = { m: 120, n: 90, rank: 3, samples: 3000, nTest: 200 };

  test('recovers a noiseless rank-3 matrix to 1e-8, linearly (the residual falls every iteration)', () => {
    const { observation, truth } = generateInstance(matrixCompletion, small, [1]);
    const residuals: number[] = [];
    const res = robustAltmin(observation, { rng: createRng(1), onIteration: (it) => residuals.push(it.residual) });
    const s = scoreSolution(matrixCompletion, observation, truth, { U: res.U, V: res.V });
    expect(s).toMatchObject({ status: 'ok' });
    if (s.status === 'ok') expect(s.metrics.rel_err_full).toBeLessThan(1e-7);
    for (let t = 1; t < residuals.length; t++) expect(residuals[t]).toBeLessThan(residuals[t - 1]);
    expect(res.flops.halfSteps).toHaveLength(2 * res.iterations);
  });

  test('U is orthonormal and the flop counts are positive and deterministic', () => {
    const { observation } = generateInstance(matrixCompletion, small, [2]);
    const a = robustAltmin(observation, { maxIter: 3, rng: createRng(5) });
    const b = robustAltmin(observation, { maxIter: 3, rng: createRng(5) });
    expect(b.flops).toEqual(a.flops);
    expect(a.flops.halfSteps.every((f) => f > 0)).toBe(true);
    const k = a.U.cols;
    for (let p = 0; p < k; p++)
      for (let q = 0; q < k; q++) {
        let d = 0;
        for (let i = 0; i < a.U.rows; i++) d += a.U.data[i * k + p] * a.U.data[i * k + q];
        expect(d).toBeCloseTo(p === q ? 1 : 0, 12);
      }
  });

  test('without warm start each regression starts from 0 and needs more CG steps', () => {
    const { observation } = generateInstance(matrixCompletion, { ...small, snrDb: 30 }, [3]);
    const cg = (warmStart: boolean) => {
      const steps: number[] = [];
      robustAltmin(observation, { maxIter: 6, tol: 0, warmStart, rng: createRng(1), onIteration: (it) => steps.push(it.cgIterations) });
      return steps.at(-1)!;
    };
    expect(cg(true)).toBeLessThan(cg(false));
  });

  test('sample splitting (2T + 1 disjoint parts of Ω) runs and still improves on the init', () => {
    const { observation } = generateInstance(matrixCompletion, { ...small, samples: 8000 }, [4]);
    const residuals: number[] = [];
    robustAltmin(observation, { maxIter: 3, sampleSplitting: true, rng: createRng(1), onIteration: (it) => residuals.push(it.residual) });
    expect(residuals.at(-1)!).toBeLessThan(residuals[0]);
  });

  test('k above min(m, n) and sketchRows below k are errors naming the field', () => {
    const { observation } = generateInstance(matrixCompletion, small, [1]);
    expect(() => robustAltmin(observation, { k: 91 })).toThrow('robust-altmin: params.k = 91 exceeds min(rows, cols) = 90');
    expect(() => robustAltmin(observation, { k: 5, sketchRows: 4 })).toThrow('params.sketchRows = 4 is below k = 5');
  });

  test('the bench entry reports the flops of each half-step in the trace', async () => {
    const { observation } = generateInstance(matrixCompletion, small, [1]);
    const { trace } = await solveService(createRegistry(allFamilies)).solve(robustAltminSolver, observation, { maxIter: 2, tol: 0 }, { seed: [1] });
    expect(trace.map((p) => p.iteration)).toEqual([0, 1, 2]);
    expect(trace[1].flops_v).toBeGreaterThan(0);
    expect(trace[1].flops_half_step).toBe((trace[1].flops_v + trace[1].flops_u) / 2);
  });

  test('the plugin manifest lists the solver and its claims', () => {
    expect(plugin.solvers.map((s) => s.id)).toEqual(['robust-altmin/robust-altmin']);
    expect(plugin.claims.map((c) => c.id)).toEqual(['noiseless-reaches-1e-6', 'noisy-within-5pct-of-exact', 'flops-linear-in-k']);
  });
});
