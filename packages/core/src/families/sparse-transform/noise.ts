import { SplitMix64, toUnitDouble } from '../../random/xoshiro256.js';

/**
 * A standard normal deviate that is a pure function of a 64-bit key and two
 * 32-bit counters: the key (hi, lo) XOR (a, b) seeds SplitMix64, whose two
 * next outputs feed Box-Muller. Asking again for the same (key, a, b) gives
 * the same value, so an oracle's noise cannot be averaged away by repeating
 * a query (paper 19), and every solver sees the same noise for the same
 * request (common random numbers across solvers).
 *
 * @param keyHi - high 32 bits of the instance's noise key
 * @param keyLo - low 32 bits of the key
 * @param a - first counter (a sample index, an arm)
 * @param b - second counter (0, or the pull number of that arm)
 * @returns a N(0, 1) value
 * @example
 * hashNormal(1, 2, 3, 0) === hashNormal(1, 2, 3, 0); // => true
 */
export function hashNormal(keyHi: number, keyLo: number, a: number, b: number): number {
  const g = new SplitMix64((keyHi ^ a) >>> 0, (keyLo ^ b) >>> 0);
  const [h1, l1] = g.next();
  const [h2, l2] = g.next();
  const u1 = 1 - toUnitDouble(h1, l1); // (0, 1]: the log is finite
  const u2 = toUnitDouble(h2, l2);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Splits a noise key (a non-negative safe integer) into its 32-bit halves. */
export function keyWords(key: number): [number, number] {
  return [Math.floor(key / 4294967296) >>> 0, key >>> 0];
}

/** Draws a 53-bit noise key from a stream. */
export function drawKey(next32: () => number): number {
  return (next32() >>> 0) * 2097152 + (next32() >>> 11);
}
