/**
 * Number formatting for tables: short, stable, and never "NaN" on a page.
 *
 * @example
 * formatNumber(-31.2468); // => '-31.25'
 * formatNumber(0.000012); // => '1.20e-5'
 * formatNumber(undefined); // => '—'
 */
export function formatNumber(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  if (Number.isInteger(x) && Math.abs(x) < 1e7) return String(x);
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e7) return String(Number(x.toPrecision(4)));
  return x.toExponential(2).replace('e+', 'e');
}

/**
 * Milliseconds as a readable duration.
 *
 * @example
 * formatMs(0.42); // => '0.42 ms'
 * formatMs(1534); // => '1.53 s'
 */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${formatNumber(Number(ms.toPrecision(3)))} ms`;
  if (ms < 120_000) return `${formatNumber(Number((ms / 1000).toPrecision(3)))} s`;
  return `${formatNumber(Number((ms / 60_000).toPrecision(3)))} min`;
}

/**
 * Bytes in binary units.
 *
 * @example
 * formatBytes(1536); // => '1.5 KiB'
 */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${formatNumber(Number(v.toPrecision(3)))} ${units[u]}`;
}

/**
 * Solver params as a short `key=value` list, for telling apart grid points of one solver.
 *
 * @example
 * formatParams({ k: 12, tol: 1e-6 }); // => 'k=12, tol=0.000001'
 */
export function formatParams(params: Readonly<Record<string, unknown>>): string {
  return Object.keys(params)
    .sort()
    .map((k) => `${k}=${typeof params[k] === 'string' ? params[k] : JSON.stringify(params[k])}`)
    .join(', ');
}
