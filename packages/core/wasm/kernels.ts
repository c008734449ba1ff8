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

/** Up to this many columns of C, A is read in place instead of packed. */
const NARROW: i32 = 64;

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

/** C[0..mr, 0..nr] += the 4 x 4 tile held in eight lane pairs (rows of two pairs). */
// @ts-ignore: decorator
@inline
function addTile(c: usize, ldc: i32, mr: i32, nr: i32, c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128): void {
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
    let a = v128.load64_splat(pa);
    c00 = f64x2.add(c00, f64x2.mul(a, b0));
    c01 = f64x2.add(c01, f64x2.mul(a, b1));
    a = v128.load64_splat(pa, 8);
    c10 = f64x2.add(c10, f64x2.mul(a, b0));
    c11 = f64x2.add(c11, f64x2.mul(a, b1));
    a = v128.load64_splat(pa, 16);
    c20 = f64x2.add(c20, f64x2.mul(a, b0));
    c21 = f64x2.add(c21, f64x2.mul(a, b1));
    a = v128.load64_splat(pa, 24);
    c30 = f64x2.add(c30, f64x2.mul(a, b0));
    c31 = f64x2.add(c31, f64x2.mul(a, b1));
    pa += 32;
    pb += 32;
  }
  addTile(c, ldc, mr, nr, c00, c01, c10, c11, c20, c21, c30, c31);
}

/**
 * The micro-kernel reading A in place (no packing): rows r0..r3 of the
 * 4-row sliver start at the given addresses and step by `step` bytes per p.
 * For narrow products (few columns of C) packing A would cost as much as the
 * multiply-adds; the sliver (4 x kb) stays in L1 across the column panels.
 */
// @ts-ignore: decorator
@inline
function microDirect(kb: i32, r0: usize, r1: usize, r2: usize, r3: usize, step: usize, pb: usize, c: usize, ldc: i32, mr: i32, nr: i32): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  for (let p = 0; p < kb; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load64_splat(r0);
    c00 = f64x2.add(c00, f64x2.mul(a, b0));
    c01 = f64x2.add(c01, f64x2.mul(a, b1));
    a = v128.load64_splat(r1);
    c10 = f64x2.add(c10, f64x2.mul(a, b0));
    c11 = f64x2.add(c11, f64x2.mul(a, b1));
    a = v128.load64_splat(r2);
    c20 = f64x2.add(c20, f64x2.mul(a, b0));
    c21 = f64x2.add(c21, f64x2.mul(a, b1));
    a = v128.load64_splat(r3);
    c30 = f64x2.add(c30, f64x2.mul(a, b0));
    c31 = f64x2.add(c31, f64x2.mul(a, b1));
    r0 += step;
    r1 += step;
    r2 += step;
    r3 += step;
    pb += 32;
  }
  addTile(c, ldc, mr, nr, c00, c01, c10, c11, c20, c21, c30, c31);
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
      if (nb <= NARROW) {
        // Few columns: read A in place, one 4-row sliver against every column panel.
        const step = <usize>acs << 3;
        for (let ir = 0; ir < m; ir += 4) {
          const mr = min(4, m - ir);
          const r0 = a + (<usize>(ir * ars + pc * acs) << 3);
          const rs = <usize>ars << 3;
          // Rows past the edge repeat row 0 (their sums are discarded), so no read leaves A.
          const r1 = mr > 1 ? r0 + rs : r0, r2 = mr > 2 ? r0 + 2 * rs : r0, r3 = mr > 3 ? r0 + 3 * rs : r0;
          for (let jr = 0; jr < nb; jr += 4) {
            microDirect(kb, r0, r1, r2, r3, step, bp + (<usize>(jr * kb) << 3), c + (<usize>(ir * ldc + jc + jr) << 3), ldc, mr, min(4, nb - jr));
          }
        }
        continue;
      }
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

// ==========================================================================
// Coordinate descent on a column-major matrix X (columns of length n at
// x + 8 n j) and a residual r: the fused pass of the Lasso's blocks of four.
// ==========================================================================

/**
 * r += p0 x_q + p1 x_{q+1} + p2 x_{q+2} + p3 x_{q+3} (skipped when q < 0),
 * then out[t] = x_{o+t}ᵀ r for t < 4, in one sweep over r.
 */
