import {
  bandit,
  banditEnv,
  createRng,
  defineSolver,
  Type,
  type BanditObservation,
  type BanditSolution,
  type Rng,
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

/** Parameters of {@link epsilonGreedy}. */
export const EpsilonGreedyParams = Type.Object(
  {
    schedule: Type.Union([Type.Literal('decaying'), Type.Literal('fixed')], {
      default: 'decaying',
      description: 'decaying: explore with probability ε_t = min(1, c/t) (Auer, Cesa-Bianchi & Fischer 2002); fixed: with the constant probability epsilon',
    }),
    epsilon: Type.Number({ minimum: 0, maximum: 1, default: 0.1, description: 'the exploration probability ε of the fixed schedule' }),
    c: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'c of the decaying schedule ε_t = min(1, c/t); default: d, the feature dimension (the first d rounds explore)' })),
    lambda: Type.Number({ exclusiveMinimum: 0, default: 1, description: 'ridge weight λ of the estimate θ̂ = (λI + Σ x xᵀ)⁻¹ Σ r x' }),
  },
  { additionalProperties: false },
);
export type EpsilonGreedyParams = Static<typeof EpsilonGreedyParams>;

/** Options of the plain {@link epsilonGreedy} function. */
export interface EpsilonGreedyOptions extends BanditRunOptions {
  /** 'decaying' (default) or 'fixed'. */
  readonly schedule?: 'decaying' | 'fixed';
  /** ε of the fixed schedule, in [0, 1] (default 0.1). */
  readonly epsilon?: number;
  /** c of the decaying schedule (default d). */
  readonly c?: number;
  /** Ridge weight λ > 0 (default 1). */
  readonly lambda?: number;
  /** Stream of the exploration coins and arms (default `createRng('epsilon-greedy')`). */
  readonly rng?: Rng;
}

/**
 * ε-greedy on a linear bandit: in round t, with probability ε_t pull an arm
 * uniformly at random, otherwise the arm with the largest ridge estimate
 * x_iᵀθ̂, θ̂ = (λI + Σ x xᵀ)⁻¹ Σ r x (Sutton & Barto 2018, §2.2; the
 * decaying schedule ε_t = min(1, c/t) is the ε_n-greedy of Auer,
 * Cesa-Bianchi & Fischer 2002, Thm. 3). Each round draws one uniform coin
 * and, when it explores, one arm from `rng`. θ̂ and the arm means are
 * updated by Sherman-Morrison (O(d² + Kd) per round).
 *
 * Deviation from the paper: Auer et al. set ε_n = min(1, cK/(Δ²n)) with Δ a
 * lower bound on the gap, which is unknown here; the single constant c
 * replaces cK/Δ², and its default d asks for about d ln T random pulls, what
 * a d-dimensional least-squares estimate needs rather than K.
 *
 * @param env - arms (K x d), horizon T and `pull(arm)`
 * @param options - `schedule`, `epsilon`, `c`, `lambda`, `rng`, `signal`, `report`
 * @returns the T pulls and rewards, the final θ̂ and the arm with the largest x_iᵀθ̂
 * @example
 * const { pulls } = await epsilonGreedy(env, { schedule: 'fixed', epsilon: 0.1, rng: createRng(1) });
 */
export async function epsilonGreedy(env: LinearBanditEnv, options: EpsilonGreedyOptions = {}): Promise<BanditRunResult> {
  checkEnv('epsilonGreedy', env);
  const schedule = options.schedule ?? 'decaying';
  if (schedule !== 'decaying' && schedule !== 'fixed') throw badParam('epsilonGreedy', 'schedule', schedule, "'decaying' or 'fixed'");
  const epsilon = options.epsilon ?? 0.1;
  if (!(epsilon >= 0 && epsilon <= 1)) throw badParam('epsilonGreedy', 'epsilon', epsilon, 'a number in [0, 1]');
  // Deviation: one constant c (default d) in place of Auer et al.'s cK/Δ², Δ being unknown.
  const c = options.c ?? env.arms.cols;
  if (!(c > 0) || !Number.isFinite(c)) throw badParam('epsilonGreedy', 'c', c, 'a finite number > 0');
  const lambda = options.lambda ?? 1;
  if (!(lambda > 0) || !Number.isFinite(lambda)) throw badParam('epsilonGreedy', 'lambda', lambda, 'a finite number > 0');
  const rng = options.rng ?? createRng('epsilon-greedy');

  const T = env.horizon, K = env.arms.rows;
  const state = new RidgeBanditState(env.arms, lambda, false);
  const pulls = new Int32Array(T), rewards = new Float64Array(T);
  const every = reportEvery(T);
  let total = 0, explored = 0;
  for (let t = 1; t <= T; t++) {
    options.signal?.throwIfAborted();
    const eps = schedule === 'fixed' ? epsilon : Math.min(1, c / t);
    const explore = rng.uniform() < eps;
    const a = explore ? rng.int(K) : argmax(state.means, K);
    if (explore) explored++;
    const r = checkReward('epsilonGreedy', await env.pull(a), a);
    pulls[t - 1] = a;
    rewards[t - 1] = r;
    total += r;
    state.update(a, r);
    if (t % every === 0) options.report?.({ iteration: t, mean_reward: total / t, epsilon: eps, explored });
  }
  return { pulls, rewards, theta: state.theta.slice(), arm: argmax(state.means, K) };
}

/** The bench entry: plays the whole horizon with exploration drawn from `ctx.rng`. */
export async function solveEpsilonGreedy(obs: BanditObservation, params: EpsilonGreedyParams, ctx: SolverContext): Promise<BanditSolution> {
  requireVariant('baselines/epsilon-greedy', obs.variant, 'regret');
  ctx.signal.throwIfAborted();
  const { arm } = await epsilonGreedy(banditEnv(ctx, obs), {
    schedule: params.schedule,
    epsilon: params.epsilon,
    c: params.c,
    lambda: params.lambda,
    rng: ctx.rng,
    signal: ctx.signal,
    report: (p) => ctx.report(p),
  });
  return { arm };
}

/** `baselines/epsilon-greedy`: {@link epsilonGreedy} as a registered solver of the regret variant. */
export const epsilonGreedySolver = defineSolver({
  id: 'baselines/epsilon-greedy',
  family: bandit,
  title: 'ε-greedy (ridge)',
  summary: 'Greedy on the ridge estimate, a uniformly random arm with probability ε_t = min(1, c/t) or a fixed ε (Auer, Cesa-Bianchi & Fischer 2002).',
  params: EpsilonGreedyParams,
  solve: solveEpsilonGreedy,
  skip: (obs) => variantSkip(obs.variant, 'regret'),
});
