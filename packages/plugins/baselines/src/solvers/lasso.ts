import {
  defineSolver,
  Matrix,
  ParsimonyError,
  sparseRegression,
  Type,
  type SolverContext,
  type SparseRegressionObservation,
  type SparseRegressionSolution,
  type Static,
} from '@parsimony/core';
import { cdDesign, cdLasso, dualGap } from '../internal/cd.js';
import { checkSystem, requireSquaredLoss } from '../internal/kernels.js';

/** scikit-learn's defaults for `Lasso`. */
const DEFAULT_TOL = 1e-4;
const DEFAULT_MAX_ITER = 1000;

/** Parameters of {@link lasso}. */
export const LassoParams = Type.Object(
  {
    alpha: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, description: "ℓ1 weight α of (1/2N)‖y − Xw‖² + α‖w‖₁ (scikit-learn's alpha); default: the observation's lambda" }),
    ),
    tol: Type.Number({
      minimum: 0,
      default: DEFAULT_TOL,
      description: "scikit-learn's tol: the duality gap is checked once the largest coordinate change of an epoch is below tol·max|w|, and the solver stops when gap < tol·‖y‖²/N",
    }),
    maxIter: Type.Integer({ minimum: 1, default: DEFAULT_MAX_ITER, description: 'maximum number of epochs (passes over all coordinates)' }),
  },
  { additionalProperties: false },
);
export type LassoParams = Static<typeof LassoParams>;

/** Options of the plain {@link lasso} function. */
export interface LassoOptions {
  /** ℓ1 weight α of (1/2N)‖y − Xw‖² + α‖w‖₁ (required). */
  alpha: number;
  /** scikit-learn's `tol` (default 1e-4). */
  tol?: number;
  /** Maximum number of epochs (default 1000). */
  maxIter?: number;
  /** Polled once per epoch. */
  signal?: AbortSignal;
  /** Receives (epoch, objective) after each epoch. */
  onIteration?: (epoch: number, objective: number) => void;
}

/** What {@link lasso} returns besides w. */
export interface LassoResult {
  /** The coefficients (d). */
  w: Float64Array;
  /** Epochs run (scikit-learn's `n_iter_`). */
  iterations: number;
  /** The last duality gap computed, divided by N (scikit-learn's `dual_gap_`). */
  dualGap: number;
}

