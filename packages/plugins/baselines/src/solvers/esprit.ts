import {
  createRng,
  defineSolver,
  Matrix,
  parameterEstimation,
  ParsimonyError,
  Type,
  type ParameterEstimationObservation,
  type ParameterEstimationSolution,
  type Rng,
  type SolverContext,
  type Static,
  wrapAngle,
} from '@parsimony/core';
import { checkHarmonicSamples, complexEig, complexSolve, gemmCN, gemmNN, HankelOperator, harmonicGains, hermitianEig, orthonormalize } from '../internal/signal.js';

/** Parameters of {@link esprit}. */
export const EspritParams = Type.Object(
  {
    subarray: Type.Number({
      exclusiveMinimum: 0,
      exclusiveMaximum: 1,
      default: 0.5,
      description: 'subarray (window) length per dimension as a fraction of the grid side: M_r = round(subarray·N_r), at least 2; the block-Hankel matrix has Π M_r rows',
    }),
    forwardBackward: Type.Boolean({ default: true, description: 'forward-backward averaging: append the block-Hankel matrix of conj(y[N−1−n]) (same frequencies, better conditioned under noise)' }),
    oversampling: Type.Integer({ minimum: 0, default: 6, description: 'extra columns of the randomized subspace iteration that finds the L-dimensional signal subspace' }),
    powerIterations: Type.Integer({ minimum: 0, default: 2, description: 'subspace (power) iterations of the signal-subspace estimate; each costs 2(L + oversampling) FFT products' }),
  },
  { additionalProperties: false },
);
export type EspritParams = Static<typeof EspritParams>;

/** Options of the plain {@link esprit} function. */
export interface EspritOptions {
  /** Window fraction in (0, 1) (default 0.5). */
  readonly subarray?: number;
  /** Forward-backward averaging (default true). */
  readonly forwardBackward?: boolean;
  /** Extra subspace columns (default 6). */
  readonly oversampling?: number;
  /** Subspace iterations (default 2). */
  readonly powerIterations?: number;
  /** Random stream of the start block and of the pairing combination (default: a fixed seed). */
  readonly rng?: Rng;
  /** Polled once per subspace iteration. */
  readonly signal?: AbortSignal;
  /** Receives (iteration, largest column norm of H W) after each subspace iteration. */
  readonly onIteration?: (iteration: number, leading: number) => void;
}

/** What {@link esprit} returns. */
export interface EspritResult {
  /** L x R angular frequencies in [−π, π), one row per path. */
  readonly frequencies: Matrix;
  /** Least-squares complex gains on the estimated frequencies. */
  readonly gainsRe: Float64Array;
  readonly gainsIm: Float64Array;
  /** Estimated singular values σ_1 ≥ … ≥ σ_L of the block-Hankel matrix. */
  readonly singularValues: Float64Array;
}

/**
 * ESPRIT (Roy & Kailath 1989, least-squares ESPRIT) for L superimposed
 * complex exponentials on an R-dimensional grid (R = 1: the classic
 * estimator; R ≥ 2: multidimensional ESPRIT on the enhanced, block-Hankel
 * matrix of Hua 1992, with the shift-invariance equations of every
 * dimension).
 *
 * 1. Signal subspace: the top-L left singular vectors U of the block-Hankel
 *    matrix H[m, k] = y[m + k] (windows M_r ≈ N_r/2), with forward-backward
 *    averaging by default (columns of conj(y[N − 1 − n]) appended, as in
 *    unitary ESPRIT, Haardt & Nossek 1995).
 * 2. Shift invariance: for each dimension r, J₁ U Ψ_r = J₂ U (J₁/J₂ keep the
 *    rows with m_r < M_r − 1 / m_r ≥ 1), solved by least squares (QR).
 * 3. Pairing: the Ψ_r share their eigenvectors T⁻¹ (Ψ_r = T⁻¹ Φ_r T), so one
 *    eigen-decomposition of a random combination Σ β_r Ψ_r = V Λ V⁻¹ gives
 *    Φ_r = diag(V⁻¹ Ψ_r V) for every r at once, already paired
 *    (joint diagonalization through a random linear combination; the
 *    pairing problem of 2-D ESPRIT, Rouquette & Najim 2001).
 * 4. ω_lr = arg φ_lr; gains by least squares on the estimated frequencies.
 *
 * Noiseless samples give the frequencies to machine precision (rank-L
 * H, exact shift invariance) whenever L ≤ (M_r − 1) Π_{s≠r} M_s for every
 * r and L ≤ the number of columns of H (Π K_r, doubled with
 * forward-backward averaging), K_r = N_r − M_r + 1; otherwise it throws.
 *
 * Deviation: the signal subspace comes from a randomized subspace iteration
 * (Halko, Martinsson & Tropp 2011, Alg. 4.4, with a Rayleigh-Ritz step)
 * whose products with H and Hᴴ are FFT correlations, instead of a full SVD
 * of H: O(L ΠN log ΠN) per iteration instead of O(ΠM ΠK min(ΠM, ΠK)), and H
 * is never formed.
 *
 * @param re - real parts of the samples, Π shape, row-major (last dimension fastest)
 * @param im - imaginary parts, same layout
 * @param shape - grid size per dimension [N_1, …, N_R]
 * @param paths - number L of exponentials
 * @param options - `subarray`, `forwardBackward`, `oversampling`, `powerIterations`, `rng`
 * @returns the frequencies (L x R), gains and leading singular values
 * @example
 * const { frequencies } = esprit(obs.re, obs.im, obs.shape, obs.paths);
 */
