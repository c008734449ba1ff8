import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  allFamilies,
  createRegistry,
  generateInstance,
  gram,
  matmul,
  Matrix,
  matvec,
  primaryMetric,
  scoreSolution,
  solveService,
  spectralUnmixing,
  type AnySolver,
} from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { nnls, nnlsGram, nnlsMany, nnlsSolver } from '../src/solvers/nnls.js';
import { fcls, fclsSolver } from '../src/solvers/fcls.js';
import { sunsal, sunsalSolver } from '../src/solvers/sunsal.js';
import { npyMatrix, npyVector, rel } from './helpers.js';

/** signal.json, written by fixtures/signal/make_fixtures.py with scipy 1.10 and scikit-learn 1.2. */
const fx = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'signal', 'signal.json'), 'utf8')) as {
  cases: {
    nnls: { A: string; b: string; x: string; rnorm: number }[];
    unmixing: { E: string; Y: string; S_true: string; nnls: string; fcls_augmented: { delta: number; S: string }[] };
    sunsal: { E: string; Y: string; runs: { lambda: number; X: string }[] };
  };
};

/** Column j of a matrix (copy). */
const col = (M: Matrix, j: number) => Matrix.column(M, j);

/** Largest relative error over the columns of `a` against `b`. */
function worstColumnRel(a: Matrix, b: Matrix): number {
  let worst = 0;
  for (let j = 0; j < b.cols; j++) worst = Math.max(worst, rel(col(a, j), col(b, j)));
  return worst;
}

/** A random well-conditioned Gaussian matrix from fast-check's numbers. */
const matrixArb = (m: number, n: number) =>
  fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: m * n, maxLength: m * n }).map((v) => Matrix.from(m, n, Float64Array.from(v)));

describeSolverConformance(nnlsSolver, {
  invalidParams: [
    { params: { maxIter: 0 }, message: 'params.maxIter must be >= 1' },
    { params: { tol: -1 }, message: 'params.tol must be >= 0' },
  ],
});
describeSolverConformance(fclsSolver, {
  invalidParams: [
    { params: { delta: 0 }, message: 'params.delta must be > 0' },
    { params: { maxIter: 0 }, message: 'params.maxIter must be >= 1' },
  ],
});
describeSolverConformance(sunsalSolver, {
  invalidParams: [
    { params: { lambda: -1 }, message: 'params.lambda must be >= 0' },
    { params: { mu: 0 }, message: 'params.mu must be > 0' },
    { params: { maxIter: 0 }, message: 'params.maxIter must be >= 1' },
    { params: { sumToOne: 'yes' }, message: 'params.sumToOne' },
  ],
});

describe('nnls against scipy.optimize.nnls (fixtures/signal/make_fixtures.py)', () => {
  fx.cases.nnls.forEach((c, t) => {
    test(`system ${t}: x and the residual norm to 1e-8 relative`, () => {
      const A = npyMatrix(c.A), b = npyVector(c.b), want = npyVector(c.x);
      const res = nnls(A, b);
      expect(res.converged).toBe(true);
      if (want.every((v) => v === 0)) expect(Array.from(res.x)).toEqual(Array.from(want));
      else expect(rel(res.x, want)).toBeLessThan(1e-8);
      expect(Math.abs(res.rnorm - c.rnorm)).toBeLessThan(1e-8 * c.rnorm);
    });
  });

  test('the Gram form (nnlsGram) gives the same x on every system', () => {
    for (const c of fx.cases.nnls) {
      const A = npyMatrix(c.A), b = npyVector(c.b), want = npyVector(c.x);
      const { x } = nnlsGram(gram(A), matvec(A, b, true));
      if (want.every((v) => v === 0)) expect(Array.from(x)).toEqual(Array.from(want));
      else expect(rel(x, want)).toBeLessThan(1e-8);
    }
  });

  test('nnlsMany on a spectral library matches scipy pixel by pixel (outlier pixels included)', () => {
    const u = fx.cases.unmixing;
    const S = nnlsMany(npyMatrix(u.E), npyMatrix(u.Y));
    expect(worstColumnRel(S, npyMatrix(u.nnls))).toBeLessThan(1e-8);
  });
});

