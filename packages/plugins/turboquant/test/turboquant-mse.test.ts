import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { allFamilies, createRegistry, createRng, generateInstance, matmul, Matrix, solveService, vectorQuantization, type VectorQuantizationSolution } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { betaLloydMax, denseRotation, hadamardRotation, highChannelCount, TurboQuantMse, turboquantMse, turboquantMseSolver } from '../src/index.js';

describeSolverConformance(turboquantMseSolver, {
  invalidParams: [
    { params: { rotation: 'fft' }, message: 'params.rotation' },
    { params: { outliers: 'largest' }, message: 'params.outliers' },
    { params: { gridSize: 10 }, message: 'params.gridSize must be >= 1000' },
    { params: { iterations: 0 }, message: 'params.iterations must be >= 1' },
  ],
});

const unitRows = (n: number, d: number, seed: number): Matrix =>
  generateInstance(vectorQuantization, { N: n, d, bits: 1, nQueries: 1 }, ['turboquant-test', seed]).observation.X;

describe('betaLloydMax: the Lloyd–Max codebook of a rotated unit vector\'s coordinates', () => {
  test('matches the reference centroids at d = 128 (c·√d, largest pair): 0.80; 0.452, 1.505; 1.336, 2.131; 2.045, 2.688', () => {
    const top = (b: number) => Array.from(betaLloydMax(128, b).centroids.slice(-2)).map((c) => +(c * Math.sqrt(128)).toFixed(3));
    expect(top(1)[1]).toBeCloseTo(Math.sqrt(2 / Math.PI), 2);
    expect(top(2)).toEqual([0.452, 1.505]);
    expect(top(3)).toEqual([1.336, 2.131]);
    expect(top(4)).toEqual([2.045, 2.688]);
  });

  test('its expected distortion is the paper\'s D_mse: 0.361, 0.116, 0.034, 0.0093 at d = 128', () => {
    expect([1, 2, 3, 4].map((b) => +betaLloydMax(128, b).distortion.toPrecision(2))).toEqual([0.36, 0.12, 0.034, 0.0093]);
  });

  test('d = 3: the coordinate law is uniform on [−1, 1], whose 1-bit Lloyd–Max levels are ±1/2 (distortion 3·1/12)', () => {
    const { centroids, distortion } = betaLloydMax(3, 1);
    expect(centroids[1]).toBeCloseTo(0.5, 8);
    expect(distortion).toBeCloseTo(0.25, 6);
  });

  test('property: centroids increase, are symmetric, and thresholds are their midpoints', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 600 }), fc.integer({ min: 1, max: 5 }), (d, b) => {
        const { centroids: c, boundaries } = betaLloydMax(d, b, { gridSize: 20_000, iterations: 60 });
        for (let i = 1; i < c.length; i++) {
          expect(c[i]).toBeGreaterThan(c[i - 1]);
          expect(boundaries[i - 1]).toBeCloseTo((c[i] + c[i - 1]) / 2, 14);
        }
        for (let i = 0; i < c.length; i++) expect(c[i]).toBeCloseTo(-c[c.length - 1 - i], 14);
      }),
      { numRuns: 30 },
    );
  });
});

describe('rotations', () => {
  test.each([
    ['dense', denseRotation(16, createRng('rot', 1))],
    ['hadamard', hadamardRotation(16, createRng('rot', 2))],
  ] as const)('%s: Πᵀ Π = I and lengths are kept', (_kind, rot) => {
    const I = rot.applyT(rot.apply(Matrix.eye(16)));
    for (let t = 0; t < 256; t++) expect(I.data[t]).toBeCloseTo(t % 17 === 0 ? 1 : 0, 13);
    const P = rot.apply(Matrix.eye(16));
    const G = matmul(P, P, { transA: true });
    for (let t = 0; t < 256; t++) expect(G.data[t]).toBeCloseTo(t % 17 === 0 ? 1 : 0, 13);
  });

  test('hadamard needs a power-of-two dimension, and says so', () => {
    expect(() => hadamardRotation(12, createRng(1))).toThrow("params.rotation = 'hadamard' needs a power-of-two dimension, got d = 12; use rotation 'dense'");
  });
});