function checkLassoOptions(fn: string, o: LassoOptions): { tol: number; maxIter: number } {
  if (!(o.alpha > 0) || !Number.isFinite(o.alpha)) {
    throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: alpha must be a finite number > 0 (got ${o.alpha})`, 'alpha');
  }
  const tol = o.tol ?? DEFAULT_TOL, maxIter = o.maxIter ?? DEFAULT_MAX_ITER;
  if (!(tol >= 0)) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: tol must be >= 0 (got ${tol})`, 'tol');
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: maxIter must be an integer >= 1 (got ${maxIter})`, 'maxIter');
  return { tol, maxIter };
}

/**
 * The Lasso, min_w (1/2N)‖y − Xw‖² + α‖w‖₁, by cyclic coordinate descent
 * exactly as scikit-learn's `Lasso(fit_intercept=False)` runs it
 * (`enet_coordinate_descent` in sklearn/linear_model/_cd_fast.pyx; Friedman,
 * Hastie & Tibshirani 2010): features in order 0..d−1 each epoch, precomputed
 * column norms, the residual R = y − Xw updated in place, and the duality gap
 * checked once the largest coordinate change of an epoch falls below
 * tol·max|w|; it stops when gap < tol·‖y‖² (in the N-scaled units of the
 * objective, gap/N < tol·‖y‖²/N).
 *
 * Speed without changing the iterates: a zero coefficient stays zero exactly
 * when |X_jᵀR| ≤ αN. Each coordinate remembers the last X_jᵀR it computed
 * and how far R has moved since (‖ΔR‖ ≤ Σ|Δw_t|‖X_t‖), so when
 * |X_jᵀR_old| + ‖X_j‖‖ΔR‖ < αN the dot product is skipped: the epoch makes
 * the same updates as scikit-learn's, in the same order, but late epochs cost
 * O(d + N·nnz) instead of O(N d).
 *
 * @param X - N x d design (row-major)
 * @param y - N responses
 * @param options - `alpha` (required), `tol`, `maxIter`, `signal`, `onIteration`
 * @returns w, the epochs run and the final duality gap / N
 * @example
 * const { w } = lasso(X, y, { alpha: 0.1 });
 */
export function lasso(X: Matrix, y: Float64Array, options: LassoOptions): LassoResult {
  checkSystem('lasso', X, y, 'X');
  const { tol, maxIter } = checkLassoOptions('lasso', options);
  return cdLasso(cdDesign(X), y, { alpha: options.alpha, tol, maxIter, signal: options.signal, onIteration: options.onIteration });
}

/**
 * The Lasso from precomputed products, as scikit-learn's
 * `enet_coordinate_descent_gram` (`Lasso(precompute=True)`): G = XᵀX,
 * q = Xᵀy and ‖y‖². The same cyclic updates and gap rule as {@link lasso},
 * with the gradient Gw kept up to date instead of the residual, so an epoch
 * costs O(d) plus O(d) per changed coefficient, independent of N.
 *
 * @param G - d x d Gram matrix XᵀX
 * @param q - Xᵀy (d)
 * @param yy - ‖y‖²
 * @param N - number of samples (the objective's 1/N scaling)
 * @param options - as for {@link lasso}
 * @returns w, the epochs run and the final duality gap / N
 * @example
 * const { w } = lassoGram(gram(X), matvec(X, y, true), dot(y, y), X.rows, { alpha: 0.1 });
 */
export function lassoGram(G: Matrix, q: Float64Array, yy: number, N: number, options: LassoOptions): LassoResult {
  const d = G.cols;
  if (G.rows !== d) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `lassoGram: G is ${G.rows}x${G.cols}, expected a square Gram matrix`, 'G');
  if (q.length !== d) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `lassoGram: q has ${q.length} entries, G has ${d} columns`, 'q');
  const { tol, maxIter } = checkLassoOptions('lassoGram', options);
  const g = G.data;
  const a = options.alpha * N;
  const w = new Float64Array(d);
  const H = new Float64Array(d); // G w
  const gapTol = tol * yy;
  let gap = gapTol + 1;
  let epoch = 0;
  for (; epoch < maxIter; epoch++) {
    options.signal?.throwIfAborted();
    let wMax = 0, dwMax = 0;
    for (let j = 0; j < d; j++) {
      const gjj = g[j * d + j];
      if (gjj === 0) continue;
      const wj = w[j];
      const tmp = q[j] - H[j] + gjj * wj;
      const wNew = tmp > a ? (tmp - a) / gjj : tmp < -a ? (tmp + a) / gjj : 0;
      if (wNew !== wj) {
        const delta = wNew - wj;
        const o = j * d; // row j of the symmetric G is column j
        for (let t = 0; t < d; t++) H[t] += delta * g[o + t];
        w[j] = wNew;
        const dw = Math.abs(delta);
        if (dw > dwMax) dwMax = dw;
      }
      const aw = Math.abs(wNew);
      if (aw > wMax) wMax = aw;
    }
    if (options.onIteration) {
      let l1 = 0, wq = 0, wh = 0;
      for (let j = 0; j < d; j++) {
        l1 += Math.abs(w[j]);
        wq += w[j] * q[j];
        wh += w[j] * H[j];
      }
      options.onIteration(epoch + 1, Math.max(yy + wh - 2 * wq, 0) / (2 * N) + options.alpha * l1);
    }
    if (wMax === 0 || dwMax / wMax < tol || epoch === maxIter - 1) {
      let dualNorm = 0, l1 = 0, wq = 0, wh = 0;
      for (let j = 0; j < d; j++) {
        const v = Math.abs(q[j] - H[j]);
        if (v > dualNorm) dualNorm = v;
        l1 += Math.abs(w[j]);
        wq += w[j] * q[j];
        wh += w[j] * H[j];
      }
      // ‖R‖² = ‖y‖² + wᵀGw − 2 wᵀq and Rᵀy = ‖y‖² − wᵀq.
      gap = dualGap(a, yy + wh - 2 * wq, dualNorm, yy - wq, l1);
      if (gap < gapTol) {
        epoch++;
        break;
      }
    }
  }
  return { w, iterations: Math.min(epoch, maxIter), dualGap: gap / N };
}

/**
 * The Lasso on many response vectors that share one design X: the
 * column-major copy of X, its column norms and block Gram entries are formed
 * once, then each response runs the coordinate descent of {@link lasso}
 * (same iterates, same answers). When N ≥ d, {@link lassoGram} on core's
 * `gram(X)` is the cheaper route, as scikit-learn's `precompute=True`.
 *
 * @param X - N x d design
 * @param ys - responses, each of length N
 * @param options - as for {@link lasso}
 * @returns one result per response
 * @example
 * const fits = lassoMany(X, [y1, y2], { alpha: 0.1 });
 */
export function lassoMany(X: Matrix, ys: readonly Float64Array[], options: LassoOptions): LassoResult[] {
  const N = X.rows;
  ys.forEach((y, i) => {
    if (y.length !== N) throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `lassoMany: ys[${i}] has ${y.length} entries, X has ${N} rows`, `ys[${i}]`);
  });
  const { tol, maxIter } = checkLassoOptions('lassoMany', options);
  if (ys.length === 0) return [];
  const D = cdDesign(X);
  return ys.map((y) => cdLasso(D, y, { alpha: options.alpha, tol, maxIter, signal: options.signal, onIteration: options.onIteration }));
}

/**
 * The λ of the family's reported objective: `observation.lambda`, else the
 * family's default rule max(noiseStd, 0.01)·√(2 ln d / N) (as core's
 * sparse-regression `objectiveLambda`, which the package index does not export).
 */
function observationLambda(obs: SparseRegressionObservation): number {
  if (obs.lambda !== undefined) return obs.lambda;
  const { rows: N, cols: d } = obs.X;
  return Math.max(obs.noiseStd ?? 0.01, 0.01) * Math.sqrt((2 * Math.log(Math.max(d, 2))) / N);
}

/** The bench entry: α defaults to the λ of the family's objective (same scaling as scikit-learn's alpha). */
export function solveLasso(obs: SparseRegressionObservation, params: LassoParams, ctx: SolverContext): SparseRegressionSolution {
  requireSquaredLoss('baselines/lasso', obs.loss);
  ctx.signal.throwIfAborted();
  const { w, iterations } = lasso(obs.X, obs.y, {
    alpha: params.alpha ?? observationLambda(obs),
    tol: params.tol ?? DEFAULT_TOL,
    maxIter: params.maxIter ?? DEFAULT_MAX_ITER,
    signal: ctx.signal,
    onIteration: (iteration, objective) => ctx.report({ iteration, objective }),
  });
  return { w, iterations };
}

/** `baselines/lasso`: {@link lasso} as a registered solver (defaults from the observation's hints). */
export const lassoSolver = defineSolver({
  id: 'baselines/lasso',
  family: sparseRegression,
  title: 'Lasso (coordinate descent)',
  summary: "scikit-learn's Lasso: cyclic coordinate descent on (1/2N)‖y − Xw‖² + α‖w‖₁ with its duality-gap stopping rule.",
  params: LassoParams,
  solve: solveLasso,
});
