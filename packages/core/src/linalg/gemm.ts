import { assertMatrix, badInput, shapeOf } from './check.js';
import type { Matrix } from './matrix.js';
import { simdGemm } from './wasm/simd.js';

// ==========================================================================
// Blocking parameters (Goto & van de Geijn, "Anatomy of high-performance
// matrix multiplication", ACM TOMS 34(3), 2008; BLIS loop order).
//
// V8 compiles doubles to scalar SSE/AVX code with 15 usable registers. The
// 3 x 2 micro-tile (6 accumulators, 3 + 2 operands, products) is the largest
// that TurboFan schedules without spilling; measured on this machine it runs
// at ~6 GFLOP/s in isolation against ~5 for 4 x 2 and ~4 for 4 x 4. The
// KC x MR and KC x NR packed slivers stay in L1, the MC x KC block of A in L2.
// ==========================================================================

const MR = 3;
const NR = 2;
const KC = 256;
const MC = 120;
const NC = 512;
/** Below this many multiply-adds, packing costs more than it saves. */
const SMALL = 16 * 16 * 16;
/** From this many multiply-adds (and 4 x 4 outputs) the WebAssembly SIMD kernel pays for copying its operands in. */
const SIMD_MIN = 32 * 32 * 32;

/** Offset of the packed B block in {@link W}. */
const B_BASE = MC * KC;

/**
 * The packing workspace: the MC x KC block of A, then the KC x NC block of
 * B (1.3 MB, allocated once). It is a module-level `const` of fixed size on
 * purpose: TurboFan then treats the array as a constant, so the kernel's
 * loads need neither a map check nor a reload of the base pointer and
 * length, and its bounds checks compare against a constant (~20% faster
 * than passing the array in). JS is single-threaded, and gemm never
 * re-enters itself, so one workspace suffices.
 */
const W = new Float64Array(B_BASE + KC * (NC + NR));
/** The MR x NR edge tile. */
const TILE = new Float64Array(MR * NR);

/**
 * The 3x2 micro-kernel: C[co..] += Ap Bp over `kc` steps, where the packed
 * slivers Ap (at `ao`) and Bp (at `bo`) live in {@link W}.
 */
function kernel3x2(kc: number, ao: number, bo: number, c: Float64Array, co: number, ldc: number): void {
  const w = W;
  let c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0;
  const end = (ao + MR * kc) | 0;
  // `| 0` keeps index arithmetic in int32 without overflow checks.
  for (; ao < end; ao = (ao + MR) | 0, bo = (bo + NR) | 0) {
    const b0 = w[bo], b1 = w[(bo + 1) | 0];
    let a = w[ao];
    c00 += a * b0;
    c01 += a * b1;
    a = w[(ao + 1) | 0];
    c10 += a * b0;
    c11 += a * b1;
    a = w[(ao + 2) | 0];
    c20 += a * b0;
    c21 += a * b1;
  }
  c[co] += c00;
  c[co + 1] += c01;
  co += ldc;
  c[co] += c10;
  c[co + 1] += c11;
  co += ldc;
  c[co] += c20;
  c[co + 1] += c21;
}

/** Scales the m x n block of C at cOff by beta (beta = 0 clears, as BLAS does, even over NaN). */
function scaleBlock(m: number, n: number, beta: number, c: Float64Array, cOff: number, ldc: number): void {
  if (beta === 1) return;
  for (let i = 0; i < m; i++) {
    const o = cOff + i * ldc;
    if (beta === 0) c.fill(0, o, o + n);
    else for (let j = 0; j < n; j++) c[o + j] *= beta;
  }
}

/**
 * General strided matrix multiply on row-major storage (BLAS dgemm):
 * C := alpha op(A) op(B) + beta C, where op(A) is m x k, op(B) is k x n, and
 * element (i, j) of C lives at `c[cOff + i * ldc + j]`. op(A)(i, p) is
 * `a[aOff + i * lda + p]`, or `a[aOff + p * lda + i]` when `transA`.
 *
 * The building block of every blocked factorization here; it works on
 * sub-blocks in place, so callers never copy panels out.
 *
 * @example
 * // C (2x2) := A (2x3) · B (3x2)
 * gemmStrided(false, false, 2, 2, 3, 1, a, 0, 3, b, 0, 2, 0, c, 0, 2);
 */
export function gemmStrided(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  aOff: number,
  lda: number,
  b: Float64Array,
  bOff: number,
  ldb: number,
  beta: number,
  c: Float64Array,
  cOff: number,
  ldc: number,
): void {
  if (m <= 0 || n <= 0) return;
  scaleBlock(m, n, beta, c, cOff, ldc);
  if (k <= 0 || alpha === 0) return;
  if (m * n * k <= SMALL || m < MR || n < NR) {
    gemmSmall(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    return;
  }
  if (m >= 4 && n >= 4 && m * n * k >= SIMD_MIN && simdGemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc)) return;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packB(transB, kc, nc, b, bOff, ldb, pc, jc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(transA, mc, kc, alpha, a, aOff, lda, ic, pc);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          const bo = B_BASE + jr * kc; // sliver jr/NR starts at (jr/NR) * kc * NR
          const cCol = cOff + jc + jr;
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = Math.min(MR, mc - ir);
            const ao = ir * kc;
            const co = cCol + (ic + ir) * ldc;
            if (mr === MR && nr === NR) {
              kernel3x2(kc, ao, bo, c, co, ldc);
            } else {
              // Edge tile: compute the padded tile aside, add its valid part.
              TILE.fill(0);
              kernel3x2(kc, ao, bo, TILE, 0, NR);
              for (let i = 0; i < mr; i++) for (let j = 0; j < nr; j++) c[co + i * ldc + j] += TILE[i * NR + j];
            }
          }
        }
      }
    }
  }
}

