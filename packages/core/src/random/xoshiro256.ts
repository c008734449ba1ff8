/**
 * xoshiro256** (Blackman & Vigna, 2018), seeded through splitmix64.
 *
 * JavaScript numbers cannot hold 64-bit integers exactly and BigInt is slow on
 * hot paths, so every 64-bit word is kept as two unsigned 32-bit halves
 * (hi, lo) and the arithmetic is written out on them. Only integer operations
 * are used, so the stream is bit-identical on every platform.
 */

import { wasmXoshiroFill } from '../linalg/wasm/simd.js';

const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_53 = 1 / 9007199254740992;

/** (a * b) mod 2^64 for 64-bit words given as 32-bit halves; returns [hi, lo]. */
function mul64(ah: number, al: number, bh: number, bl: number): [number, number] {
  // Schoolbook multiply on 16-bit limbs of the low words, plus the cross terms
  // that land in the high word.
  const a0 = al & 0xffff, a1 = al >>> 16;
  const b0 = bl & 0xffff, b1 = bl >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const lo = ((mid & 0xffff) << 16) | (p00 & 0xffff);
  const carry = (mid >>> 16) + (p01 >>> 16) + (p10 >>> 16) + a1 * b1;
  const hi = (carry + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
  return [hi, lo >>> 0];
}

/** splitmix64 state advance + output; used to expand one seed into four words. */
export class SplitMix64 {
  private hi: number;
  private lo: number;

  constructor(hi: number, lo: number) {
    this.hi = hi >>> 0;
    this.lo = lo >>> 0;
  }

  /** Next 64-bit output as [hi, lo]. */
  next(): [number, number] {
    // state += 0x9E3779B97F4A7C15
    const lo = this.lo + 0x7f4a7c15;
    this.hi = (this.hi + 0x9e3779b9 + (lo >= TWO_POW_32 ? 1 : 0)) >>> 0;
    this.lo = lo >>> 0;
    let zh = this.hi, zl = this.lo;
    // z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
    let xh = zh >>> 30, xl = ((zl >>> 30) | (zh << 2)) >>> 0;
    [zh, zl] = mul64((zh ^ xh) >>> 0, (zl ^ xl) >>> 0, 0xbf58476d, 0x1ce4e5b9);
    // z = (z ^ (z >> 27)) * 0x94D049BB133111EB
    xh = zh >>> 27; xl = ((zl >>> 27) | (zh << 5)) >>> 0;
    [zh, zl] = mul64((zh ^ xh) >>> 0, (zl ^ xl) >>> 0, 0x94d049bb, 0x133111eb);
    // z ^ (z >> 31)
    xh = zh >>> 31; xl = ((zl >>> 31) | (zh << 1)) >>> 0;
    return [(zh ^ xh) >>> 0, (zl ^ xl) >>> 0];
  }
}

/** The raw xoshiro256** generator: 64-bit outputs as two 32-bit halves. */
export class Xoshiro256 {
  // s0..s3 as (hi, lo) pairs.
  private readonly s = new Uint32Array(8);

  /** Seeds from a 64-bit value (hi, lo) through splitmix64, as the authors recommend. */
  constructor(seedHi: number, seedLo: number) {
    const sm = new SplitMix64(seedHi, seedLo);
    for (let i = 0; i < 4; i++) {
      const [h, l] = sm.next();
      this.s[2 * i] = h;
      this.s[2 * i + 1] = l;
    }
  }

  /** Copies the full state (for `clone`). */
  getState(): Uint32Array {
    return this.s.slice();
  }

  setState(state: Uint32Array): void {
    this.s.set(state);
  }

  /** Advances the state and writes the next output into `out` as [hi, lo]. */
  nextInto(out: Uint32Array): void {
    const s = this.s;
    const s1h = s[2], s1l = s[3];
    // r = rotl(s1 * 5, 7) * 9, on 32-bit halves. Written out inline (no
    // tuples): this is the innermost loop of every generator.
    // m = s1 * 5 = (s1 << 2) + s1; the low sum may carry into the high word.
    let lo = ((s1l << 2) >>> 0) + s1l;
    let hi = ((((s1h << 2) | (s1l >>> 30)) + s1h + (lo >= TWO_POW_32 ? 1 : 0)) >>> 0);
    lo >>>= 0;
    const rh = ((hi << 7) | (lo >>> 25)) >>> 0;
    const rl = ((lo << 7) | (hi >>> 25)) >>> 0;
    // r * 9 = (r << 3) + r
    lo = ((rl << 3) >>> 0) + rl;
    hi = (((rh << 3) | (rl >>> 29)) + rh + (lo >= TWO_POW_32 ? 1 : 0)) >>> 0;
    out[0] = hi;
    out[1] = lo >>> 0;
    // t = s1 << 17
    const th = ((s1h << 17) | (s1l >>> 15)) >>> 0;
    const tl = (s1l << 17) >>> 0;
    // s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45)
    s[4] ^= s[0]; s[5] ^= s[1];
    s[6] ^= s[2]; s[7] ^= s[3];
    s[2] ^= s[4]; s[3] ^= s[5];
    s[0] ^= s[6]; s[1] ^= s[7];
    s[4] ^= th; s[5] ^= tl;
    // rotl by 45 = swap halves then rotl by 13
    const h = s[7], l = s[6];
    s[6] = ((h << 13) | (l >>> 19)) >>> 0;
    s[7] = ((l << 13) | (h >>> 19)) >>> 0;
  }

  /**
   * Writes the next n outputs to `out` as little-endian 64-bit words
   * ([lo, hi] pairs), the same stream as n calls of {@link nextInto}: with
   * core's WebAssembly module when it is on (native 64-bit arithmetic),
   * else on 32-bit halves in int32 locals.
   */
  fill(out: Uint32Array, n: number): void {
    if (wasmXoshiroFill(this.s, out, n)) return;
    const s = this.s;
    let s0h = s[0] | 0, s0l = s[1] | 0, s1h = s[2] | 0, s1l = s[3] | 0;
    let s2h = s[4] | 0, s2l = s[5] | 0, s3h = s[6] | 0, s3l = s[7] | 0;
    for (let i = 0; i < 2 * n; i += 2) {
      // r = rotl(s1 * 5, 7) * 9, as in nextInto
      let lo = ((s1l << 2) >>> 0) + (s1l >>> 0);
      const mh = (((s1h << 2) | (s1l >>> 30)) + s1h + (lo >= TWO_POW_32 ? 1 : 0)) | 0;
      const ml = lo | 0;
      const rh = (mh << 7) | (ml >>> 25);
      const rl = (ml << 7) | (mh >>> 25);
      lo = ((rl << 3) >>> 0) + (rl >>> 0);
      out[i] = lo;
      out[i + 1] = ((rh << 3) | (rl >>> 29)) + rh + (lo >= TWO_POW_32 ? 1 : 0);
      const th = (s1h << 17) | (s1l >>> 15);
      const tl = s1l << 17;
      s2h ^= s0h; s2l ^= s0l;
      s3h ^= s1h; s3l ^= s1l;
      s1h ^= s2h; s1l ^= s2l;
      s0h ^= s3h; s0l ^= s3l;
      s2h ^= th; s2l ^= tl;
      const h = s3l, l = s3h; // rotl by 45 = swap halves, then rotl by 13
      s3h = (h << 13) | (l >>> 19);
      s3l = (l << 13) | (h >>> 19);
    }
    s[0] = s0h; s[1] = s0l; s[2] = s1h; s[3] = s1l;
    s[4] = s2h; s[5] = s2l; s[6] = s3h; s[7] = s3l;
  }
}

/** Converts a 64-bit output to a double in [0, 1) from its top 53 bits, as the authors recommend. */
export function toUnitDouble(hi: number, lo: number): number {
  return (hi * 2097152 + (lo >>> 11)) * TWO_POW_MINUS_53; // (x >>> 11) / 2^53
}
