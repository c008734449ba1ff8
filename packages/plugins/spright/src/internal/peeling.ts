import { ParsimonyError, createRng, fwht, type Rng } from '@parsimony/core';

// ============================================================================
// TYPES
// ============================================================================

/**
 * Where the samples come from: x[t] for each index t in 0..2^n - 1, in the
 * order asked. A solver passes `sparseTransformOracle(ctx).query`; a user
 * with the whole signal in memory passes `(idx) => Float64Array.from(idx, (t) => x[t])`.
 */
export type SampleOracle = (indices: Int32Array) => Float64Array | Promise<Float64Array>;

/** What the decoder knows about the signal: its size, the sparsity hint and the noise level. */
export interface SparseWhtProblem {
  /** Bits of the domain: N = 2^n samples and N coefficients (1..24). */
  readonly n: number;
  /** Sparsity hint K: sets the default number of bins B = 2^b. */
  readonly K: number;
  /** σ, the standard deviation of the noise on each sample (0: noiseless). */
  readonly noiseStd: number;
}

/** How the decoder samples and tests bins (all fields resolved, see {@link resolveDesign}). */
export interface PeelingOptions {
  /** C, the number of subsampling groups (sparse-graph left degree). */
  readonly groups: number;
  /** b: each group aliases the N coefficients into B = 2^b bins. */
  readonly bits: number;
  /** P1, the number of base offsets r_p, or 'auto' (from the SNR measured on the first offset's samples). */
  readonly offsets: number | 'auto';
  /** 'random': r_p uniform in F2^n (NSO-SPRIGHT); 'zero': the single offset r = 0 (SparseFHT's D = [0; I]). */
  readonly offsetKind: 'random' | 'zero';
  /** γ of the energy tests ‖·‖²/P ≤ (1 + γ) σ²/B. */
  readonly gamma: number;
  /** Single-ton index: majority vote of the offset signs, or the maximum-likelihood candidate of the bin. */
  readonly detector: 'vote' | 'mle';
  /** Cap on peeled coefficients. */
  readonly maxPeels: number;
  /** Draws the base offsets (default: a fixed seed). */
  readonly rng?: Rng;
  /** Polled before every request and every peeling round. */
  readonly signal?: AbortSignal;
  /** Receives the state after the sampling and after each peeling round. */
  readonly onIteration?: (point: PeelingTrace) => void;
}

/** One point of the decoder's trace. */
export interface PeelingTrace {
  readonly iteration: number;
  /** Distinct coefficients found so far. */
  readonly found: number;
  /** Coefficients peeled so far (one per single-ton, repeats included). */
  readonly peels: number;
  /** Bins declared multi-tons in this round. */
  readonly multitons: number;
  /** Bins tested in this round. */
  readonly tested: number;
  /** Indices requested so far (repeats included). */
  readonly queries: number;
}

/** The decoder's answer and its design. */
export interface PeelingResult {
  /** Frequencies found, ascending. */
  readonly indices: Int32Array;
  /** X̂[k] for each entry of `indices`. */
  readonly values: Float64Array;
  /** Peeling rounds run. */
  readonly rounds: number;
  /** Coefficients peeled. */
  readonly peels: number;
  /** Indices requested, repeats included (C · B · P1 · (n − b + 1)). */
  readonly queries: number;
  /** The design used. */
  readonly design: { readonly groups: number; readonly bits: number; readonly offsets: number; readonly delaysPerGroup: number; readonly blockStarts: readonly number[] };
}

// ============================================================================
// DESIGN
// ============================================================================

/**
 * The default number of bits b of the bins: the smallest B = 2^b above K
 * (B between K and 2K; b = 6 for K = 32, 8 for K = 200), at most n.
 *
 * @param n - bits of the domain
 * @param K - sparsity hint
 * @returns b in 1..n
 * @example
 * defaultBits(16, 32); // => 6
 */
export function defaultBits(n: number, K: number): number {
  return Math.max(1, Math.min(n, Math.floor(Math.log2(Math.max(K, 1))) + 1));
}

