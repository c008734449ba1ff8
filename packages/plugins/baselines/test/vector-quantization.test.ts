import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { allFamilies, createRegistry, createRng, generateInstance, Matrix, scoreSolution, solveService, vectorQuantization, type AnySolver, type VectorQuantizationSolution } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import plugin, {
  gaussianLloydMax,
  productQuantization,
  productQuantizationSolver,
  qjl,
  qjlSolver,
  rotatedLloydMax,
  rotatedLloydMaxSolver,
  uniformScalar,
  uniformScalarSolver,
} from '../src/index.js';

describeSolverConformance(uniformScalarSolver, {
  invalidParams: [
    { params: { rotate: 'yes' }, message: 'params.rotate' },
    { params: { range: 'percentile' }, message: 'params.range' },
  ],
});
describeSolverConformance(rotatedLloydMaxSolver, { invalidParams: [{ params: { maxIter: 0 }, message: 'params.maxIter must be >= 1' }] });
describeSolverConformance(qjlSolver, { invalidParams: [{ params: { rows: 0 }, message: 'params.rows must be >= 1' }] });
// PQ trains on the data set, so it runs on offline tasks only; a small one keeps the kit fast.
describeSolverConformance(productQuantizationSolver, {
  instance: { N: 600, d: 32, bits: 2, online: false },
  invalidParams: [
    { params: { centroidBits: 0 }, message: 'params.centroidBits must be >= 1' },
    { params: { iterations: 0 }, message: 'params.iterations must be >= 1' },
    { params: { subspaces: 1.5 }, message: 'params.subspaces' },
  ],
});

const quantizers: readonly AnySolver[] = [uniformScalarSolver, rotatedLloydMaxSolver, qjlSolver, productQuantizationSolver];

describe('vector-quantization baselines', () => {
  test('each is registered in the plugin under baselines/<method>, once', () => {
    const ids = plugin.solvers.map((s: AnySolver) => s.id);
    for (const s of quantizers) expect(ids.filter((id: string) => id === s.id)).toEqual([s.id]);
  });

  test.each(quantizers.map((s) => [s.id, s] as const))('%s beats zeros at b = 2 and stays within the budget', async (_id, solver) => {
    const { observation, truth } = generateInstance(vectorQuantization, { N: 600, d: 32, bits: 2, nQueries: 50, online: false }, ['quality', solver.id]);
    const { solution } = await solveService(createRegistry(allFamilies)).solve(solver, observation);
    const outcome = scoreSolution(vectorQuantization, observation, truth, solution);
    if (outcome.status !== 'ok') throw new Error(outcome.reason);
    expect(outcome.metrics.mse).toBeLessThan(1);
    expect(outcome.metrics.bits_per_coord).toBeLessThanOrEqual(2);
  });
});

