/**
 * WebAssembly SIMD kernels (f64x2), used by core's GEMM and GEMV when the
 * platform has them (every Node >= 16.4 on x64 and arm64).
 *
 * The module (wasm/kernels.ts, compiled into kernels.generated.ts) owns one
 * linear memory; this file manages it as a stack: each call copies its
 * operands in above the current top, runs the kernel, copies the result out
 * and pops. A {@link SimdMatrix} keeps one matrix resident across many
 * products (an iterative solver's A), below the calls made while it lives.
 * JavaScript is single-threaded and every worker thread has its own module
 * instance, so no locking is needed.
 *
 * `PARSIMONY_SIMD=0` in the environment, or `setSimdEnabled(false)`, turns
 * the kernels off: core then uses its scalar TypeScript kernels (the
 * results differ in the last bits, as any two summation orders do).
 */
import { KERNELS_WASM_BASE64 } from './kernels.generated.js';
import type { Matrix } from '../matrix.js';

/** The parts of the WebAssembly API used here (core's TypeScript lib has no DOM types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}

interface KernelExports {
  readonly memory: WasmMemory;
  heapBase(): number;
  dgemm(
    m: number, n: number, k: number,
    a: number, ars: number, acs: number,
    b: number, brs: number, bcs: number,
    c: number, ldc: number,
    ap: number, bp: number,
    mc: number, kc: number, nc: number,
  ): void;
  dgemvT(m: number, n: number, a: number, lda: number, x: number, y: number): void;
  dgemvN(m: number, n: number, a: number, lda: number, x: number, y: number): void;
  cdPass4(n: number, x: number, q: number, p0: number, p1: number, p2: number, p3: number, o: number, r: number, out: number): void;
  cdApply4(n: number, x: number, q: number, p0: number, p1: number, p2: number, p3: number, r: number): void;
  xoshiroFill(st: number, out: number, n: number): void;
}

/** Cache blocks of the WASM GEMM (doubles): the MC x KC block of A in L2, KC x 4 slivers in L1. */
const MC = 48;
const KC = 256;
const NC = 512;

let kernels: KernelExports | null | undefined;
let enabled = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.PARSIMONY_SIMD !== '0';
/** First free byte (the stack top); everything below is in use. */
let top = 0;
/** SimdMatrix instances not yet disposed; when none is left the stack is empty again. */
let live = 0;

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The instantiated module, or null when this platform cannot run it. */
function load(): KernelExports | null {
  if (kernels !== undefined) return kernels;
  try {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (!wasm) throw new Error('no WebAssembly');
    const instance = new wasm.Instance(new wasm.Module(decodeBase64(KERNELS_WASM_BASE64)), {});
    kernels = instance.exports as unknown as KernelExports;
    top = kernels.heapBase();
  } catch {
    kernels = null; // no WebAssembly SIMD here: the TypeScript kernels serve
  }
  return kernels;
}

/** Whether the SIMD kernels are in use (available and not turned off). */
export function simdEnabled(): boolean {
  return enabled && load() !== null;
}

/**
 * Turns the SIMD kernels on or off for this thread (for comparisons and
 * tests); returns the previous setting. Off, core uses its TypeScript kernels.
 */
