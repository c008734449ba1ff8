import { describe, expect, test } from 'vitest';
import { ByteGate } from '../src/byte-gate.js';
import { InstanceCache, type HeldInstance } from '../src/instances.js';
import type { Job } from '../src/jobs.js';

describe('ByteGate', () => {
  test('admits up to the limit, then waits for bytes to come back', async () => {
    const gate = new ByteGate(100);
    await gate.take(60);
    await gate.take(40);
    let third = false;
    const p = gate.take(10).then(() => (third = true));
    await Promise.resolve();
    expect(third).toBe(false);
    gate.give(60);
    await p;
    expect(third).toBe(true);
    expect(gate.inFlight).toBe(50);
  });

  test('a take larger than the limit goes alone, once nothing else is in flight', async () => {
    const gate = new ByteGate(100);
    await gate.take(1000);
    let small = false;
    const p = gate.take(1).then(() => (small = true));
    await Promise.resolve();
    expect(small).toBe(false);
    gate.give(1000);
    await p;
    expect(small).toBe(true);
  });
});

describe('InstanceCache lookahead', () => {
  const jobs = Array.from({ length: 10 }, (_, seed) => ({ task: { id: 't', family: 'f', params: {} }, seed, key: `t#${seed}` }) as unknown as Job);
  const instance = (bytes: number): HeldInstance => ({ observation: { x: new Float64Array(bytes / 8) }, truth: {}, hash: '0', generateMs: 0 });

  test('starts `min` instances ahead always, and up to `max` while the held ones are small', async () => {
    const made: number[] = [];
    const cache = new InstanceCache('s', async (_f, _p, seed) => (made.push(seed[2] as number), instance(800)), jobs, { min: 1, max: 4, bytes: 2000 });
    await cache.acquire(jobs[0]);
    expect(made).toEqual([0, 1, 2, 3, 4]);
    await Promise.resolve();
    // Held: 5 x 800 bytes > 2000: only `min` more.
    cache.release(jobs[0]);
    await cache.acquire(jobs[1]);
    expect(made).toEqual([0, 1, 2, 3, 4]);
    cache.release(jobs[1]);
    cache.release(jobs[2]);
    cache.release(jobs[3]);
    await cache.acquire(jobs[4]);
    // Held: instance 4 only (800 bytes): room to look ahead again.
    expect(made).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
