import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  allFamilies,
  createRegistry,
  generateInstance,
  parameterEstimation,
  primaryMetric,
  scoreSolution,
  solveService,
  type AnySolver,
  type Matrix,
  type ParameterEstimationObservation,
  type ParameterEstimationTruth,
} from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { esprit, espritSolver } from '../src/solvers/esprit.js';
import { fftPeakPicking, fftPeakPickingSolver } from '../src/solvers/fft-peak-picking.js';

/** Wraps into [−π, π). */
const wrap = (a: number) => {
  const t = 2 * Math.PI;
  const w = (((a % t) + t + Math.PI) % t) - Math.PI;
  return w;
};

/** Max over paths and dimensions of the wrapped error, matching each true path to its nearest estimate. */
function worstError(est: Matrix, truth: Matrix): number {
  const L = truth.rows, R = truth.cols;
  let worst = 0;
  for (let a = 0; a < L; a++) {
    let best = Infinity;
    for (let b = 0; b < L; b++) {
      let e = 0;
      for (let r = 0; r < R; r++) e = Math.max(e, Math.abs(wrap(est.data[b * R + r] - truth.data[a * R + r])));
      best = Math.min(best, e);
    }
    worst = Math.max(worst, best);
  }
  return worst;
}

/** Samples of Σ_l γ_l exp(i ω_l·n) on a row-major grid (noiseless), built by hand. */
function harmonics(shape: number[], freqs: number[][], gains: [number, number][]): ParameterEstimationObservation {
  const total = shape.reduce((a, b) => a * b, 1), R = shape.length;
  const re = new Float64Array(total), im = new Float64Array(total);
  for (let t = 0; t < total; t++) {
    let rest = t;
    const idx = new Array<number>(R);
    for (let r = R - 1; r >= 0; r--) {
      idx[r] = rest % shape[r];
      rest = Math.floor(rest / shape[r]);
    }
    freqs.forEach((w, l) => {
      const ph = w.reduce((s, wr, r) => s + wr * idx[r], 0);
      re[t] += gains[l][0] * Math.cos(ph) - gains[l][1] * Math.sin(ph);
      im[t] += gains[l][0] * Math.sin(ph) + gains[l][1] * Math.cos(ph);
    });
  }
  return { shape, re, im, paths: freqs.length };
}

const solve = (s: typeof espritSolver | typeof fftPeakPickingSolver) => s as AnySolver;

describeSolverConformance(espritSolver, {
  invalidParams: [
    { params: { subarray: 1 }, message: 'params.subarray must be < 1' },
    { params: { oversampling: -1 }, message: 'params.oversampling must be >= 0' },
    { params: { powerIterations: 1.5 }, message: 'params.powerIterations' },
    { params: { forwardBackward: 1 }, message: 'params.forwardBackward' },
  ],
});
describeSolverConformance(fftPeakPickingSolver, {
  invalidParams: [
    { params: { padFactor: 0.5 }, message: 'params.padFactor must be >= 1' },
    { params: { minSeparation: -1 }, message: 'params.minSeparation must be >= 0' },
  ],
});

