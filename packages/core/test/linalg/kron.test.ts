import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Matrix, kronMatvec, matvec, sparseRecoveryFamily } from '../../src/index.js';
import { randn } from './helpers.js';

const { kron } = sparseRecoveryFamily;
const maxAbsDiff = (a: Float64Array, b: Float64Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('kronMatvec', () => {
  test('a hand-worked case: ([1 2] ⊗ I₂) [1 1 1 1]ᵀ = [3 3]', () => {
    expect(Array.from(kronMatvec([Matrix.fromRows([[1, 2]]), Matrix.eye(2)], new Float64Array([1, 1, 1, 1])))).toEqual([3, 3]);
  });

  test('equals the dense Kronecker product times x, and its transpose, for 1 to 4 factors (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ r: fc.integer({ min: 1, max: 4 }), c: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        (shapes, seed) => {
          const factors = shapes.map(({ r, c }, i) => randn(r, c, seed + i));
          const dense = factors.reduce((a, b) => kron(a, b));
          const x = randn(dense.cols, 1, seed + 99).data;
          const z = randn(dense.rows, 1, seed + 98).data;
          expect(maxAbsDiff(kronMatvec(factors, x), matvec(dense, x))).toBeLessThan(1e-12);
          expect(maxAbsDiff(kronMatvec(factors, z, { trans: true }), matvec(dense, z, true))).toBeLessThan(1e-12);
        },
      ),
      { numRuns: 60 },
    );
  });

  test('writes into out when given, and leaves x unchanged', () => {
    const f = [randn(3, 5, 1), randn(2, 4, 2)];
    const x = randn(20, 1, 3).data, copy = x.slice();
    const out = new Float64Array(6);
    expect(kronMatvec(f, x, { out })).toBe(out);
    expect(Array.from(x)).toEqual(Array.from(copy));
    expect(maxAbsDiff(out, matvec(kron(f[0], f[1]), x))).toBeLessThan(1e-12);
  });

  test('a wrong length or no factors is a clear error', () => {
    expect(() => kronMatvec([randn(3, 5, 1), randn(2, 4, 2)], new Float64Array(19))).toThrow('kronMatvec: x has 19 entries; 3x5 ⊗ 2x4 needs 20');
    expect(() => kronMatvec([], new Float64Array(1))).toThrow('kronMatvec: factors must be a non-empty array');
    expect(() => kronMatvec([randn(3, 5, 1)], new Float64Array(5), { out: new Float64Array(2) })).toThrow('kronMatvec: out has 2 entries, expected 3');
  });
});
