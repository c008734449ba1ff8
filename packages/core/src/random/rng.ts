import { SplitMix64, Xoshiro256, toUnitDouble } from './xoshiro256.js';

/** 64-bit words generated per block: a stream's first block, and the most it grows to. */
const MIN_BLOCK = 16;
const MAX_BLOCK = 512;

/** A seed: a non-negative safe integer, or a path of labels hashed into one. */
export type SeedPart = number | string;

/**
 * A seeded random stream (xoshiro256**). The same seed gives the same numbers
 * on every platform: the generator uses integer arithmetic only (64-bit in
 * core's WebAssembly module, 32-bit halves in TypeScript where it is off:
 * the same words), and the normal sampler uses `Math.log`/`Math.sqrt`,
 * which V8 computes identically everywhere (fdlibm port, IEEE sqrt).
 * Outputs are generated in blocks and drawn from them, which changes the
 * cost, not the numbers.
 *
 * @example
 * const rng = createRng(42);
 * rng.uniform(); // => 0.08386297...
 */
export class Rng {
  private readonly gen: Xoshiro256;
  /**
   * The stream's next outputs, generated in blocks (64-bit words as [lo, hi]
   * 32-bit pairs), consumed from `pos`: the same numbers as drawing one at a
   * time, at a fraction of the cost. Blocks start small (a stream may draw
   * only a few numbers) and double up to {@link MAX_BLOCK}.
   */
  private block = new Uint32Array(0);
  private pos = 0;
  private blockSize = MIN_BLOCK;
  private spareNormal = NaN;

  /** Use {@link createRng}; the constructor takes the expanded 64-bit seed. */
  constructor(seedHi: number, seedLo: number) {
    this.gen = new Xoshiro256(seedHi, seedLo);
  }

  private refill(): void {
    const n = this.blockSize;
    if (n < MAX_BLOCK) this.blockSize = 2 * n;
    if (this.block.length !== 2 * n) this.block = new Uint32Array(2 * n);
    this.gen.fill(this.block, n);
    this.pos = 0;
  }

  /** Next raw 64-bit output as [hi, lo] unsigned 32-bit halves. */
  nextUint64(): [number, number] {
    if (this.pos === this.block.length) this.refill();
    const p = this.pos;
    this.pos = p + 2;
    return [this.block[p + 1], this.block[p]];
  }

  /** Next unsigned 32-bit integer (the high half of a 64-bit output). */
  nextUint32(): number {
    if (this.pos === this.block.length) this.refill();
    const p = this.pos;
    this.pos = p + 2;
    return this.block[p + 1];
  }

  /** Uniform double in [0, 1), 53 random bits. */
  uniform(): number {
    if (this.pos === this.block.length) this.refill();
    const p = this.pos;
    this.pos = p + 2;
    return toUnitDouble(this.block[p + 1], this.block[p]);
  }

  /** Uniform double in [lo, hi). */
  uniformIn(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Standard normal deviate (Marsaglia's polar method; the pair's second value is cached). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const z = this.spareNormal;
      this.spareNormal = NaN;
      return z;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return u * f;
  }

