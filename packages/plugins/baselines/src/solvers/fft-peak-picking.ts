import {
  defineSolver,
  Matrix,
  parameterEstimation,
  ParsimonyError,
  Type,
  type ParameterEstimationObservation,
  type ParameterEstimationSolution,
  type SolverContext,
  type Static,
  wrapAngle,
} from '@parsimony/core';
import { boxIndices, checkHarmonicSamples, fftGrid, harmonicGains, nextPow2 } from '../internal/signal.js';

/** Parameters of {@link fftPeakPicking}. */
export const FftPeakPickingParams = Type.Object(
  {
    padFactor: Type.Number({
      minimum: 1,
      default: 4,
      description: 'zero padding: each side is padded to the power of two >= padFactor·N_r, so the frequency grid step is 2π/P_r <= 2π/(padFactor·N_r)',
    }),
    minSeparation: Type.Number({
      minimum: 0,
      default: 1,
      description: 'a local maximum closer than this many DFT bins (2π/N_r) to a stronger pick in every dimension is taken for a shoulder of that path and skipped (2 also skips the first sidelobes, about 1.4 bins out)',
    }),
  },
  { additionalProperties: false },
);
export type FftPeakPickingParams = Static<typeof FftPeakPickingParams>;

/** Options of the plain {@link fftPeakPicking} function. */
export interface FftPeakPickingOptions {
  /** Zero-padding factor >= 1 (default 4). */
  readonly padFactor?: number;
  /** Minimum separation of picked peaks in DFT bins (default 1). */
  readonly minSeparation?: number;
}

/** What {@link fftPeakPicking} returns. */
export interface FftPeakPickingResult {
  /** L x R angular frequencies in [−π, π) on the padded grid, one row per path, strongest first. */
  readonly frequencies: Matrix;
  /** Least-squares complex gains on the picked frequencies. */
  readonly gainsRe: Float64Array;
  readonly gainsIm: Float64Array;
  /** Periodogram value |Y(ω)|² / ΠN of each picked peak. */
  readonly power: Float64Array;
  /** The padded grid [P_1, …, P_R]. */
  readonly grid: number[];
}

/** Largest padded grid the periodogram may use (16 Mi points, 256 MiB of buffers). */
const MAX_GRID = 1 << 24;

/**
 * Periodogram peak picking, the classic non-parametric frequency estimator
 * (Rife & Boorstyn 1974 for one tone; Stoica & Moses 2005, ch. 4, for
 * several well-separated ones): zero-pad the R-dimensional grid to P_r ≥ padFactor·N_r
 * (a power of two), take the periodogram |FFT(y)|², keep its local maxima
 * (over the 3^R − 1 circular neighbours), and pick the L largest that are
 * at least `minSeparation` DFT bins from every stronger pick in some
 * dimension. The complex gains then follow by least squares on the picked
 * frequencies. The error is at least the grid's quantization (half a padded
 * bin, π/P_r, for a lone tone), plus the leakage of the other paths.
 *
 * When fewer than L peaks qualify, the strongest remaining grid points fill
 * the list so that exactly L frequencies are returned.
 *
 * @param re - real parts of the samples, Π shape, row-major (last dimension fastest)
 * @param im - imaginary parts, same layout
 * @param shape - grid size per dimension [N_1, …, N_R]
 * @param paths - number L of peaks to pick
 * @param options - `padFactor`, `minSeparation`
 * @returns the picked frequencies (L x R), their gains and periodogram values
 * @example
 * const { frequencies } = fftPeakPicking(obs.re, obs.im, obs.shape, obs.paths, { padFactor: 4 });
 */
