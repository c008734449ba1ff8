import {
  bandit,
  banditEnv,
  createRng,
  defineSolver,
  Matrix,
  Type,
  type BanditObservation,
  type BanditSolution,
  type Rng,
  type SolverContext,
  type Static,
} from '@parsimony/core';
import {
  argmax,
  armScores,
  badParam,
  checkEnv,
  checkReward,
  noiseHint,
  reportEvery,
  requireVariant,
  variantSkip,
  type BanditRunOptions,
  type BanditRunResult,
  type LinearBanditEnv,
} from '../internal/bandit.js';
import { lassoGram } from './lasso.js';

/** Parameters of {@link lassoBandit}. */
export const LassoBanditParams = Type.Object(
  {
    q: Type.Optional(Type.Integer({ minimum: 1, description: "forced rounds per block: rounds (2ⁿ − 1)q + 1 .. (2ⁿ − 1)q + q, n = 0, 1, …, are forced; default ⌈k ln d⌉ (k the observation's hint, else ⌈d/10⌉), so the first 2q rounds give the forced-sample Lasso about 2k ln d samples" })),
    lambda0: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description: 'λ₀ of the all-sample weight λ_t = λ₀ √((log t + log d)/t) on (1/t)‖y − Xβ‖² + λ_t‖β‖₁; default 2√2·(σ + ε)·rms(arms), from the hints (σ + ε = 0.1 without them)',
      }),
    ),
    h: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, description: 'gap h of the forced-sample filter: only arms within h/2 of the best under the forced-sample Lasso compete; default: no filter' }),
    ),
    lambda1: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, description: 'λ₁ of the forced-sample Lasso (used with h); default λ₀ √((log n_f + log d)/n_f) at the n_f forced samples' }),
    ),
    refitEvery: Type.Integer({ minimum: 1, default: 10, description: 'rounds between refits of the all-sample Lasso (the estimate is held in between)' }),
  },
  { additionalProperties: false },
);
export type LassoBanditParams = Static<typeof LassoBanditParams>;

/** Options of the plain {@link lassoBandit} function. */
export interface LassoBanditOptions extends BanditRunOptions {
  /** Forced rounds per block (default ⌈k ln d⌉ with k = ⌈d/10⌉; the solver uses the observation's k hint). */
  readonly q?: number;
  /** λ₀ of λ_t = λ₀ √((log t + log d)/t) (default 2√2·0.1·rms(arms)). */
  readonly lambda0?: number;
  /** Gap of the forced-sample filter (default: none). */
  readonly h?: number;
  /** λ₁ of the forced-sample Lasso (default λ₀ √((log n_f + log d)/n_f)). */
  readonly lambda1?: number;
  /** Rounds between refits of the all-sample Lasso (default 10). */
  readonly refitEvery?: number;
  /** Order of the forced pulls (default `createRng('lasso-bandit')`). */
  readonly rng?: Rng;
}

/**
 * Whether round t (1-based) is forced: t ∈ {(2ⁿ − 1)q + j : n ≥ 0, 1 ≤ j ≤ q},
 * the forced-sampling times of Bastani & Bayati (2020, §2.2) with one block
 * of q rounds at every doubling, about q·log₂(T/q) forced rounds in all.
 *
 * @param t - round, 1-based
 * @param q - forced rounds per block
 * @returns true when round t is a forced round
 * @example
 * [1, 2, 3, 4, 5, 6, 7].map((t) => isForcedRound(t, 2)); // => [true, true, true, true, false, false, true]
 */
export function isForcedRound(t: number, q: number): boolean {
  // t − 1 = (2ⁿ − 1)q + j − 1 with 0 ≤ j − 1 < q ⇔ ⌊(t − 1)/q⌋ + 1 is a power of two.
  const m = Math.floor((t - 1) / q) + 1;
  return (m & (m - 1)) === 0;
}

/** Gram-form data of a least-squares problem, grown one row at a time. */
class GramData {
  readonly G: Matrix;
  readonly q: Float64Array;
  yy = 0;
  n = 0;
  constructor(readonly d: number) {
    this.G = Matrix.zeros(d, d);
    this.q = new Float64Array(d);
  }
  add(x: Float64Array, off: number, r: number): void {
    const { d, q } = this, g = this.G.data;
    for (let i = 0; i < d; i++) {
      const xi = x[off + i];
      if (xi === 0) continue;
      q[i] += r * xi;
      const o = i * d;
      for (let j = 0; j < d; j++) g[o + j] += xi * x[off + j];
    }
    this.yy += r * r;
    this.n++;
  }
  /** The Lasso of (1/n)‖y − Xβ‖² + λ‖β‖₁, through the plugin's Gram-form coordinate descent (scikit-learn's α = λ/2). */
  fit(lambda: number, signal?: AbortSignal): Float64Array {
    if (this.n === 0) return new Float64Array(this.d);
    return lassoGram(this.G, this.q, this.yy, this.n, { alpha: lambda / 2, signal }).w;
  }
}

