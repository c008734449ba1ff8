import { Error as VegaErrorLevel, View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { MetricSpec } from '@parsimony/core';

/**
 * Renders a vega-lite spec to an SVG string in Node, with no DOM, no canvas
 * and no network: vega's headless view (`renderer: 'none'`). Text in the SVG
 * (labels, legends) is escaped by vega.
 *
 * @example
 * const svg = await renderSvg({ data: { values: [{ x: 1, y: 2 }] }, mark: 'point',
 *   encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } });
 * svg.startsWith('<svg'); // => true
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none', logLevel: VegaErrorLevel });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const BASE = {
  width: 520,
  height: 300,
  background: 'white',
  config: { font: 'sans-serif', legend: { labelLimit: 260 } },
} as const;

/** Axis title of a metric: label, unit, and which way is better. */
export function metricAxisTitle(metric: MetricSpec): string {
  return `${metric.label}${metric.unit ? ` (${metric.unit})` : ''}, ${metric.direction === 'min' ? 'lower' : 'higher'} is better`;
}

/** Times on a log axis must be positive; a job under a microsecond shows at 0.001 ms. */
const positiveMs = (ms: number) => Math.max(ms, 1e-3);

/**
 * Quality versus time on one task: each solver configuration at (median wall
 * time, median primary metric), with the Pareto front (no other entry is both
 * faster and better) drawn as a step line.
 */
export function paretoSpec(points: readonly { label: string; timeMs: number; value: number; front: boolean }[], metric: MetricSpec): TopLevelSpec {
  const values = points.map((p) => ({ label: p.label, time: positiveMs(p.timeMs), value: p.value, front: p.front ? 'on the Pareto front' : 'dominated' }));
  const x = { field: 'time', type: 'quantitative', scale: { type: 'log' }, title: 'median wall time (ms, log scale)' } as const;
  const y = { field: 'value', type: 'quantitative', scale: { zero: false }, axis: { format: '~g' }, title: metricAxisTitle(metric) } as const;
  return {
    ...BASE,
    data: { values },
    layer: [
      {
        transform: [{ filter: "datum.front === 'on the Pareto front'" }],
        mark: { type: 'line', interpolate: 'step-after', color: '#888', strokeDash: [4, 3] },
        encoding: { x, y, order: { field: 'time', type: 'quantitative' } },
      },
      {
        mark: { type: 'point', filled: true, size: 70 },
        encoding: { x, y, color: { field: 'front', type: 'nominal', title: null, scale: { domain: ['on the Pareto front', 'dominated'], range: ['#1b6ac9', '#aaa'] } } },
      },
      { mark: { type: 'text', align: 'left', dx: 7, fontSize: 11 }, encoding: { x, y, text: { field: 'label' } } },
    ],
  } as TopLevelSpec;
}

/**
 * Convergence curves for one traced quantity: one line per solver and seed
 * against the iteration; a log y axis when the values are positive and span
 * more than two decades.
 */
export function convergenceSpec(quantity: string, rows: readonly { label: string; seed: number; iteration: number; value: number }[]): TopLevelSpec {
  const ys = rows.map((r) => r.value);
  const log = ys.length > 0 && ys.every((v) => v > 0) && Math.max(...ys) / Math.min(...ys) > 100;
  return {
    ...BASE,
    data: { values: rows.map((r) => ({ ...r })) },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'iteration', type: 'quantitative', title: 'iteration' },
      y: { field: 'value', type: 'quantitative', title: `${quantity}${log ? ' (log scale)' : ''}`, scale: log ? { type: 'log' } : { zero: false } },
      color: { field: 'label', type: 'nominal', title: 'solver' },
      detail: { field: 'seed', type: 'nominal' },
      order: { field: 'iteration', type: 'quantitative' },
    },
  } as TopLevelSpec;
}

/**
 * A family's performance profile: for each solver, the fraction of tasks on
 * which its median primary metric is within τ of the best (a step ECDF).
 */
export function profileSpec(points: readonly { solver: string; gap: number; fraction: number }[], metric: MetricSpec): TopLevelSpec {
  return {
    ...BASE,
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: 'line', interpolate: 'step-after', point: true, strokeWidth: 2 },
    encoding: {
      x: { field: 'gap', type: 'quantitative', scale: { type: 'symlog' }, title: `τ: distance to the best ${metric.label}${metric.unit ? ` (${metric.unit})` : ''}` },
      y: { field: 'fraction', type: 'quantitative', scale: { domain: [0, 1] }, title: 'fraction of tasks within τ of the best' },
      color: { field: 'solver', type: 'nominal', title: 'solver' },
      order: { field: 'gap', type: 'quantitative' },
    },
  } as TopLevelSpec;
}

/**
 * Cost against size on log-log axes: the measured medians as points and each
 * solver's fitted power law as a line.
 */
export function scaleSpec(
  sizeKey: string,
  points: readonly { solver: string; size: number; timeMs: number }[],
  fits: readonly { solver: string; size: number; timeMs: number }[],
): TopLevelSpec {
  const x = { field: 'size', type: 'quantitative', scale: { type: 'log', nice: false, padding: 16 }, axis: { format: '~g' }, title: `${sizeKey} (log scale)` } as const;
  const y = { field: 'time', type: 'quantitative', scale: { type: 'log' }, title: 'median wall time (ms, log scale)' } as const;
  const color = { field: 'solver', type: 'nominal', title: 'solver' } as const;
  return {
    ...BASE,
    layer: [
      {
        data: { values: fits.map((f) => ({ solver: f.solver, size: f.size, time: positiveMs(f.timeMs) })) },
        mark: { type: 'line', strokeDash: [5, 3] },
        encoding: { x, y, color, order: { field: 'size', type: 'quantitative' } },
      },
      {
        data: { values: points.map((p) => ({ solver: p.solver, size: p.size, time: positiveMs(p.timeMs) })) },
        mark: { type: 'point', filled: true, size: 60 },
        encoding: { x, y, color },
      },
    ],
  } as TopLevelSpec;
}
