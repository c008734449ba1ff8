import { describe, expect, test } from 'vitest';
import { Matrix, allFamilies, createRng, generateInstance, matmul, scoreSolution, weightCompression, type AnyFamily } from '../../src/index.js';
import { betaSample, clampMetric, dirichletSample, gammaSample, haarOrthonormal, hungarian, relErrSafe, toDb } from '../../src/families/common.js';

/** Every permutation of 0..n-1. */
function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

describe('family helpers', () => {
  test('hungarian finds the minimum-cost assignment (checked by brute force, square and rectangular)', () => {
    const rng = createRng(3);
    for (const [n, m] of [[4, 4], [5, 5], [3, 5]]) {
      const C = Matrix.zeros(n, m);
      for (let t = 0; t < C.data.length; t++) C.data[t] = Math.round(rng.uniform() * 20);
      const a = hungarian(C);
      expect(new Set(a).size).toBe(n);
      const cost = (assign: ArrayLike<number>) => Array.from(assign).reduce((s, j, i) => s + C.data[i * m + j], 0);
      const best = Math.min(...permutations(m).map((p) => cost(p.slice(0, n))));
      expect(cost(a)).toBe(best);
    }
  });

  test('samplers: Gamma, Beta and Dirichlet have the right means', () => {
    const rng = createRng(11);
    const mean = (f: () => number, k = 20000) => Array.from({ length: k }, f).reduce((s, v) => s + v, 0) / k;
    expect(mean(() => gammaSample(rng, 0.5))).toBeCloseTo(0.5, 1);
    expect(mean(() => gammaSample(rng, 3))).toBeCloseTo(3, 1);
    expect(mean(() => betaSample(rng, 0.5, 1.5))).toBeCloseTo(0.25, 1);
    const d = dirichletSample(rng, 5, 0.1);
    expect(d.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });

  test('haarOrthonormal has orthonormal columns', () => {
    const Q = haarOrthonormal(7, 4, createRng(2));
    const G = matmul(Q, Q, { transA: true });
    G.data.forEach((v, t) => expect(v).toBeCloseTo(t % 5 === 0 ? 1 : 0, 12));
  });

  test('metric guards keep values finite', () => {
    expect(clampMetric(Infinity)).toBe(1e300);
    expect(clampMetric(NaN)).toBe(1e300);
    expect(toDb(0, 20)).toBe(-300);
    expect(relErrSafe(new Float64Array([1e308, -1e308]), new Float64Array([-1e308, 1e308]))).toBeCloseTo(2, 12);
  });
});

describe('trivial solutions', () => {
  // The trivial answer is the floor a solver must beat: it must be a valid solution of every quick instance.
  const cases: [string, AnyFamily, object][] = allFamilies.filter((f) => f.trivialSolution && !f.interaction).map((f) => [f.id, f, {}]);
  cases.push(['weight-compression under a bits budget', weightCompression, { budget: { bits: 4, groupSize: 16 } }]);
  test.each(cases)('%s: valid and scored', (_label, family, params) => {
    const { observation, truth } = generateInstance(family, { ...family.presets?.quick, ...params }, [1]);
    const r = scoreSolution(family, observation, truth, family.trivialSolution!(observation as never));
    expect(r.status, r.status === 'invalid' ? r.reason : '').toBe('ok');
  });
});
