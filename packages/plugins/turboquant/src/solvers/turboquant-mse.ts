import {
  createRng,
  defineSolver,
  Matrix,
  nrm2,
  ParsimonyError,
  Type,
  vectorQuantization,
  type Rng,
  type SolverContext,
  type Static,
  type VectorQuantizationObservation,
  type VectorQuantizationSolution,
} from '@parsimony/core';
import { betaLloydMax, nearestLevel, type ScalarCodebook } from '../internal/codebook.js';
import { makeRotation, type Rotation, type RotationKind } from '../internal/rotation.js';
import { quantizeInBlocks } from '../internal/blocks.js';

// ==========================================================================
// PARAMS
// ==========================================================================

/** Parameters of the `turboquant/turboquant-mse` solver. */
export const TurboquantMseParams = Type.Object(
  {
    rotation: Type.Union([Type.Literal('dense'), Type.Literal('hadamard')], {
      default: 'dense',
      description: "dense: Haar rotation (QR of a Gaussian), O(d²) per vector, as the paper; hadamard: 3 rounds of random signs + Walsh–Hadamard, O(d log d), d a power of two",
    }),
    outliers: Type.Union([Type.Literal('auto'), Type.Literal('energy'), Type.Literal('random')], {
      default: 'auto',
      description:
        'fractional budgets only: which channels get the extra bit. energy: the highest mean-square channels of X (a calibration pass, offline tasks only); random: a seeded, data-oblivious set; auto: energy when observation.online is false, else random',
    }),
    gridSize: Type.Integer({ minimum: 1000, default: 200_000, description: 'points of the grid on which the Lloyd–Max codebook is computed' }),
    iterations: Type.Integer({ minimum: 1, default: 300, description: 'Lloyd iterations of the codebook' }),
  },
  { additionalProperties: false },
);
export type TurboquantMseParams = Static<typeof TurboquantMseParams>;

// ==========================================================================
// QUANTIZER
// ==========================================================================

/** One channel group: its own rotation, codebook and per-vector norm (the paper's outlier-channel split). */
interface Group {
  /** Channels of the group, increasing; null: all d channels in order. */
  readonly channels: Int32Array | null;
  readonly d: number;
  readonly bits: number;
  /** Null when bits = 0 (the group decodes to zero). */
  readonly rotation: Rotation | null;
  readonly book: ScalarCodebook | null;
}

/** The codes of N vectors: per group, b_g-bit indices (N x d_g) and one norm per vector. */
export interface TurboquantMseCodes {
  readonly n: number;
  readonly groups: readonly { readonly idx: Uint8Array | Uint16Array; readonly norms: Float64Array }[];
}

/** Options of {@link TurboQuantMse.create} and {@link turboquantMse}. */
export interface TurboquantMseOptions {
  /** Seeded stream for the rotation(s) and the random channel split (default createRng(0)). */
  readonly rng?: Rng;
  /** 'dense' (default) or 'hadamard'. */
  readonly rotation?: RotationKind;
  /**
   * Fractional b only: the ⌊(b − ⌊b⌋)·d⌋ channels quantized with ⌊b⌋ + 1
   * bits (the outlier channels); default: a seeded random set.
   */
  readonly highChannels?: ArrayLike<number>;
  /** Codebook grid points (default 200 000). */
  readonly gridSize?: number;
  /** Codebook Lloyd iterations (default 300). */
  readonly iterations?: number;
  /** Reuse codebooks computed earlier in this process (default true; they are deterministic). */
  readonly cache?: boolean;
}

/** Number of channels that get ⌊b⌋ + 1 bits under a fractional budget b. */
export function highChannelCount(d: number, bits: number): number {
  return Math.floor((bits - Math.floor(bits)) * d + 1e-9);
}

function fixedSignBook(): ScalarCodebook {
  // A 1-channel group: after normalization its coordinate is ±1 exactly.
  return { centroids: new Float64Array([-1, 1]), boundaries: new Float64Array([0]), distortion: 0 };
}

