import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Matrix, createRng, gram } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import plugin, { randomOrderEigvecFloats, randomOrderEigvecSimpleSolver, randomOrderEigvecSolver } from '../src/index.js';
import { alignment, instance, instanceFromRows, runOn } from './helpers.js';

// The family's quick instance is spiked (no heavy rows): the kit checks the protocol, determinism and validation.
const badParams = [
  { params: { blocks: 0 }, message: 'params.blocks must be >= 1' },
  { params: { maxHeavy: -1 }, message: 'params.maxHeavy must be >= 0' },
  { params: { polylog: 0 }, message: 'params.polylog must be > 0' },
  { params: { batch: 0 }, message: 'params.batch must be >= 1' },
  { params: { blcks: 8 }, message: 'blcks' },
];
describeSolverConformance(randomOrderEigvecSolver, { invalidParams: badParams });
describeSolverConformance(randomOrderEigvecSimpleSolver, { invalidParams: badParams });

/** T x d rows: zeros except `heavy` rows drawn Gaussian (scaled by 100) at the given positions. */
function heavyOnly(T: number, d: number, positions: readonly number[], seed: number): Matrix {
  const rng = createRng('heavy-only', seed);
  const A = Matrix.zeros(T, d);
  for (const p of positions) for (let j = 0; j < d; j++) A.data[p * d + j] = 100 * rng.normal();
  return A;
}

describe('random-order-eigvec', () => {
  test('registers both solvers under the plugin, ids random-order-eigvec/<method>', () => {
    expect(plugin.solvers.map((s) => s.id)).toEqual(['random-order-eigvec/random-order-eigvec', 'random-order-eigvec/random-order-eigvec-simple']);
  });

  test('exact: when the light rows are zero, the heavy rows are found and v is the top eigenvector of HᵀH', async () => {
    const positions = [3, 250, 251, 399];
    const A = heavyOnly(400, 8, positions, 1);
    const { solution, metrics } = await runOn(randomOrderEigvecSolver, instanceFromRows(A, positions), { maxHeavy: 4 });
    expect(Array.from(solution.heavy!)).toEqual(positions);
    expect(metrics.heavy_errors).toBe(0);
    expect(metrics.alignment).toBeGreaterThan(1 - 1e-12);
  });

  test('exact: rank-one light rows (a = g·w) give v = ±w after one block', async () => {
    const d = 16, T = 320;
    const rng = createRng('rank-one');
    const w = new Float64Array(d).map(() => rng.normal());
    const A = Matrix.zeros(T, d);
    for (let t = 0; t < T; t++) {
      const g = rng.normal();
      for (let j = 0; j < d; j++) A.data[t * d + j] = g * w[j];
    }
    const { solution } = await runOn(randomOrderEigvecSolver, instanceFromRows(A), { blocks: 4 });
    expect(alignment(solution.v, w)).toBeGreaterThan(1 - 1e-12);
    // g² is heavy-tailed, so some rows are heavy by the paper's definition ‖a‖² ≥ ‖A‖_F²/(d log₂ d); each row kept passes it
    // up to the 2x slack of the running estimate of ‖A‖_F².
    const F = gram(A).data.reduce((acc, x, i) => (i % (d + 1) === 0 ? acc + x : acc), 0);
    for (const p of solution.heavy!) expect(Math.hypot(...A.data.subarray(p * d, (p + 1) * d)) ** 2).toBeGreaterThan(F / (2 * d * 4));
  });

  test('property: scaling every row by c > 0 changes neither the heavy rows found nor the direction of v', async () => {
    const base = instance({ model: 'heavy-top', T: 1200, n: 16, heavyRows: 4, ratio: 2, maxBatch: 100 }, ['scale-invariance']);
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), async (c) => {
        const A = { ...base.truth.A, data: base.truth.A.data.map((x) => c * x) };
        const scaled = { observation: base.observation, truth: { ...base.truth, A } };
        const [a, b] = [await runOn(randomOrderEigvecSolver, base), await runOn(randomOrderEigvecSolver, scaled)];
        expect(Array.from(b.solution.heavy!)).toEqual(Array.from(a.solution.heavy!));
        expect(alignment(a.solution.v, b.solution.v)).toBeGreaterThan(1 - 1e-9);
      }),
      { numRuns: 8, seed: 35 },
    );
  });

  test('memory: the session charges n + the declared state + batch·n, and the state is O((h+2)·d) plus O(h²)', async () => {
    const inst = instance({ model: 'heavy-top', T: 2000, n: 32, heavyRows: 8, ratio: 2 }, ['memory']);
    const { usage, metrics } = await runOn(randomOrderEigvecSolver, inst);
    const state = randomOrderEigvecFloats(32, 8, 32); // maxHeavy = ⌈32/4⌉, batch 32
    expect(usage).toMatchObject({ state_floats: state, peak_batch_rows: 32, rows_delivered: 2000 });
    expect(metrics.memory_floats).toBe(32 + state + 32 * 32);
    // Only H, Y (h + 1 rows), z, z' and the answer grow with d: (2h + 4)·d; the rest is O(h²) Rayleigh–Ritz and O(batch).
    expect(randomOrderEigvecFloats(1024, 8, 32) - randomOrderEigvecFloats(64, 8, 32)).toBe((2 * 8 + 4) * (1024 - 64));
  });

  test('a heavy-row budget below h keeps the first maxHeavy heavy rows, treats the rest as light, and still answers a unit v', async () => {
    const inst = instance({ model: 'heavy-top', T: 2000, n: 32, heavyRows: 8, ratio: 2 }, ['budget']);
    const { solution, metrics } = await runOn(randomOrderEigvecSolver, inst, { maxHeavy: 2 });
    expect(Array.from(solution.heavy!)).toEqual(Array.from(inst.truth.heavy.slice(0, 2)));
    expect(metrics.heavy_errors).toBe(6);
  });

  test('the simple variant with one block and no heavy rows is one exact power step from its start: v = AᵀA z₀/‖AᵀA z₀‖', async () => {
    const d = 6, T = 64;
    const rng = createRng('one-step-rows');
    const A = Matrix.zeros(T, d);
    for (let i = 0; i < A.data.length; i++) A.data[i] = rng.normal();
    // polylog → 0 puts the heavy threshold out of reach: every row is light.
    const { solution } = await runOn(randomOrderEigvecSimpleSolver, instanceFromRows(A), { blocks: 1, polylog: 1e-6 }, ['one-step']);
    // The start z₀ is ctx.rng's first d normals (ctx.rng = createRng(...seed)); replay it.
    const start = createRng('one-step');
    const z0 = new Float64Array(d).map(() => start.normal());
    const C = gram(A);
    const expected = new Float64Array(d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) expected[i] += C.data[i * d + j] * z0[j];
    expect(solution.heavy!.length).toBe(0);
    expect(alignment(solution.v, expected)).toBeGreaterThan(1 - 1e-14);
    expect(Math.abs(Math.hypot(...solution.v) - 1)).toBeLessThan(1e-14);
  });
});