  /** Uniform integer in [0, n), without modulo bias (rejection on 32 bits when n < 2^32). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > Number.MAX_SAFE_INTEGER) {
      throw new RangeError(`rng.int: n must be a positive safe integer, got ${n}`);
    }
    if (n <= 4294967296) {
      const limit = 4294967296 - (4294967296 % n);
      let x: number;
      do x = this.nextUint32();
      while (x >= limit);
      return x % n;
    }
    return Math.floor(this.uniform() * n);
  }

  /** Fills `out` with i.i.d. N(mean, std^2) values and returns it. */
  fillNormal(out: Float64Array, mean = 0, std = 1): Float64Array {
    const len = out.length;
    let i = 0;
    if (len > 0 && !Number.isNaN(this.spareNormal)) out[i++] = mean + std * this.normal();
    // The polar method on the block, inlined: the same draws as normal(), without a call per number.
    while (i + 1 < len) {
      if (this.block.length - this.pos < 4) {
        // Fewer than two outputs left in the block: draw through uniform(), which refills it.
        const u = 2 * this.uniform() - 1, v = 2 * this.uniform() - 1, s = u * u + v * v;
        if (s >= 1 || s === 0) continue;
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        out[i++] = mean + std * (u * f);
        out[i++] = mean + std * (v * f);
        continue;
      }
      const b = this.block, end = b.length - 4;
      let p = this.pos;
      while (p <= end && i + 1 < len) {
        const u = 2 * toUnitDouble(b[p + 1], b[p]) - 1, v = 2 * toUnitDouble(b[p + 3], b[p + 2]) - 1;
        p += 4;
        const s = u * u + v * v;
        if (s >= 1 || s === 0) continue;
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        out[i++] = mean + std * (u * f);
        out[i++] = mean + std * (v * f);
      }
      this.pos = p;
    }
    if (i < len) out[i] = mean + std * this.normal();
    return out;
  }

  /** Fills `out` with i.i.d. U[lo, hi) values and returns it. */
  fillUniform(out: Float64Array, lo = 0, hi = 1): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = lo + (hi - lo) * this.uniform();
    return out;
  }

  /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /**
   * k distinct indices from 0..n-1, in the order drawn (Floyd's algorithm,
   * O(k) memory, so sampling 10 of 10^9 is cheap).
   */
  sampleWithoutReplacement(n: number, k: number): Int32Array {
    if (!Number.isInteger(k) || k < 0 || k > n) {
      throw new RangeError(`rng.sampleWithoutReplacement: need 0 <= k <= n, got k=${k}, n=${n}`);
    }
    const chosen = new Set<number>();
    const out = new Int32Array(k);
    let w = 0;
    for (let j = n - k; j < n; j++) {
      const t = this.int(j + 1);
      const pick = chosen.has(t) ? j : t;
      chosen.add(pick);
      out[w++] = pick;
    }
    // Floyd's set is uniform but its order is not; shuffle for a uniform order.
    for (let i = k - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = out[i];
      out[i] = out[j];
      out[j] = tmp;
    }
    return out;
  }

  /** An independent stream derived from this one's next output and a label. */
  split(label: SeedPart): Rng {
    const [h, l] = this.nextUint64();
    return createRng(`${h}:${l}`, label);
  }
}

/** FNV-1a over UTF-16 code units with two offsets, giving 64 bits as [hi, lo]. */
function hashString(s: string): [number, number] {
  let a = 0x811c9dc5, b = 0x01000193 ^ 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 13);
  }
  return [b >>> 0, a >>> 0];
}

function seedWords(part: SeedPart): [number, number] {
  if (typeof part === 'number') {
    if (!Number.isSafeInteger(part) || part < 0) {
      throw new RangeError(`seed must be a non-negative safe integer, got ${part}`);
    }
    return [Math.floor(part / 4294967296) >>> 0, part >>> 0];
  }
  return hashString(part);
}

/**
 * Creates a stream from a seed, or from a path of seed parts: streams for
 * different paths are independent, and the same path always gives the same
 * stream, e.g. `createRng('quick', 'sparse-recovery/small', 3, 'baselines/omp')`.
 * A single integer seed `s` is splitmix64-expanded from `s` itself, so
 * `createRng(42)` matches the reference xoshiro256** seeded with 42.
 */
export function createRng(...path: SeedPart[]): Rng {
  if (path.length === 0) throw new RangeError('createRng needs a seed');
  let [hi, lo] = seedWords(path[0]);
  for (let i = 1; i < path.length; i++) {
    // Chain: mix the running seed, then fold in the next part.
    const [mh, ml] = new SplitMix64(hi, lo).next();
    const [ph, pl] = seedWords(path[i]);
    hi = (mh ^ ph) >>> 0;
    lo = (ml ^ pl) >>> 0;
  }
  return new Rng(hi, lo);
}

/** Creates streams; the DI default is {@link createRng}. Swap it for a test double. */
export type RngFactory = (...path: SeedPart[]) => Rng;
