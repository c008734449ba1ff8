import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { allFamilies, createRegistry, fwht, generateInstance, scoreSolution, solveService, sparseTransform } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import plugin, { fwhtTopK, fwhtTopKSolver } from '../src/index.js';

describeSolverConformance(fwhtTopKSolver, {
  instance: { n: 10, K: 8, snrDb: 20 },
  invalidParams: [
    { params: { k: -1 }, message: 'params.k must be >= 0' },
    { params: { k: 1.5 }, message: 'params.k' },
  ],
});

describe('fwhtTopK', () => {
  test('x = (1, −1, 1, −1) is the pure frequency 1: X = (0, 1, 0, 0)', () => {
    const r = fwhtTopK(Float64Array.of(1, -1, 1, -1), 1);
    expect(Array.from(r.indices)).toEqual([1]);
    expect(Array.from(r.values)).toEqual([1]);
  });

  test('keeps the k largest |X| with ascending indices, ties to the smaller frequency; k = 0 keeps nothing', () => {
    // X = (4, −3, 3, 1, 0, 0, 0, 0)/…: build x = H X so that fwht(x)/N = X.
    const X = Float64Array.of(4, -3, 3, 1, 0, 0, 0, 0);
    const x = fwht(X.slice());
    const r = fwhtTopK(x, 2);
    expect(Array.from(r.indices)).toEqual([0, 1]);
    expect(Array.from(r.values)).toEqual([4, -3]);
    expect(fwhtTopK(x, 0).indices.length).toBe(0);
    expect(Array.from(fwhtTopK(x, 8).indices)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  test('equals a full sort of |fwht(x)/N| (property), and leaves x unchanged', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 }), fc.nat(), fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 128, maxLength: 128 }), (k, _s, xs) => {
        const x = Float64Array.from(xs);
        const before = Array.from(x);
        const X = fwht(x.slice()).map((v) => v / 128);
        const want = Array.from(X.keys())
          .sort((a, b) => Math.abs(X[b]) - Math.abs(X[a]) || a - b)
          .slice(0, k)
          .sort((a, b) => a - b);
        const r = fwhtTopK(x, k);
        expect(Array.from(r.indices)).toEqual(want);
        expect(Array.from(r.values)).toEqual(want.map((t) => X[t]));
        expect(Array.from(x)).toEqual(before);
      }),
      { numRuns: 60 },
    );
  });

  test('bad input is a clear error naming the argument', () => {
    expect(() => fwhtTopK(new Float64Array(6), 1)).toThrow('fwhtTopK: x has 6 entries; the length must be a power of two 2^n');
    expect(() => fwhtTopK(new Float64Array(8), 9)).toThrow('fwhtTopK: k = 9 must be an integer in 0..N = 0..8');
  });
});

describe('baselines/fwht-top-k on sparse-transform', () => {
  test('is registered once in the plugin', () => {
    expect(plugin.solvers.filter((s) => s.id === 'baselines/fwht-top-k')).toHaveLength(1);
  });

  test('the quick instance: exact support from all N samples, error about σ/√N (below −40 dB)', async () => {
    const inst = generateInstance(sparseTransform, sparseTransform.presets.quick, ['fwht-top-k', 1]);
    const session = sparseTransform.interaction!.open(inst.observation, inst.truth);
    const { solution } = await solveService(createRegistry(allFamilies)).solve(fwhtTopKSolver, inst.observation, {}, { interact: (m, a) => session.handle(m, a) });
    const outcome = scoreSolution(sparseTransform, inst.observation, inst.truth, solution, session.usage());
    expect(outcome).toMatchObject({ status: 'ok', metrics: { exact_support: 1, samples: 65536, sample_fraction: 1 } });
    if (outcome.status === 'ok') expect(outcome.metrics.coef_nmse_db).toBeLessThan(-40);
  });

  test('README.md: the options table lists exactly the params schema', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const start = readme.indexOf('### `baselines/fwht-top-k`');
    expect(start, 'README.md has a section "### `baselines/fwht-top-k`"').toBeGreaterThanOrEqual(0);
    const from = readme.indexOf('| option |', start);
    const table = readme.slice(from, readme.indexOf('\n\n', from));
    expect([...table.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]).sort()).toEqual(Object.keys(fwhtTopKSolver.params.properties).sort());
  });
});