export function setSimdEnabled(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** A 32-bit view of the module's memory, remade only when the memory grows. */
let words: Uint32Array | undefined;

/**
 * The next n outputs of xoshiro256** from `state` (s0..s3 as [hi, lo]
 * 32-bit halves, advanced in place), written to `out` as n little-endian
 * 64-bit words ([lo, hi] pairs): the same stream as the TypeScript
 * generator, from native 64-bit arithmetic. Returns false (having done
 * nothing) when the kernels are off or unavailable.
 */
export function wasmXoshiroFill(state: Uint32Array, out: Uint32Array, n: number): boolean {
  const K = active();
  if (!K) return false;
  const mark = top;
  try {
    const st = push(K, 4);
    const o = push(K, n);
    if (words?.buffer !== K.memory.buffer) words = new Uint32Array(K.memory.buffer);
    const w = words, s = st >> 2;
    for (let i = 0; i < 4; i++) {
      w[s + 2 * i] = state[2 * i + 1];
      w[s + 2 * i + 1] = state[2 * i];
    }
    K.xoshiroFill(st, o, n);
    out.set(w.subarray(o >> 2, (o >> 2) + 2 * n));
    for (let i = 0; i < 4; i++) {
      state[2 * i + 1] = w[s + 2 * i];
      state[2 * i] = w[s + 2 * i + 1];
    }
    return true;
  } catch (e) {
    if (e instanceof RangeError) return false; // memory could not grow: the TypeScript generator serves
    throw e;
  } finally {
    top = mark;
  }
}

/**
 * Arrays with a resident copy in WebAssembly memory (see {@link withResident}):
 * GEMM reads them there instead of copying them in again.
 */
const resident = new WeakMap<Float64Array, { ptr: number; rows: number; cols: number }>();

/** The kernels, if enabled and available. */
function active(): KernelExports | null {
  return enabled ? load() : null;
}

/** Reserves `doubles` doubles at the top (64-byte aligned) and returns the byte offset; grows memory as needed. */
function push(k: KernelExports, doubles: number): number {
  const at = (top + 63) & ~63;
  const end = at + doubles * 8;
  const have = k.memory.buffer.byteLength;
  if (end > have) k.memory.grow(Math.ceil((end - have) / 65536));
  top = end;
  return at;
}

function view(k: KernelExports): Float64Array {
  return new Float64Array(k.memory.buffer);
}

/**
 * C[cOff.., m x n, leading dimension ldc] += alpha op(A) op(B), like the
 * TypeScript `gemmStrided` after its beta scaling. Returns false (having done
 * nothing) when the SIMD kernels are off, unavailable, or memory cannot grow.
 */
export function simdGemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: Float64Array, aOff: number, lda: number, b: Float64Array, bOff: number, ldb: number,
  c: Float64Array, cOff: number, ldc: number,
): boolean {
  const K = active();
  if (!K) return false;
  const mark = top;
  try {
    // op(A) is copied as stored (m x k, or k x m when transposed), scaled by alpha; the kernel takes strides.
    const aRows = transA ? k : m, aCols = transA ? m : k;
    const bRows = transB ? n : k, bCols = transB ? k : n;
    // An operand already resident as a whole (same layout) is read in place.
    const inPlace = (x: Float64Array, off: number, ld: number, rows: number, cols: number) => {
      const h = resident.get(x);
      return h && off === 0 && ld === h.cols && rows === h.rows && cols === h.cols ? h.ptr : -1;
    };
    let pa = alpha === 1 ? inPlace(a, aOff, lda, aRows, aCols) : -1;
    let pb = inPlace(b, bOff, ldb, bRows, bCols);
    const copyA = pa < 0, copyB = pb < 0;
    if (copyA) pa = push(K, aRows * aCols);
    if (copyB) pb = push(K, bRows * bCols);
    const pc = push(K, m * n);
    const ap = push(K, MC * KC);
    const bp = push(K, KC * (NC + 3));
    const mem = view(K);
    let o = pa >> 3;
    if (copyA) {
      for (let r = 0; r < aRows; r++, o += aCols) {
        const src = a.subarray(aOff + r * lda, aOff + r * lda + aCols);
        if (alpha === 1) mem.set(src, o);
        else for (let j = 0; j < aCols; j++) mem[o + j] = alpha * src[j];
      }
    }
    o = pb >> 3;
    if (copyB) for (let r = 0; r < bRows; r++, o += bCols) mem.set(b.subarray(bOff + r * ldb, bOff + r * ldb + bCols), o);
    o = pc >> 3;
    for (let i = 0; i < m; i++, o += n) mem.set(c.subarray(cOff + i * ldc, cOff + i * ldc + n), o);
    K.dgemm(m, n, k, pa, transA ? 1 : aCols, transA ? aCols : 1, pb, transB ? 1 : bCols, transB ? bCols : 1, pc, n, ap, bp, MC, KC, NC);
    const out = view(K);
    o = pc >> 3;
    for (let i = 0; i < m; i++, o += n) c.set(out.subarray(o, o + n), cOff + i * ldc);
    return true;
  } catch (e) {
    if (e instanceof RangeError) return false; // memory could not grow: the TypeScript kernel serves
    throw e;
  } finally {
    top = mark;
  }
}

