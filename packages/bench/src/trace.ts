import type { TracePoint } from '@parsimony/core';

/**
 * Keeps a finite-only copy of a reported point: non-numeric or non-finite
 * quantities are dropped (JSON has no NaN), and a missing `iteration` is
 * replaced by the report's index.
 */
export function sanitizePoint(point: unknown, index: number): TracePoint | undefined {
  if (typeof point !== 'object' || point === null) return undefined;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(point)) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  if (out.iteration === undefined) out.iteration = index;
  return out as TracePoint;
}

/**
 * Downsamples a stream of trace points in O(max) memory: it keeps every
 * `stride`-th point, and when twice `max` are kept it drops every other one
 * and doubles the stride. The result keeps the first and the last point and
 * between `max` and `2 max + 1` points evenly spread over the iterations
 * (fewer when fewer were reported).
 *
 * @example
 * const s = new TraceSampler(2);
 * for (let i = 0; i < 10; i++) s.add({ iteration: i });
 * s.points().map((p) => p.iteration) // => [0, 4, 8, 9]
 */
export class TraceSampler {
  private kept: TracePoint[] = [];
  private stride = 1;
  private seen = 0;
  private last: TracePoint | undefined;

  constructor(private readonly max: number) {}

  /** Adds the next reported point. */
  add(point: unknown): void {
    const i = this.seen++;
    const p = sanitizePoint(point, i);
    if (!p) return;
    this.last = p;
    if (i % this.stride !== 0) return;
    this.kept.push(p);
    if (this.kept.length >= 2 * this.max) {
      this.kept = this.kept.filter((_, j) => j % 2 === 0);
      this.stride *= 2;
    }
  }

  /** The kept points, the last reported one included. */
  points(): TracePoint[] {
    const out = [...this.kept];
    if (this.last && out[out.length - 1] !== this.last) out.push(this.last);
    return out;
  }
}