/** Packs alpha op(A)[ic.., pc..] (mc x kc) into MR-row slivers, zero-padded. */
function packA(
  transA: boolean, mc: number, kc: number, alpha: number,
  a: Float64Array, aOff: number, lda: number, ic: number, pc: number,
): void {
  const w = W;
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = Math.min(MR, mc - ir);
    const base = ir * kc;
    for (let i = 0; i < MR; i++) {
      let o = base + i;
      if (i >= mr) {
        for (let p = 0; p < kc; p++, o += MR) w[o] = 0;
      } else if (!transA) {
        const src = aOff + (ic + ir + i) * lda + pc;
        for (let p = 0; p < kc; p++, o += MR) w[o] = alpha * a[src + p];
      } else {
        let src = aOff + pc * lda + ic + ir + i;
        for (let p = 0; p < kc; p++, o += MR, src += lda) w[o] = alpha * a[src];
      }
    }
  }
}

/** Packs op(B)[pc.., jc..] (kc x nc) into NR-column slivers, zero-padded. */
function packB(
  transB: boolean, kc: number, nc: number,
  b: Float64Array, bOff: number, ldb: number, pc: number, jc: number,
): void {
  const w = W;
  const bBase = B_BASE;
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = Math.min(NR, nc - jr);
    const base = bBase + jr * kc;
    if (!transB) {
      let o = base;
      let src = bOff + pc * ldb + jc + jr;
      if (nr === NR) {
        for (let p = 0; p < kc; p++, o += NR, src += ldb) {
          w[o] = b[src];
          w[o + 1] = b[src + 1];
        }
      } else {
        for (let p = 0; p < kc; p++, o += NR, src += ldb) {
          for (let j = 0; j < NR; j++) w[o + j] = j < nr ? b[src + j] : 0;
        }
      }
    } else {
      for (let j = 0; j < NR; j++) {
        let o = base + j;
        if (j >= nr) {
          for (let p = 0; p < kc; p++, o += NR) w[o] = 0;
        } else {
          const src = bOff + (jc + jr + j) * ldb + pc;
          for (let p = 0; p < kc; p++, o += NR) w[o] = b[src + p];
        }
      }
    }
  }
}

/** Unpacked triple loop for small or skinny products (i-p-j order: streams rows of B and C). */
function gemmSmall(
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: Float64Array, aOff: number, lda: number, b: Float64Array, bOff: number, ldb: number,
  c: Float64Array, cOff: number, ldc: number,
): void {
  const sai = transA ? 1 : lda, sap = transA ? lda : 1;
  const sbp = transB ? 1 : ldb, sbj = transB ? ldb : 1;
  for (let i = 0; i < m; i++) {
    const ci = cOff + i * ldc;
    const ai = aOff + i * sai;
    for (let p = 0; p < k; p++) {
      const aip = alpha * a[ai + p * sap];
      const bp = bOff + p * sbp;
      if (sbj === 1) for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
      else for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j * sbj];
    }
  }
}

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Use Aᵀ in place of A (no copy is made). */
  readonly transA?: boolean;
  /** Use Bᵀ in place of B (no copy is made). */
  readonly transB?: boolean;
}

/** Validates the arguments of {@link matmul}; returns the product's shape. */
export function checkMatmul(a: unknown, b: unknown, opts: MatmulOptions = {}): void {
  assertMatrix('matmul', 'A', a);
  assertMatrix('matmul', 'B', b);
  const ka = opts.transA ? a.rows : a.cols;
  const kb = opts.transB ? b.cols : b.rows;
  if (ka !== kb) {
    const an = opts.transA ? `Aᵀ is ${a.cols}x${a.rows}` : `A is ${shapeOf(a)}`;
    const bn = opts.transB ? `Bᵀ is ${b.cols}x${b.rows}` : `B is ${shapeOf(b)}`;
    throw badInput(`matmul: ${an} but ${bn} (inner dimensions differ)`, 'B');
  }
}

/** The matmul kernel (no checks): a new matrix op(A) op(B). */
export function matmulKernel(a: Matrix, b: Matrix, transA: boolean, transB: boolean): Matrix {
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const n = transB ? b.rows : b.cols;
  const c = new Float64Array(m * n);
  gemmStrided(transA, transB, m, n, k, 1, a.data, 0, a.cols, b.data, 0, b.cols, 0, c, 0, n);
  return { rows: m, cols: n, data: c };
}

/**
 * Matrix product op(A) op(B), where op transposes when asked. Packed panels,
 * a register-blocked 3x2 micro-kernel and cache blocking (Goto & van de Geijn
 * 2008) make it several times faster than a naive triple loop at n = 1024.
 *
 * @param A - m x k (k x m with `transA`)
 * @param B - k x n (n x k with `transB`)
 * @param options - `transA`, `transB`
 * @returns a new m x n matrix
 * @example
 * const C = matmul(Matrix.fromRows([[1, 2]]), Matrix.fromRows([[3], [4]]));
 * C.data; // => Float64Array [11]
 */
export function matmul(A: Matrix, B: Matrix, options: MatmulOptions = {}): Matrix {
  checkMatmul(A, B, options);
  return matmulKernel(A, B, !!options.transA, !!options.transB);
}
