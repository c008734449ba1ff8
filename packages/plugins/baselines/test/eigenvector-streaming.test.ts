import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  Matrix,
  allFamilies,
  createRegistry,
  createRng,
  eigenvectorStreaming,
  eigh,
  gaussianMatrix,
  generateInstance,
  gram,
  scoreSolution,
  solveService,
  type AnySolver,
} from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import {
  FrequentDirections,
  blockPower,
  blockPowerFloats,
  blockPowerSolver,
  frequentDirections,
  frequentDirectionsFloats,
  frequentDirectionsSolver,
  oja,
  ojaSolver,
} from '../src/index.js';

describeSolverConformance(ojaSolver, {
  invalidParams: [
    { params: { eta: 0 }, message: 'params.eta must be > 0' },
    { params: { schedule: 'cosine' }, message: 'params.schedule' },
    { params: { batch: 0 }, message: 'params.batch must be >= 1' },
  ],
});
describeSolverConformance(blockPowerSolver, {
  invalidParams: [
    { params: { k: 0 }, message: 'params.k must be >= 1' },
    { params: { tol: 0 }, message: 'params.tol must be > 0' },
    { params: { maxIter: 0 }, message: 'params.maxIter must be >= 1' },
  ],
});
describeSolverConformance(frequentDirectionsSolver, {
  // An SVD every ℓ rows: a smaller instance than the family's quick one keeps the kit fast.
  instance: { T: 2000, n: 40 },
  invalidParams: [
    { params: { ell: 0 }, message: 'params.ell must be >= 1' },
    { params: { batch: 0 }, message: 'params.batch must be >= 1' },
  ],
});

const service = solveService(createRegistry(allFamilies));
const small = (params: object, seed = 1) => generateInstance(eigenvectorStreaming, { T: 2000, n: 24, ...params }, ['baselines', seed]);

async function run(solver: AnySolver, inst: ReturnType<typeof small>, params: Record<string, unknown> = {}) {
  const session = eigenvectorStreaming.interaction!.open(inst.observation, inst.truth);
  const { solution } = await service.solve(solver, inst.observation, params, { seed: [7], interact: (m, a) => session.handle(m, a) });
  const outcome = scoreSolution(eigenvectorStreaming, inst.observation, inst.truth, solution, session.usage());
  if (outcome.status !== 'ok') throw new Error(outcome.reason);
  return { solution: solution as { v: Float64Array }, metrics: outcome.metrics, usage: session.usage() };
}

function align(a: Float64Array, b: Float64Array): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return (ab * ab) / (aa * bb);
}

describe('baselines/oja', () => {
  test('rows along one direction w: z turns to ±w and stays unit', () => {
    const rng = createRng('oja-rank-one');
    const w = new Float64Array(5).map(() => rng.normal());
    const A = Matrix.zeros(200, 5);
    for (let t = 0; t < 200; t++) {
      const g = rng.normal();
      for (let j = 0; j < 5; j++) A.data[t * 5 + j] = g * w[j];
    }
    const z = oja(A, { eta: 0.05, start: new Float64Array([1, 1, 1, 1, 1]) });
    expect(align(z, w)).toBeGreaterThan(1 - 1e-12);
    expect(Math.hypot(...z)).toBeCloseTo(1, 14);
  });

  test('one step by hand: z = normalize(z₀ + η (aᵀz₀) a)', () => {
    const z = oja(Matrix.fromRows([[1, 2]]), { eta: 0.5, start: new Float64Array([1, 0]) });
    // z₀ + 0.5·1·(1, 2) = (1.5, 1)
    expect(z[0]).toBeCloseTo(1.5 / Math.hypot(1.5, 1), 15);
    expect(z[1]).toBeCloseTo(1 / Math.hypot(1.5, 1), 15);
  });

  test('the solver reads rows one by one by default: memory n + n, no declared state; the plain function gives the same bits', async () => {
    const inst = small({ gap: 0.5, decay: 0.5 });
    const { solution, usage, metrics } = await run(ojaSolver, inst, { eta: 1e-2 });
    expect(usage).toMatchObject({ state_floats: 0, peak_batch_rows: 1, rows_delivered: 2000, memory_floats: 48 });
    expect(metrics.alignment).toBeGreaterThan(0.9);
    expect(Array.from(oja(inst.truth.A, { eta: 1e-2, rng: createRng(7) }))).toEqual(Array.from(solution.v));
  });

  test('the decaying schedule η_t = c/t converges on a steep spectrum', async () => {
    const { metrics } = await run(ojaSolver, small({ gap: 0.5, decay: 0.5 }), { schedule: 'inverse' });
    expect(metrics.alignment).toBeGreaterThan(0.9);
  });
});