/**
 * First bit of each group's block of b kept bits (a block wraps around bit
 * n − 1 to bit 0). Group c keeps bits c·b … c·b + b − 1 (the paper's
 * identity blocks) when C·b ≤ n; otherwise the C blocks start evenly
 * spaced, at round(c·n/C), and overlap.
 *
 * @param n - bits of the domain
 * @param b - bits per block
 * @param C - groups
 * @returns the first bit of each block
 * @example
 * blockStarts(16, 6, 3); // => [0, 5, 11]
 */
export function blockStarts(n: number, b: number, C: number): number[] {
  // Deviation from paper: its blocks need C·b ≤ n (K ≤ N^(1/C)); past that they overlap, spread evenly so that
  // any two blocks share as few bits as possible.
  if (C * b <= n) return Array.from({ length: C }, (_, c) => c * b);
  return Array.from({ length: C }, (_, c) => Math.round((c * n) / C));
}

/** SNR (Σ X² / σ², linear) above which P1 = 5 offsets suffice; below it P1 = 9 (paper: 5 at ≥ 5 dB, 9 at 0 dB). */
const SNR_5DB = Math.pow(10, 0.5);

/** Parity of the set bits of v (< 2^31): ⟨k, d⟩ mod 2 for v = k & d. */
function parity(v: number): number {
  v ^= v >>> 16;
  v ^= v >>> 8;
  v ^= v >>> 4;
  return (0x6996 >>> (v & 0xf)) & 1;
}

function bad(field: string, message: string): ParsimonyError {
  return new ParsimonyError('PARSIMONY_BAD_PARAMS', message, field);
}

// ============================================================================
// MAIN
// ============================================================================

/**
 * The SPRIGHT peeling decoder (Li, Bradley, Pawar & Ramchandran, 2015,
 * Alg. 1-2): C groups alias the spectrum into B bins each, by sampling
 * u[ℓ] = x[Mᶜℓ ⊕ d] and taking B-point transforms; each bin's values over
 * the delays d = r_p, r_p ⊕ e_i decide zero-ton / single-ton / multi-ton,
 * give a single-ton's index (bit i: sign of U_{r_p⊕e_i} U_{r_p}, majority
 * over p) and value, and single-tons are peeled from every group until no
 * new one appears. With one zero offset (D = [0; I]) and γ → 0 it is
 * SparseFHT (Scheibler, Haghighatshoar & Vetterli).
 *
 * @param query - the sample oracle
 * @param problem - n, K hint, σ
 * @param options - the resolved design
 * @returns the coefficients found and the design
 * @example
 * const r = await peelWht(query, { n: 16, K: 32, noiseStd: 0.5 }, resolveDesign({ n: 16, K: 32 }, {}));
 */