/**
 * The Lasso bandit (Bastani & Bayati 2020, Alg. 1) for arms that share one
 * sparse θ: forced rounds (see {@link isForcedRound}) pull the arms in a
 * random order; every other round pulls the arm with the largest x_iᵀβ̂,
 * β̂ the Lasso on all samples so far,
 *
 *     β̂ = argmin_β (1/t)‖y − Xβ‖² + λ_t‖β‖₁,   λ_t = λ₀ √((log t + log d)/t),
 *
 * solved by the plugin's Lasso in Gram form (`lassoGram`, scikit-learn's
 * coordinate descent with α = λ_t/2; XᵀX and Xᵀy grow by one row per pull, so
 * a refit costs O(d²) per epoch whatever t). With `h`, the forced-sample
 * Lasso (weight λ₁, refit after each forced block) first keeps the arms
 * within h/2 of its best, as the paper's two-estimator rule.
 *
 * Deviations from the paper: (1) the paper has one β per arm and a shared
 * context, so each arm owns q forced rounds per block (blocks of Kq rounds);
 * here θ is shared and the arms are the contexts, so a block is q rounds and
 * the forced pulls sweep the arms in a random order (a well-spread design for
 * the compatibility condition). (2) The all-sample Lasso is refit every
 * `refitEvery` rounds (default 10), not every round, to stay fast; between
 * refits the last estimate decides. (3) λ₀, λ₁ and h depend on unknown
 * constants (φ₀, x_max) in the paper; λ₀ defaults to the noise-level rule
 * 2√2·σ·rms(arms), so that λ_t = 2σ·rms·√(2 log(dt)/t), the level of
 * max_j (2/t)|X_jᵀε| for noise σ on a design whose entries have that rms
 * (with the log of a union over the rounds), and the filter is off unless h
 * is given.
 *
 * @param env - arms (K x d), horizon T and `pull(arm)`
 * @param options - `q`, `lambda0`, `h`, `lambda1`, `refitEvery`, `rng`, `signal`, `report`
 * @returns the T pulls and rewards, the last all-sample Lasso θ̂ and the arm with the largest x_iᵀθ̂
 * @example
 * const { theta } = await lassoBandit(env, { q: 10, lambda0: 0.05, rng: createRng(1) });
 */
