import {
  bandit,
  banditEnv,
  cholesky,
  choleskySolve,
  defineSolver,
  Matrix,
  ParsimonyError,
  qrPivoted,
  transpose,
  Type,
  type BanditObservation,
  type BanditSolution,
  type SolverContext,
  type Static,
} from '@parsimony/core';
import {
  argmax,
  armScores,
  badParam,
  checkArms,
  checkEnv,
  leastSquaresTheta,
  playSchedule,
  quadraticForms,
  requireVariant,
  variantSkip,
  type BanditRunOptions,
  type BestArmResult,
  type LinearBanditEnv,
} from '../internal/bandit.js';

/** Parameters of {@link gOptimalAllocation}. */
export const GOptimalDesignParams = Type.Object(
  {
    tol: Type.Number({
      exclusiveMinimum: 0,
      default: 1e-3,
      description: 'stop when max_i ‖x_i‖²_{A(λ)⁻¹} ≤ r(1 + tol), r the dimension spanned by the arms (Kiefer-Wolfowitz: the optimum is exactly r)',
    }),
    maxIter: Type.Integer({ minimum: 1, default: 10000, description: 'maximum Frank-Wolfe (Fedorov-Wynn) iterations of the design' }),
  },
  { additionalProperties: false },
);
export type GOptimalDesignParams = Static<typeof GOptimalDesignParams>;

/** Options of {@link gOptimalDesign}. */
export interface GOptimalDesignOptions {
  /** Relative tolerance on max_i ‖x_i‖²_{A⁻¹} / r − 1 (default 1e-3). */
  readonly tol?: number;
  /** Maximum iterations (default 10 000). */
  readonly maxIter?: number;
  /** Polled every iteration. */
  readonly signal?: AbortSignal;
}

/** A G-optimal design over the arms. */
export interface GOptimalDesignResult {
  /** λ_i ≥ 0 of every arm (K), summing to 1. */
  readonly weights: Float64Array;
  /** ‖x_i‖²_{A(λ)⁻¹} of every arm (K), on the span of the arms (pseudo-inverse when they do not span ℝᵈ). */
  readonly variances: Float64Array;
  /** max_i ‖x_i‖²_{A(λ)⁻¹}: r at the optimum. */
  readonly maxVariance: number;
  /** r: the dimension of the span of the arms (numerical rank). */
  readonly rank: number;
  /** Iterations run. */
  readonly iterations: number;
  /** Whether maxVariance ≤ r(1 + tol). */
  readonly converged: boolean;
}

/** Options of the plain {@link gOptimalAllocation} function. */
export interface GOptimalAllocationOptions extends BanditRunOptions {
  /** As {@link GOptimalDesignOptions.tol}. */
  readonly tol?: number;
  /** As {@link GOptimalDesignOptions.maxIter}. */
  readonly maxIter?: number;
}

/** How often the rank-one-updated A⁻¹ and variances are recomputed exactly from λ. */
const REFRESH = 256;

/**
 * The G-optimal design over the arms x_1..x_K (Kiefer & Wolfowitz 1960):
 *
 *     λ* = argmin_{λ ∈ simplex} max_i ‖x_i‖²_{A(λ)⁻¹},   A(λ) = Σ_i λ_i x_i x_iᵀ,
 *
 * whose value is exactly r = dim span{x_i} (the Kiefer-Wolfowitz
 * equivalence theorem; the same λ maximizes log det A(λ), the D-optimal
 * design). Computed by the Frank-Wolfe method on log det with exact line
 * search, i.e. the Fedorov-Wynn algorithm (Fedorov 1972; Wynn 1970), with
 * the away and drop steps of Wolfe as in Todd & Yildirim's WA-TY algorithm
 * (2007, for the dual minimum-volume ellipsoid): each iteration moves weight
 * toward the arm with the largest variance g_i = ‖x_i‖²_{A⁻¹} or away from
 * the support arm with the smallest, by γ = (g − r)/(r(g − 1)) (clipped at
 * dropping the arm), and updates A⁻¹ and every g_i by Sherman-Morrison in
 * O(Kr + r²). It starts uniform on r linearly independent arms picked by
 * core's pivoted QR, works in coordinates of the span when r < d, and
 * recomputes A⁻¹ by Cholesky every 256 iterations and before it stops.
 *
 * @param arms - K x d features, one arm per row
 * @param options - `tol`, `maxIter`, `signal`
 * @returns the weights, every arm's variance, the max variance (≈ r), r, the iterations and whether it converged
 * @example
 * gOptimalDesign(Matrix.fromRows([[1, 0], [0, 1], [Math.SQRT1_2, Math.SQRT1_2]]), { tol: 1e-9 }).maxVariance; // => 2 (to 1e-9)
 */