describe('nnls', () => {
  test('hand-worked: the negative coordinate is clamped and the rest refit', () => {
    // A = I: x = max(b, 0), residual = the clipped part.
    const res = nnls(Matrix.eye(3), new Float64Array([2, -1, 0.5]));
    expect(Array.from(res.x)).toEqual([2, 0, 0.5]);
    expect(res.rnorm).toBe(1);
    // Two columns that both explain b = (1, 1): [1 0; 0 1; 1 1] x ≈ (1, 1, 3) → x = (4/3, 4/3).
    const r2 = nnls(Matrix.fromRows([[1, 0], [0, 1], [1, 1]]), new Float64Array([1, 1, 3]));
    expect(r2.x[0]).toBeCloseTo(4 / 3, 14);
    expect(r2.x[1]).toBeCloseTo(4 / 3, 14);
  });

  test('property: the KKT conditions hold (x >= 0, w = Aᵀ(b − Ax) <= 0, w_j = 0 where x_j > 0)', () => {
    fc.assert(
      fc.property(matrixArb(12, 6), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 12, maxLength: 12 }), (A, bv) => {
        const b = Float64Array.from(bv);
        const { x } = nnls(A, b);
        const r = matvec(A, x).map((v, i) => b[i] - v);
        const w = matvec(A, r, true);
        for (let j = 0; j < 6; j++) {
          expect(x[j]).toBeGreaterThanOrEqual(0);
          expect(w[j]).toBeLessThan(1e-10);
          if (x[j] > 0) expect(Math.abs(w[j])).toBeLessThan(1e-10);
        }
      }),
      { seed: 1, numRuns: 20 },
    );
  });

  test('maxIter caps the outer iterations and says so', () => {
    const c = fx.cases.nnls[1];
    const res = nnls(npyMatrix(c.A), npyVector(c.b), { maxIter: 1 });
    expect(res.iterations).toBe(1);
    expect(res.converged).toBe(false);
    expect(res.x.filter((v) => v > 0)).toHaveLength(1);
  });

  test('bad inputs are clear errors', () => {
    expect(() => nnls(Matrix.zeros(3, 2), new Float64Array(2))).toThrow('nnls: b has 2 entries, A has 3 rows');
    expect(() => nnls(Matrix.eye(2), new Float64Array(2), { maxIter: 0 })).toThrow('nnls: maxIter must be an integer >= 1 (got 0)');
    expect(() => nnlsGram(Matrix.zeros(2, 3), new Float64Array(3))).toThrow('nnlsGram: G is 2x3, expected a square Gram matrix');
    expect(() => nnlsMany(Matrix.zeros(4, 2), Matrix.zeros(5, 3))).toThrow('nnlsMany: B has 5 rows, A has 4 (both are bands x ...)');
  });
});

describe('fcls (Heinz & Chang 2001)', () => {
  const u = fx.cases.unmixing;
  const E = npyMatrix(u.E), Y = npyMatrix(u.Y);

  for (const run of u.fcls_augmented) {
    test(`augmented form, delta = ${run.delta}: matches scipy nnls on [δE; 1ᵀ], [δy; 1] to 1e-8`, () => {
      expect(worstColumnRel(fcls(E, Y, { delta: run.delta }), npyMatrix(run.S))).toBeLessThan(1e-8);
    });
  }

  test('exact form: every column is on the simplex and satisfies the KKT conditions', () => {
    const S = fcls(E, Y);
    const G = gram(E), EtY = matmul(E, Y, { transA: true });
    const p = E.cols;
    for (let j = 0; j < Y.cols; j++) {
      const s = col(S, j);
      expect(Math.abs(s.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
      // g = Gs − Eᵀy; on the support g_k = −ν (equal), off it g_k ≥ −ν.
      const g = matvec(G, s).map((v, k) => v - EtY.data[k * Y.cols + j]);
      const onSupport = Array.from({ length: p }, (_, k) => k).filter((k) => s[k] > 0);
      expect(s.every((v) => v >= 0)).toBe(true);
      const nu = -g[onSupport[0]];
      const scale = Math.max(...g.map(Math.abs), 1);
      for (const k of onSupport) expect(Math.abs(g[k] + nu)).toBeLessThan(1e-10 * scale);
      for (let k = 0; k < p; k++) expect(g[k] + nu).toBeGreaterThan(-1e-10 * scale);
    }
  });

  test("the augmented form tends to the exact one as δ → 0 (error ~ δ²)", () => {
    const exact = fcls(E, Y);
    const gap = (delta: number) => {
      const S = fcls(E, Y, { delta });
      let m = 0;
      for (let t = 0; t < S.data.length; t++) m = Math.max(m, Math.abs(S.data[t] - exact.data[t]));
      return m;
    };
    const g1 = gap(0.1), g2 = gap(0.01);
    expect(g2).toBeLessThan(g1 / 20);
    expect(g2).toBeLessThan(1e-2);
  });

  test('property: noiseless mixtures on the simplex are recovered exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: E.cols, maxLength: E.cols }), fc.integer({ min: 0, max: E.cols - 1 }), (w, zero) => {
        const s = Float64Array.from(w, (v, k) => (k === zero ? 0 : v + 1e-3));
        const total = s.reduce((a, b) => a + b, 0);
        for (let k = 0; k < s.length; k++) s[k] /= total;
        const y = matvec(E, s);
        const got = col(fcls(E, Matrix.from(E.rows, 1, y)), 0);
        expect(rel(got, s)).toBeLessThan(1e-9);
      }),
      { seed: 1, numRuns: 20 },
    );
  });

  test('bad inputs are clear errors', () => {
    expect(() => fcls(Matrix.zeros(4, 2), Matrix.zeros(5, 3))).toThrow('fcls: Y has 5 rows, E has 4 (both are bands x ...)');
    expect(() => fcls(E, Y, { delta: 0 })).toThrow('fcls: delta must be a finite number > 0 (got 0)');
    const bad = Matrix.clone(Y);
    bad.data[3] = NaN;
    expect(() => fcls(E, bad)).toThrow('fcls: Y[0, 3] is NaN; entries must be finite');
  });
});