export async function peelWht(query: SampleOracle, problem: SparseWhtProblem, options: PeelingOptions): Promise<PeelingResult> {
  const { n, noiseStd } = problem;
  const { groups: C, bits: b, gamma, detector, maxPeels } = options;
  const signal = options.signal;
  signal?.throwIfAborted();
  const N = 2 ** n;
  const B = 2 ** b;
  const F = n - b; // free bits per group: read from the delays
  const stride = F + 1; // delays per offset: r_p and r_p ⊕ e_i for each free bit i
  const starts = blockStarts(n, b, C);
  // Group c keeps the b bits o, o+1, ... (mod n): ℓ lands on them, and a frequency k hashes to them.
  const place = (l: number, o: number): number => ((l << o) | (l >>> (n - o))) & (N - 1);
  const hash = (k: number, o: number): number => ((k >>> o) | (k << (n - o))) & (B - 1);
  const free: Int32Array[] = starts.map((o) => {
    const out = new Int32Array(F);
    let w = 0;
    for (let i = 0; i < n; i++) if ((i - o + n) % n >= b) out[w++] = i;
    return out;
  });
  const rng = options.rng ?? createRng('spright');

  // ---- Offsets: the first one, then (for 'auto') the rest once the SNR is known.
  const bases: number[] = [];
  // Coset of each delay in each group (the delay with the group's kept bits cleared): two delays in
  // one coset read the same samples, so their noise is the same.
  const keptMask = starts.map((o) => place(B - 1, o));
  const usedCosets = starts.map(() => new Set<number>());
  const cosetsOf = (r: number, c: number): number[] => {
    const m = keptMask[c];
    return [r & ~m, ...Array.from(free[c], (i) => (r ^ (1 << i)) & ~m)];
  };
  const drawBase = (): number => {
    if (options.offsetKind === 'zero') return 0;
    // Deviation from paper: redraw an offset whose delays would reuse another offset's cosets (certain
    // to happen at small n; the paper's n is large), so that every delay brings fresh samples and noise.
    let r = 0;
    for (let attempt = 0; attempt < 64; attempt++) {
      r = rng.int(N);
      if (starts.every((_, c) => cosetsOf(r, c).every((key) => !usedCosets[c].has(key)))) break;
    }
    starts.forEach((_, c) => cosetsOf(r, c).forEach((key) => usedCosets[c].add(key)));
    return r;
  };

  /** Indices of the C · (F + 1) · B samples of offset r, group by group, delay by delay, ℓ = 0..B-1. */
  const indicesOf = (r: number, out: Int32Array, at: number): void => {
    let w = at;
    for (let c = 0; c < C; c++) {
      const o = starts[c], fc = free[c];
      for (let f = 0; f <= F; f++) {
        const d = f === 0 ? r : r ^ (1 << fc[f - 1]);
        for (let l = 0; l < B; l++) out[w++] = place(l, o) ^ d;
      }
    }
  };
  const perBase = C * stride * B;
  let queries = 0;
  const ask = async (idx: Int32Array): Promise<Float64Array> => {
    // An oracle answers at most N indices per request.
    const out = new Float64Array(idx.length);
    for (let at = 0; at < idx.length; at += N) {
      signal?.throwIfAborted();
      const part = idx.subarray(at, Math.min(at + N, idx.length));
      const x = await query(part);
      if (!(x instanceof Float64Array) || x.length !== part.length) {
        throw new ParsimonyError('PARSIMONY_BAD_INPUT', `spright: the oracle answered ${part.length} indices with ${x instanceof Float64Array ? x.length + ' values' : 'something other than a Float64Array'}; it must return one Float64Array value per index`, 'query');
      }
      out.set(x, at);
    }
    queries += idx.length;
    return out;
  };

  bases.push(drawBase());
  const firstIdx = new Int32Array(perBase);
  indicesOf(bases[0], firstIdx, 0);
  const first = await ask(firstIdx);

  let P1: number;
  if (options.offsets !== 'auto') P1 = options.offsets;
  else if (noiseStd === 0) P1 = 1;
  else {
    // SNR = Σ X² / σ² from E x[t]² = Σ X² + σ² over the first offset's samples.
    let ss = 0;
    for (let i = 0; i < first.length; i++) ss += first[i] * first[i];
    const snr = (ss / first.length - noiseStd * noiseStd) / (noiseStd * noiseStd);
    P1 = snr >= SNR_5DB ? 5 : 9;
  }
  if (options.offsetKind === 'zero') P1 = 1;
  const P = P1 * stride; // delays per group

  // U[(c·B + j)·P + q]: bin j of group c at delay q (q = p·(F+1) + f), bin-major so a bin is contiguous.
  const U = new Float64Array(C * B * P);
  const scratch = new Float64Array(B);
  const fill = (x: Float64Array, at: number, p: number): void => {
    let s = at;
    for (let c = 0; c < C; c++) {
      for (let f = 0; f <= F; f++) {
        scratch.set(x.subarray(s, s + B));
        s += B;
        fwht(scratch);
        const q = p * stride + f;
        for (let j = 0; j < B; j++) U[(c * B + j) * P + q] = scratch[j] / B;
      }
    }
  };
  fill(first, 0, 0);
  if (P1 > 1) {
    const restIdx = new Int32Array(perBase * (P1 - 1));
    for (let p = 1; p < P1; p++) {
      bases.push(drawBase());
      indicesOf(bases[p], restIdx, (p - 1) * perBase);
    }
    const rest = await ask(restIdx);
    for (let p = 1; p < P1; p++) fill(rest, (p - 1) * perBase, p);
  }
  const base = Int32Array.from(bases);

  // ---- Thresholds: (1 + γ) σ²/B per delay, plus a round-off floor relative to the mean bin energy.
  let total = 0;
  for (let i = 0; i < U.length; i++) total += U[i] * U[i];
  const meanEnergy = total / U.length;
  const thr = (1 + gamma) * (noiseStd * noiseStd) / B + 1e-12 * meanEnergy;

  const sig = new Float64Array(P); // signature s_k over one group's delays
  /** s_k[q] = (−1)^⟨d_q, k⟩ for the delays of group c. */
  const signature = (c: number, k: number): void => {
    const fc = free[c];
    for (let p = 0; p < P1; p++) {
      const sp = parity(base[p] & k) ? -1 : 1;
      const q0 = p * stride;
      sig[q0] = sp;
      for (let f = 0; f < F; f++) sig[q0 + 1 + f] = (k >>> fc[f]) & 1 ? -sp : sp;
    }
  };

  /** Majority vote of the offsets on each free bit; the block bits are j's. */
  const vote = (c: number, j: number, off: number): number => {
    const fc = free[c];
    let k = place(j, starts[c]);
    for (let f = 0; f < F; f++) {
      let ones = 0, soft = 0;
      for (let p = 0; p < P1; p++) {
        const prod = U[off + p * stride] * U[off + p * stride + 1 + f];
        if (prod < 0) ones++;
        soft += prod;
      }
      // Ties (an even P1) go to the summed products.
      if (2 * ones > P1 || (2 * ones === P1 && soft < 0)) k |= 1 << fc[f];
    }
    return k;
  };

  const gains = new Float64Array(P1);
  /**
   * Maximum likelihood over the 2^F candidates of the bin (the reference
   * implementation's detector): the k maximizing |⟨U, s_k⟩|, walked in Gray
   * code so that each candidate costs O(P1).
   */
  const mle = (c: number, j: number, off: number): number => {
    const fc = free[c];
    let k = place(j, starts[c]);
    // gains[p] = U_{r_p} + Σ_f (−1)^{k_f} U_{r_p ⊕ e_f} at the current candidate (all free bits 0).
    for (let p = 0; p < P1; p++) {
      let s = 0;
      for (let f = 0; f <= F; f++) s += U[off + p * stride + f];
      gains[p] = s;
    }
    const score = (kk: number): number => {
      let s = 0;
      for (let p = 0; p < P1; p++) s += parity(base[p] & kk) ? -gains[p] : gains[p];
      return Math.abs(s);
    };
    let best = k, bestScore = score(k);
    const count = 2 ** F;
    for (let g = 1; g < count; g++) {
      const f = 31 - Math.clz32(g & -g); // the bit that flips from gray(g-1) to gray(g)
      const bit = 1 << fc[f];
      const now = (k ^= bit) & bit; // 1 when the free bit turned on
      for (let p = 0; p < P1; p++) gains[p] += (now ? -2 : 2) * U[off + p * stride + 1 + f];
      const s = score(k);
      if (s > bestScore) {
        bestScore = s;
        best = k;
      }
    }
    return best;
  };

  // ---- Peeling: test the dirty bins, peel every single-ton found, re-test the bins it touched.
  const nBins = C * B;
  const dirty = new Uint8Array(nBins).fill(1);
  let work = Int32Array.from({ length: nBins }, (_, i) => i);
  const estimate = new Map<number, number>();
  let peels = 0, rounds = 0;
  options.onIteration?.({ iteration: 0, found: 0, peels: 0, multitons: 0, tested: 0, queries });
  while (work.length > 0 && peels < maxPeels) {
    signal?.throwIfAborted();
    rounds++;
    // k -> [sum of α̂, count]: a coefficient seen as a single-ton in several groups in one round gets the mean (as the reference).
    const found = new Map<number, [number, number]>();
    let multitons = 0;
    for (let w = 0; w < work.length; w++) {
      const bin = work[w];
      dirty[bin] = 0;
      const c = (bin / B) | 0, j = bin - c * B, off = bin * P;
      let e = 0;
      for (let q = 0; q < P; q++) e += U[off + q] * U[off + q];
      if (e / P <= thr) continue; // zero-ton
      const k = detector === 'mle' ? mle(c, j, off) : vote(c, j, off);
      signature(c, k);
      let a = 0;
      for (let q = 0; q < P; q++) a += U[off + q] * sig[q];
      a /= P;
      // ‖U − α̂ s‖² = ‖U‖² − P α̂² for the least-squares α̂.
      if ((e - P * a * a) / P > thr) {
        multitons++;
        continue;
      }
      const acc = found.get(k);
      if (acc) {
        acc[0] += a;
        acc[1]++;
      } else found.set(k, [a, 1]);
    }
    if (found.size === 0) break;
    const next: number[] = [];
    for (const [k, [sum, count]] of found) {
      if (peels >= maxPeels) break;
      const a = sum / count;
      estimate.set(k, (estimate.get(k) ?? 0) + a);
      peels++;
      for (let c = 0; c < C; c++) {
        const bin = c * B + hash(k, starts[c]);
        signature(c, k);
        const off = bin * P;
        for (let q = 0; q < P; q++) U[off + q] -= a * sig[q];
        if (!dirty[bin]) {
          dirty[bin] = 1;
          next.push(bin);
        }
      }
    }
    work = Int32Array.from(next);
    options.onIteration?.({ iteration: rounds, found: estimate.size, peels, multitons, tested: work.length, queries });
  }

  const ks = [...estimate.keys()].filter((k) => estimate.get(k) !== 0).sort((x, y) => x - y);
  return {
    indices: Int32Array.from(ks),
    values: Float64Array.from(ks, (k) => estimate.get(k)!),
    rounds,
    peels,
    queries,
    design: { groups: C, bits: b, offsets: P1, delaysPerGroup: P, blockStarts: starts },
  };
}