describe('uniformScalar', () => {
  test('reconstructs a vector whose entries lie on its own grid exactly: [0, 1, 2, 3] at b = 2', () => {
    const { Xhat, codes, offset, step, codeBits } = uniformScalar(Matrix.fromRows([[3, 0, 2, 1]]), 2);
    expect(Array.from(Xhat.data)).toEqual([3, 0, 2, 1]);
    expect(Array.from(codes)).toEqual([3, 0, 2, 1]);
    expect([offset[0], step[0], codeBits]).toEqual([0, 1, 8]);
  });

  test('absmax levels are symmetric: [−2, 2] in 3 steps at b = 2', () => {
    const { Xhat } = uniformScalar(Matrix.fromRows([[-2, 1, 0.5, 2]]), 2, { range: 'absmax' });
    expect(Array.from(Xhat.data).map((v) => +v.toFixed(12))).toEqual([-2, 0.666666666667, 0.666666666667, 2]);
  });

  test('a constant vector is exact (zero range)', () => {
    expect(Array.from(uniformScalar(Matrix.fromRows([[0.5, 0.5, 0.5]]), 3).Xhat.data)).toEqual([0.5, 0.5, 0.5]);
  });

  test('property: every coordinate is within half a step of its value, with or without rotation', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 2, max: 12 }), fc.boolean(), fc.integer({ min: 0, max: 1000 }), (bits, d, rotate, seed) => {
        const rng = createRng('uniform-scalar', seed);
        const X = Matrix.zeros(3, d);
        rng.fillNormal(X.data);
        const r = uniformScalar(X, bits, { rotate, rng });
        if (rotate) {
          // Rotation is orthogonal: the total error is at most the rotated domain's, ≤ d (step/2)² per vector.
          for (let i = 0; i < 3; i++) {
            let e = 0;
            for (let j = 0; j < d; j++) e += (X.data[i * d + j] - r.Xhat.data[i * d + j]) ** 2;
            expect(e).toBeLessThanOrEqual(d * (r.step[i] / 2) ** 2 * (1 + 1e-9) + 1e-24);
          }
        } else {
          for (let t = 0; t < 3 * d; t++) expect(Math.abs(X.data[t] - r.Xhat.data[t])).toBeLessThanOrEqual(r.step[Math.floor(t / d)] / 2 + 1e-12);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('rotatedLloydMax', () => {
  test("Max's (1960) Gaussian levels: ±0.7979 (b = 1), ±0.4528 ±1.510 (b = 2), …, 2.733 (b = 4)", () => {
    expect(gaussianLloydMax(1)[1]).toBeCloseTo(Math.sqrt(2 / Math.PI), 6);
    const b2 = gaussianLloydMax(2);
    expect([b2[2], b2[3]].map((v) => +v.toFixed(3))).toEqual([0.453, 1.51]);
    const b3 = gaussianLloydMax(3);
    expect(Array.from(b3.slice(4)).map((v) => +v.toFixed(3))).toEqual([0.245, 0.756, 1.344, 2.152]);
    expect(+gaussianLloydMax(4)[15].toFixed(3)).toBe(2.733);
  });

  test('distortion of uniform unit vectors at d = 128 is near the Gaussian Lloyd–Max one, 0.363 (b = 1) and 0.118 (b = 2)', () => {
    // 1000 vectors: the sample mean's standard deviation is ≈ 0.003 at b = 1.
    const { observation: o } = generateInstance(vectorQuantization, { N: 1000, d: 128, bits: 1 }, [3]);
    const mse = (bits: number) => {
      const { Xhat } = rotatedLloydMax(o.X, bits, { rng: createRng('lm', bits) });
      let s = 0;
      for (let t = 0; t < Xhat.data.length; t++) s += (o.X.data[t] - Xhat.data[t]) ** 2;
      return s / o.X.rows;
    };
    expect(Math.abs(mse(1) - 0.363)).toBeLessThan(0.012);
    expect(Math.abs(mse(2) - 0.118)).toBeLessThan(0.006);
  });
});

describe('qjl', () => {
  test('inner products are unbiased: with many sketch rows x̂ → x', () => {
    const X = Matrix.fromRows([[3, -1, 0, 2]]);
    const { Xhat, codeBits, norms } = qjl(X, { rows: 60_000, rng: createRng('qjl', 1) });
    expect(codeBits).toBe(60_000);
    expect(norms[0]).toBeCloseTo(Math.sqrt(14), 12);
    for (let j = 0; j < 4; j++) expect(Xhat.data[j]).toBeCloseTo(X.data[j], 1);
  });

  test('the bench entry spends the whole budget: ⌊b·d⌋ sign bits per vector', async () => {
    const { observation } = generateInstance(vectorQuantization, { N: 50, d: 16, bits: 3 }, [1]);
    const { solution } = await solveService(createRegistry(allFamilies)).solve(qjlSolver, observation);
    expect((solution as VectorQuantizationSolution).codeBits).toBe(50 * 48);
  });
});

describe('productQuantization', () => {
  test('with at least as many centroids as vectors, every vector is its own centroid (exact)', () => {
    const { observation: o } = generateInstance(vectorQuantization, { N: 40, d: 12, bits: 2 }, [1]);
    const { Xhat, codeBits, bounds } = productQuantization(o.X, { subspaces: 3, centroidBits: 8 });
    expect(Array.from(bounds)).toEqual([0, 4, 8, 12]);
    for (let t = 0; t < Xhat.data.length; t++) expect(Xhat.data[t]).toBeCloseTo(o.X.data[t], 12);
    expect(codeBits).toBe(40 * 3 * Math.ceil(Math.log2(40)));
  });

  test('k-means never increases the training distortion; uneven subspaces cover every coordinate', () => {
    const { observation: o } = generateInstance(vectorQuantization, { N: 400, d: 10, bits: 2 }, [2]);
    const trace: number[] = [];
    const { bounds } = productQuantization(o.X, { subspaces: 3, centroidBits: 4, iterations: 8, onIteration: (_i, dist) => trace.push(dist) });
    expect(Array.from(bounds)).toEqual([0, 3, 6, 10]);
    expect(trace).toHaveLength(8);
    for (let i = 1; i < trace.length; i++) expect(trace[i]).toBeLessThanOrEqual(trace[i - 1] + 1e-12);
  });

  test('skips an online task (it learns from the whole data set), saying why', async () => {
    const { observation } = generateInstance(vectorQuantization, { N: 50, d: 8, bits: 2 }, [1]);
    await expect(solveService(createRegistry(allFamilies)).solve(productQuantizationSolver, observation)).rejects.toMatchObject({
      code: 'PARSIMONY_UNSUPPORTED',
      message: expect.stringMatching(/which an online task forbids$/),
    });
  });
});
