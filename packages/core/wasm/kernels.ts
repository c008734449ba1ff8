// WebAssembly SIMD (f64x2) kernels of @parsimony/core, in AssemblyScript.
//
// Compiled by `npm run build:wasm` (scripts/build-wasm.mjs) into
// src/linalg/wasm/kernels.generated.ts, which is committed: building and
// testing core need no AssemblyScript. The JavaScript side
// (src/linalg/wasm/simd.ts) owns the linear memory: it copies operands in at
// byte offsets, calls a kernel, and copies results out. Every matrix is
// row-major f64 with a leading dimension (elements), or general strides.
//
// No FMA: f64x2.mul then f64x2.add, so results are deterministic on every
// platform (as the scalar TypeScript kernels are).

// A 4 x 4 scratch block for partial tiles at the matrix edges.
const scratch: usize = memory.data(128, 16);

/** The first byte the JavaScript side may use (after this module's static data). */
export function heapBase(): usize {
  return (__heap_base + 63) & ~(63 as usize);
}

// ==========================================================================
// GEMM: C += A B, packed panels and a 4 x 4 register-blocked micro-kernel
// (Goto & van de Geijn 2008), two doubles per SIMD lane.
// ==========================================================================

/**
 * Packs an mb x kb block of A (element (i, p) at a + 8 (i rs + p cs)) into
 * panels of 4 rows: panel q holds rows 4q..4q+3, column-interleaved
 * (ap[q kb 4 + p 4 + i]), the last one zero-padded.
 */
function packA(mb: i32, kb: i32, a: usize, rs: i32, cs: i32, ap: usize): void {
  for (let i0 = 0; i0 < mb; i0 += 4) {
    const rows = min(4, mb - i0);
    for (let p = 0; p < kb; p++) {
      for (let i = 0; i < 4; i++) {
        const v: f64 = i < rows ? load<f64>(a + (<usize>((i0 + i) * rs + p * cs) << 3)) : 0.0;
        store<f64>(ap, v);
        ap += 8;
      }
    }
  }
}

/** Packs a kb x nb block of B into panels of 4 columns (bp[q kb 4 + p 4 + j]), the last one zero-padded. */
function packB(kb: i32, nb: i32, b: usize, rs: i32, cs: i32, bp: usize): void {
  for (let j0 = 0; j0 < nb; j0 += 4) {
    const cols = min(4, nb - j0);
    if (cols == 4 && cs == 1) {
      for (let p = 0; p < kb; p++) {
        const src = b + (<usize>(p * rs + j0) << 3);
        v128.store(bp, v128.load(src));
        v128.store(bp, v128.load(src, 16), 16);
        bp += 32;
      }
    } else {
      for (let p = 0; p < kb; p++) {
        for (let j = 0; j < 4; j++) {
          const v: f64 = j < cols ? load<f64>(b + (<usize>(p * rs + (j0 + j) * cs) << 3)) : 0.0;
          store<f64>(bp, v);
          bp += 8;
        }
      }
    }
  }
}