/**
 * TurboQuant-mse as an object: a data-oblivious set-up (random rotation Π
 * and the Lloyd–Max codebook of the rotated coordinates), then `encode` and
 * `decode`, each vector on its own. For a fractional budget the channels
 * are split into two groups quantized with ⌊b⌋ + 1 and ⌊b⌋ bits, each by
 * its own TurboQuant instance (the paper's outlier-channel split of its
 * 2.5- and 3.5-bit KV-cache runs).
 *
 * @example
 * const q = TurboQuantMse.create(128, 3, { rng: createRng(1) });
 * const Xhat = q.decode(q.encode(X));
 */
export class TurboQuantMse {
  private constructor(
    readonly d: number,
    readonly bits: number,
    private readonly groups: readonly Group[],
  ) {}

  /**
   * The set-up of Alg. 1: one rotation and one codebook per channel group.
   *
   * @param d - dimension
   * @param bits - bits per coordinate b ≥ 0, an integer or a fraction (two groups)
   * @param options - rng, rotation kind, the high-bit channels, codebook grid
   */
  static create(d: number, bits: number, options: TurboquantMseOptions = {}): TurboQuantMse {
    if (!Number.isInteger(d) || d < 1) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `TurboQuantMse: d must be a positive integer, got ${d}`, 'd');
    if (!(bits >= 0 && bits <= 16)) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `TurboQuantMse: bits must be in [0, 16], got ${bits}`, 'bits');
    const rng = options.rng ?? createRng(0);
    const kind = options.rotation ?? 'dense';
    const lo = Math.floor(bits);
    const nHi = highChannelCount(d, bits);
    let specs: { channels: Int32Array | null; bits: number }[];
    if (nHi === 0) {
      specs = [{ channels: null, bits: lo }];
    } else {
      const hi = options.highChannels ? Int32Array.from(options.highChannels) : rng.sampleWithoutReplacement(d, nHi);
      if (hi.length !== nHi || new Set(hi).size !== nHi || hi.some((c) => !(c >= 0 && c < d && Number.isInteger(c)))) {
        throw new ParsimonyError('PARSIMONY_BAD_INPUT', `TurboQuantMse: highChannels must be ${nHi} distinct channels in [0, ${d}) for b = ${bits}, d = ${d}; got ${hi.length}`, 'highChannels');
      }
      hi.sort();
      const mark = new Uint8Array(d);
      for (const c of hi) mark[c] = 1;
      const rest = Int32Array.from({ length: d - nHi }, () => 0);
      for (let j = 0, w = 0; j < d; j++) if (!mark[j]) rest[w++] = j;
      specs = [{ channels: hi, bits: lo + 1 }, { channels: rest, bits: lo }];
    }
    const groups = specs.map(({ channels, bits: b }): Group => {
      const dg = channels ? channels.length : d;
      if (b === 0 || dg === 0) return { channels, d: dg, bits: 0, rotation: null, book: null };
      const rotation = makeRotation(kind, dg, rng);
      const book = dg === 1 ? fixedSignBook() : betaLloydMax(dg, b, { gridSize: options.gridSize, iterations: options.iterations, cache: options.cache });
      return { channels, d: dg, bits: b, rotation, book };
    });
    return new TurboQuantMse(d, bits, groups);
  }

  /** Bits of one vector's code: Σ_g d_g b_g ≤ b·d (norms excluded). */
  get bitsPerVector(): number {
    return this.groups.reduce((s, g) => s + g.d * g.bits, 0);
  }

  /** The channel groups: their channels (null = all), width and bits. */
  get layout(): readonly { channels: Int32Array | null; d: number; bits: number }[] {
    return this.groups.map(({ channels, d, bits }) => ({ channels, d, bits }));
  }

  /** Storage for the codes of n vectors. */
  allocate(n: number): TurboquantMseCodes {
    return {
      n,
      groups: this.groups.map((g) => ({
        idx: g.bits > 8 ? new Uint16Array(n * g.d) : new Uint8Array(g.bits > 0 ? n * g.d : 0),
        norms: new Float64Array(g.bits > 0 ? n : 0),
      })),
    };
  }

  /**
   * Encodes rows [r0, r1) of X into `codes` (rows r0.. of the codes):
   * s = ‖x_g‖, y = Π x_g / s, idx_j = argmin_i |y_j − c_i| (Alg. 1, Quant_mse).
   */
  encodeRows(X: Matrix, r0: number, r1: number, codes: TurboquantMseCodes): void {
    this.checkWidth(X, 'X');
    const n = r1 - r0;
    this.groups.forEach((g, gi) => {
      if (!g.rotation || !g.book) return;
      const { idx, norms } = codes.groups[gi];
      const U = gather(X, r0, r1, g.channels);
      for (let i = 0; i < n; i++) {
        const row = U.data.subarray(i * g.d, (i + 1) * g.d);
        const s = nrm2(row);
        norms[r0 + i] = s;
        // A zero vector has a zero code norm: any index decodes to 0.
        const inv = s > 0 ? 1 / s : 0;
        for (let j = 0; j < g.d; j++) row[j] *= inv;
      }
      const Y = g.rotation.apply(U).data;
      const bnd = g.book.boundaries, off = r0 * g.d;
      for (let t = 0; t < n * g.d; t++) idx[off + t] = nearestLevel(bnd, Y[t]);
    });
  }

  /**
   * Decodes rows [r0, r1) of `codes` into rows at.. of `out` (default at = r0):
   * x̂ = s·Πᵀ c[idx] (Alg. 1, DeQuant_mse).
   */
  decodeRows(codes: TurboquantMseCodes, r0: number, r1: number, out: Matrix, at = r0): void {
    this.checkWidth(out, 'out');
    const n = r1 - r0;
    this.groups.forEach((g, gi) => {
      if (!g.rotation || !g.book) {
        scatter(Matrix.zeros(n, g.d), null, out, at, g.channels);
        return;
      }
      const { idx, norms } = codes.groups[gi];
      const c = g.book.centroids, off = r0 * g.d;
      const Yhat = Matrix.zeros(n, g.d);
      for (let t = 0; t < n * g.d; t++) Yhat.data[t] = c[idx[off + t]];
      scatter(g.rotation.applyT(Yhat), norms.subarray(r0, r1), out, at, g.channels);
    });
  }

  /** Codes of every row of X. */
  encode(X: Matrix): TurboquantMseCodes {
    const codes = this.allocate(X.rows);
    this.encodeRows(X, 0, X.rows, codes);
    return codes;
  }

  /** The decoded vectors of all codes (N x d). */
  decode(codes: TurboquantMseCodes): Matrix {
    const out = Matrix.zeros(codes.n, this.d);
    this.decodeRows(codes, 0, codes.n, out);
    return out;
  }

  private checkWidth(X: Matrix, name: string): void {
    if (X.cols !== this.d) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `TurboQuantMse: ${name} has ${X.cols} columns, the quantizer was set up for d = ${this.d}`, name);
  }
}

