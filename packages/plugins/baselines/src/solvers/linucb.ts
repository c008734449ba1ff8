import {
  bandit,
  banditEnv,
  defineSolver,
  Type,
  type BanditObservation,
  type BanditSolution,
  type SolverContext,
  type Static,
} from '@parsimony/core';
import {
  argmax,
  badParam,
  checkEnv,
  checkReward,
  reportEvery,
  requireVariant,
  variantSkip,
  RidgeBanditState,
  type BanditRunOptions,
  type BanditRunResult,
  type LinearBanditEnv,
} from '../internal/bandit.js';

export type { BanditProgress, BanditRunOptions, BanditRunResult, LinearBanditEnv } from '../internal/bandit.js';

/** Parameters of {@link linUcb}. */
export const LinUcbParams = Type.Object(
  {
    alpha: Type.Number({ minimum: 0, default: 1, description: 'exploration weight α of the bonus α·‖x‖_{V⁻¹} (Li et al. 2010, Alg. 1); 0 is the greedy ridge policy' }),
    lambda: Type.Number({ exclusiveMinimum: 0, default: 1, description: 'ridge weight λ: V = λI + Σ x xᵀ (Li et al. use λ = 1, the identity start of A_a)' }),
  },
  { additionalProperties: false },
);
export type LinUcbParams = Static<typeof LinUcbParams>;

/** Options of the plain {@link linUcb} function. */
export interface LinUcbOptions extends BanditRunOptions {
  /** Exploration weight α ≥ 0 (default 1). */
  readonly alpha?: number;
  /** Ridge weight λ > 0 (default 1). */
  readonly lambda?: number;
}

/** Checks α and λ; shared by {@link linUcb} and its solver. */
function checkOptions(fn: string, o: LinUcbOptions): { alpha: number; lambda: number } {
  const alpha = o.alpha ?? 1, lambda = o.lambda ?? 1;
  if (!(alpha >= 0) || !Number.isFinite(alpha)) throw badParam(fn, 'alpha', alpha, 'a finite number >= 0');
  if (!(lambda > 0) || !Number.isFinite(lambda)) throw badParam(fn, 'lambda', lambda, 'a finite number > 0');
  return { alpha, lambda };
}

/**
 * LinUCB (Li, Chu, Langford & Schapire 2010, Alg. 1, with one parameter
 * vector shared by all arms, as in Chu, Li, Reyzin & Schapire 2011): in
 * round t play
 *
 *     a_t = argmax_i  x_iᵀθ̂ + α √(x_iᵀV⁻¹x_i),   V = λI + Σ_s x_s x_sᵀ,  θ̂ = V⁻¹ Σ_s r_s x_s,
 *
 * the ridge estimate plus an upper-confidence bonus, then add the pull to V
 * and b. V⁻¹, θ̂ and every arm's mean and width are updated by
 * Sherman-Morrison in O(d² + Kd) per round (with an exact refactorization
 * every 512 rounds), not re-solved. Ties go to the lowest arm index.
 *
 * Deviation from the paper: Li et al. keep one (A_a, b_a) per arm (the
 * disjoint model) and set α = 1 + √(ln(2/δ)/2) for rewards in [0, 1]; the
 * arms here share θ, so there is one (V, b), and α is a plain parameter
 * (default 1).
 *
 * @param env - arms (K x d), horizon T and `pull(arm)`; core's `banditEnv(ctx, obs)` fits
 * @param options - `alpha`, `lambda`, `signal`, `report`
 * @returns the T pulls and rewards, the final θ̂ and the arm with the largest x_iᵀθ̂
 * @example
 * const { pulls, theta } = await linUcb({ arms, horizon: 1000, pull: (a) => reward(a) }, { alpha: 1 });
 */
export async function linUcb(env: LinearBanditEnv, options: LinUcbOptions = {}): Promise<BanditRunResult> {
  checkEnv('linUcb', env);
  const { alpha, lambda } = checkOptions('linUcb', options);
  const T = env.horizon, K = env.arms.rows;
  // Deviation: one (V, b) shared by all arms, not one per arm (the arms share θ).
  const state = new RidgeBanditState(env.arms, lambda, true);
  const { means, widths } = state;
  const ucb = new Float64Array(K);
  const pulls = new Int32Array(T), rewards = new Float64Array(T);
  const every = reportEvery(T);
  let total = 0, bonus = 0;
  for (let t = 0; t < T; t++) {
    options.signal?.throwIfAborted();
    for (let i = 0; i < K; i++) ucb[i] = means[i] + alpha * Math.sqrt(widths[i]);
    const a = argmax(ucb, K);
    bonus = alpha * Math.sqrt(widths[a]);
    const r = checkReward('linUcb', await env.pull(a), a);
    pulls[t] = a;
    rewards[t] = r;
    total += r;
    state.update(a, r);
    if ((t + 1) % every === 0) options.report?.({ iteration: t + 1, mean_reward: total / (t + 1), bonus });
  }
  return { pulls, rewards, theta: state.theta.slice(), arm: argmax(means, K) };
}

/** The bench entry: plays the whole horizon through the session and names the arm it believes best. */
export async function solveLinUcb(obs: BanditObservation, params: LinUcbParams, ctx: SolverContext): Promise<BanditSolution> {
  requireVariant('baselines/linucb', obs.variant, 'regret');
  ctx.signal.throwIfAborted();
  const { arm } = await linUcb(banditEnv(ctx, obs), { alpha: params.alpha, lambda: params.lambda, signal: ctx.signal, report: (p) => ctx.report(p) });
  return { arm };
}

/** `baselines/linucb`: {@link linUcb} as a registered solver of the regret variant. */
export const linUcbSolver = defineSolver({
  id: 'baselines/linucb',
  family: bandit,
  title: 'LinUCB',
  summary: 'Ridge estimate plus the upper-confidence bonus α‖x‖_{V⁻¹} (Li, Chu, Langford & Schapire 2010), one θ shared by all arms, Sherman-Morrison updates.',
  params: LinUcbParams,
  solve: solveLinUcb,
  skip: (obs) => variantSkip(obs.variant, 'regret'),
});
