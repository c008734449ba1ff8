import { describe, expect, test } from 'vitest';
import { globToRegExp, gridPoints, jobKey, parseShard, shardJobs } from '../src/jobs.js';
import { TraceSampler, sanitizePoint } from '../src/trace.js';

describe('globs', () => {
  test.each([
    ['*', 'baselines/omp', true],
    ['baselines/*', 'baselines/omp', true],
    ['baselines/*', 'turbo/omp', false],
    ['*/omp', 'baselines/omp', true],
    ['baselines/om?', 'baselines/omp', true],
    ['baselines/omp', 'baselines/omp-x', false],
    ['a.b/*', 'axb/c', false],
  ])('%s matches %s: %s', (glob, id, expected) => {
    expect(globToRegExp(glob).test(id)).toBe(expected);
  });
});

describe('job keys', () => {
  test('task#seed#solver, with a sorted grid point when there is one', () => {
    expect(jobKey('sparse-recovery/quick', 3, 'baselines/omp')).toBe('sparse-recovery/quick#3#baselines/omp');
    expect(jobKey('t/a', 0, 'p/s', { tol: 0.5, k: 8, mode: 'fast' })).toBe('t/a#0#p/s#k=8,mode="fast",tol=0.5');
  });

  test('grid points: the cartesian product in a stable order', () => {
    expect(gridPoints({ b: [1, 2], a: ['x'] })).toEqual([
      { a: 'x', b: 1 },
      { a: 'x', b: 2 },
    ]);
    expect(gridPoints({})).toEqual([{}]);
  });
});

describe('shards', () => {
  const jobs = Array.from({ length: 17 }, (_, i) => `job-${i}`);

  test('1/3 + 2/3 + 3/3 partition the jobs: disjoint, complete, balanced', () => {
    const parts = [1, 2, 3].map((index) => shardJobs(jobs, { index, count: 3 }));
    expect(parts.flat().sort()).toEqual([...jobs].sort());
    expect(new Set(parts.flat()).size).toBe(jobs.length);
    expect(parts.map((p) => p.length)).toEqual([6, 6, 5]);
  });

  test('the partition is deterministic', () => {
    expect(shardJobs(jobs, { index: 2, count: 4 })).toEqual(shardJobs([...jobs], { index: 2, count: 4 }));
  });

  test('parses i/n, and auto/n from JOB_COMPLETION_INDEX (0-based)', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard('auto/4', { JOB_COMPLETION_INDEX: '0' })).toEqual({ index: 1, count: 4 });
    expect(parseShard('auto/4', { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 4, count: 4 });
  });

  test.each([
    ['0/3', {}, 'i must be between 1 and 3'],
    ['4/3', {}, 'i must be between 1 and 3'],
    ['1-3', {}, "expected 'i/n'"],
    ['1/0', {}, 'n must be a positive integer'],
    ['auto/3', {}, "'auto' needs JOB_COMPLETION_INDEX"],
    ['auto/3', { JOB_COMPLETION_INDEX: '3' }, 'JOB_COMPLETION_INDEX=3 is out of range'],
  ])('%s is rejected', (text, env, message) => {
    expect(() => parseShard(text, env)).toThrow(message);
  });
});

describe('trace downsampling', () => {
  test('keeps the first and last points and between max and 2 max + 1 in all', () => {
    const s = new TraceSampler(50);
    for (let i = 0; i < 100_000; i++) s.add({ iteration: i, objective: 1 / (i + 1) });
    const pts = s.points();
    expect(pts[0].iteration).toBe(0);
    expect(pts[pts.length - 1].iteration).toBe(99_999);
    expect(pts.length).toBeGreaterThanOrEqual(50);
    expect(pts.length).toBeLessThanOrEqual(101);
    const its = pts.map((p) => p.iteration);
    expect([...its].sort((a, b) => a - b)).toEqual(its);
  });

  test('keeps everything when there are few points', () => {
    const s = new TraceSampler(50);
    for (let i = 0; i < 7; i++) s.add({ iteration: i });
    expect(s.points().map((p) => p.iteration)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  test('drops non-finite and non-numeric quantities; fills a missing iteration', () => {
    expect(sanitizePoint({ iteration: 3, a: NaN, b: Infinity, c: 'x', d: 2 }, 0)).toEqual({ iteration: 3, d: 2 });
    expect(sanitizePoint({ residual: 0.5 }, 9)).toEqual({ residual: 0.5, iteration: 9 });
    expect(sanitizePoint(42, 0)).toBeUndefined();
  });
});
