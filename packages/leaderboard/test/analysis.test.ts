import { describe, expect, test } from 'vitest';
import { familyProfile, familyScale, fileSlug, fitPowerLaw, paretoFront, profileCurve, safeHttpUrl, summarize, summarizeTask } from '../src/index.js';
import { formatBytes, formatMs, formatNumber } from '../src/format.js';
import { FileNamer } from '../src/paths.js';
import { rec, sparse } from './records.js';

describe('statistics', () => {
  test('summarize gives the median (mean of the middle two for an even count), min, max and n', () => {
    expect(summarize([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, n: 3 });
    expect(summarize([3, 1, 2, 10])).toEqual({ median: 2.5, min: 1, max: 10, n: 4 });
    expect(summarize([])).toBeUndefined();
    expect(summarize([NaN, Infinity, 4])).toEqual({ median: 4, min: 4, max: 4, n: 1 });
  });

  test('fitPowerLaw recovers the exponent of an exact power law', () => {
    const fit = fitPowerLaw([1, 2, 4, 8].map((x) => ({ x, y: 3 * x ** 2 })))!;
    expect(fit.exponent).toBeCloseTo(2, 12);
    expect(10 ** fit.intercept).toBeCloseTo(3, 12);
    expect(fit.r2).toBeCloseTo(1, 12);
  });

  test('fitPowerLaw needs two distinct positive sizes', () => {
    expect(fitPowerLaw([{ x: 4, y: 1 }, { x: 4, y: 2 }])).toBeUndefined();
    expect(fitPowerLaw([{ x: 0, y: 1 }, { x: 4, y: 2 }])).toBeUndefined();
  });

  test('paretoFront keeps the points no other point beats on both time and quality', () => {
    const pts = [
      { timeMs: 1, value: 5 },
      { timeMs: 2, value: 3 },
      { timeMs: 3, value: 4 }, // slower and worse than the second
      { timeMs: 2, value: 3 }, // a duplicate of the second: neither dominates the other
    ];
    expect(paretoFront(pts, 'min')).toEqual([true, true, false, true]);
    expect(paretoFront(pts, 'max')).toEqual([true, false, false, false]); // the fastest is also the best
  });
});

describe('family profile and scale', () => {
  const tasks = [
    summarizeTask('sparse-recovery/a', sparse, [rec('p/x', 0, { nmse_db: -30 }, { task: 'sparse-recovery/a' }), rec('p/y', 0, { nmse_db: -28 }, { task: 'sparse-recovery/a' })]),
    summarizeTask('sparse-recovery/b', sparse, [rec('p/x', 0, { status: 'error' }, { task: 'sparse-recovery/b' }), rec('p/y', 0, { nmse_db: -10 }, { task: 'sparse-recovery/b' })]),
    summarizeTask('sparse-recovery/c', sparse, [rec('p/x', 0, { status: 'error' }, { task: 'sparse-recovery/c' })]),
  ];

  test('the profile measures each solver against the best per task; a failed task never counts; an unscored task is left out', () => {
    const p = familyProfile(sparse, tasks);
    expect(p.tasks).toEqual(['sparse-recovery/a', 'sparse-recovery/b']);
    expect(p.rows).toEqual([
      { solver: 'p/x', gaps: [0, Infinity], wins: 1, solved: 1 },
      { solver: 'p/y', gaps: [2, 0], wins: 1, solved: 2 },
    ]);
  });

  test('the profile curve is the fraction of tasks within each gap', () => {
    const curve = profileCurve(familyProfile(sparse, tasks));
    expect(curve.filter((c) => c.solver === 'p/x').map((c) => [c.gap, c.fraction])).toEqual([
      [0, 0.5],
      [2.2, 0.5],
    ]);
    expect(curve.filter((c) => c.solver === 'p/y').map((c) => [c.gap, c.fraction])).toEqual([
      [0, 0.5],
      [2, 1],
      [2.2, 1],
    ]);
  });

  test('scale fits time against the size parameter that varies most', () => {
    const sized = [128, 256, 512].map((n) =>
      summarizeTask(`sparse-recovery/n${n}`, sparse, [
        rec('p/x', 0, { nmse_db: -1 }, { task: `sparse-recovery/n${n}`, size: { m: 64, n, k: 4 }, time_ms: (n / 128) ** 3, memory_bytes: n * 8 }),
      ]),
    );
    const s = familyScale(sparse, sized);
    expect([s.sizeKey, s.sizes]).toEqual(['n', 3]);
    expect(s.rows[0].timeFit!.exponent).toBeCloseTo(3, 10);
    expect(s.rows[0].memoryFit!.exponent).toBeCloseTo(1, 10);
  });

  test('scale without sizes has no rows', () => {
    expect(familyScale(sparse, tasks)).toEqual({ sizes: 0, rows: [] });
  });
});

describe('names, links and numbers', () => {
  test('fileSlug keeps clean ids readable and makes hostile ones safe and distinct', () => {
    expect(fileSlug('sparse-recovery/quick')).toBe('sparse-recovery--quick');
    for (const id of ['../../etc/passwd', '<script>alert(1)</script>', 'A/B', '.hidden', 'con:aux', 'x'.repeat(300)]) {
      const slug = fileSlug(id);
      expect(slug).toMatch(/^[a-z0-9_][a-z0-9._-]*$/);
      expect(slug.length).toBeLessThanOrEqual(100);
      expect(slug).not.toContain('..');
    }
    expect(fileSlug('A/B')).not.toBe(fileSlug('a/b'));
  });

  test('FileNamer gives colliding ids distinct names and the same id the same name', () => {
    const n = new FileNamer();
    const a = n.name('a/b');
    const b = n.name('a--b');
    expect(a).toBe('a--b');
    expect(b).not.toBe(a);
    expect(n.name('a/b')).toBe(a);
  });

  test('only http(s) URLs become links', () => {
    expect(safeHttpUrl('https://arxiv.org/abs/1')).toBe('https://arxiv.org/abs/1');
    expect(safeHttpUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeHttpUrl('data:text/html,<script>')).toBeUndefined();
    expect(safeHttpUrl('//evil.example')).toBeUndefined();
    expect(safeHttpUrl(undefined)).toBeUndefined();
  });

  test('numbers, times and sizes print short and never as NaN', () => {
    expect(formatNumber(-31.2468)).toBe('-31.25');
    expect(formatNumber(0.000012)).toBe('1.20e-5');
    expect(formatNumber(12)).toBe('12');
    expect(formatNumber(NaN)).toBe('—');
    expect(formatMs(0.42)).toBe('0.42 ms');
    expect(formatMs(1534)).toBe('1.53 s');
    expect(formatBytes(1536)).toBe('1.5 KiB');
  });
});