export function fftPeakPicking(re: Float64Array, im: Float64Array, shape: readonly number[], paths: number, options: FftPeakPickingOptions = {}): FftPeakPickingResult {
  checkHarmonicSamples('fftPeakPicking', re, im, shape, paths);
  const pad = options.padFactor ?? 4, sep = options.minSeparation ?? 1;
  if (!(pad >= 1) || !Number.isFinite(pad)) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `fftPeakPicking: padFactor must be a finite number >= 1 (got ${pad})`, 'padFactor');
  if (!(sep >= 0) || !Number.isFinite(sep)) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `fftPeakPicking: minSeparation must be a finite number >= 0 (got ${sep})`, 'minSeparation');
  const R = shape.length, L = paths;
  const grid = shape.map((n) => nextPow2(Math.ceil(pad * n)));
  const size = grid.reduce((a, b) => a * b, 1);
  if (size > MAX_GRID) {
    throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `fftPeakPicking: padFactor = ${pad} gives a [${grid.join(', ')}] grid of ${size} points; at most 2^24 are supported, lower padFactor`, 'padFactor');
  }

  // Periodogram on the padded grid.
  const fr = new Float64Array(size), fi = new Float64Array(size);
  const pos = boxIndices(shape, grid, 1);
  for (let t = 0; t < re.length; t++) {
    fr[pos[t]] = re[t];
    fi[pos[t]] = im[t];
  }
  fftGrid(fr, fi, grid);
  const total = re.length;
  const power = new Float64Array(size);
  for (let t = 0; t < size; t++) power[t] = (fr[t] * fr[t] + fi[t] * fi[t]) / total;

  // Local maxima over the circular neighbourhood; ties go to the lower index.
  const strides = grid.map((_, r) => grid.slice(r + 1).reduce((a, b) => a * b, 1));
  const offsets: number[][] = [];
  for (let code = 0; code < 3 ** R; code++) {
    const o: number[] = [];
    let c = code;
    for (let r = 0; r < R; r++) {
      o.push((c % 3) - 1);
      c = Math.floor(c / 3);
    }
    if (o.some((v) => v !== 0)) offsets.push(o);
  }
  const idx = new Int32Array(R);
  const peaks: number[] = [];
  for (let t = 0; t < size; t++) {
    const v = power[t];
    let isMax = true;
    for (let k = 0; k < offsets.length && isMax; k++) {
      let nb = 0;
      for (let r = 0; r < R; r++) nb += ((idx[r] + offsets[k][r] + grid[r]) % grid[r]) * strides[r];
      if (nb !== t && (power[nb] > v || (power[nb] === v && nb < t))) isMax = false;
    }
    if (isMax) peaks.push(t);
    for (let r = R - 1; r >= 0; r--) {
      if (++idx[r] < grid[r]) break;
      idx[r] = 0;
    }
  }
  peaks.sort((a, b) => power[b] - power[a] || a - b);

  // Greedy pick of separated peaks (distances in padded bins).
  const minBins = grid.map((p, r) => (sep * p) / shape[r]);
  const coords = (t: number) => grid.map((p, r) => Math.floor(t / strides[r]) % p);
  const picked: number[] = [];
  const pickedCoords: number[][] = [];
  const tooClose = (c: number[]) =>
    pickedCoords.some((q) =>
      c.every((v, r) => {
        const d = Math.abs(v - q[r]);
        return Math.min(d, grid[r] - d) < minBins[r];
      }),
    );
  for (const t of peaks) {
    if (picked.length === L) break;
    const c = coords(t);
    if (tooClose(c)) continue;
    picked.push(t);
    pickedCoords.push(c);
  }
  if (picked.length < L) {
    // Too few qualifying peaks (tiny grids, flat spectra): the strongest remaining points.
    const taken = new Set(picked);
    const rest = Array.from({ length: size }, (_, t) => t).filter((t) => !taken.has(t));
    rest.sort((a, b) => power[b] - power[a] || a - b);
    for (const t of rest.slice(0, L - picked.length)) {
      picked.push(t);
      pickedCoords.push(coords(t));
    }
  }

  const frequencies = Matrix.zeros(L, R);
  const pw = new Float64Array(L);
  picked.forEach((t, l) => {
    pw[l] = power[t];
    for (let r = 0; r < R; r++) frequencies.data[l * R + r] = wrapAngle((2 * Math.PI * pickedCoords[l][r]) / grid[r]);
  });
  const gains = harmonicGains(re, im, shape, frequencies.data, L);
  return { frequencies, gainsRe: gains.re, gainsIm: gains.im, power: pw, grid };
}

/** The bench entry: {@link fftPeakPicking} on the observation's grid. */
export function solveFftPeakPicking(obs: ParameterEstimationObservation, params: FftPeakPickingParams, ctx: SolverContext): ParameterEstimationSolution {
  ctx.signal.throwIfAborted();
  const res = fftPeakPicking(obs.re, obs.im, obs.shape, obs.paths, params);
  // One transform, one "iteration": the weakest picked peak says how far above the noise the picks are.
  ctx.report({ iteration: 1, weakestPeak: res.power[res.power.length - 1] });
  return { frequencies: res.frequencies };
}

/** `baselines/fft-peak-picking`: {@link fftPeakPicking} as a registered solver. */
export const fftPeakPickingSolver = defineSolver({
  id: 'baselines/fft-peak-picking',
  family: parameterEstimation,
  title: 'FFT peak picking',
  summary: 'Zero-padded R-dimensional periodogram; the L strongest well-separated local maxima are the frequencies, gains by least squares.',
  params: FftPeakPickingParams,
  solve: solveFftPeakPicking,
});