describe('esprit (Roy & Kailath 1989; multidimensional with eigenvector pairing)', () => {
  test('property: noiseless 1-D to 3-D instances give every frequency to 1e-8 and the gains to 1e-8', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.boolean(), (seed, dims, paths, fb) => {
        const shape = [[48], [20, 16], [10, 12, 8]][dims - 1];
        const { observation: o, truth } = generateInstance(parameterEstimation, { shape, paths, snrDb: 'inf' }, [seed]);
        const res = esprit(o.re, o.im, o.shape, o.paths, { forwardBackward: fb });
        expect(worstError(res.frequencies, truth.frequencies)).toBeLessThan(1e-8);
        // Gains of the estimate nearest to each true path.
        for (let a = 0; a < paths; a++) {
          let b = 0, best = Infinity;
          for (let c = 0; c < paths; c++) {
            let e = 0;
            for (let r = 0; r < dims; r++) e += wrap(res.frequencies.data[c * dims + r] - truth.frequencies.data[a * dims + r]) ** 2;
            if (e < best) {
              best = e;
              b = c;
            }
          }
          expect(Math.hypot(res.gainsRe[b] - truth.gainsRe[a], res.gainsIm[b] - truth.gainsIm[a])).toBeLessThan(1e-8);
        }
      }),
      { seed: 1, numRuns: 20 },
    );
  });

  test('hand-built: two tones 0.3 DFT bins apart (far below the Rayleigh limit) are resolved exactly', () => {
    const N = 32, w0 = 0.7, w1 = 0.7 + (0.3 * 2 * Math.PI) / N;
    const o = harmonics([N], [[w0], [w1]], [[1, 0], [0, -0.5]]);
    const res = esprit(o.re, o.im, o.shape, 2);
    const got = Array.from(res.frequencies.data).sort((a, b) => a - b);
    expect(got[0]).toBeCloseTo(w0, 10);
    expect(got[1]).toBeCloseTo(w1, 10);
    expect(res.singularValues[0]).toBeGreaterThan(res.singularValues[1]);
  });

  test('2-D pairing: paths sharing a frequency in one dimension keep their own partner in the other', () => {
    const freqs = [
      [0.5, -1.0],
      [0.5, 2.0],
      [-2.0, -1.0],
    ];
    const o = harmonics([16, 16], freqs, [
      [1, 0],
      [0.8, 0.3],
      [-0.4, 0.9],
    ]);
    const res = esprit(o.re, o.im, o.shape, 3);
    const rows = Array.from({ length: 3 }, (_, l) => [res.frequencies.data[2 * l], res.frequencies.data[2 * l + 1]]);
    for (const [a, b] of freqs) expect(rows.some(([x, y]) => Math.abs(x - a) < 1e-9 && Math.abs(y - b) < 1e-9)).toBe(true);
  });

  test('more paths than the subarrays can hold is a clear error', () => {
    const o = harmonics([4], [[0.1], [1], [2]], [
      [1, 0],
      [1, 0],
      [1, 0],
    ]);
    expect(() => esprit(o.re, o.im, o.shape, 3)).toThrow('esprit: 3 paths cannot be resolved on a [4] grid with windows [2]: needs L <= 1');
    expect(() => esprit(o.re, o.im, [5], 1)).toThrow('esprit: re and im have 4 and 4 entries, shape [5] needs 5');
    expect(() => esprit(o.re, o.im, o.shape, 1, { subarray: 1 })).toThrow('esprit: subarray must be a number in (0, 1) (got 1)');
  });
});

describe('fftPeakPicking (zero-padded periodogram)', () => {
  test('property: a lone noiseless tone is found within half a padded bin (π/P) in every dimension', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -Math.PI, max: Math.PI - 1e-9, noNaN: true }), { minLength: 2, maxLength: 2 }),
        fc.constantFrom(1, 2, 4, 8),
        fc.boolean(),
        (w, pad, twoD) => {
          const shape = twoD ? [12, 20] : [40];
          const freqs = [twoD ? w : [w[0]]];
          const o = harmonics(shape, freqs, [[0.6, -0.8]]);
          const res = fftPeakPicking(o.re, o.im, o.shape, 1, { padFactor: pad });
          res.grid.forEach((P, r) => {
            expect(P).toBeGreaterThanOrEqual(pad * shape[r]);
            expect(Math.abs(wrap(res.frequencies.data[r] - freqs[0][r]))).toBeLessThanOrEqual(Math.PI / P + 1e-12);
          });
        },
      ),
      { seed: 1, numRuns: 20 },
    );
  });

  test('hand-built: tones on the padded grid come back exactly, with least-squares gains to 1e-10', () => {
    const P = 64; // N = 16, padFactor 4
    const freqs = [[(2 * Math.PI * 5) / P], [(2 * Math.PI * -20) / P], [(2 * Math.PI * 31) / P]];
    const gains: [number, number][] = [
      [1, 0],
      [0, 1],
      [-0.7, 0.2],
    ];
    const o = harmonics([16], freqs, gains);
    const res = fftPeakPicking(o.re, o.im, o.shape, 3);
    for (let a = 0; a < 3; a++) {
      const b = Array.from(res.frequencies.data).findIndex((v) => Math.abs(wrap(v - freqs[a][0])) < 1e-12);
      expect(b).toBeGreaterThanOrEqual(0);
      expect(Math.hypot(res.gainsRe[b] - gains[a][0], res.gainsIm[b] - gains[a][1])).toBeLessThan(1e-10);
    }
    // Strongest first.
    expect(res.power[0]).toBeGreaterThanOrEqual(res.power[1]);
  });

  test('minSeparation = 2 keeps the first sidelobes (about 1.4 bins out) out of the picks; 0 lets them in', () => {
    const o = harmonics([32], [[1.0]], [[1, 0]]);
    const bin = (2 * Math.PI) / 32;
    const gaps = (f: Matrix) => Array.from(f.data, (v) => Math.abs(wrap(v - 1.0))).sort((a, b) => a - b);
    const loose = gaps(fftPeakPicking(o.re, o.im, o.shape, 3, { minSeparation: 0 }).frequencies);
    const strict = fftPeakPicking(o.re, o.im, o.shape, 3, { minSeparation: 2 }).frequencies;
    expect(loose[0]).toBeLessThan(bin / 8);
    expect(loose[1]).toBeLessThan(2 * bin);
    const picks = Array.from(strict.data);
    for (let a = 0; a < 3; a++) for (let b = a + 1; b < 3; b++) expect(Math.abs(wrap(picks[a] - picks[b]))).toBeGreaterThanOrEqual(2 * bin - 1e-12);
  });

  test('bad inputs are clear errors', () => {
    const o = harmonics([8], [[1]], [[1, 0]]);
    expect(() => fftPeakPicking(o.re, o.im, o.shape, 1, { padFactor: 0.5 })).toThrow('fftPeakPicking: padFactor must be a finite number >= 1 (got 0.5)');
    expect(() => fftPeakPicking(o.re, o.im, o.shape, 0)).toThrow('fftPeakPicking: paths must be an integer >= 1 (got 0)');
    expect(() => fftPeakPicking(o.re, o.im, [4, 4], 1)).toThrow('fftPeakPicking: re and im have 8 and 8 entries, shape [4, 4] needs 16');
    const big = new Float64Array(1 << 20);
    expect(() => fftPeakPicking(big, big, [1 << 20], 1, { padFactor: 32 })).toThrow(
      'fftPeakPicking: padFactor = 32 gives a [33554432] grid of 33554432 points; at most 2^24 are supported, lower padFactor',
    );
  });
});

