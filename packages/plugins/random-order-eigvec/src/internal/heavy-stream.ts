import { ParsimonyError, type RowStream, type SolverContext } from '@parsimony/core';

/** The plan shared by both solvers: sizes, block schedule and heavy-row budget. */
export interface HeavyStreamPlan {
  /** Rows in the stream (known in advance, as the paper assumes). */
  readonly T: number;
  /** Dimension of each row. */
  readonly d: number;
  /** Number B of equal blocks the stream is split into. */
  readonly blocks: number;
  /** Rows asked for per request. */
  readonly batch: number;
  /** Most heavy rows kept (declared before the first row). */
  readonly maxHeavy: number;
  /** The polylog(d) factor of the heavy threshold ‖a‖² ≥ F̂ / (d · polylog). */
  readonly polylog: number;
}

/** What the driver calls while it walks the stream. */
export interface HeavyStreamHooks {
  /** A light row: `a[off .. off + d)`, at stream position `position`. */
  light(a: Float64Array, off: number): void;
  /** End of block `block` (0-based), which held `rows` stream rows; `last` for the final block. */
  blockEnd(block: number, rows: number, last: boolean): void;
}

/**
 * Light rows that must be in the Frobenius estimate before any row may be
 * called heavy: with fewer, (T / t_L)·Σ‖a‖² is too noisy to compare against.
 */
export const MIN_LIGHT_SAMPLE = 16;

/**
 * The heavy rows kept so far, verbatim: H (maxHeavy x d, row-major), their
 * squared norms, inverse norms and stream positions.
 */
export class HeavyRowStore {
  readonly H: Float64Array;
  readonly norm2: Float64Array;
  readonly inv: Float64Array;
  readonly position: Int32Array;
  /** Heavy rows kept. */
  count = 0;
  /** Rows that passed the heavy test after the budget was full (treated as light). */
  overflow = 0;

  constructor(
    readonly capacity: number,
    readonly d: number,
  ) {
    this.H = new Float64Array(capacity * d);
    this.norm2 = new Float64Array(capacity);
    this.inv = new Float64Array(capacity);
    this.position = new Int32Array(capacity);
  }

  /** Floats this store holds: H, the norms, inverse norms and positions. */
  static floats(capacity: number, d: number): number {
    return capacity * (d + 3);
  }

  /** Keeps row `a[off .. off + d)` (squared norm r) seen at stream position p. */
  push(a: Float64Array, off: number, r: number, p: number): void {
    const i = this.count++;
    this.H.set(a.subarray(off, off + this.d), i * this.d);
    this.norm2[i] = r;
    this.inv[i] = 1 / Math.sqrt(r);
    this.position[i] = p;
  }

  /** ⟨H_i, x⟩. */
  dotRow(i: number, x: Float64Array, xOff = 0): number {
    const H = this.H, d = this.d, o = i * d;
    let s = 0;
    for (let q = 0; q < d; q++) s += H[o + q] * x[xOff + q];
    return s;
  }

  /** The kept positions, ascending (arrival order). */
  positions(): Int32Array {
    return this.position.slice(0, this.count);
  }
}

/** Floats the driver itself keeps between batches (squared norms, order and flags of one batch). */
export function driverFloats(batch: number): number {
  return 3 * batch;
}

/** Start of block j of B over T rows: ⌊j·T/B⌋ (equal blocks, the last ones one row longer when B ∤ T). */
export function blockStart(j: number, T: number, B: number): number {
  return Math.floor((j * T) / B);
}

/**
 * Walks the one-pass stream: reads batches, classifies each row as heavy or
 * light, stores heavy rows in `store` and hands light rows and block ends
 * to `hooks`.
 *
 * The heavy test (the paper's ‖a‖² ≥ ‖A‖_F² / (d·polylog d)) runs on a
 * Frobenius estimate that heavy rows cannot inflate:
 * F̂ = Σ_heavy ‖a‖² + (T / t_L) Σ_light ‖a‖², t_L the light rows seen so far
 * (the current batch included). In a batch, the heavy rows are the j* largest,
 * j* the largest j whose j-th largest row passes the test against the
 * estimate that counts those j rows as heavy, so every kept row passes it and
 * two heavy rows in one batch do not hide each other. No row is called heavy
 * before {@link MIN_LIGHT_SAMPLE} light rows are in the estimate.
 * Deviation from the paper file: its F̂ = (n/t)·Σ_{s≤t}‖a_s‖² with no test
 * before t = 50 lets one early heavy row inflate F̂ and hide the next ones.
 *
 * @returns when the stream is exhausted (after the last block's `blockEnd`)
 */
export async function driveHeavyStream(
  stream: RowStream,
  ctx: Pick<SolverContext, 'signal'>,
  plan: HeavyStreamPlan,
  store: HeavyRowStore,
  hooks: HeavyStreamHooks,
): Promise<void> {
  const { T, d, blocks: B, batch } = plan;
  const scale = 1 / (d * plan.polylog);
  const r = new Float64Array(batch);
  const flag = new Uint8Array(batch);
  const order = new Uint32Array(batch);
  let sumLight = 0, nLight = 0, sumHeavy = 0;
  let t = 0;
  let block = 0;
  let nextBoundary = blockStart(1, T, B);

  while (t < T) {
    ctx.signal.throwIfAborted();
    const M = await stream.next(Math.min(batch, T - t));
    const b = M.rows;
    if (b === 0) break;
    if (M.cols !== d) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `eigenvector-streaming: a batch has ${M.cols} columns, observation.n = ${d}`, 'observation.n');
    const a = M.data;

    // Classify the batch: the heavy rows are the j* largest, j* the largest j for which the j-th largest row
    // passes the test against the estimate that counts those j rows as heavy (so each of them passes it).
    let slAll = sumLight;
    for (let i = 0; i < b; i++) {
      const o = i * d;
      let s = 0;
      for (let q = 0; q < d; q++) s += a[o + q] * a[o + q];
      r[i] = s;
      slAll += s;
      flag[i] = 0;
      order[i] = i;
    }
    const nlAll = nLight + b;
    const idx = order.subarray(0, b).sort((x, y) => r[y] - r[x]);
    let best = 0;
    for (let j = 1, sh = sumHeavy, sl = slAll; j <= b; j++) {
      const rj = r[idx[j - 1]];
      if (!(rj > 0) || nlAll - j < MIN_LIGHT_SAMPLE) break;
      sh += rj;
      sl -= rj;
      if (rj >= (sh + (T / (nlAll - j)) * sl) * scale) best = j;
    }
    // Deviation from paper: the heavy-row budget is declared before the first row; past it, heavy rows are treated as light.
    const keep = Math.min(best, store.capacity - store.count);
    store.overflow += best - keep;
    let moved = 0;
    for (let j = 0; j < keep; j++) {
      flag[idx[j]] = 1;
      moved += r[idx[j]];
    }
    sumHeavy += moved;
    sumLight = slAll - moved;
    nLight = nlAll - keep;

    for (let i = 0; i < b; i++) {
      const p = t + i;
      while (p >= nextBoundary) {
        hooks.blockEnd(block, nextBoundary - blockStart(block, T, B), false);
        block++;
        nextBoundary = blockStart(block + 1, T, B);
      }
      if (flag[i] === 1) store.push(a, i * d, r[i], p);
      else hooks.light(a, i * d);
    }
    t += b;
  }
  hooks.blockEnd(block, Math.max(t - blockStart(block, T, B), 1), true);
}