/** C[0..mr, 0..nr] += (packed A panel) (packed B panel) over kb; C row-major with leading dimension ldc. */
// @ts-ignore: decorator
@inline
function micro(kb: i32, pa: usize, pb: usize, c: usize, ldc: i32, mr: i32, nr: i32): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  for (let p = 0; p < kb; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = f64x2.splat(load<f64>(pa));
    c00 = f64x2.add(c00, f64x2.mul(a, b0));
    c01 = f64x2.add(c01, f64x2.mul(a, b1));
    a = f64x2.splat(load<f64>(pa, 8));
    c10 = f64x2.add(c10, f64x2.mul(a, b0));
    c11 = f64x2.add(c11, f64x2.mul(a, b1));
    a = f64x2.splat(load<f64>(pa, 16));
    c20 = f64x2.add(c20, f64x2.mul(a, b0));
    c21 = f64x2.add(c21, f64x2.mul(a, b1));
    a = f64x2.splat(load<f64>(pa, 24));
    c30 = f64x2.add(c30, f64x2.mul(a, b0));
    c31 = f64x2.add(c31, f64x2.mul(a, b1));
    pa += 32;
    pb += 32;
  }
  const ld = <usize>ldc << 3;
  if (mr == 4 && nr == 4) {
    let r = c;
    v128.store(r, f64x2.add(v128.load(r), c00));
    v128.store(r, f64x2.add(v128.load(r, 16), c01), 16);
    r += ld;
    v128.store(r, f64x2.add(v128.load(r), c10));
    v128.store(r, f64x2.add(v128.load(r, 16), c11), 16);
    r += ld;
    v128.store(r, f64x2.add(v128.load(r), c20));
    v128.store(r, f64x2.add(v128.load(r, 16), c21), 16);
    r += ld;
    v128.store(r, f64x2.add(v128.load(r), c30));
    v128.store(r, f64x2.add(v128.load(r, 16), c31), 16);
  } else {
    // An edge tile: spill the block, add the part inside C.
    v128.store(scratch, c00);
    v128.store(scratch, c01, 16);
    v128.store(scratch, c10, 32);
    v128.store(scratch, c11, 48);
    v128.store(scratch, c20, 64);
    v128.store(scratch, c21, 80);
    v128.store(scratch, c30, 96);
    v128.store(scratch, c31, 112);
    for (let i = 0; i < mr; i++) {
      for (let j = 0; j < nr; j++) {
        const dst = c + (<usize>i) * ld + (<usize>j << 3);
        store<f64>(dst, load<f64>(dst) + load<f64>(scratch + (<usize>(i * 4 + j) << 3)));
      }
    }
  }
}

/**
 * C += A B for A m x k (element (i, p) at a + 8 (i ars + p acs)), B k x n
 * (element (p, j) at b + 8 (p brs + j bcs)) and C m x n row-major (leading
 * dimension ldc). `ap` and `bp` are packing buffers of mc kc and kc (nc + 3)
 * doubles; mc, kc, nc are the cache blocks.
 */
export function dgemm(
  m: i32, n: i32, k: i32,
  a: usize, ars: i32, acs: i32,
  b: usize, brs: i32, bcs: i32,
  c: usize, ldc: i32,
  ap: usize, bp: usize,
  mc: i32, kc: i32, nc: i32,
): void {
  for (let jc = 0; jc < n; jc += nc) {
    const nb = min(nc, n - jc);
    for (let pc = 0; pc < k; pc += kc) {
      const kb = min(kc, k - pc);
      packB(kb, nb, b + (<usize>(pc * brs + jc * bcs) << 3), brs, bcs, bp);
      for (let ic = 0; ic < m; ic += mc) {
        const mb = min(mc, m - ic);
        packA(mb, kb, a + (<usize>(ic * ars + pc * acs) << 3), ars, acs, ap);
        for (let jr = 0; jr < nb; jr += 4) {
          const pb = bp + (<usize>(jr * kb) << 3);
          for (let ir = 0; ir < mb; ir += 4) {
            micro(kb, ap + (<usize>(ir * kb) << 3), pb, c + (<usize>((ic + ir) * ldc + jc + jr) << 3), ldc, min(4, mb - ir), min(4, nb - jr));
          }
        }
      }
    }
  }
}

// ==========================================================================
// GEMV on a row-major m x n matrix A (leading dimension lda)
// ==========================================================================