/** Rows [r0, r1) of X restricted to `channels` (null: all), as a new matrix. */
function gather(X: Matrix, r0: number, r1: number, channels: Int32Array | null): Matrix {
  if (!channels) return Matrix.clone(Matrix.rowsView(X, r0, r1));
  const n = r1 - r0, dg = channels.length, d = X.cols;
  const U = Matrix.zeros(n, dg);
  for (let i = 0; i < n; i++) for (let j = 0; j < dg; j++) U.data[i * dg + j] = X.data[(r0 + i) * d + channels[j]];
  return U;
}

/** Writes s_i · V[i, :] into rows r0.. of `out` at `channels` (null: all). */
function scatter(V: Matrix, norms: Float64Array | null, out: Matrix, r0: number, channels: Int32Array | null): void {
  const dg = V.cols, d = out.cols;
  for (let i = 0; i < V.rows; i++) {
    const s = norms ? norms[i] : 1, o = (r0 + i) * d;
    for (let j = 0; j < dg; j++) out.data[o + (channels ? channels[j] : j)] = s * V.data[i * dg + j];
  }
}

/** Channels with the largest Σ_i x_ij² (ties: lower index), for the offline outlier split. */
export function energyChannels(X: Matrix, count: number): Int32Array {
  const d = X.cols, power = new Float64Array(d);
  for (let i = 0; i < X.rows; i++) for (let j = 0; j < d; j++) power[j] += X.data[i * d + j] ** 2;
  const order = Array.from({ length: d }, (_, j) => j).sort((a, b) => power[b] - power[a] || a - b);
  return Int32Array.from(order.slice(0, count)).sort();
}

