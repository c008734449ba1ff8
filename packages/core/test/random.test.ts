import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createRng } from '../src/index.js';

const hex = (h: number, l: number) => '0x' + h.toString(16).padStart(8, '0') + l.toString(16).padStart(8, '0');

describe('xoshiro256** seeded through splitmix64', () => {
  // Reference values from the authors' C algorithm, computed with Python integers.
  test.each([
    [0, ['0x99ec5f36cb75f2b4', '0xbf6e1f784956452a', '0x1a5f849d4933e6e0', '0x6aa594f1262d2d2c']],
    [42, ['0x15780b2e0c2ec716', '0x6104d9866d113a7e', '0xae17533239e499a1', '0xecb8ad4703b360a1']],
    [2 ** 40 + 7, ['0x130a691b4d4599f6', '0xef9180cb14c5197d', '0x61d1081bef45b9d2', '0xfa250e43773247ab']],
    [2 ** 53 - 1, ['0x38daf29b1ebbe041', '0xdb282e495b1b8379', '0x1b5b097bad6154c0', '0xbc60d3d05dd113f9']],
  ])('seed %d matches the reference stream', (seed, expected) => {
    const rng = createRng(seed);
    expect(expected.map(() => hex(...rng.nextUint64()))).toEqual(expected);
  });

  test('uniform() uses the top 53 bits', () => {
    const rng = createRng(42);
    expect([rng.uniform(), rng.uniform(), rng.uniform()]).toEqual([0.08386297105988216, 0.3789802506626686, 0.6800434110281394]);
  });

  test('seed paths: same path, same stream; different paths, different streams', () => {
    const a = createRng('quick', 'sparse-recovery/small', 3, 'baselines/omp');
    const b = createRng('quick', 'sparse-recovery/small', 3, 'baselines/omp');
    const c = createRng('quick', 'sparse-recovery/small', 4, 'baselines/omp');
    const xs = [a.uniform(), a.uniform()];
    expect([b.uniform(), b.uniform()]).toEqual(xs);
    expect(c.uniform()).not.toEqual(xs[0]);
  });

  test('rejects seeds that are not non-negative safe integers', () => {
    expect(() => createRng(-1)).toThrow(/non-negative safe integer/);
    expect(() => createRng(1.5)).toThrow(/non-negative safe integer/);
  });
});

describe('distributions', () => {
  test('uniform lies in [0, 1) with mean 1/2', () => {
    const rng = createRng(7);
    let s = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = rng.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      s += u;
    }
    expect(Math.abs(s / 100_000 - 0.5)).toBeLessThan(0.005);
  });

  test('normal has mean 0 and variance 1', () => {
    const rng = createRng(8);
    const x = rng.fillNormal(new Float64Array(200_000));
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    const v = x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(v - 1)).toBeLessThan(0.02);
  });

  test('int(n) is unbiased over a small range', () => {
    const rng = createRng(9);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.int(6)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });

  test('permutation is a permutation (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.nat(), (n, seed) => {
        const p = Array.from(createRng(seed).permutation(n)).sort((a, b) => a - b);
        expect(p).toEqual(Array.from({ length: n }, (_, i) => i));
      }),
    );
  });

  test('sampleWithoutReplacement gives k distinct indices in range (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), (n, seed, frac) => {
        const k = Math.floor(frac * n);
        const s = createRng(seed).sampleWithoutReplacement(n, k);
        expect(s.length).toBe(k);
        expect(new Set(s).size).toBe(k);
        for (const i of s) expect(i >= 0 && i < n).toBe(true);
      }),
    );
  });

  test('sampleWithoutReplacement rejects k > n', () => {
    expect(() => createRng(1).sampleWithoutReplacement(3, 4)).toThrow(/0 <= k <= n/);
  });
});
