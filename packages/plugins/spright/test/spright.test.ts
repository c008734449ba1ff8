import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { allFamilies, createRegistry, createRng, fwht, generateInstance, scoreSolution, solveService, sparseTransform } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import plugin, { blockStarts, defaultBits, resolveDesign, sparseFht, sparseFhtSolver, spright, sprightSolver, type SampleOracle } from '../src/index.js';

describeSolverConformance(sprightSolver, {
  invalidParams: [
    { params: { groups: 0 }, message: 'params.groups must be >= 1' },
    { params: { bits: 0 }, message: 'params.bits must be >= 1' },
    { params: { offsets: 0 }, message: 'params.offsets' },
    { params: { offsets: 'many' }, message: 'params.offsets' },
    { params: { gamma: -1 }, message: 'params.gamma must be >= 0' },
    { params: { detector: 'ml' }, message: 'params.detector' },
    { params: { maxPeels: 0 }, message: 'params.maxPeels must be >= 1' },
  ],
});
describeSolverConformance(sparseFhtSolver, {
  invalidParams: [
    { params: { groups: 0 }, message: 'params.groups must be >= 1' },
    { params: { bits: 25 }, message: 'params.bits must be <= 24' },
    { params: { gamma: -1 }, message: 'params.gamma must be >= 0' },
    { params: { offsets: 5 }, message: "unknown field 'offsets'" },
  ],
});

/** An oracle over a signal held in memory, counting the distinct indices asked (as the family's session). */
function memoryOracle(x: Float64Array): { query: SampleOracle; samples: () => number } {
  const seen = new Set<number>();
  return {
    query: (idx) => {
      idx.forEach((t) => seen.add(t));
      return Float64Array.from(idx, (t) => x[t]);
    },
    samples: () => seen.size,
  };
}

/** The signal x = H X of a sparse spectrum (Sylvester order, as the family), plus optional noise. */
function signalOf(n: number, spectrum: Record<number, number>, noise = 0, seed = 1): Float64Array {
  const X = new Float64Array(2 ** n);
  for (const [k, v] of Object.entries(spectrum)) X[Number(k)] = v;
  const x = fwht(X);
  if (noise > 0) {
    const rng = createRng('signal', seed);
    for (let t = 0; t < x.length; t++) x[t] += noise * rng.normal();
  }
  return x;
}

describe('design', () => {
  test('b defaults to the smallest B = 2^b above K (the paper file: b = 6 for K = 32, 8 for K = 200), at most n', () => {
    expect(defaultBits(16, 32)).toBe(6);
    expect(defaultBits(16, 64)).toBe(7);
    expect(defaultBits(22, 200)).toBe(8);
    expect(defaultBits(16, 20)).toBe(5);
    expect(defaultBits(4, 100)).toBe(4);
    expect(defaultBits(8, 0)).toBe(1);
  });

  test("groups keep disjoint identity blocks c·b.. when C·b ≤ n (the paper's), evenly spread ones otherwise", () => {
    expect(blockStarts(18, 6, 3)).toEqual([0, 6, 12]);
    expect(blockStarts(16, 6, 3)).toEqual([0, 5, 11]);
    expect(blockStarts(12, 6, 3)).toEqual([0, 4, 8]);
  });

  test('resolveDesign fills the defaults and rejects a b above n, naming params.bits', () => {
    expect(resolveDesign({ n: 16, K: 32 }, {})).toEqual({ groups: 3, bits: 6, offsets: 'auto', gamma: 1, detector: 'vote', maxPeels: 320 });
    expect(() => resolveDesign({ n: 10, K: 8 }, { bits: 11 })).toThrow('spright: params.bits = 11 must be an integer in 1..n = 1..10');
  });

  test('the solver turns a b above n into a ParsimonyError naming params.bits', async () => {
    const inst = generateInstance(sparseTransform, { n: 8, K: 4 }, [1]);
    const session = sparseTransform.interaction!.open(inst.observation, inst.truth);
    await expect(
      solveService(createRegistry(allFamilies)).solve(sprightSolver, inst.observation, { bits: 9 }, { interact: (m, a) => session.handle(m, a) }),
    ).rejects.toThrow('spright/spright: params.bits = 9 must be an integer in 1..n = 1..8');
  });
});