// ==========================================================================
// PLAIN FUNCTION
// ==========================================================================

/** Result of {@link turboquantMse}. */
export interface TurboquantMseResult {
  /** Decoded vectors, N x d. */
  readonly Xhat: Matrix;
  /** The codes Xhat was decoded from. */
  readonly codes: TurboquantMseCodes;
  /** Total code size, N · Σ_g d_g b_g bits (norms excluded). */
  readonly codeBits: number;
  /** The quantizer (to encode more vectors online). */
  readonly quantizer: TurboQuantMse;
}

/**
 * TurboQuant-mse (Zandieh et al. 2025, Alg. 1): rotate each vector by a
 * random rotation, then quantize every coordinate with the optimal
 * (Lloyd–Max) scalar quantizer of the Beta law of a rotated unit vector's
 * coordinates; the norm is kept as one float. Vectors are encoded one block
 * at a time, each on its own (online); decoding reads only the codes.
 *
 * @param X - N x d vectors (one per row)
 * @param bits - bits per coordinate b (an integer, or a half for the two-group split)
 * @param options - rng, rotation, high-bit channels, codebook grid; `signal` and `onBlock`
 * @returns the decoded vectors, the codes, their size and the quantizer
 * @example
 * const { Xhat, codeBits } = turboquantMse(X, 2, { rng: createRng(1) });
 */
export function turboquantMse(
  X: Matrix,
  bits: number,
  options: TurboquantMseOptions & { signal?: AbortSignal; onBlock?: (block: number, rowsDone: number, errSum: number) => void } = {},
): TurboquantMseResult {
  options.signal?.throwIfAborted();
  const quantizer = TurboQuantMse.create(X.cols, bits, options);
  return { ...quantizeInBlocks(quantizer, X, options.signal, options.onBlock), quantizer };
}

// ==========================================================================
// SOLVER
// ==========================================================================

/** The high-bit channels of a fractional budget, as `params.outliers` says. */
export function pickHighChannels(obs: VectorQuantizationObservation, bits: number, outliers: TurboquantMseParams['outliers'], rng: Rng): Int32Array | undefined {
  const n = highChannelCount(obs.X.cols, bits);
  if (n === 0) return undefined;
  const mode = outliers === 'auto' ? (obs.online ? 'random' : 'energy') : outliers;
  if (mode === 'energy' && obs.online) {
    throw new ParsimonyError(
      'PARSIMONY_BAD_PARAMS',
      "params.outliers = 'energy' picks channels from the data set, which an online task (observation.online = true) forbids; use 'random' or 'auto'",
      'params.outliers',
    );
  }
  return mode === 'energy' ? energyChannels(obs.X, n) : rng.sampleWithoutReplacement(obs.X.cols, n);
}

/** The bench entry: b from the observation (its fractional budget when there is one). */
export function solveTurboquantMse(obs: VectorQuantizationObservation, params: TurboquantMseParams, ctx: SolverContext): VectorQuantizationSolution {
  ctx.signal.throwIfAborted();
  const t0 = ctx.now();
  const bits = obs.bitBudget ?? obs.bits;
  const highChannels = pickHighChannels(obs, bits, params.outliers, ctx.rng);
  const quantizer = TurboQuantMse.create(obs.X.cols, bits, { rng: ctx.rng, rotation: params.rotation, highChannels, gridSize: params.gridSize, iterations: params.iterations });
  ctx.report({ iteration: 0, setup_ms: ctx.now() - t0 });
  // Reports the distortion of the vectors encoded so far (the solver's own view: X is in the observation).
  const { Xhat, codeBits } = quantizeInBlocks(quantizer, obs.X, ctx.signal, (iteration, rows, err) => ctx.report({ iteration, objective: err / rows, rows }));
  return { Xhat, codeBits };
}

export const turboquantMseSolver = defineSolver({
  id: 'turboquant/turboquant-mse',
  family: vectorQuantization,
  title: 'TurboQuant-mse',
  summary: 'Random rotation, then the Lloyd–Max scalar quantizer of the Beta-distributed coordinates, b bits each (Zandieh et al. 2025, Alg. 1).',
  params: TurboquantMseParams,
  solve: solveTurboquantMse,
});
