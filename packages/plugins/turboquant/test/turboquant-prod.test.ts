import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { allFamilies, createRegistry, createRng, generateInstance, Matrix, solveService, vectorQuantization, type VectorQuantizationSolution } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { TurboQuantProd, turboquantProd, turboquantProdSolver } from '../src/index.js';

describeSolverConformance(turboquantProdSolver, {
  invalidParams: [
    { params: { rotation: 'fft' }, message: 'params.rotation' },
    { params: { gridSize: 10 }, message: 'params.gridSize must be >= 1000' },
  ],
});

describe('TurboQuantProd', () => {
  test('codes: b − 1 bits per coordinate for the MSE stage plus d sign bits; the decoder alone reproduces the solution', () => {
    const { observation: o } = generateInstance(vectorQuantization, { N: 200, d: 32, bits: 3 }, [2]);
    const { Xhat, codes, codeBits, quantizer } = turboquantProd(o.X, 3, { rng: createRng('prod') });
    expect(codeBits).toBe(3 * 200 * 32);
    expect(Math.max(...codes.mse.groups[0].idx)).toBeLessThan(4);
    expect(codes.signs.length).toBe(200 * 32);
    expect(codes.signs.every((s) => s === 0 || s === 1)).toBe(true);
    expect(quantizer.decode(codes).data).toEqual(Xhat.data);
  });

  test('b = 1 is QJL alone: the MSE stage is empty and γ = ‖x‖', () => {
    const X = Matrix.fromRows([[3, 4, 0, 0]]);
    const q = TurboQuantProd.create(4, 1, { rng: createRng(1) });
    expect(q.mse.bitsPerVector).toBe(0);
    const codes = q.encode(X);
    expect(codes.gamma[0]).toBe(5);
    expect(q.bitsPerVector).toBe(4);
  });

  test('property: inner products are unbiased — averaged over 400 seeds, ⟨y, x̂⟩ → ⟨y, x⟩', () => {
    const { observation: o } = generateInstance(vectorQuantization, { N: 1, d: 16, bits: 2, nQueries: 1 }, [4]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 1e6 }), (b, salt) => {
        const y = createRng('query', salt).fillNormal(new Float64Array(16));
        let exact = 0;
        for (let j = 0; j < 16; j++) exact += y[j] * o.X.data[j];
        let sum = 0, sum2 = 0;
        const seeds = 400;
        for (let s = 0; s < seeds; s++) {
          const { Xhat } = turboquantProd(o.X, b, { rng: createRng('unbiased', salt, s), gridSize: 20_000, iterations: 50 });
          let ip = 0;
          for (let j = 0; j < 16; j++) ip += y[j] * Xhat.data[j];
          sum += ip;
          sum2 += ip * ip;
        }
        const mean = sum / seeds, se = Math.sqrt((sum2 / seeds - mean * mean) / seeds);
        // Five standard errors: a false alarm has probability below 1e-6 per run.
        expect(Math.abs(mean - exact)).toBeLessThan(5 * se + 1e-12);
      }),
      { numRuns: 6 },
    );
  });

  test('fractional b = 2.5: the MSE stage runs at 1.5 bits (two groups), QJL adds d bits; within budget', async () => {
    const { observation } = generateInstance(vectorQuantization, { N: 100, d: 32, bits: 2.5, target: 'inner-product' }, [1]);
    const { solution } = await solveService(createRegistry(allFamilies)).solve(turboquantProdSolver, observation, {}, { seed: [1] });
    expect((solution as VectorQuantizationSolution).codeBits).toBe(2.5 * 100 * 32);
    const q = TurboQuantProd.create(32, 2.5, { rng: createRng(1) });
    expect(q.mse.layout.map((g) => [g.d, g.bits])).toEqual([[16, 2], [16, 1]]);
  });
});