describe('the parameter-estimation baselines on the quick preset (32 x 32, L=4, 20 dB)', () => {
  const service = solveService(createRegistry(allFamilies));
  const metric = primaryMetric(parameterEstimation);
  const run = async (solver: AnySolver, params: Record<string, unknown>, seed: (string | number)[]) => {
    const { observation, truth } = generateInstance(parameterEstimation, params, seed);
    const { solution } = await service.solve(solver, observation);
    return { outcome: scoreSolution(parameterEstimation, observation, truth as ParameterEstimationTruth, solution), observation, truth };
  };

  test.each([espritSolver, fftPeakPickingSolver].map((s) => [s.id, s] as const))('%s is ok, detects every path and beats the all-zero answer', async (_id, solver) => {
    const { outcome, observation, truth } = await run(solve(solver), parameterEstimation.presets.quick, ['quality', 'parameter-estimation']);
    const trivial = scoreSolution(parameterEstimation, observation, truth, parameterEstimation.trivialSolution!(observation));
    expect(outcome.status).toBe('ok');
    if (outcome.status !== 'ok' || trivial.status !== 'ok') return;
    expect(outcome.metrics[metric.id]).toBeLessThan(trivial.metrics[metric.id] / 10);
    expect(outcome.metrics.detected).toBe(1);
  });

  test('ESPRIT (off the grid) beats FFT peak picking (grid step 2π/128) by an order of magnitude on every seed', async () => {
    for (const seed of [1, 2, 3]) {
      const e = await run(solve(espritSolver), parameterEstimation.presets.quick, [seed]);
      const f = await run(solve(fftPeakPickingSolver), parameterEstimation.presets.quick, [seed]);
      if (e.outcome.status !== 'ok' || f.outcome.status !== 'ok') throw new Error('not ok');
      expect(e.outcome.metrics[metric.id]).toBeLessThan(f.outcome.metrics[metric.id] / 10);
      expect(f.outcome.metrics[metric.id]).toBeLessThan(Math.PI / 128);
    }
  });

  test('super-resolution: a pair 0.5 bin apart is resolved by ESPRIT, not by the periodogram', async () => {
    const params = { n: 32, dims: 1, paths: 2, layout: 'close-pair', pairOffset: 0.5, snrDb: 30 };
    for (const seed of [1, 2, 3]) {
      const e = await run(solve(espritSolver), params, [seed]);
      const f = await run(solve(fftPeakPickingSolver), params, [seed]);
      if (e.outcome.status !== 'ok' || f.outcome.status !== 'ok') throw new Error('not ok');
      expect(e.outcome.metrics.detected).toBe(1);
      expect(f.outcome.metrics.detected).toBeLessThan(1);
    }
  });
});