export function gOptimalDesign(arms: Matrix, options: GOptimalDesignOptions = {}): GOptimalDesignResult {
  checkArms('gOptimalDesign', arms, 'arms');
  const tol = options.tol ?? 1e-3, maxIter = options.maxIter ?? 10000;
  if (!(tol > 0) || !Number.isFinite(tol)) throw badParam('gOptimalDesign', 'tol', tol, 'a finite number > 0');
  if (!Number.isInteger(maxIter) || maxIter < 1) throw badParam('gOptimalDesign', 'maxIter', maxIter, 'an integer >= 1');
  const K = arms.rows;
  const { C, rank: r, pivots } = spanCoordinates(arms);
  const weights = new Float64Array(K);
  if (r === 0) {
    // Every arm is zero: any design is optimal and every variance is 0.
    weights.fill(1 / K);
    return { weights, variances: new Float64Array(K), maxVariance: 0, rank: 0, iterations: 0, converged: true };
  }
  for (let i = 0; i < r; i++) weights[pivots[i]] = 1 / r;
  const c = C.data;
  const Minv = new Float64Array(r * r);
  const g = new Float64Array(K);
  const u = new Float64Array(r), z = new Float64Array(K);
  const refresh = (): void => {
    Minv.set(informationInverse(C, weights));
    quadraticForms(C, Minv, g);
  };
  refresh();
  const target = r * (1 + tol);
  let it = 0, converged = false, sinceRefresh = 0;
  for (;;) {
    const jPlus = argmax(g, K);
    if (g[jPlus] <= target) {
      // Confirm on exact variances before stopping (the rank-one updates drift slightly).
      if (sinceRefresh > 0) {
        refresh();
        sinceRefresh = 0;
        continue;
      }
      converged = true;
      break;
    }
    if (it >= maxIter) break;
    options.signal?.throwIfAborted();
    it++;
    let jMinus = -1;
    for (let i = 0; i < K; i++) if (weights[i] > 0 && (jMinus < 0 || g[i] < g[jMinus])) jMinus = i;
    const gp = g[jPlus], gm = g[jMinus];
    let j: number, gamma: number, drop = false;
    if (gp / r - 1 >= 1 - gm / r) {
      j = jPlus;
      gamma = (gp - r) / (r * (gp - 1));
    } else {
      j = jMinus;
      const lj = weights[j];
      const floor = lj >= 1 ? -Infinity : -lj / (1 - lj);
      // For g ≤ 1 log det increases all the way to dropping the arm.
      gamma = gm > 1 ? (gm - r) / (r * (gm - 1)) : floor;
      if (gamma <= floor) {
        gamma = floor;
        drop = true;
      }
    }
    // A ← (1 − γ)A + γ x_j x_jᵀ = (1 − γ)(A + c x_j x_jᵀ), c = γ/(1 − γ).
    const cc = gamma / (1 - gamma);
    const jo = j * r;
    for (let p = 0; p < r; p++) {
      let s = 0;
      const mo = p * r;
      for (let q = 0; q < r; q++) s += Minv[mo + q] * c[jo + q];
      u[p] = s;
    }
    const denom = 1 + cc * g[j];
    if (!(denom > 1e-12)) {
      // Too close to singular for a rank-one downdate: recompute from the weights instead.
      applyStep(weights, j, gamma, drop);
      refresh();
      sinceRefresh = 0;
      continue;
    }
    const f = cc / denom, s1 = 1 / (1 - gamma);
    for (let p = 0; p < r; p++) {
      const up = u[p] * f, mo = p * r;
      for (let q = 0; q < r; q++) Minv[mo + q] = (Minv[mo + q] - up * u[q]) * s1;
    }
    for (let i = 0, o = 0; i < K; i++, o += r) {
      let s = 0;
      for (let q = 0; q < r; q++) s += c[o + q] * u[q];
      z[i] = s;
    }
    for (let i = 0; i < K; i++) g[i] = (g[i] - f * z[i] * z[i]) * s1;
    applyStep(weights, j, gamma, drop);
    if (++sinceRefresh >= REFRESH) {
      refresh();
      sinceRefresh = 0;
    }
  }
  let maxVariance = 0;
  for (let i = 0; i < K; i++) if (g[i] > maxVariance) maxVariance = g[i];
  return { weights, variances: g, maxVariance, rank: r, iterations: it, converged };
}

