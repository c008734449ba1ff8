import { createHash, type Hash } from 'node:crypto';
import { assertObservation, generateInstance, type AnyFamily, type SeedPart } from '@parsimony/core';
import type { Job } from './jobs.js';

/** An instance held by the parent while jobs on it are pending. */
export interface HeldInstance {
  readonly observation: unknown;
  readonly truth: unknown;
  /** First 16 hex digits of sha256 over the observation and truth (types, shapes, bytes). */
  readonly hash: string;
  /** Time it took to generate, ms. */
  readonly generateMs: number;
}

/** The seed path of a task instance: `[suite, task, seed]`. */
export function instanceSeed(suiteName: string, taskId: string, seed: number): SeedPart[] {
  return [suiteName, taskId, seed];
}

/** The seed path of a solver's stream on a task instance: `[suite, task, seed, solver]`. */
export function solverSeed(suiteName: string, taskId: string, seed: number, solverId: string): SeedPart[] {
  return [suiteName, taskId, seed, solverId];
}

function feed(h: Hash, value: unknown): void {
  if (ArrayBuffer.isView(value)) {
    h.update(`${value.constructor.name}(${value.byteLength}):`);
    h.update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  } else if (Array.isArray(value)) {
    h.update(`[${value.length}:`);
    for (const v of value) feed(h, v);
    h.update(']');
  } else if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).sort();
    h.update(`{${keys.length}:`);
    for (const k of keys) {
      h.update(JSON.stringify(k));
      feed(h, obj[k]);
    }
    h.update('}');
  } else h.update(`${typeof value}:${String(value)};`);
}

/** A short fingerprint of an instance: equal iff the instances are equal bit for bit (up to hash collisions). */
export function instanceHash(observation: unknown, truth: unknown): string {
  const h = createHash('sha256');
  feed(h, observation);
  feed(h, truth);
  return h.digest('hex').slice(0, 16);
}

/**
 * A deep copy of an observation whose typed arrays own fresh buffers, and
 * the list of those buffers: the copy is transferred to the worker (moved,
 * not serialized), and the parent keeps the original to validate and score
 * against, so a solver that writes into its input cannot change its score.
 */
export function copyForTransfer(value: unknown): { value: unknown; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const copy = (v: unknown): unknown => {
    if (ArrayBuffer.isView(v)) {
      // DataViews have no slice(); structuredClone copies them (and their buffer).
      const c = v instanceof DataView ? structuredClone(v) : (v as unknown as { slice(): ArrayBufferView }).slice();
      transfer.push(c.buffer as ArrayBuffer);
      return c;
    }
    if (Array.isArray(v)) return v.map(copy);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = copy(x);
      return out;
    }
    return v;
  };
  return { value: copy(value), transfer };
}

/** Makes one instance (in the generator thread, or in-process as {@link generateHere} does). */
export type GenerateFn = (family: string, params: unknown, seed: SeedPart[]) => Promise<HeldInstance>;

/** Generates an instance in this thread: checked against its family, fingerprinted. */
export function generateHere(familyOf: (id: string) => AnyFamily): GenerateFn {
  return async (id, params, seed) => {
    const family = familyOf(id);
    const t0 = performance.now();
    const { observation, truth } = generateInstance(family, params, seed);
    // Checked once here rather than in every job's worker: a generator bug stops the run with the family's message.
    assertObservation(family, observation);
    const generateMs = performance.now() - t0;
    return { observation, truth, hash: instanceHash(observation, truth), generateMs };
  };
}

/** The distinct transferable buffers of the typed arrays in a (plain-data) value: what a postMessage can move instead of copy. */
export function buffersOf(value: unknown, out = new Set<ArrayBuffer>()): Set<ArrayBuffer> {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
  } else if (Array.isArray(value)) for (const v of value) buffersOf(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) buffersOf(v, out);
  return out;
}