describe('spright: exact cases', () => {
  test('one coefficient X[5] = 2 of a 16-point signal (n = 4): found exactly', async () => {
    const x = signalOf(4, { 5: 2 });
    const r = await spright(memoryOracle(x).query, { n: 4, K: 1, noiseStd: 0 });
    expect(Array.from(r.indices)).toEqual([5]);
    expect(Array.from(r.values)).toEqual([2]);
  });

  test('noiseless, three coefficients at n = 16: exact, with one offset (P1 = 1) and a few percent of the samples', async () => {
    const x = signalOf(16, { 7: 1, 4242: -2, 60000: 0.5 });
    const o = memoryOracle(x);
    const r = await spright(o.query, { n: 16, K: 3, noiseStd: 0 });
    expect(Array.from(r.indices)).toEqual([7, 4242, 60000]);
    expect(Array.from(r.values)).toEqual([1, -2, 0.5]);
    expect(r.design).toMatchObject({ groups: 3, bits: 2, offsets: 1, delaysPerGroup: 15 });
    // C groups x (n − b + 1) delays x B bins: 3 · 15 · 4 = 180 requests, some shared between groups.
    expect(r.queries).toBe(180);
    expect(o.samples()).toBeLessThanOrEqual(180);
  });

  test('an all-zero signal gives the empty spectrum', async () => {
    const r = await spright(memoryOracle(new Float64Array(1024)).query, { n: 10, K: 5, noiseStd: 0 });
    expect(r.indices.length).toBe(0);
  });

  test('noisy: the vote and the MLE detector find the same spectrum, each value within 4 σ/√(B·P) of the truth', async () => {
    const spectrum = { 3: 1, 900: -1, 1234: 1, 4000: -1, 77: 1 };
    const sigma = 0.5;
    const x = signalOf(12, spectrum, sigma, 2);
    const a = await spright(memoryOracle(x).query, { n: 12, K: 5, noiseStd: sigma }, { rng: createRng(3) });
    const b = await spright(memoryOracle(x).query, { n: 12, K: 5, noiseStd: sigma }, { rng: createRng(3), detector: 'mle' });
    expect(Array.from(a.indices)).toEqual([3, 77, 900, 1234, 4000]);
    expect(Array.from(b.indices)).toEqual(Array.from(a.indices));
    const { bits, delaysPerGroup } = a.design;
    const tol = (4 * sigma) / Math.sqrt(2 ** bits * delaysPerGroup);
    a.indices.forEach((k, i) => expect(Math.abs(a.values[i] - spectrum[k as keyof typeof spectrum])).toBeLessThan(tol));
  });

  test('P1 = auto: 5 offsets at 10 dB, 9 at 0 dB (measured on the first offset\'s samples)', async () => {
    const run = async (snrDb: number) => {
      const inst = generateInstance(sparseTransform, { n: 14, K: 16, snrDb }, ['auto', snrDb]);
      const s = sparseTransform.interaction!.open(inst.observation, inst.truth);
      return spright((idx) => s.handle('query', [idx]) as Float64Array, inst.observation, { rng: createRng(1) });
    };
    expect((await run(10)).design.offsets).toBe(5);
    expect((await run(0)).design.offsets).toBe(9);
  });

  test('requests larger than N are split (the oracle answers at most N indices at a time)', async () => {
    const sizes: number[] = [];
    const x = signalOf(8, { 1: 1, 200: -1 }, 0.05);
    await spright((idx) => (sizes.push(idx.length), Float64Array.from(idx, (t) => x[t])), { n: 8, K: 2, noiseStd: 0.05 }, { offsets: 9 });
    expect(Math.max(...sizes)).toBeLessThanOrEqual(256);
  });

  test('an oracle that answers the wrong length is a clear error', async () => {
    await expect(spright(() => new Float64Array(1), { n: 8, K: 2, noiseStd: 0 })).rejects.toThrow('spright: the oracle answered');
  });

  test('honours an aborted signal before asking anything', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    let asked = 0;
    await expect(spright(() => (asked++, new Float64Array(0)), { n: 8, K: 2, noiseStd: 0 }, { signal: ac.signal })).rejects.toThrow('stop');
    expect(asked).toBe(0);
  });
});