/** λ ← (1 − γ)λ + γ e_j; a drop step sets λ_j to exactly 0. */
function applyStep(weights: Float64Array, j: number, gamma: number, drop: boolean): void {
  const s = 1 - gamma;
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    weights[i] *= s;
    total += weights[i];
  }
  weights[j] += gamma;
  total += gamma;
  if (drop || weights[j] < 0) {
    total -= weights[j];
    weights[j] = 0;
  }
  // Renormalize so that rounding never lets Σλ drift from 1.
  for (let i = 0; i < weights.length; i++) weights[i] /= total;
}

/** (Σ_i λ_i c_i c_iᵀ)⁻¹ by Cholesky, r x r row-major. */
function informationInverse(C: Matrix, weights: Float64Array): Float64Array {
  const { rows: K, cols: r, data } = C;
  const M = Matrix.zeros(r, r);
  for (let i = 0, o = 0; i < K; i++, o += r) {
    const w = weights[i];
    if (w === 0) continue;
    for (let p = 0; p < r; p++) {
      const wp = w * data[o + p], mo = p * r;
      for (let q = 0; q <= p; q++) M.data[mo + q] += wp * data[o + q];
    }
  }
  for (let p = 0; p < r; p++) for (let q = 0; q < p; q++) M.data[q * r + p] = M.data[p * r + q];
  return choleskySolve(cholesky(M), Matrix.eye(r)).data;
}

/**
 * Coordinates of the arms in an orthonormal basis of their span, from the
 * pivoted QR of Aᵀ (d x K): Aᵀ P = Q R, rank r, C = A Q[:, :r] (K x r), and
 * the first r pivots (r linearly independent arms). When r = d, C = A.
 */
function spanCoordinates(A: Matrix): { C: Matrix; rank: number; pivots: Int32Array } {
  const { rows: K, cols: d, data } = A;
  const { Q, perm, rank: r } = qrPivoted(transpose(A));
  const pivots = Int32Array.from(perm.slice(0, r));
  if (r === d) return { C: A, rank: r, pivots };
  const k = Q.cols;
  const C = Matrix.zeros(K, r);
  for (let i = 0, o = 0; i < K; i++, o += d) {
    for (let p = 0; p < r; p++) {
      let s = 0;
      for (let q = 0; q < d; q++) s += data[o + q] * Q.data[q * k + p];
      C.data[i * r + p] = s;
    }
  }
  return { C, rank: r, pivots };
}

/**
 * Rounds a design λ to T pulls by the efficient rounding of Pukelsheim &
 * Rieder (1992; Pukelsheim 1993, §12.5): on the p support points,
 * n_i = ⌈(T − p/2) λ_i⌉, then pulls are added at argmin n_i/λ_i or removed at
 * argmax (n_i − 1)/λ_i until Σ n_i = T. When p > T the largest remainders
 * of T λ_i get the pulls instead (Hamilton's method), so some support points
 * get none.
 *
 * @param weights - λ_i ≥ 0, summing to 1 (K)
 * @param T - pulls to hand out (integer ≥ 0)
 * @returns n_i (K), summing to T
 * @example
 * roundDesign(Float64Array.of(0.5, 0.25, 0.25), 8); // => [4, 2, 2]
 */
export function roundDesign(weights: Float64Array, T: number): Int32Array {
  if (!Number.isInteger(T) || T < 0) throw badParam('roundDesign', 'T', T, 'an integer >= 0');
  const K = weights.length;
  let total = 0, p = 0;
  for (let i = 0; i < K; i++) {
    const w = weights[i];
    if (!(w >= 0) || !Number.isFinite(w)) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `roundDesign: weights[${i}] = ${w}; weights must be finite and >= 0`, 'weights');
    total += w;
    if (w > 0) p++;
  }
  if (!(total > 0)) throw new ParsimonyError('PARSIMONY_BAD_INPUT', 'roundDesign: the weights sum to 0; give at least one positive weight', 'weights');
  const n = new Int32Array(K);
  if (T === 0) return n;
  const lam = Float64Array.from(weights, (w) => w / total);
  let sum = 0;
  if (p <= T) {
    for (let i = 0; i < K; i++) if (lam[i] > 0) sum += n[i] = Math.ceil((T - p / 2) * lam[i]);
    while (sum < T) {
      let best = -1;
      for (let i = 0; i < K; i++) if (lam[i] > 0 && (best < 0 || n[i] / lam[i] < n[best] / lam[best])) best = i;
      n[best]++;
      sum++;
    }
    while (sum > T) {
      let best = -1;
      for (let i = 0; i < K; i++) if (n[i] > 0 && (best < 0 || (n[i] - 1) / lam[i] > (n[best] - 1) / lam[best])) best = i;
      n[best]--;
      sum--;
    }
    return n;
  }
  const rem = new Float64Array(K);
  for (let i = 0; i < K; i++) {
    n[i] = Math.floor(T * lam[i]);
    rem[i] = T * lam[i] - n[i];
    sum += n[i];
  }
  const order = Array.from(rem.keys()).sort((a, b) => rem[b] - rem[a] || a - b);
  for (let t = 0; sum < T; t++, sum++) n[order[t]]++;
  return n;
}

