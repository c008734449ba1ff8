import fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import { Matrix, SimdColumns, SimdMatrix, createRng, gemmStrided, matmul, matvec, randomizedSvd, setSimdEnabled, simdEnabled } from '../../src/index.js';
import { withResident } from '../../src/linalg/wasm/simd.js';
import { diffFro, naiveMatmul } from './helpers.js';

const rng = createRng('simd-test');
const randm = (r: number, c: number) => Matrix.from(r, c, rng.fillNormal(new Float64Array(r * c)));
const relFro = (a: Matrix, b: Matrix) => diffFro(a, b) / Math.max(1e-300, Math.hypot(...b.data));

afterEach(() => {
  setSimdEnabled(true);
});

describe('WebAssembly SIMD kernels', () => {
  test('are available on this platform (Node >= 16.4 on x64/arm64) and on by default', () => {
    expect(simdEnabled()).toBe(true);
  });

  test('the committed module matches a fresh compile of wasm/kernels.ts (npm run build:wasm)', async () => {
    // @ts-expect-error: a plain .mjs script without types
    const { compileKernels, generatedSource } = await import('../../scripts/build-wasm.mjs');
    const { readFileSync } = await import('node:fs');
    const committed = readFileSync(new URL('../../src/linalg/wasm/kernels.generated.ts', import.meta.url), 'utf8');
    expect(committed).toBe(generatedSource(compileKernels()));
  }, 60_000);

  test('GEMM agrees with a naive triple loop for every transpose, edge tiles and sizes past the cache blocks', () => {
    for (const [m, n, k] of [[33, 37, 41], [97, 5, 300], [4, 1030, 260], [130, 130, 2]] as const) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const A = transA ? randm(k, m) : randm(m, k);
          const B = transB ? randm(n, k) : randm(k, n);
          const want = naiveMatmul(transA ? Matrix.from(m, k, Float64Array.from({ length: m * k }, (_, x) => A.data[(x % k) * m + Math.floor(x / k)])) : A,
            transB ? Matrix.from(k, n, Float64Array.from({ length: k * n }, (_, x) => B.data[(x % n) * k + Math.floor(x / n)])) : B);
          expect(relFro(matmul(A, B, { transA, transB }), want), `${m}x${n}x${k} ${transA} ${transB}`).toBeLessThan(1e-13);
        }
      }
    }
  });

  test('gemmStrided on sub-blocks with alpha and beta: same as the TypeScript kernel to rounding, and the rest of C untouched', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 70 }), fc.integer({ min: 4, max: 70 }), fc.integer({ min: 8, max: 90 }), fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true }), (m, n, k, alpha, beta) => {
        const lda = k + 3, ldb = n + 2, ldc = n + 5;
        const a = rng.fillNormal(new Float64Array(2 + m * lda));
        const b = rng.fillNormal(new Float64Array(1 + k * ldb));
        const c0 = rng.fillNormal(new Float64Array(3 + m * ldc));
        const withSimd = c0.slice(), withTs = c0.slice();
        gemmStrided(false, false, m, n, k, alpha, a, 2, lda, b, 1, ldb, beta, withSimd, 3, ldc);
        setSimdEnabled(false);
        gemmStrided(false, false, m, n, k, alpha, a, 2, lda, b, 1, ldb, beta, withTs, 3, ldc);
        setSimdEnabled(true);
        let num = 0, den = 0;
        for (let i = 0; i < c0.length; i++) {
          num += (withSimd[i] - withTs[i]) ** 2;
          den += withTs[i] ** 2;
        }
        expect(Math.sqrt(num / den)).toBeLessThan(1e-13);
        for (let i = 0; i < 3; i++) expect(withSimd[i]).toBe(c0[i]);
        for (let i = 0; i < m; i++) for (let j = n; j < ldc && 3 + i * ldc + j < c0.length; j++) expect(withSimd[3 + i * ldc + j]).toBe(c0[3 + i * ldc + j]);
      }),
      { seed: 1, numRuns: 25 },
    );
  });

  test('a resident matrix gives Aᵀx and Ax equal to matvec, odd sizes included', () => {
    for (const [m, n] of [[256, 1024], [7, 9], [1, 3], [5, 1]] as const) {
      const A = randm(m, n);
      const S = SimdMatrix.from(A)!;
      try {
        const r = rng.fillNormal(new Float64Array(m)), x = rng.fillNormal(new Float64Array(n));
        const t = S.gemvT(r), u = S.gemvN(x);
        const want = matvec(A, r, true), wantN = matvec(A, x);
        for (let j = 0; j < n; j++) expect(t[j]).toBeCloseTo(want[j], 11);
        for (let i = 0; i < m; i++) expect(u[i]).toBeCloseTo(wantN[i], 11);
      } finally {
        S.dispose();
      }
    }
  });

  test('resident matrices nest with GEMM calls in between, and cannot be used once disposed', () => {
    const A = randm(40, 30), B = randm(20, 50);
    const SA = SimdMatrix.from(A)!;
    const SB = SimdMatrix.from(B)!;
    const big = matmul(randm(64, 64), randm(64, 64)); // runs above both
    expect(big.rows).toBe(64);
    const x = rng.fillNormal(new Float64Array(40));
    expect(Array.from(SA.gemvT(x))).toEqual(Array.from(SA.gemvT(x)));
    SA.dispose(); // not the top: freed when SB goes
    const y = rng.fillNormal(new Float64Array(50));
    const want = matvec(B, y);
    SB.gemvN(y).forEach((v, i) => expect(v).toBeCloseTo(want[i], 12));
    SB.dispose();
    expect(() => SB.gemvN(y)).toThrow('SimdMatrix: used after dispose()');
  });

  test('coordinate-descent passes: r += Σ p_t x_(q+t), then four inner products, and Xᵀr, as plain loops give', () => {
    for (const n of [9, 64]) {
      const d = 8;
      const xt = rng.fillNormal(new Float64Array(n * d));
      const r0 = rng.fillNormal(new Float64Array(n));
      const W = SimdColumns.from(xt, n, d)!;
      try {
        W.r().set(r0);
        const out = new Float64Array(4);
        W.pass4(4, 0.5, -1, 2, 0.25, 0, out);
        const r = r0.map((v, i) => v + 0.5 * xt[4 * n + i] - xt[5 * n + i] + 2 * xt[6 * n + i] + 0.25 * xt[7 * n + i]);
        W.r().forEach((v, i) => expect(v).toBeCloseTo(r[i], 12));
        for (let t = 0; t < 4; t++) expect(out[t]).toBeCloseTo(r.reduce((s, v, i) => s + v * xt[t * n + i], 0), 11);
        W.apply4(0, 1, 0, 0, -1);
        const r2 = r.map((v, i) => v + xt[i] - xt[3 * n + i]);
        W.r().forEach((v, i) => expect(v).toBeCloseTo(r2[i], 12));
        const g = W.xtr(new Float64Array(d));
        for (let j = 0; j < d; j++) expect(g[j]).toBeCloseTo(r2.reduce((s, v, i) => s + v * xt[j * n + i], 0), 11);
      } finally {
        W.dispose();
      }
    }
  });

  test('withResident: products with the resident matrix as a whole operand read it in place, with the same results', () => {
    const A = randm(300, 200), Q = randm(200, 12), P = randm(300, 12);
    const outside = [matmul(A, Q), matmul(A, P, { transA: true }), matmul(P, A, { transA: true })];
    const inside = withResident(A, () => [matmul(A, Q), matmul(A, P, { transA: true }), matmul(P, A, { transA: true })]);
    inside.forEach((M, i) => expect(Array.from(M.data)).toEqual(Array.from(outside[i].data)));
    const s1 = randomizedSvd(A, 5, { rng: createRng(3) }).s;
    setSimdEnabled(false);
    const s2 = randomizedSvd(A, 5, { rng: createRng(3) }).s;
    s1.forEach((v, i) => expect(v).toBeCloseTo(s2[i], 10));
  });

  test('off (setSimdEnabled(false) or PARSIMONY_SIMD=0), core uses its TypeScript kernels and SimdMatrix.from gives undefined', () => {
    expect(setSimdEnabled(false)).toBe(true);
    expect(simdEnabled()).toBe(false);
    expect(SimdMatrix.from(randm(3, 3))).toBeUndefined();
    const A = randm(50, 40), B = randm(40, 45);
    expect(relFro(matmul(A, B), naiveMatmul(A, B))).toBeLessThan(1e-13);
  });
});