/**
 * Runs `fn` with a copy of A resident in WebAssembly memory, which GEMM
 * (matmul, gemmStrided) then reads in place whenever A is an operand as a
 * whole: for algorithms that multiply by the same large matrix many times
 * (randomized SVD, subspace iteration). A must not change during `fn`.
 * Without SIMD it just runs `fn`.
 */
export function withResident<T>(A: Matrix, fn: () => T): T {
  if (resident.has(A.data)) return fn();
  const S = SimdMatrix.from(A);
  if (!S) return fn();
  resident.set(A.data, { ptr: S.pointer, rows: A.rows, cols: A.cols });
  try {
    return fn();
  } finally {
    resident.delete(A.data);
    S.dispose();
  }
}

/**
 * A matrix held in WebAssembly memory for repeated products (Aᵀr and Ax in
 * an iterative solver): copied once, then each product moves only vectors.
 * Release it with {@link SimdMatrix.dispose} (matrices are released in the
 * reverse order of creation; `using`-style try/finally is the pattern).
 *
 * @example
 * const S = SimdMatrix.from(A); // undefined when SIMD is off
 * try { S?.gemvT(r, c); } finally { S?.dispose(); }
 */
export class SimdMatrix {
  private disposed = false;

  private constructor(
    private readonly K: KernelExports,
    private readonly base: number,
    private readonly ptr: number,
    private readonly end: number,
    readonly rows: number,
    readonly cols: number,
  ) {}

  /** A resident copy of A, or undefined when the SIMD kernels are off or unavailable. */
  static from(A: Matrix): SimdMatrix | undefined {
    const K = active();
    if (!K) return undefined;
    const base = top;
    try {
      const p = push(K, A.rows * A.cols);
      view(K).set(A.data.subarray(0, A.rows * A.cols), p >> 3);
      live++;
      return new SimdMatrix(K, base, p, top, A.rows, A.cols);
    } catch (e) {
      top = base;
      if (e instanceof RangeError) return undefined;
      throw e;
    }
  }

  private product(trans: boolean, x: Float64Array, out: Float64Array): Float64Array {
    if (this.disposed) throw new Error('SimdMatrix: used after dispose()');
    const { K, rows, cols } = this;
    const nx = trans ? rows : cols, ny = trans ? cols : rows;
    const mark = top;
    try {
      top = Math.max(top, this.end);
      const px = push(K, nx);
      const py = push(K, ny);
      view(K).set(x.subarray(0, nx), px >> 3);
      if (trans) K.dgemvT(rows, cols, this.ptr, cols, px, py);
      else K.dgemvN(rows, cols, this.ptr, cols, px, py);
      out.set(view(K).subarray(py >> 3, (py >> 3) + ny));
      return out;
    } finally {
      top = mark;
    }
  }

  /** Byte offset of the copy in WebAssembly memory (for {@link withResident}). */
  get pointer(): number {
    return this.ptr;
  }

  /** out = Aᵀ x (x has `rows` entries, out `cols`). */
  gemvT(x: Float64Array, out: Float64Array = new Float64Array(this.cols)): Float64Array {
    return this.product(true, x, out);
  }

  /** out = A x (x has `cols` entries, out `rows`). */
  gemvN(x: Float64Array, out: Float64Array = new Float64Array(this.rows)): Float64Array {
    return this.product(false, x, out);
  }