export async function lassoBandit(env: LinearBanditEnv, options: LassoBanditOptions = {}): Promise<BanditRunResult> {
  checkEnv('lassoBandit', env);
  const { rows: K, cols: d, data: X } = env.arms;
  const q = options.q ?? defaultQ(d, Math.ceil(d / 10));
  if (!Number.isInteger(q) || q < 1) throw badParam('lassoBandit', 'q', q, 'an integer >= 1');
  const lambda0 = options.lambda0 ?? defaultLambda0(env.arms, 0.1);
  if (!(lambda0 > 0) || !Number.isFinite(lambda0)) throw badParam('lassoBandit', 'lambda0', lambda0, 'a finite number > 0');
  const { h, lambda1 } = options;
  if (h !== undefined && !(h > 0 && Number.isFinite(h))) throw badParam('lassoBandit', 'h', h, 'a finite number > 0');
  if (lambda1 !== undefined && !(lambda1 > 0 && Number.isFinite(lambda1))) throw badParam('lassoBandit', 'lambda1', lambda1, 'a finite number > 0');
  const refitEvery = options.refitEvery ?? 10;
  if (!Number.isInteger(refitEvery) || refitEvery < 1) throw badParam('lassoBandit', 'refitEvery', refitEvery, 'an integer >= 1');
  const rng = options.rng ?? createRng('lasso-bandit');

  const T = env.horizon;
  const all = new GramData(d), forced = new GramData(d);
  let theta: Float64Array = new Float64Array(d);
  const scores = new Float64Array(K), filterScores = new Float64Array(K);
  let filter: Float64Array | undefined; // forced-sample estimate, when h is set
  let order = rng.permutation(K), next = 0;
  const pulls = new Int32Array(T), rewards = new Float64Array(T);
  const every = reportEvery(T);
  let total = 0, sinceRefit = 0, refits = 0, nnz = 0;
  const logd = Math.log(Math.max(d, 2));

  for (let t = 1; t <= T; t++) {
    options.signal?.throwIfAborted();
    const isForced = isForcedRound(t, q);
    let a: number;
    if (isForced) {
      // Deviation: one shared θ, so a forced round pulls the next arm of a random sweep (not arm i's own rounds).
      if (next === K) {
        order = rng.permutation(K);
        next = 0;
      }
      a = order[next++];
    } else if (filter === undefined) {
      // Deviation: without h there is no forced-sample filter; the all-sample Lasso alone decides.
      a = argmax(scores, K);
    } else {
      // Keep the arms within h/2 of the best under the forced-sample Lasso, then the best under the all-sample one.
      let top = -Infinity;
      for (let i = 0; i < K; i++) if (filterScores[i] > top) top = filterScores[i];
      const cut = top - h! / 2;
      a = -1;
      for (let i = 0; i < K; i++) if (filterScores[i] >= cut && (a < 0 || scores[i] > scores[a])) a = i;
    }
    const r = checkReward('lassoBandit', await env.pull(a), a);
    pulls[t - 1] = a;
    rewards[t - 1] = r;
    total += r;
    all.add(X, a * d, r);
    sinceRefit++;
    if (isForced) {
      forced.add(X, a * d, r);
      // The forced-sample Lasso changes only with forced samples: refit at the end of each block.
      if (h !== undefined && !isForcedRound(t + 1, q)) {
        const nf = forced.n;
        const l1 = lambda1 ?? lambda0 * Math.sqrt((Math.log(nf) + logd) / nf);
        filter = armScores(env.arms, forced.fit(l1, options.signal), filterScores);
      }
    }
    // Deviation: the all-sample Lasso is refit every `refitEvery` rounds, not every round.
    if (sinceRefit >= refitEvery || t === T) {
      const lt = lambda0 * Math.sqrt((Math.log(t) + logd) / t);
      theta = all.fit(lt, options.signal);
      armScores(env.arms, theta, scores);
      sinceRefit = 0;
      refits++;
      nnz = 0;
      for (let j = 0; j < d; j++) if (theta[j] !== 0) nnz++;
    }
    if (t % every === 0) options.report?.({ iteration: t, mean_reward: total / t, forced: forced.n, refits, nnz });
  }
  return { pulls, rewards, theta, arm: argmax(scores, K) };
}

/** q = ⌈k ln d⌉ (at least 1): Lasso recovery of a k-sparse θ needs on the order of k log d well-spread samples. */
function defaultQ(d: number, k: number): number {
  return Math.max(1, Math.ceil(k * Math.log(Math.max(d, 2))));
}

/** λ₀ = 2√2·σ·rms(arms): the Lasso's noise-level threshold in the paper's (1/t)‖·‖² scaling. */
function defaultLambda0(A: Matrix, sigma: number): number {
  let s = 0;
  for (let i = 0; i < A.data.length; i++) s += A.data[i] * A.data[i];
  const rms = Math.sqrt(s / A.data.length);
  // All-zero arms give rms 0; any positive λ₀ then returns β̂ = 0.
  return 2 * Math.SQRT2 * sigma * rms || 1;
}

/** The bench entry: k (for q) and σ + ε (for λ₀) from the observation's hints when present. */
export async function solveLassoBandit(obs: BanditObservation, params: LassoBanditParams, ctx: SolverContext): Promise<BanditSolution> {
  requireVariant('baselines/lasso-bandit', obs.variant, 'regret');
  ctx.signal.throwIfAborted();
  const { arm } = await lassoBandit(banditEnv(ctx, obs), {
    q: params.q ?? (obs.k !== undefined ? defaultQ(obs.arms.cols, obs.k) : undefined),
    lambda0: params.lambda0 ?? defaultLambda0(obs.arms, noiseHint(obs)),
    h: params.h,
    lambda1: params.lambda1,
    refitEvery: params.refitEvery,
    rng: ctx.rng,
    signal: ctx.signal,
    report: (p) => ctx.report(p),
  });
  return { arm };
}

/** `baselines/lasso-bandit`: {@link lassoBandit} as a registered solver of the regret variant. */
export const lassoBanditSolver = defineSolver({
  id: 'baselines/lasso-bandit',
  family: bandit,
  title: 'Lasso bandit',
  summary: 'Forced sampling at doubling times plus a greedy choice on the all-sample Lasso with λ_t = λ₀√((log t + log d)/t) (Bastani & Bayati 2020).',
  params: LassoBanditParams,
  solve: solveLassoBandit,
  skip: (obs) => variantSkip(obs.variant, 'regret'),
});