/** User-facing design options; everything optional, resolved by {@link resolveDesign}. */
export interface DesignInput {
  groups?: number;
  bits?: number;
  offsets?: number | 'auto';
  gamma?: number;
  detector?: 'vote' | 'mle';
  maxPeels?: number;
}

/**
 * Fills the defaults of a design for a problem and checks it against n:
 * C = 3, b = {@link defaultBits}(n, K), P1 = 'auto', γ = 1, the majority
 * vote, 10·K peels (at least C·B).
 *
 * @param problem - n and the K hint
 * @param input - the options given
 * @param who - the solver id, for error messages
 * @returns the design, without rng/signal/onIteration
 * @example
 * resolveDesign({ n: 16, K: 32 }, {}).bits; // => 6
 */
export function resolveDesign(problem: Pick<SparseWhtProblem, 'n' | 'K'>, input: DesignInput, who = 'spright'): Omit<PeelingOptions, 'offsetKind' | 'rng' | 'signal' | 'onIteration'> {
  const { n, K } = problem;
  if (!Number.isInteger(n) || n < 1 || n > 24) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${who}: n = ${n} must be an integer in 1..24`, 'n');
  const groups = input.groups ?? 3;
  const bits = input.bits ?? defaultBits(n, K);
  if (!Number.isInteger(groups) || groups < 1) throw bad('params.groups', `${who}: params.groups = ${groups} must be an integer >= 1`);
  if (!Number.isInteger(bits) || bits < 1 || bits > n) {
    throw bad('params.bits', `${who}: params.bits = ${bits} must be an integer in 1..n = 1..${n} (B = 2^bits bins per group); leave it out for the default ${defaultBits(n, K)}`);
  }
  const offsets = input.offsets ?? 'auto';
  if (offsets !== 'auto' && (!Number.isInteger(offsets) || offsets < 1)) throw bad('params.offsets', `${who}: params.offsets = ${offsets} must be an integer >= 1 or 'auto'`);
  const gamma = input.gamma ?? 1;
  if (!(gamma >= 0)) throw bad('params.gamma', `${who}: params.gamma = ${gamma} must be >= 0`);
  const maxPeels = input.maxPeels ?? Math.max(10 * K, groups * 2 ** bits);
  if (!Number.isInteger(maxPeels) || maxPeels < 1) throw bad('params.maxPeels', `${who}: params.maxPeels = ${maxPeels} must be an integer >= 1`);
  return { groups, bits, offsets, gamma, detector: input.detector ?? 'vote', maxPeels };
}
