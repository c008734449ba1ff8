import { describe, expect, test } from 'vitest';
import {
  KERNEL_NAMES,
  KernelNotRegisteredError,
  LinalgBackendToken,
  Matrix,
  createRegistry,
  defineBackend,
  extendBackend,
  matmul,
  typescriptBackend,
  typescriptKernels,
  type LinalgKernels,
} from '../../src/index.js';
import { diffFro, errorOf, randn } from './helpers.js';

describe('LinalgBackend', () => {
  test('the TypeScript backend implements every kernel and is the DI default', () => {
    expect(typescriptBackend.name).toBe('typescript');
    for (const k of KERNEL_NAMES) expect(typeof typescriptBackend.kernels[k]).toBe('function');
    expect(createRegistry([]).resolve(LinalgBackendToken)).toBe(typescriptBackend);
  });

  test('ops check shapes once, in the op layer, before any kernel runs', () => {
    let calls = 0;
    const spy = defineBackend({
      name: 'spy',
      kernels: {
        ...typescriptKernels,
        matmul: (a, b, ta, tb) => {
          calls++;
          return typescriptKernels.matmul(a, b, ta, tb);
        },
      },
    });
    expect(errorOf(() => spy.matmul(Matrix.zeros(3, 4), Matrix.zeros(5, 2))).message).toBe('matmul: A is 3x4 but B is 5x2 (inner dimensions differ)');
    expect(calls).toBe(0);
    const a = randn(5, 4, 1), b = randn(4, 3, 2);
    expect(diffFro(spy.matmul(a, b), matmul(a, b))).toBe(0);
    expect(calls).toBe(1);
    expect(errorOf(() => spy.svd(Matrix.fromRows([[NaN]]))).code).toBe('PARSIMONY_BAD_INPUT');
    expect(errorOf(() => spy.dot(new Float64Array(2), new Float64Array(3))).message).toBe('dot: y has 3 entries but x has 2');
  });

  test('a missing kernel names the kernel and the backend', () => {
    const partial = defineBackend({ name: 'wasm-simd', kernels: { matmul: typescriptKernels.matmul } });
    expect(() => partial.svd(Matrix.eye(2))).toThrow(new KernelNotRegisteredError('svd', 'wasm-simd'));
    expect(() => partial.svd(Matrix.eye(2))).toThrow("Kernel 'svd' not registered for backend 'wasm-simd'");
    // Composite ops need every kernel they use.
    expect(() => partial.randomizedSvd(Matrix.eye(3), 1)).toThrow("Kernel 'qr' not registered for backend 'wasm-simd'");
  });

  test('an unknown kernel name is an error with a suggestion', () => {
    const kernels = { matmull: typescriptKernels.matmul } as unknown as Partial<LinalgKernels>;
    expect(errorOf(() => defineBackend({ name: 'typo', kernels })).message).toBe(
      "defineBackend: backend 'typo' has an unknown kernel 'matmull' (did you mean 'matmul'?)",
    );
  });

  test('extendBackend replaces some kernels and inherits the rest; swapping it in DI reaches ctx.linalg', () => {
    let used = false;
    const fast = extendBackend(typescriptBackend, {
      name: 'fast',
      kernels: {
        gram: (a, t) => {
          used = true;
          return typescriptKernels.gram(a, t);
        },
      },
    });
    const reg = createRegistry([]);
    reg.registerInstance(LinalgBackendToken, fast);
    const linalg = reg.resolve(LinalgBackendToken);
    expect(linalg.name).toBe('fast');
    linalg.gram(randn(4, 3, 1));
    expect(used).toBe(true);
    expect(linalg.qr(randn(4, 3, 1)).R.rows).toBe(3); // inherited
  });

  test('every op runs on the TypeScript backend', () => {
    const B = typescriptBackend;
    const a = randn(6, 4, 3);
    const sq = B.gram(a);
    for (let i = 0; i < 4; i++) sq.data[i * 4 + i] += 1;
    const x = randn(1, 4, 4).data;
    expect(B.dot(x, x)).toBeCloseTo(B.nrm2(x) ** 2, 12);
    const y = x.slice();
    B.axpy(1, x, y);
    expect(y[0]).toBe(2 * x[0]);
    expect(B.matvec(a, x).length).toBe(6);
    expect(B.transpose(a).rows).toBe(4);
    expect(B.qrPivoted(a).rank).toBe(4);
    const l = B.cholesky(sq);
    expect(diffFro(B.choleskySolve(l, sq), Matrix.eye(4))).toBeLessThan(1e-12);
    expect(B.solveTriangular(l, x).length).toBe(4);
    expect(B.lu(sq).perm.length).toBe(4);
    expect(diffFro(B.solve(sq, sq), Matrix.eye(4))).toBeLessThan(1e-12);
    expect(B.lstsq(a, randn(1, 6, 5).data).rank).toBe(4);
    expect(B.pinv(a).rows).toBe(4);
    expect(B.eigh(sq).values.length).toBe(4);
    expect(B.svd(a).s.length).toBe(4);
    expect(B.randomizedSvd(a, 2).s.length).toBe(2);
    expect(Array.from(B.fwht(new Float64Array([1, 0, 1, 0])))).toEqual([2, 2, 0, 0]);
    expect(B.idct(B.dct(x)).length).toBe(4);
  });
});