describe('TurboQuantMse', () => {
  test('codes use exactly b bits per coordinate and the decoder alone reproduces the solution', async () => {
    const { observation } = generateInstance(vectorQuantization, { N: 300, d: 32, bits: 3 }, [5]);
    const { solution } = await solveService(createRegistry(allFamilies)).solve(turboquantMseSolver, observation, {}, { seed: [9] });
    const { Xhat, codes, codeBits, quantizer } = turboquantMse(observation.X, 3, { rng: createRng('check') });
    expect(codeBits).toBe(3 * 300 * 32);
    expect((solution as VectorQuantizationSolution).codeBits).toBe(codeBits);
    expect(Math.max(...codes.groups[0].idx)).toBeLessThan(8);
    expect(codes.groups[0].idx).toBeInstanceOf(Uint8Array);
    expect(quantizer.decode(codes).data).toEqual(Xhat.data);
  });

  test('online: a vector\'s code does not depend on the other vectors (same code alone or in a batch)', () => {
    const X = unitRows(2000, 24, 1);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1999 }), fc.integer({ min: 1, max: 4 }), (i, b) => {
        const q = TurboQuantMse.create(24, b, { rng: createRng('online', b) });
        const all = q.encode(X), one = q.encode(Matrix.slice(X, i, i + 1, 0, 24));
        expect(Array.from(one.groups[0].idx)).toEqual(Array.from(all.groups[0].idx.subarray(i * 24, (i + 1) * 24)));
        expect(one.groups[0].norms[0]).toBe(all.groups[0].norms[i]);
      }),
      { numRuns: 20 },
    );
  });

  test('exact cases: a zero vector decodes to zero; at d = 1 (sign and norm) every vector is exact', () => {
    const X = Matrix.fromRows([[0, 0, 0, 0], [1, 2, -2, 4]]);
    const { Xhat } = turboquantMse(X, 2, { rng: createRng(1) });
    expect(Array.from(Xhat.data.subarray(0, 4)).every((v) => v === 0)).toBe(true);
    const line = turboquantMse(Matrix.fromRows([[-3], [2.5], [0]]), 1).Xhat;
    expect(Array.from(line.data).map((v) => +v.toFixed(14))).toEqual([-3, 2.5, 0]);
  });

  test('scale invariance: quantizing c·x gives c·x̂ (the norm is stored apart)', () => {
    const X = unitRows(20, 16, 2);
    const a = turboquantMse(X, 2, { rng: createRng(3) }).Xhat;
    const b = turboquantMse({ ...X, data: X.data.map((v) => 7 * v) }, 2, { rng: createRng(3) }).Xhat;
    for (let t = 0; t < a.data.length; t++) expect(b.data[t]).toBeCloseTo(7 * a.data[t], 12);
  });

  test('fractional b = 2.5 splits the channels into 3-bit and 2-bit groups; energy puts the KV outliers in the 3-bit group', async () => {
    expect(highChannelCount(128, 2.5)).toBe(64);
    const { observation: o } = generateInstance(vectorQuantization, { N: 400, d: 32, bits: 2.5, distribution: 'kv', online: false }, [3]);
    const q = TurboQuantMse.create(32, 2.5, { rng: createRng(1) });
    expect(q.layout.map((g) => [g.d, g.bits])).toEqual([[16, 3], [16, 2]]);
    expect(q.bitsPerVector).toBe(80);
    const run = async (outliers: 'energy' | 'random') =>
      (await solveService(createRegistry(allFamilies)).solve(turboquantMseSolver, o, { outliers }, { seed: [1] })).solution as VectorQuantizationSolution;
    const energy = await run('energy'), random = await run('random');
    expect(energy.codeBits).toBe(2.5 * 400 * 32);
    // Relative errors: the outliers carry most of the energy, so giving them the extra bit pays.
    const rel = (Xhat: Matrix) => {
      let s = 0;
      for (let i = 0; i < 400; i++) {
        let e = 0, x = 0;
        for (let j = i * 32; j < (i + 1) * 32; j++) {
          e += (o.X.data[j] - Xhat.data[j]) ** 2;
          x += o.X.data[j] ** 2;
        }
        s += e / x;
      }
      return s / 400;
    };
    expect(rel(energy.Xhat)).toBeLessThan(0.8 * rel(random.Xhat));
  });

  test("an online task refuses the data-dependent 'energy' split, naming params.outliers", async () => {
    const { observation } = generateInstance(vectorQuantization, { N: 20, d: 8, bits: 1.5 }, [1]);
    await expect(solveService(createRegistry(allFamilies)).solve(turboquantMseSolver, observation, { outliers: 'energy' })).rejects.toThrow(/params.outliers = 'energy' picks channels from the data set/);
  });

  test('the hadamard rotation gives the same distortion as the dense one on unit vectors (d = 128, b = 2)', () => {
    const X = unitRows(500, 128, 4);
    const mse = (Xhat: Matrix) => {
      let s = 0;
      for (let t = 0; t < X.data.length; t++) s += (X.data[t] - Xhat.data[t]) ** 2;
      return s / X.rows;
    };
    const dense = mse(turboquantMse(X, 2, { rng: createRng(5) }).Xhat);
    const fast = mse(turboquantMse(X, 2, { rng: createRng(5), rotation: 'hadamard' }).Xhat);
    expect(Math.abs(dense - 0.116)).toBeLessThan(0.01);
    expect(Math.abs(fast - 0.116)).toBeLessThan(0.01);
  });
});
