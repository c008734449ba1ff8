/**
 * Shared pieces of the bandit baselines (LinUCB, ε-greedy, Lasso bandit,
 * uniform allocation, G-optimal design): the environment the plain functions
 * take, input checks, the recursive ridge state, static pull schedules and
 * the least-squares recommendation.
 *
 * Internal module: the solver files re-export what users need.
 */
import { Matrix, ParsimonyError, cholesky, choleskySolve, lstsq, type BanditObservation, type BanditVariant } from '@parsimony/core';

// ==========================================================================
// Environment
// ==========================================================================

/**
 * What the plain bandit functions need: the arms (K x d, one per row), the
 * horizon (rounds to play, or the pull budget) and a way to pull an arm.
 * Core's `banditEnv(ctx, observation)` is one; a test or a user can pass a
 * plain object whose `pull` returns a number.
 */
export interface LinearBanditEnv {
  /** Arm features, K x d, row-major. */
  readonly arms: Matrix;
  /** T: rounds to play (regret) or pulls to spend (best-arm). */
  readonly horizon: number;
  /** Pulls one arm (0..K-1) and returns (or resolves to) its noisy reward. */
  pull(arm: number): number | Promise<number>;
  /** Several pulls in one request, rewards in order (used by the static allocations when present). */
  pullMany?(arms: Int32Array): Float64Array | Promise<Float64Array>;
}

/** A progress point, as `ctx.report` takes it. */
export interface BanditProgress {
  readonly iteration: number;
  readonly [quantity: string]: number;
}

/** Options every plain bandit function takes besides its own. */
export interface BanditRunOptions {
  /** Polled every round (or every pull request of a static allocation). */
  readonly signal?: AbortSignal;
  /** Receives about 50 progress points per run. */
  readonly report?: (point: BanditProgress) => void;
}

/** What a regret-minimizing run returns. */
export interface BanditRunResult {
  /** The arms pulled, in order (T entries). */
  readonly pulls: Int32Array;
  /** Their rewards. */
  readonly rewards: Float64Array;
  /** The final estimate of θ (d). */
  readonly theta: Float64Array;
  /** The arm with the largest estimated mean at the end (lowest index on ties). */
  readonly arm: number;
}

/** What a best-arm run returns. */
export interface BestArmResult {
  /** The recommended arm. */
  readonly arm: number;
  /** Pulls of each arm (K). */
  readonly counts: Float64Array;
  /** Sum of the rewards of each arm (K). */
  readonly sums: Float64Array;
  /** The least-squares θ̂ (d), or empty with the `mean` estimator. */
  readonly theta: Float64Array;
  /** The score each arm was ranked by: x_iᵀθ̂, or the empirical mean (−∞ for an arm never pulled). */
  readonly scores: Float64Array;
}

/** Throws a PARSIMONY_BAD_INPUT naming `fn` and `field` unless `A` is a finite K x d Matrix with K, d ≥ 1. */
export function checkArms(fn: string, A: Matrix, field: string): void {
  if (!A || !Number.isInteger(A.rows) || !Number.isInteger(A.cols) || !(A.data instanceof Float64Array) || A.data.length !== A.rows * A.cols) {
    throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: ${field} must be a K x d Matrix { rows, cols, data: Float64Array of rows·cols entries }`, field);
  }
  if (A.rows < 1 || A.cols < 1) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: ${field} is ${A.rows}x${A.cols}; it needs at least one arm and one feature`, field);
  for (let i = 0; i < A.data.length; i++) {
    if (!Number.isFinite(A.data[i])) {
      throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: ${field}[${Math.floor(i / A.cols)}][${i % A.cols}] = ${A.data[i]}; arm features must be finite`, field);
    }
  }
}

/** Throws a PARSIMONY_BAD_INPUT naming `fn` when the environment is malformed. */
export function checkEnv(fn: string, env: LinearBanditEnv): void {
  checkArms(fn, env?.arms, 'env.arms');
  if (!Number.isInteger(env.horizon) || env.horizon < 0) {
    throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: env.horizon = ${env.horizon}; expected an integer >= 0 (the rounds to play or the pull budget)`, 'env.horizon');
  }
  if (typeof env.pull !== 'function') throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: env.pull must be a function (arm) => reward`, 'env.pull');
}

/** Throws a PARSIMONY_BAD_PARAMS naming `fn`, `field` and the expected form. */
export function badParam(fn: string, field: string, value: unknown, expected: string): ParsimonyError {
  return new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: ${field} = ${String(value)}; expected ${expected}`, field);
}