/** y = Aᵀ x (y has n entries): four rows of A per pass over y, two columns per lane. */
export function dgemvT(m: i32, n: i32, a: usize, lda: i32, x: usize, y: usize): void {
  memory.fill(y, 0, <usize>n << 3);
  const ld = <usize>lda << 3;
  const n2 = n & ~1;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const xi = x + (<usize>i << 3);
    const s0 = load<f64>(xi), s1 = load<f64>(xi, 8), s2 = load<f64>(xi, 16), s3 = load<f64>(xi, 24);
    const x0 = f64x2.splat(s0), x1 = f64x2.splat(s1), x2 = f64x2.splat(s2), x3 = f64x2.splat(s3);
    const r0 = a + (<usize>i) * ld, r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld;
    for (let j = 0; j < n2; j += 2) {
      const o = <usize>j << 3;
      let acc = v128.load(y + o);
      acc = f64x2.add(acc, f64x2.mul(x0, v128.load(r0 + o)));
      acc = f64x2.add(acc, f64x2.mul(x1, v128.load(r1 + o)));
      acc = f64x2.add(acc, f64x2.mul(x2, v128.load(r2 + o)));
      acc = f64x2.add(acc, f64x2.mul(x3, v128.load(r3 + o)));
      v128.store(y + o, acc);
    }
    if (n2 < n) {
      const o = <usize>n2 << 3;
      store<f64>(y + o, load<f64>(y + o) + s0 * load<f64>(r0 + o) + s1 * load<f64>(r1 + o) + s2 * load<f64>(r2 + o) + s3 * load<f64>(r3 + o));
    }
  }
  for (; i < m; i++) {
    const s = load<f64>(x + (<usize>i << 3));
    const xs = f64x2.splat(s);
    const r = a + (<usize>i) * ld;
    for (let j = 0; j < n2; j += 2) {
      const o = <usize>j << 3;
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(xs, v128.load(r + o))));
    }
    if (n2 < n) {
      const o = <usize>n2 << 3;
      store<f64>(y + o, load<f64>(y + o) + s * load<f64>(r + o));
    }
  }
}

/** Horizontal sum of a lane pair. */
// @ts-ignore: decorator
@inline
function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** y = A x (y has m entries): four rows at a time sharing the loads of x. */
export function dgemvN(m: i32, n: i32, a: usize, lda: i32, x: usize, y: usize): void {
  const ld = <usize>lda << 3;
  const n2 = n & ~1;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const r0 = a + (<usize>i) * ld, r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld;
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
    for (let j = 0; j < n2; j += 2) {
      const o = <usize>j << 3;
      const xv = v128.load(x + o);
      a0 = f64x2.add(a0, f64x2.mul(v128.load(r0 + o), xv));
      a1 = f64x2.add(a1, f64x2.mul(v128.load(r1 + o), xv));
      a2 = f64x2.add(a2, f64x2.mul(v128.load(r2 + o), xv));
      a3 = f64x2.add(a3, f64x2.mul(v128.load(r3 + o), xv));
    }
    let y0 = hsum(a0), y1 = hsum(a1), y2 = hsum(a2), y3 = hsum(a3);
    if (n2 < n) {
      const o = <usize>n2 << 3;
      const xl = load<f64>(x + o);
      y0 += load<f64>(r0 + o) * xl;
      y1 += load<f64>(r1 + o) * xl;
      y2 += load<f64>(r2 + o) * xl;
      y3 += load<f64>(r3 + o) * xl;
    }
    const yi = y + (<usize>i << 3);
    store<f64>(yi, y0);
    store<f64>(yi, y1, 8);
    store<f64>(yi, y2, 16);
    store<f64>(yi, y3, 24);
  }
  for (; i < m; i++) {
    const r = a + (<usize>i) * ld;
    let acc = f64x2.splat(0);
    for (let j = 0; j < n2; j += 2) {
      const o = <usize>j << 3;
      acc = f64x2.add(acc, f64x2.mul(v128.load(r + o), v128.load(x + o)));
    }
    let s = hsum(acc);
    if (n2 < n) s += load<f64>(r + (<usize>n2 << 3)) * load<f64>(x + (<usize>n2 << 3));
    store<f64>(y + (<usize>i << 3), s);
  }
}