describe('baselines/block-power', () => {
  test('blockPower matches eigh on a PSD matrix, to the tolerance', () => {
    const G = gaussianMatrix(80, 12, createRng('bp'));
    const C = gram(G);
    const { vectors } = eigh(C);
    const top = Matrix.column(vectors, 11);
    const { v, value, residual } = blockPower(C, { k: 3, tol: 1e-12, rng: createRng(1) });
    expect(residual).toBeLessThanOrEqual(1e-12);
    expect(align(v, top)).toBeGreaterThan(1 - 1e-12);
    expect(value).toBeCloseTo(eigh(C).values[11], 8);
    expect(blockPower(Matrix.fromRows([[2, 0], [0, 1]])).value).toBe(2);
  });

  test('the solver is exact and charged n + n² + 3nk + O(k²) + batch·n', async () => {
    const inst = small({});
    const { metrics, usage } = await run(blockPowerSolver, inst);
    expect(metrics.alignment).toBeGreaterThan(1 - 1e-10);
    expect(usage.state_floats).toBe(blockPowerFloats(24, 4));
    expect(metrics.memory_floats).toBe(24 + blockPowerFloats(24, 4) + 64 * 24);
  });
});

describe('baselines/frequent-directions', () => {
  test('with at most 2ℓ rows nothing is shrunk: the sketch is A and its top direction is exact', () => {
    const A = gaussianMatrix(10, 6, createRng('fd-exact'));
    const { vectors } = eigh(gram(A));
    expect(align(frequentDirections(A, 5), Matrix.column(vectors, 5))).toBeGreaterThan(1 - 1e-12);
  });

  test('property: 0 ⪯ AᵀA − BᵀB ⪯ ‖A‖_F²/(ℓ+1)·I (Liberty 2013; Ghashami et al. 2016)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 20, max: 120 }), fc.integer({ min: 0, max: 1e6 }), (ell, T, seed) => {
        const n = 8;
        const A = gaussianMatrix(T, n, createRng('fd', seed));
        const fd = new FrequentDirections(n, ell);
        for (let t = 0; t < T; t++) fd.insert(A.data, t * n);
        const D = gram(A);
        const S = gram(fd.B);
        for (let i = 0; i < n * n; i++) D.data[i] -= S.data[i];
        const { values } = eigh(D);
        const fro2 = A.data.reduce((s, x) => s + x * x, 0);
        expect(values[0]).toBeGreaterThan(-1e-9 * fro2);
        expect(values[n - 1]).toBeLessThanOrEqual((fro2 / (ell + 1)) * (1 + 1e-9));
      }),
      { numRuns: 30, seed: 35 },
    );
  });

  test('the solver keeps ℓ = ⌈n/4⌉ + 2 rows by default and is charged for the buffer and one SVD', async () => {
    const { metrics, usage } = await run(frequentDirectionsSolver, small({ gap: 0.5, decay: 0.5 }));
    expect(usage.state_floats).toBe(frequentDirectionsFloats(24, 8));
    expect(metrics.alignment).toBeGreaterThan(0.95);
  });
});

describe('README.md (eigenvector-streaming baselines)', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  test.each([ojaSolver, blockPowerSolver, frequentDirectionsSolver].map((s) => [s.id, s] as const))('%s: the options table lists exactly the params schema', (id, solver) => {
    const start = readme.indexOf(`### \`${id}\``);
    expect(start, `README.md has no section "### \`${id}\`"`).toBeGreaterThanOrEqual(0);
    const from = readme.indexOf('| option |', start);
    const table = readme.slice(from, readme.indexOf('\n\n', from));
    expect([...table.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]).sort()).toEqual(Object.keys(solver.params.properties).sort());
  });
});