export function cdPass4(n: i32, x: usize, q: i32, p0: f64, p1: f64, p2: f64, p3: f64, o: i32, r: usize, out: usize): void {
  const col = <usize>n << 3;
  const xo = x + <usize>o * col;
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  const n2 = n & ~1;
  if (q >= 0) {
    const xq = x + <usize>q * col;
    const v0 = f64x2.splat(p0), v1 = f64x2.splat(p1), v2 = f64x2.splat(p2), v3 = f64x2.splat(p3);
    for (let i = 0; i < n2; i += 2) {
      const k = <usize>i << 3;
      const upd = f64x2.add(
        f64x2.add(f64x2.mul(v0, v128.load(xq + k)), f64x2.mul(v1, v128.load(xq + col + k))),
        f64x2.add(f64x2.mul(v2, v128.load(xq + 2 * col + k)), f64x2.mul(v3, v128.load(xq + 3 * col + k))),
      );
      const rv = f64x2.add(v128.load(r + k), upd);
      v128.store(r + k, rv);
      a0 = f64x2.add(a0, f64x2.mul(v128.load(xo + k), rv));
      a1 = f64x2.add(a1, f64x2.mul(v128.load(xo + col + k), rv));
      a2 = f64x2.add(a2, f64x2.mul(v128.load(xo + 2 * col + k), rv));
      a3 = f64x2.add(a3, f64x2.mul(v128.load(xo + 3 * col + k), rv));
    }
  } else {
    for (let i = 0; i < n2; i += 2) {
      const k = <usize>i << 3;
      const rv = v128.load(r + k);
      a0 = f64x2.add(a0, f64x2.mul(v128.load(xo + k), rv));
      a1 = f64x2.add(a1, f64x2.mul(v128.load(xo + col + k), rv));
      a2 = f64x2.add(a2, f64x2.mul(v128.load(xo + 2 * col + k), rv));
      a3 = f64x2.add(a3, f64x2.mul(v128.load(xo + 3 * col + k), rv));
    }
  }
  let s0 = hsum(a0), s1 = hsum(a1), s2 = hsum(a2), s3 = hsum(a3);
  if (n2 < n) {
    const k = <usize>n2 << 3;
    let rl = load<f64>(r + k);
    if (q >= 0) {
      const xq = x + <usize>q * col;
      rl += p0 * load<f64>(xq + k) + p1 * load<f64>(xq + col + k) + (p2 * load<f64>(xq + 2 * col + k) + p3 * load<f64>(xq + 3 * col + k));
      store<f64>(r + k, rl);
    }
    s0 += load<f64>(xo + k) * rl;
    s1 += load<f64>(xo + col + k) * rl;
    s2 += load<f64>(xo + 2 * col + k) * rl;
    s3 += load<f64>(xo + 3 * col + k) * rl;
  }
  store<f64>(out, s0);
  store<f64>(out, s1, 8);
  store<f64>(out, s2, 16);
  store<f64>(out, s3, 24);
}

/** r += p0 x_q + p1 x_{q+1} + p2 x_{q+2} + p3 x_{q+3}. */
export function cdApply4(n: i32, x: usize, q: i32, p0: f64, p1: f64, p2: f64, p3: f64, r: usize): void {
  const col = <usize>n << 3;
  const xq = x + <usize>q * col;
  const v0 = f64x2.splat(p0), v1 = f64x2.splat(p1), v2 = f64x2.splat(p2), v3 = f64x2.splat(p3);
  const n2 = n & ~1;
  for (let i = 0; i < n2; i += 2) {
    const k = <usize>i << 3;
    const upd = f64x2.add(
      f64x2.add(f64x2.mul(v0, v128.load(xq + k)), f64x2.mul(v1, v128.load(xq + col + k))),
      f64x2.add(f64x2.mul(v2, v128.load(xq + 2 * col + k)), f64x2.mul(v3, v128.load(xq + 3 * col + k))),
    );
    v128.store(r + k, f64x2.add(v128.load(r + k), upd));
  }
  if (n2 < n) {
    const k = <usize>n2 << 3;
    store<f64>(r + k, load<f64>(r + k) + (p0 * load<f64>(xq + k) + p1 * load<f64>(xq + col + k) + (p2 * load<f64>(xq + 2 * col + k) + p3 * load<f64>(xq + 3 * col + k))));
  }
}

// ==========================================================================
// Random numbers: blocks of xoshiro256** outputs for core's Rng.
// ==========================================================================

/**
 * Writes n outputs of xoshiro256** (Blackman & Vigna 2018) at out (u64 each)
 * from the state at st (s0..s3, u64 each) and stores the advanced state
 * back. Native 64-bit integer arithmetic: the same stream as the TypeScript
 * generator, which emulates it on 32-bit halves about ten times slower.
 */
export function xoshiroFill(st: usize, out: usize, n: i32): void {
  let s0 = load<u64>(st), s1 = load<u64>(st, 8), s2 = load<u64>(st, 16), s3 = load<u64>(st, 24);
  for (let i = 0; i < n; i++) {
    store<u64>(out + (<usize>i << 3), rotl<u64>(s1 * 5, 7) * 9);
    const t = s1 << 17;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl<u64>(s3, 45);
  }
  store<u64>(st, s0);
  store<u64>(st, s1, 8);
  store<u64>(st, s2, 16);
  store<u64>(st, s3, 24);
}
