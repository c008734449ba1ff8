import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { applyThreshold, lambdaMax, OPERATORS } from '../src/index.js';

const T = (op: (typeof OPERATORS)[number], u: number[], lambda: number, eta: number) => {
  const v = Float64Array.from(u);
  const nnz = applyThreshold(op, v, lambda, eta);
  return { v: [...v], nnz };
};

describe('the four thresholding operators', () => {
  test('soft shrinks by λη: sign(u)·max(|u| − λη, 0)', () => {
    expect(T('soft', [0.5, -2, 3, 1], 1, 1)).toEqual({ v: [0, -1, 2, 0], nnz: 2 });
  });

  test('hard keeps |u| ≥ √(λη) unchanged (the code\'s √(λη), not √(2λη))', () => {
    // λη = 0.25: threshold 0.5
    expect(T('hard', [0.49, -0.5, 3], 0.5, 0.5)).toEqual({ v: [0, -0.5, 3], nnz: 2 });
  });

  test('half: zero at or below (54^{1/3}/4)(λη)^{2/3}, and the Xu et al. formula above', () => {
    const tau = 1, t = Math.cbrt(54) / 4;
    const { v } = T('half', [t, -(t + 1e-9), 4], tau, 1);
    expect(v[0]).toBe(0);
    // At the threshold the half-thresholding jumps to (2/3)|u| (Xu et al. 2012, Thm 1).
    expect(v[1]).toBeCloseTo((-2 / 3) * t, 6);
    const phi = Math.acos((tau / 8) * Math.pow(4 / 3, -1.5));
    expect(v[2]).toBeCloseTo((2 / 3) * 4 * (1 + Math.cos((2 * Math.PI) / 3 - (2 / 3) * phi)), 14);
    expect(v[2]).toBeLessThan(4);
    expect(v[2]).toBeGreaterThan(4 - tau / Math.sqrt(4)); // less shrinkage than soft's: the ℓ1/2 bias fades for large |u|
  });

  test('CEL0 (unit atom): sign(u)·min(|u|, max(|u| − √(2λ)η, 0)/(1 − η)), zero when η ≥ 1', () => {
    // λ = 0.5: √(2λ) = 1; η = 0.5: threshold 0.5, slope 2, identity from |u| = 1 on.
    expect(T('cel0', [0.4, 0.75, -0.75, 1.5], 0.5, 0.5)).toEqual({ v: [0, 0.5, -0.5, 1.5], nnz: 3 });
    expect(T('cel0', [5, -5], 0.5, 1)).toEqual({ v: [0, 0], nnz: 0 });
  });

  test('every operator is odd, shrinks (|T(u)| ≤ |u|, same sign) and is nondecreasing', () => {
    const finite = fc.double({ min: -10, max: 10, noNaN: true });
    fc.assert(
      fc.property(fc.constantFrom(...OPERATORS), finite, finite, fc.double({ min: 1e-3, max: 5, noNaN: true }), fc.double({ min: 0.05, max: 0.95, noNaN: true }), (op, a, b, lambda, eta) => {
        const { v } = T(op, [a, -a, Math.min(a, b), Math.max(a, b)], lambda, eta);
        expect(Math.abs(v[0])).toBeLessThanOrEqual(Math.abs(a) + 1e-12);
        expect(v[0] * a).toBeGreaterThanOrEqual(0);
        expect(v[1] + v[0] === 0).toBe(true);
        expect(v[2]).toBeLessThanOrEqual(v[3] + 1e-12);
      }),
      { numRuns: 300 },
    );
  });

  test('at λ = lambdaMax(op, m, η) the first step T(η c) is zero for every |c| ≤ m, just below it is not', () => {
    for (const op of OPERATORS) {
      const m = 1.7, eta = 0.6, lmax = lambdaMax(op, m, eta);
      expect(T(op, [eta * m, -eta * m, 0.3 * eta], lmax, eta).nnz, op).toBe(0);
      expect(T(op, [eta * m], lmax * 0.99, eta).nnz, op).toBe(1);
    }
  });
});