/** Bytes of the typed arrays in a value. */
export function bytesOf(value: unknown): number {
  if (ArrayBuffer.isView(value)) return value.byteLength;
  let n = 0;
  if (Array.isArray(value)) for (const v of value) n += bytesOf(v);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) n += bytesOf(v);
  return n;
}

/** How far {@link InstanceCache} generates ahead. */
export interface Lookahead {
  /** Instances always started ahead of the one in use. */
  readonly min: number;
  /** At most this many ahead ... */
  readonly max: number;
  /** ... while the instances held (made, not yet released) take fewer bytes than this. */
  readonly bytes: number;
}

/**
 * Holds each (task, seed) instance while jobs on it are pending
 * (reference-counted over the jobs to run), and generates instances ahead:
 * acquiring a job's instance also starts the next ones in job order, so
 * that they are ready (made on the generator thread, in parallel with the
 * solves) when their jobs come up. It starts `min` ahead, and up to `max`
 * while the instances it holds are small: a long solve then banks the
 * instances that a run of short jobs will need.
 */
export class InstanceCache {
  private readonly held = new Map<string, Promise<HeldInstance>>();
  private readonly pending = new Map<string, number>();
  /** Bytes of each generated instance still held. */
  private readonly sizes = new Map<string, number>();
  private heldBytes = 0;
  /** Distinct instance keys in the order their first job comes, and one job of each. */
  private readonly order: Job[] = [];
  private readonly position = new Map<string, number>();
  private readonly lookahead: Lookahead;

  constructor(
    private readonly suiteName: string,
    private readonly generate: GenerateFn,
    jobs: readonly Job[],
    lookahead: number | Lookahead = 2,
  ) {
    this.lookahead = typeof lookahead === 'number' ? { min: lookahead, max: lookahead, bytes: Infinity } : lookahead;
    for (const j of jobs) {
      const key = this.keyOf(j);
      if (!this.pending.has(key)) {
        this.position.set(key, this.order.length);
        this.order.push(j);
      }
      this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
    }
  }

  private keyOf(job: Job): string {
    return `${job.task.id}#${job.seed}`;
  }

  private start(job: Job): Promise<HeldInstance> {
    const key = this.keyOf(job);
    let p = this.held.get(key);
    if (!p) {
      p = this.generate(job.task.family, job.task.params, instanceSeed(this.suiteName, job.task.id, job.seed));
      const made = p;
      made.then(
        (inst) => {
          if (this.held.get(key) !== made) return; // released meanwhile
          const bytes = bytesOf(inst.observation) + bytesOf(inst.truth);
          this.sizes.set(key, bytes);
          this.heldBytes += bytes;
        },
        () => undefined, // a prefetch nobody awaits yet must not be an unhandled rejection
      );
      this.held.set(key, p);
    }
    return p;
  }

  /** The instance of a job (generated on first use), after starting the next ones. Rejects with what the generator threw. */
  acquire(job: Job): Promise<HeldInstance> {
    const p = this.start(job);
    const at = this.position.get(this.keyOf(job)) ?? this.order.length;
    const { min, max, bytes } = this.lookahead;
    for (let i = at + 1; i <= at + max && i < this.order.length; i++) {
      if (i > at + min && this.heldBytes >= bytes) break;
      if (this.pending.has(this.keyOf(this.order[i]))) this.start(this.order[i]);
    }
    return p;
  }

  /** Marks one job on the instance done; drops the instance after its last job. */
  release(job: Job): void {
    const key = this.keyOf(job);
    const left = (this.pending.get(key) ?? 1) - 1;
    if (left <= 0) {
      this.pending.delete(key);
      this.held.delete(key);
      this.heldBytes -= this.sizes.get(key) ?? 0;
      this.sizes.delete(key);
    } else this.pending.set(key, left);
  }

  /** Instances held now, ready or being generated (for tests). */
  get size(): number {
    return this.held.size;
  }
}