/**
 * Static G-allocation for best-arm identification (Soare, Lazaric & Munos
 * 2014, §4.1, "G-allocation"): compute the G-optimal design λ* over the arms
 * ({@link gOptimalDesign}), round it to the T pulls ({@link roundDesign}),
 * pull (non-adaptively, in about 20 requests), fit θ̂ by least squares and
 * name argmax_i x_iᵀθ̂. Minimizing max_i ‖x_i‖²_{A⁻¹} bounds every arm's
 * prediction error by the same σ√(r/T) order, the allocation's guarantee.
 *
 * Deviation from the paper: Soare et al. track λ* greedily, pulling at step
 * t the arm that most reduces the design criterion; with a static allocation
 * the order of the pulls does not change the least-squares estimate, so the
 * counts are set once by efficient rounding instead.
 *
 * @param env - arms (K x d), pull budget T and `pull` (and `pullMany` when available)
 * @param options - `tol`, `maxIter`, `signal`, `report`
 * @returns the recommended arm, the pull counts and reward sums, θ̂ and the scores x_iᵀθ̂
 * @example
 * const { arm } = await gOptimalAllocation(env);
 */
export async function gOptimalAllocation(env: LinearBanditEnv, options: GOptimalAllocationOptions = {}): Promise<BestArmResult> {
  checkEnv('gOptimalAllocation', env);
  options.signal?.throwIfAborted();
  const design = gOptimalDesign(env.arms, { tol: options.tol, maxIter: options.maxIter, signal: options.signal });
  options.report?.({ iteration: 0, design_iterations: design.iterations, max_variance: design.maxVariance, rank: design.rank });
  // Deviation: the counts are set once by efficient rounding instead of Soare et al.'s greedy tracking of λ*.
  const counts = roundDesign(design.weights, env.horizon);
  const schedule = new Int32Array(env.horizon);
  for (let i = 0, t = 0; i < counts.length; i++) for (let m = 0; m < counts[i]; m++) schedule[t++] = i;
  const played = await playSchedule('gOptimalAllocation', env, schedule, options);
  const theta = leastSquaresTheta(env.arms, played.counts, played.sums);
  const scores = armScores(env.arms, theta);
  return { arm: argmax(scores), counts: played.counts, sums: played.sums, theta, scores };
}

/** The bench entry: the design, the whole pull budget, then the recommendation. */
export async function solveGOptimalDesign(obs: BanditObservation, params: GOptimalDesignParams, ctx: SolverContext): Promise<BanditSolution> {
  requireVariant('baselines/g-optimal-design', obs.variant, 'best-arm');
  ctx.signal.throwIfAborted();
  const { arm } = await gOptimalAllocation(banditEnv(ctx, obs), { tol: params.tol, maxIter: params.maxIter, signal: ctx.signal, report: (p) => ctx.report(p) });
  return { arm };
}

/** `baselines/g-optimal-design`: {@link gOptimalAllocation} as a registered solver of the best-arm variant. */
export const gOptimalDesignSolver = defineSolver({
  id: 'baselines/g-optimal-design',
  family: bandit,
  title: 'G-optimal design (static G-allocation)',
  summary: 'Frank-Wolfe (Fedorov-Wynn, with away steps) for the G-optimal design over the arms, rounded to the pull budget, then least squares (Soare, Lazaric & Munos 2014).',
  params: GOptimalDesignParams,
  solve: solveGOptimalDesign,
  skip: (obs) => variantSkip(obs.variant, 'best-arm'),
});