describe('sunsal (Bioucas-Dias & Figueiredo 2010)', () => {
  const s = fx.cases.sunsal;
  const E2 = npyMatrix(s.E), Y2 = npyMatrix(s.Y);

  for (const run of s.runs) {
    test(`lambda = ${run.lambda}: the ADMM limit matches scikit-learn Lasso(positive=True, alpha = λ/bands) to 1e-6`, () => {
      const { X } = sunsal(E2, Y2, { lambda: run.lambda, tol: 1e-10, maxIter: 20000 });
      expect(worstColumnRel(X, npyMatrix(run.X))).toBeLessThan(1e-6);
    });
  }

  test('lambda = 0 converges to NNLS, and with sumToOne to exact FCLS', () => {
    const u = fx.cases.unmixing;
    const E = npyMatrix(u.E), Y = npyMatrix(u.Y);
    const plain = sunsal(E, Y, { lambda: 0, tol: 1e-10, maxIter: 20000 });
    expect(worstColumnRel(plain.X, npyMatrix(u.nnls))).toBeLessThan(1e-5);
    const simplex = sunsal(E, Y, { lambda: 0, sumToOne: true, tol: 1e-10, maxIter: 20000 });
    expect(worstColumnRel(simplex.X, fcls(E, Y))).toBeLessThan(1e-5);
  });

  test('residual balancing (adaptMu) reaches the same minimizer', () => {
    const run = s.runs[0];
    const { X } = sunsal(E2, Y2, { lambda: run.lambda, tol: 1e-10, maxIter: 20000, adaptMu: true });
    expect(worstColumnRel(X, npyMatrix(run.X))).toBeLessThan(1e-6);
  });

  test('reports residuals every 10 iterations, and a larger λ gives a sparser X', () => {
    const trace: number[] = [];
    const small = sunsal(E2, Y2, { lambda: 0.05, maxIter: 50, tol: 0, onIteration: (it) => trace.push(it) });
    expect(trace).toEqual([1, 11, 21, 31, 41]);
    expect(small.iterations).toBe(50);
    const nnz = (X: Matrix) => X.data.filter((v) => Math.abs(v) > 1e-8).length;
    const run = (lambda: number) => sunsal(E2, Y2, { lambda, tol: 1e-10, maxIter: 20000 }).X;
    expect(nnz(run(5))).toBeLessThan(nnz(run(0.05)));
  });

  test('bad inputs are clear errors', () => {
    expect(() => sunsal(Matrix.zeros(4, 2), Matrix.zeros(5, 3))).toThrow('sunsal: Y has 5 rows, E has 4 (both are bands x ...)');
    expect(() => sunsal(E2, Y2, { lambda: -1 })).toThrow('sunsal: lambda must be a finite number >= 0 (got -1)');
    expect(() => sunsal(E2, Y2, { mu: 0 })).toThrow('sunsal: mu must be a finite number > 0 (got 0)');
  });
});

describe('the unmixing baselines on the quick preset (100 bands, 12 endmembers, 3 active, N=1000, 5% outliers)', () => {
  const service = solveService(createRegistry(allFamilies));
  const { observation, truth } = generateInstance(spectralUnmixing, spectralUnmixing.presets.quick, ['quality', 'spectral-unmixing']);
  const metric = primaryMetric(spectralUnmixing);
  const trivial = scoreSolution(spectralUnmixing, observation, truth, spectralUnmixing.trivialSolution!(observation));
  const scores = new Map<string, number>();

  test.each([nnlsSolver, fclsSolver, sunsalSolver].map((s) => [s.id, s] as const))('%s is ok and beats equal abundances 1/p on abundance_rmse', async (id, solver: AnySolver) => {
    const { solution } = await service.solve(solver, observation);
    const outcome = scoreSolution(spectralUnmixing, observation, truth, solution);
    expect(outcome.status).toBe('ok');
    if (outcome.status !== 'ok' || trivial.status !== 'ok') return;
    scores.set(id, outcome.metrics[metric.id]);
    expect(outcome.metrics[metric.id]).toBeLessThan(0.5 * trivial.metrics[metric.id]);
  });

  test('FCLS, which knows the abundances sum to one, beats NNLS; SUnSAL with its default λ is within 2% of NNLS', () => {
    const [n, f, s] = ['baselines/nnls', 'baselines/fcls', 'baselines/sunsal'].map((id) => scores.get(id) as number);
    expect(f).toBeLessThan(n);
    expect(Math.abs(s - n)).toBeLessThan(0.02 * n);
  });

  test('blind instances are skipped (no endmember library), saying why', async () => {
    const { observation: blind } = generateInstance(spectralUnmixing, { bands: 20, endmembers: 3, N: 16, blind: true }, [1]);
    for (const solver of [nnlsSolver, fclsSolver, sunsalSolver]) {
      await expect(service.solve(solver as AnySolver, blind)).rejects.toMatchObject({ code: 'PARSIMONY_UNSUPPORTED', message: expect.stringContaining('blind unmixing (no endmember library E)') });
    }
  });
});