/** Checks a reward: a finite number (a session answers numbers; a user's callback might not). */
export function checkReward(fn: string, r: unknown, arm: number): number {
  if (typeof r !== 'number' || !Number.isFinite(r)) {
    throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: env.pull(${arm}) returned ${typeof r === 'number' ? r : `a ${typeof r}`}; rewards must be finite numbers`, 'env.pull');
  }
  return r;
}

/**
 * Why a solver of the `wanted` variant does not apply to an observation of
 * the other one (the solver's `skip`, like benchopt's), or undefined.
 */
export function variantSkip(variant: BanditVariant, wanted: BanditVariant): string | undefined {
  if (variant === wanted) return undefined;
  const instead = wanted === 'regret' ? 'baselines/uniform-allocation or baselines/g-optimal-design' : 'baselines/linucb, baselines/epsilon-greedy or baselines/lasso-bandit';
  const task = wanted === 'regret' ? 'minimizes cumulative regret (variant regret)' : 'spends a pull budget and names one arm (variant best-arm)';
  return `observation.variant = '${variant}' is not supported; this solver ${task}. For variant '${variant}' use ${instead}`;
}

/** Throws a PARSIMONY_UNSUPPORTED naming the solver when the observation is of the other variant (for calls that bypass the solve service's `skip` check). */
export function requireVariant(solverId: string, variant: BanditVariant, wanted: BanditVariant): void {
  const reason = variantSkip(variant, wanted);
  if (reason !== undefined) throw new ParsimonyError('PARSIMONY_UNSUPPORTED', `${solverId}: ${reason}`, 'observation.variant');
}

/** σ + ε from the observation's hints (0.1 + 0 without them): the reward's noise plus the model's bias, per pull. */
export function noiseHint(obs: Pick<BanditObservation, 'noiseStd' | 'epsilon'>): number {
  return (obs.noiseStd ?? 0.1) + (obs.epsilon ?? 0);
}

/** Index of the largest entry (lowest index on ties; NaN never wins). */
export function argmax(v: Float64Array, n = v.length): number {
  let best = 0, bv = -Infinity;
  for (let i = 0; i < n; i++) {
    if (v[i] > bv) {
      bv = v[i];
      best = i;
    }
  }
  return best;
}

/** m = A θ for the K x d arms. */
export function armScores(A: Matrix, theta: Float64Array, out: Float64Array = new Float64Array(A.rows)): Float64Array {
  const { rows: K, cols: d, data } = A;
  for (let i = 0, o = 0; i < K; i++, o += d) {
    let s = 0;
    for (let j = 0; j < d; j++) s += data[o + j] * theta[j];
    out[i] = s;
  }
  return out;
}

/** Rounds at which a run of T rounds reports progress: about 50 of them. */
export function reportEvery(T: number): number {
  return Math.max(1, Math.floor(T / 50));
}

// ==========================================================================
// Recursive ridge regression (Sherman-Morrison)
// ==========================================================================

/**
 * The ridge estimate of a linear bandit, updated one pull at a time:
 * V = λI + Σ x xᵀ and b = Σ r x over the pulls, θ̂ = V⁻¹b. Besides V⁻¹ and θ̂
 * it keeps, for every arm, the estimated mean m_i = x_iᵀθ̂ and (optionally)
 * the squared width w_i = x_iᵀV⁻¹x_i. A pull of x with reward r, with
 * u = V⁻¹x and g = xᵀu (Sherman & Morrison 1950; recursive least squares):
 *
 *     θ̂ ← θ̂ + u (r − xᵀθ̂)/(1 + g),   V⁻¹ ← V⁻¹ − u uᵀ/(1 + g),
 *     m_i ← m_i + z_i (r − xᵀθ̂)/(1 + g),   w_i ← w_i − z_i²/(1 + g),   z = X u,
 *
 * O(d² + Kd) per pull instead of the O(K d²) of recomputing every width.
 * Every `refresh` pulls V⁻¹, θ̂, m and w are recomputed from the pull counts
 * and reward sums by a Cholesky factorization, so rounding errors of the
 * rank-one updates cannot accumulate over long horizons.
 */
export class RidgeBanditState {
  readonly K: number;
  readonly d: number;
  /** V⁻¹, d x d row-major. */
  readonly Vinv: Float64Array;
  /** θ̂ = V⁻¹ b. */
  readonly theta: Float64Array;
  /** m_i = x_iᵀθ̂. */
  readonly means: Float64Array;
  /** w_i = x_iᵀV⁻¹x_i (kept only when `widths` is set). */
  readonly widths: Float64Array;
  /** Pulls of each arm. */
  readonly counts: Float64Array;
  /** Sum of the rewards of each arm. */
  readonly sums: Float64Array;
  /** Pulls so far. */
  t = 0;
  private readonly u: Float64Array;
  private readonly z: Float64Array;

  constructor(
    readonly arms: Matrix,
    readonly lambda: number,
    readonly keepWidths = true,
    readonly refresh = 512,
  ) {
    const { rows: K, cols: d, data } = arms;
    this.K = K;
    this.d = d;
    this.Vinv = new Float64Array(d * d);
    for (let j = 0; j < d; j++) this.Vinv[j * d + j] = 1 / lambda;
    this.theta = new Float64Array(d);
    this.means = new Float64Array(K);
    this.widths = new Float64Array(keepWidths ? K : 0);
    if (keepWidths) {
      for (let i = 0, o = 0; i < K; i++, o += d) {
        let s = 0;
        for (let j = 0; j < d; j++) s += data[o + j] * data[o + j];
        this.widths[i] = s / lambda;
      }
    }
    this.counts = new Float64Array(K);
    this.sums = new Float64Array(K);
    this.u = new Float64Array(d);
    this.z = new Float64Array(K);
  }

  /** Adds the pull of arm `a` with reward `r`. */
  update(a: number, r: number): void {
    const { K, d, Vinv, theta, means, widths, u, z, keepWidths } = this;
    const X = this.arms.data;
    const xo = a * d;
    this.counts[a]++;
    this.sums[a] += r;
    this.t++;
    if (this.t % this.refresh === 0) {
      this.recompute();
      return;
    }
    let g = 0;
    for (let i = 0; i < d; i++) {
      let s = 0;
      const vo = i * d;
      for (let j = 0; j < d; j++) s += Vinv[vo + j] * X[xo + j];
      u[i] = s;
      g += X[xo + i] * s;
    }
    const inv = 1 / (1 + g);
    const step = (r - means[a]) * inv;
    for (let i = 0; i < d; i++) {
      theta[i] += u[i] * step;
      const ui = u[i] * inv, vo = i * d;
      for (let j = 0; j < d; j++) Vinv[vo + j] -= ui * u[j];
    }
    for (let i = 0, o = 0; i < K; i++, o += d) {
      let s = 0;
      for (let j = 0; j < d; j++) s += X[o + j] * u[j];
      z[i] = s;
    }
    for (let i = 0; i < K; i++) means[i] += z[i] * step;
    if (keepWidths) {
      for (let i = 0; i < K; i++) {
        const w = widths[i] - z[i] * z[i] * inv;
        widths[i] = w > 0 ? w : 0;
      }
    }
  }

  /** Recomputes V⁻¹, θ̂, m and w from the counts and sums (Cholesky of V = λI + Xᵀ diag(n) X). */
  recompute(): void {
    const { K, d, counts, sums } = this;
    const X = this.arms.data;
    const V = Matrix.zeros(d, d);
    const b = new Float64Array(d);
    for (let i = 0, o = 0; i < K; i++, o += d) {
      const n = counts[i];
      if (n === 0) continue;
      for (let p = 0; p < d; p++) {
        const np = n * X[o + p];
        if (np === 0) continue;
        b[p] += sums[i] * X[o + p];
        const vo = p * d;
        for (let q = 0; q <= p; q++) V.data[vo + q] += np * X[o + q];
      }
    }
    for (let p = 0; p < d; p++) {
      V.data[p * d + p] += this.lambda;
      for (let q = 0; q < p; q++) V.data[q * d + p] = V.data[p * d + q];
    }
    const L = cholesky(V);
    this.Vinv.set(choleskySolve(L, Matrix.eye(d)).data);
    this.theta.set(choleskySolve(L, b));
    armScores(this.arms, this.theta, this.means);
    if (this.keepWidths) quadraticForms(this.arms, this.Vinv, this.widths);
  }
}

/** w_i = x_iᵀ M x_i for every arm, M symmetric d x d. */
export function quadraticForms(A: Matrix, M: Float64Array, out: Float64Array = new Float64Array(A.rows)): Float64Array {
  const { rows: K, cols: d, data } = A;
  const y = new Float64Array(d);
  for (let i = 0, o = 0; i < K; i++, o += d) {
    let s = 0;
    for (let p = 0; p < d; p++) {
      let t = 0;
      const mo = p * d;
      for (let q = 0; q < d; q++) t += M[mo + q] * data[o + q];
      y[p] = t;
      s += data[o + p] * t;
    }
    out[i] = s;
  }
  return out;
}

// ==========================================================================
// Static allocations (best-arm)
// ==========================================================================

/**
 * Plays a fixed schedule of pulls in about 20 requests (`pullMany` when the
 * environment has it, else one `pull` at a time), polling the signal and
 * reporting between requests. Returns the pull counts and reward sums per arm.
 */
export async function playSchedule(fn: string, env: LinearBanditEnv, schedule: Int32Array, options: BanditRunOptions): Promise<{ counts: Float64Array; sums: Float64Array }> {
  const K = env.arms.rows;
  const counts = new Float64Array(K), sums = new Float64Array(K);
  const chunk = Math.max(1, Math.ceil(schedule.length / 20));
  let total = 0;
  for (let start = 0; start < schedule.length; start += chunk) {
    options.signal?.throwIfAborted();
    const part = schedule.subarray(start, Math.min(start + chunk, schedule.length));
    let rewards: Float64Array;
    if (env.pullMany) {
      rewards = await env.pullMany(part);
      if (!(rewards instanceof Float64Array) || rewards.length !== part.length) {
        throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: env.pullMany(${part.length} arms) must return a Float64Array of ${part.length} rewards`, 'env.pullMany');
      }
    } else {
      rewards = new Float64Array(part.length);
      for (let i = 0; i < part.length; i++) rewards[i] = checkReward(fn, await env.pull(part[i]), part[i]);
    }
    for (let i = 0; i < part.length; i++) {
      const r = checkReward(fn, rewards[i], part[i]);
      counts[part[i]]++;
      sums[part[i]] += r;
      total += r;
    }
    const done = start + part.length;
    options.report?.({ iteration: done, mean_reward: total / done });
  }
  return { counts, sums };
}

/**
 * The least-squares estimate of θ from per-arm pull counts n_i and reward
 * sums S_i: the rows √n_i x_i with responses S_i/√n_i give the same normal
 * equations as one row per pull. Core's `lstsq` returns the minimum-norm
 * solution when the pulled arms do not span ℝᵈ.
 */
export function leastSquaresTheta(A: Matrix, counts: Float64Array, sums: Float64Array): Float64Array {
  const { rows: K, cols: d, data } = A;
  let m = 0;
  for (let i = 0; i < K; i++) if (counts[i] > 0) m++;
  if (m === 0) return new Float64Array(d);
  const W = Matrix.zeros(m, d), y = new Float64Array(m);
  for (let i = 0, r = 0; i < K; i++) {
    const n = counts[i];
    if (n === 0) continue;
    const s = Math.sqrt(n);
    for (let j = 0; j < d; j++) W.data[r * d + j] = s * data[i * d + j];
    y[r++] = sums[i] / s;
  }
  return lstsq(W, y).x;
}