export function esprit(re: Float64Array, im: Float64Array, shape: readonly number[], paths: number, options: EspritOptions = {}): EspritResult {
  checkHarmonicSamples('esprit', re, im, shape, paths);
  const sub = options.subarray ?? 0.5;
  if (!(sub > 0 && sub < 1)) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `esprit: subarray must be a number in (0, 1) (got ${sub})`, 'subarray');
  const over = options.oversampling ?? 6, iters = options.powerIterations ?? 2;
  if (!Number.isInteger(over) || over < 0) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `esprit: oversampling must be an integer >= 0 (got ${over})`, 'oversampling');
  if (!Number.isInteger(iters) || iters < 0) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `esprit: powerIterations must be an integer >= 0 (got ${iters})`, 'powerIterations');
  const fb = options.forwardBackward ?? true;
  const rng = options.rng ?? createRng('baselines/esprit');
  const R = shape.length, L = paths;

  // Windows: a dimension of one sample has no shift and its frequency stays 0.
  const window = shape.map((n) => (n < 2 ? 1 : Math.min(n, Math.max(2, Math.round(sub * n)))));
  const H = new HankelOperator(re, im, shape, window, fb);
  const M = H.rows;
  const shifted = window.map((w) => (w >= 2 ? (M / w) * (w - 1) : Infinity));
  // Rank L needs L <= rows and columns of H; each shift equation needs L <= its shifted rows.
  const limit = Math.min(H.cols, M, ...shifted);
  if (L > limit) {
    throw new ParsimonyError(
      'PARSIMONY_BAD_OBSERVATION',
      `esprit: ${L} paths cannot be resolved on a [${shape.join(', ')}] grid with windows [${window.join(', ')}]: needs L <= ${limit} (shifted subarray rows and Hankel columns); lower observation.paths or change params.subarray`,
      'paths',
    );
  }

  // 1. Signal subspace by randomized subspace iteration on H (block size r).
  const r = Math.min(L + over, M, H.cols), C = H.cols;
  const qRe = new Float64Array(M * r), qIm = new Float64Array(M * r);
  const wRe = new Float64Array(C * r), wIm = new Float64Array(C * r);
  rng.fillNormal(wRe);
  rng.fillNormal(wIm);
  const applyAll = () => {
    for (let j = 0; j < r; j++) H.apply(wRe, wIm, j * C, qRe, qIm, j * M);
  };
  const adjointAll = () => {
    for (let j = 0; j < r; j++) H.adjoint(qRe, qIm, j * M, wRe, wIm, j * C);
  };
  applyAll();
  orthonormalize(qRe, qIm, M, r);
  for (let it = 0; it < iters; it++) {
    options.signal?.throwIfAborted();
    adjointAll();
    orthonormalize(wRe, wIm, C, r);
    applyAll();
    let lead = 0;
    for (let j = 0; j < r; j++) {
      let s = 0;
      for (let i = 0; i < M; i++) s += qRe[j * M + i] ** 2 + qIm[j * M + i] ** 2;
      lead = Math.max(lead, Math.sqrt(s));
    }
    orthonormalize(qRe, qIm, M, r);
    options.onIteration?.(it + 1, lead);
  }
  options.signal?.throwIfAborted();
  // Rayleigh-Ritz: eigenvectors of Qᴴ H Hᴴ Q = (Hᴴ Q)ᴴ (Hᴴ Q).
  adjointAll();
  const G = gemmCN(wRe, wIm, wRe, wIm, C, r, r);
  const eig = hermitianEig(G.re, G.im, r);
  const U = gemmNN(qRe, qIm, eig.vRe.subarray(0, r * L), eig.vIm.subarray(0, r * L), M, r, L);
  const singularValues = Float64Array.from(eig.values.subarray(0, L), (v) => Math.sqrt(Math.max(v, 0)));

  // 2. Shift invariance per dimension: Ψ_r = (J₁U)⁺ (J₂U).
  const psis: { re: Float64Array; im: Float64Array }[] = [];
  const dimsWithShift: number[] = [];
  let stride = M;
  for (let d = 0; d < R; d++) {
    stride /= window[d];
    if (window[d] < 2) continue;
    dimsWithShift.push(d);
    const rows1: number[] = [];
    for (let m = 0; m < M; m++) if (Math.floor(m / stride) % window[d] < window[d] - 1) rows1.push(m);
    const n1 = rows1.length;
    const a1Re = new Float64Array(n1 * L), a1Im = new Float64Array(n1 * L), a2Re = new Float64Array(n1 * L), a2Im = new Float64Array(n1 * L);
    for (let l = 0; l < L; l++) {
      for (let t = 0; t < n1; t++) {
        a1Re[l * n1 + t] = U.re[l * M + rows1[t]];
        a1Im[l * n1 + t] = U.im[l * M + rows1[t]];
        a2Re[l * n1 + t] = U.re[l * M + rows1[t] + stride];
        a2Im[l * n1 + t] = U.im[l * M + rows1[t] + stride];
      }
    }
    const Rf = { re: new Float64Array(L * L), im: new Float64Array(L * L) };
    orthonormalize(a1Re, a1Im, n1, L, Rf);
    const Cm = gemmCN(a1Re, a1Im, a2Re, a2Im, n1, L, L);
    // Back substitution R Ψ = Qᴴ A₂ (R upper triangular, column-major).
    let rmax = 0;
    for (let t = 0; t < L; t++) rmax = Math.max(rmax, Math.hypot(Rf.re[t + t * L], Rf.im[t + t * L]));
    const tiny = Math.max(rmax * Number.EPSILON, Number.MIN_VALUE);
    for (let j = 0; j < L; j++) {
      for (let i = L - 1; i >= 0; i--) {
        let sr = Cm.re[i + j * L], si = Cm.im[i + j * L];
        for (let t = i + 1; t < L; t++) {
          sr -= Rf.re[i + t * L] * Cm.re[t + j * L] - Rf.im[i + t * L] * Cm.im[t + j * L];
          si -= Rf.re[i + t * L] * Cm.im[t + j * L] + Rf.im[i + t * L] * Cm.re[t + j * L];
        }
        // R's diagonal is real and >= 0 (0 only for a rank-deficient J₁U).
        const dgn = Math.max(Rf.re[i + i * L], tiny);
        Cm.re[i + j * L] = sr / dgn;
        Cm.im[i + j * L] = si / dgn;
      }
    }
    psis.push(Cm);
  }

  // 3. Pairing by the eigenvectors of a random combination of the Ψ_r.
  const frequencies = Matrix.zeros(L, R);
  if (psis.length > 0) {
    const cRe = new Float64Array(L * L), cIm = new Float64Array(L * L);
    const beta = psis.length === 1 ? [1] : psis.map(() => rng.normal());
    psis.forEach((p, t) => {
      for (let e = 0; e < L * L; e++) {
        cRe[e] += beta[t] * p.re[e];
        cIm[e] += beta[t] * p.im[e];
      }
    });
    const { vRe, vIm } = complexEig(cRe, cIm, L);
    psis.forEach((p, t) => {
      const X = gemmNN(p.re, p.im, vRe, vIm, L, L, L);
      complexSolve(vRe, vIm, L, X.re, X.im, L);
      const d = dimsWithShift[t];
      for (let l = 0; l < L; l++) frequencies.data[l * R + d] = wrapAngle(Math.atan2(X.im[l + l * L], X.re[l + l * L]));
    });
  }

  const gains = harmonicGains(re, im, shape, frequencies.data, L);
  return { frequencies, gainsRe: gains.re, gainsIm: gains.im, singularValues };
}

/** The bench entry: {@link esprit} on the observation's grid, randomness from ctx.rng. */
export function solveEsprit(obs: ParameterEstimationObservation, params: EspritParams, ctx: SolverContext): ParameterEstimationSolution {
  ctx.signal.throwIfAborted();
  const { frequencies } = esprit(obs.re, obs.im, obs.shape, obs.paths, {
    ...params,
    rng: ctx.rng,
    signal: ctx.signal,
    onIteration: (iteration, leading) => ctx.report({ iteration, leading }),
  });
  return { frequencies };
}

/** `baselines/esprit`: {@link esprit} as a registered solver. */
export const espritSolver = defineSolver({
  id: 'baselines/esprit',
  family: parameterEstimation,
  title: 'ESPRIT',
  summary: 'Subspace rotational invariance (Roy & Kailath 1989), multidimensional on the block-Hankel matrix with eigenvector pairing across dimensions.',
  params: EspritParams,
  solve: solveEsprit,
});