  /** Frees its memory (at once when it is the newest live matrix, else when the newer ones are disposed). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (--live === 0) top = this.K.heapBase();
    else if (top <= this.end) top = this.base;
  }
}

/**
 * Coordinate descent's working set in WebAssembly memory: the columns of X
 * (column-major, copied once) and the residual r, for the fused passes of a
 * blocked coordinate descent (`cdPass4`: apply the previous block's change to
 * r and take four inner products in one sweep). Xᵀr comes from the same copy.
 * `r()` is a view of the resident residual: read and write it directly, but
 * take a fresh view after anything that may grow the memory (another core
 * call), as a grown memory detaches old views.
 *
 * @example
 * const W = SimdColumns.from(xt, N, d); // xt: column j at xt[j*N..]
 * W.r().set(y); W.pass4(-1, 0, 0, 0, 0, 0, out4); // out4 = X_{0..3}ᵀ y
 */
export class SimdColumns {
  private disposed = false;
  private readonly out: number;
  private outView: Float64Array;

  private constructor(
    private readonly K: KernelExports,
    private readonly base: number,
    private readonly x: number,
    private readonly rPtr: number,
    private readonly end: number,
    readonly n: number,
    readonly d: number,
  ) {
    this.out = end - 32;
    this.outView = new Float64Array(K.memory.buffer, this.out, 4);
  }

  /** Resident copies of the columns (`xt`, column j at xt[j n ..]) and a zero residual; undefined when SIMD is off. */
  static from(xt: Float64Array, n: number, d: number): SimdColumns | undefined {
    const K = active();
    if (!K) return undefined;
    const base = top;
    try {
      const x = push(K, n * d);
      const r = push(K, n + 1);
      push(K, 4);
      const mem = view(K);
      mem.set(xt.subarray(0, n * d), x >> 3);
      mem.fill(0, r >> 3, (r >> 3) + n);
      live++;
      return new SimdColumns(K, base, x, r, top, n, d);
    } catch (e) {
      top = base;
      if (e instanceof RangeError) return undefined;
      throw e;
    }
  }

  private check(): void {
    if (this.disposed) throw new Error('SimdColumns: used after dispose()');
  }

  /** The residual r (n entries), a view of WebAssembly memory. */
  r(): Float64Array {
    this.check();
    return new Float64Array(this.K.memory.buffer, this.rPtr, this.n);
  }

  /** r += Σ p_t x_{q+t} (skipped when q < 0), then out[t] = x_{o+t}ᵀ r for t < 4. */
  pass4(q: number, p0: number, p1: number, p2: number, p3: number, o: number, out: Float64Array): void {
    this.check();
    this.K.cdPass4(this.n, this.x, q, p0, p1, p2, p3, o, this.rPtr, this.out);
    // Called once per block of coordinates: reuse the view unless memory grew (which replaces the buffer).
    if (this.outView.buffer !== this.K.memory.buffer) this.outView = new Float64Array(this.K.memory.buffer, this.out, 4);
    const v = this.outView;
    out[0] = v[0];
    out[1] = v[1];
    out[2] = v[2];
    out[3] = v[3];
  }

  /** r += Σ p_t x_{q+t}. */
  apply4(q: number, p0: number, p1: number, p2: number, p3: number): void {
    this.check();
    this.K.cdApply4(this.n, this.x, q, p0, p1, p2, p3, this.rPtr);
  }

  /** out = Xᵀ r (d entries). */
  xtr(out: Float64Array): Float64Array {
    this.check();
    const mark = top;
    try {
      top = Math.max(top, this.end);
      const py = push(this.K, this.d);
      this.K.dgemvN(this.d, this.n, this.x, this.n, this.rPtr, py);
      out.set(new Float64Array(this.K.memory.buffer, py, this.d));
      return out;
    } finally {
      top = mark;
    }
  }

  /** Frees its memory (as {@link SimdMatrix.dispose}). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (--live === 0) top = this.K.heapBase();
    else if (top <= this.end) top = this.base;
  }
}
