import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Matrix, createRegistry, allFamilies, generateInstance, matvec, registerPlugin, scoreSolution, solveService, sparseRecovery } from '@parsimony/core';
import plugin, { omp, ompGram, ompMany } from '../src/index.js';
import { fixtures, npyMatrix, npyVector, rel, rowsOf, supportOf } from './helpers.js';

const relErr = (a: Float64Array, b: Float64Array) => Math.hypot(...a.map((v, i) => v - b[i])) / Math.hypot(...b);

describe('omp', () => {
  test('recovers k-sparse signals exactly from noiseless Gaussian measurements (property)', () => {
    // Exact recovery is guaranteed with high probability only for incoherent
    // ensembles and k well below m / (2 ln n) ≈ 6.6 here; a partial DCT at k = 8
    // can genuinely fail. A fixed fast-check seed keeps the run reproducible.
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 5 }), fc.constantFrom('gaussian', 'bernoulli'), (seed, k, matrix) => {
        const { observation: o, truth } = generateInstance(sparseRecovery, { m: 64, n: 128, k, snrDb: 'inf', matrix }, [seed]);
        const x = omp(o.A, o.y, { k });
        expect(relErr(x, truth.x)).toBeLessThan(1e-10);
      }),
      { numRuns: 40, seed: 20261126 },
    );
  });

  test('the quick instance (30 dB) is recovered to better than -25 dB', () => {
    const { observation: o, truth } = generateInstance(sparseRecovery, {}, [1]);
    const x = omp(o.A, o.y, { k: o.k, tol: o.noiseStd! * Math.sqrt(o.A.rows) });
    expect(20 * Math.log10(relErr(x, truth.x))).toBeLessThan(-25);
  });

  test('stops at the residual tolerance before k atoms', () => {
    const { observation: o } = generateInstance(sparseRecovery, { m: 40, n: 80, k: 3, snrDb: 'inf' }, [4]);
    const x = omp(o.A, o.y, { k: 20, tol: 1e-9 });
    expect(x.filter((v) => v !== 0).length).toBe(3);
  });

  test('never selects more than k atoms, and y = 0 gives x = 0', () => {
    const { observation: o } = generateInstance(sparseRecovery, { m: 40, n: 80, k: 10 }, [5]);
    expect(omp(o.A, o.y, { k: 4 }).filter((v) => v !== 0).length).toBe(4);
    expect(Array.from(omp(o.A, new Float64Array(40), { k: 4 })).every((v) => v === 0)).toBe(true);
  });

  test('the residual is orthogonal to the chosen columns (least-squares refit)', () => {
    const { observation: o } = generateInstance(sparseRecovery, { m: 50, n: 100, k: 6 }, [6]);
    const x = omp(o.A, o.y, { k: 6 });
    const fit = matvec(o.A, x);
    const r = o.y.map((v, i) => v - fit[i]);
    const corr = matvec(o.A, r, true);
    x.forEach((v, j) => v !== 0 && expect(Math.abs(corr[j])).toBeLessThan(1e-12));
  });

  test('duplicate columns do not break the Cholesky update', () => {
    const A = Matrix.fromRows([
      [1, 1, 0],
      [0, 0, 1],
    ]);
    const x = omp(A, new Float64Array([2, 3]), { k: 3 });
    expect(Array.from(matvec(A, x))).toEqual([2, 3]);
  });

  test('honours an aborted signal', () => {
    const { observation: o } = generateInstance(sparseRecovery, { m: 20, n: 40, k: 2 }, [1]);
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    expect(() => omp(o.A, o.y, { k: 2, signal: ac.signal })).toThrow('stop');
  });

  test('y of the wrong length is a clear error', () => {
    expect(() => omp(Matrix.zeros(3, 4), new Float64Array(2))).toThrow('omp: y has 2 entries, A has 3 rows');
  });
});

describe('omp against scikit-learn (fixtures/make_fixtures.py)', () => {
  const f = fixtures.cases.omp;
  const A = npyMatrix(f.A), y = npyVector(f.y);

  test('orthogonal_mp(A, y, n_nonzero_coefs=k): same support, coefficients to 1e-10', () => {
    const want = npyVector(f.x_k);
    const x = omp(A, y, { k: f.k });
    expect(supportOf(x)).toEqual(supportOf(want));
    expect(rel(x, want)).toBeLessThan(1e-10);
  });

  test('orthogonal_mp(A, y, tol=t): our tol is the residual norm, sklearn\'s its square', () => {
    const want = npyVector(f.x_tol);
    const x = omp(A, y, { k: A.rows, tol: Math.sqrt(f.sklearn_tol_squared) });
    expect(supportOf(x)).toEqual(supportOf(want));
    expect(rel(x, want)).toBeLessThan(1e-10);
  });

  test('several right-hand sides: ompMany (Gram) and omp agree with orthogonal_mp(A, Y)', () => {
    const ys = rowsOf(npyMatrix(f.Ys));
    const want = rowsOf(npyMatrix(f.X_many));
    const viaGram = ompMany(A, ys, { k: f.k });
    ys.forEach((yi, i) => {
      expect(supportOf(viaGram[i])).toEqual(supportOf(want[i]));
      expect(rel(viaGram[i], want[i])).toBeLessThan(1e-10);
      expect(rel(omp(A, yi, { k: f.k }), want[i])).toBeLessThan(1e-10);
    });
  });
});

describe('ompGram', () => {
  test('stops at the residual tolerance, computed from ‖y‖² - zᵀAᵀy', () => {
    const { observation: o } = generateInstance(sparseRecovery, { m: 40, n: 80, k: 3, snrDb: 'inf' }, [4]);
    const [x] = ompMany(o.A, [o.y], { k: 20, tol: 1e-6 });
    expect(x.filter((v) => v !== 0).length).toBe(3);
  });

  test('a non-square G is a clear error', () => {
    expect(() => ompGram(Matrix.zeros(2, 3), new Float64Array(3), 1)).toThrow('ompGram: G is 2x3');
  });

  test('ys of the wrong length are a clear error', () => {
    expect(() => ompMany(Matrix.zeros(3, 4), [new Float64Array(3), new Float64Array(2)])).toThrow('ompMany: ys[1] has 2 entries, A has 3 rows');
  });
});

describe('baselines plugin', () => {
  test('registers baselines/omp for sparse-recovery and solves through the registry', async () => {
    const c = createRegistry(allFamilies);
    registerPlugin(c, plugin, '@parsimony/plugin-baselines');
    const { observation, truth } = generateInstance(sparseRecovery, {}, [2]);
    const solver = plugin.solvers.find((s) => s.id === 'baselines/omp')!;
    const { solution, trace } = await solveService(c).solve(solver, observation);
    const outcome = scoreSolution(sparseRecovery, observation, truth, solution);
    expect(outcome.status).toBe('ok');
    expect(outcome.status === 'ok' && outcome.metrics.nmse_db).toBeLessThan(-25);
    expect(trace.length).toBeGreaterThan(0);
    expect(trace[0]).toHaveProperty('residual');
  });
});