describe('properties', () => {
  test('noiseless: every coefficient SPRIGHT or SparseFHT lists is a true one, with its exact value (random n, K, values)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 8, max: 14 }), fc.integer({ min: 1, max: 12 }), fc.nat(), async (n, K, seed) => {
        const inst = generateInstance(sparseTransform, { n, K, snrDb: 'inf', amplitudes: 'gaussian' }, ['property', seed]);
        const truth = new Map(Array.from(inst.truth.support, (k, i) => [k, inst.truth.values[i]]));
        for (const solve of [spright, sparseFht]) {
          const s = sparseTransform.interaction!.open(inst.observation, inst.truth);
          const r = await solve((idx) => s.handle('query', [idx]) as Float64Array, inst.observation, { rng: createRng(seed) });
          r.indices.forEach((k, i) => {
            expect(truth.has(k)).toBe(true);
            expect(Math.abs(r.values[i] - truth.get(k)!)).toBeLessThan(1e-9);
          });
        }
      }),
      { numRuns: 25 },
    );
  });

  test('noiseless: peeling recovers the whole spectrum in ≥ 49 of 50 seeds at n = 12, K = 16 (measured 50; a stopping set of the sparse graph is rare, not impossible)', async () => {
    let exact = 0;
    for (let seed = 0; seed < 50; seed++) {
      const inst = generateInstance(sparseTransform, { n: 12, K: 16, snrDb: 'inf', amplitudes: 'gaussian' }, ['peeling', seed]);
      const s = sparseTransform.interaction!.open(inst.observation, inst.truth);
      const r = await spright((idx) => s.handle('query', [idx]) as Float64Array, inst.observation, { rng: createRng(seed) });
      exact += sparseTransform.score(inst.observation, inst.truth, { indices: r.indices, values: r.values }).exact_support;
    }
    expect(exact).toBeGreaterThanOrEqual(49);
  });

  test('the result depends on the offsets only through ctx.rng: same seed, same bits; the SparseFHT design has no randomness', async () => {
    const inst = generateInstance(sparseTransform, { n: 14, K: 10, snrDb: 10 }, [4]);
    const runs = await Promise.all(
      [1, 1, 2].map(async (seed) => {
        const s = sparseTransform.interaction!.open(inst.observation, inst.truth);
        return spright((idx) => s.handle('query', [idx]) as Float64Array, inst.observation, { rng: createRng(seed) });
      }),
    );
    expect(Array.from(runs[1].values)).toEqual(Array.from(runs[0].values));
    expect(Array.from(runs[2].values)).not.toEqual(Array.from(runs[0].values));
  });
});

describe("outside the paper's regime (K > N^(1/3) for C = 3)", () => {
  test('n = 12, K = 32, 10 dB: the blocks overlap, most of N is read, and the exact support is found in ≥ 15 of 20 seeds (measured 19, median 0.85·N)', async () => {
    let exact = 0;
    const fractions: number[] = [];
    for (let seed = 0; seed < 20; seed++) {
      const inst = generateInstance(sparseTransform, { n: 12, K: 32, snrDb: 10 }, ['regime', seed]);
      const s = sparseTransform.interaction!.open(inst.observation, inst.truth);
      const r = await spright((idx) => s.handle('query', [idx]) as Float64Array, inst.observation, { rng: createRng('regime', seed) });
      const m = sparseTransform.score(inst.observation, inst.truth, { indices: r.indices, values: r.values }, s.usage());
      exact += m.exact_support;
      fractions.push(m.sample_fraction);
    }
    expect(exact).toBeGreaterThanOrEqual(15);
    expect(fractions.sort((a, b) => a - b)[10]).toBeGreaterThan(0.7);
  });
});

describe('the plugin', () => {
  test('registers spright/spright and spright/sparse-fht on sparse-transform', () => {
    expect(plugin.solvers.map((s) => s.id)).toEqual(['spright/spright', 'spright/sparse-fht']);
    expect(plugin.solvers.every((s) => s.family.id === 'sparse-transform')).toBe(true);
  });

  test('through the session on the quick instance: exact support with a small fraction of the samples, and a trace per round', async () => {
    const inst = generateInstance(sparseTransform, sparseTransform.presets.quick, ['quick', 1]);
    const session = sparseTransform.interaction!.open(inst.observation, inst.truth);
    const { solution, trace } = await solveService(createRegistry(allFamilies)).solve(sprightSolver, inst.observation, {}, { interact: (m, a) => session.handle(m, a) });
    // Iteration 0 after the sampling, then one point per peeling round.
    expect(trace[0]).toMatchObject({ iteration: 0, found: 0 });
    expect(trace.at(-1)).toMatchObject({ found: 20, peels: 20 });
    const outcome = scoreSolution(sparseTransform, inst.observation, inst.truth, solution, session.usage());
    expect(outcome.status).toBe('ok');
    if (outcome.status !== 'ok') return;
    expect(outcome.metrics.exact_support).toBe(1);
    expect(outcome.metrics.sample_fraction).toBeLessThan(0.2);
  });
});
