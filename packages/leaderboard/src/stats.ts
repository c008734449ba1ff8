/** Summary of one quantity over seeds: the median and the range. */
export interface Stat {
  /** Median over the values (mean of the two middle values for an even count). */
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** How many values (seeds) it summarizes. */
  readonly n: number;
}

/**
 * Median, min and max of finite values; undefined when there are none.
 *
 * @param values - numbers, typically one per seed; non-finite ones are ignored
 * @returns the summary, or undefined for an empty input
 * @example
 * summarize([3, 1, 2, 10]); // => { median: 2.5, min: 1, max: 10, n: 4 }
 */
export function summarize(values: readonly number[]): Stat | undefined {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = xs.length;
  if (n === 0) return undefined;
  const mid = n >> 1;
  const median = n % 2 === 1 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
  return { median, min: xs[0], max: xs[n - 1], n };
}

/** A least-squares fit y = c * x^exponent on log-log axes. */
export interface PowerFit {
  readonly exponent: number;
  /** log10 of the constant c. */
  readonly intercept: number;
  /** Coefficient of determination on the log-log points (1 when they lie on a line). */
  readonly r2: number;
  /** Number of points used (positive x and y only). */
  readonly n: number;
}

/**
 * Fits cost = c * size^exponent by least squares on (log10 size, log10 cost).
 * Needs at least two distinct positive sizes; otherwise undefined.
 *
 * @example
 * fitPowerLaw([{ x: 10, y: 100 }, { x: 100, y: 10000 }]).exponent; // => 2
 */
export function fitPowerLaw(points: readonly { x: number; y: number }[]): PowerFit | undefined {
  const ps = points.filter((p) => p.x > 0 && p.y > 0 && Number.isFinite(p.x) && Number.isFinite(p.y));
  if (new Set(ps.map((p) => p.x)).size < 2) return undefined;
  const lx = ps.map((p) => Math.log10(p.x));
  const ly = ps.map((p) => Math.log10(p.y));
  const n = ps.length;
  const mx = lx.reduce((a, b) => a + b, 0) / n;
  const my = ly.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (lx[i] - mx) ** 2;
    sxy += (lx[i] - mx) * (ly[i] - my);
    syy += (ly[i] - my) ** 2;
  }
  const exponent = sxy / sxx;
  const intercept = my - exponent * mx;
  // All costs equal: the line fits exactly (flat).
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { exponent, intercept, r2, n };
}
