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
  armScores,
  badParam,
  checkEnv,
  leastSquaresTheta,
  playSchedule,
  requireVariant,
  variantSkip,
  type BanditRunOptions,
  type BestArmResult,
  type LinearBanditEnv,
} from '../internal/bandit.js';

export type { BestArmResult } from '../internal/bandit.js';

/** Parameters of {@link uniformAllocation}. */
export const UniformAllocationParams = Type.Object(
  {
    estimator: Type.Union([Type.Literal('least-squares'), Type.Literal('mean')], {
      default: 'least-squares',
      description: "least-squares: name argmax x_iᵀθ̂ with θ̂ the least-squares fit of all pulls (the family's rewards are linear in the features up to ε); mean: the best empirical mean among the pulled arms",
    }),
  },
  { additionalProperties: false },
);
export type UniformAllocationParams = Static<typeof UniformAllocationParams>;

/** Options of the plain {@link uniformAllocation} function. */
export interface UniformAllocationOptions extends BanditRunOptions {
  /** 'least-squares' (default) or 'mean'. */
  readonly estimator?: 'least-squares' | 'mean';
  /** Order of the round-robin (default `createRng('uniform-allocation')`). */
  readonly rng?: Rng;
}

/**
 * Uniform allocation for best-arm identification: spend the T pulls
 * round-robin over the K arms (in a random order, so that with T < K the
 * pulled arms are a uniform sample; every arm gets ⌊T/K⌋ or ⌈T/K⌉ pulls),
 * then name the arm with the largest least-squares estimate x_iᵀθ̂, or the
 * largest empirical mean. It is the static "uniform" strategy that Soare,
 * Lazaric & Munos (2014, §3 and §6) compare the G- and XY-allocations with,
 * and the uniform sampling of Bubeck, Munos & Stoltz (2009) when the
 * estimator is the empirical mean. The pulls are non-adaptive, so they go
 * to the environment in about 20 `pullMany` requests.
 *
 * @param env - arms (K x d), pull budget T and `pull` (and `pullMany` when available)
 * @param options - `estimator`, `rng`, `signal`, `report`
 * @returns the recommended arm, the pull counts and reward sums, θ̂ and the ranking scores
 * @example
 * const { arm } = await uniformAllocation(env, { estimator: 'least-squares' });
 */
export async function uniformAllocation(env: LinearBanditEnv, options: UniformAllocationOptions = {}): Promise<BestArmResult> {
  checkEnv('uniformAllocation', env);
  const estimator = options.estimator ?? 'least-squares';
  if (estimator !== 'least-squares' && estimator !== 'mean') throw badParam('uniformAllocation', 'estimator', estimator, "'least-squares' or 'mean'");
  const rng = options.rng ?? createRng('uniform-allocation');
  const K = env.arms.rows, T = env.horizon;
  const order = rng.permutation(K);
  const schedule = new Int32Array(T);
  for (let t = 0; t < T; t++) schedule[t] = order[t % K];
  const { counts, sums } = await playSchedule('uniformAllocation', env, schedule, options);
  if (estimator === 'mean') {
    const scores = new Float64Array(K).fill(-Infinity);
    for (let i = 0; i < K; i++) if (counts[i] > 0) scores[i] = sums[i] / counts[i];
    // With no pull at all, every score is −∞ and arm 0 is named.
    return { arm: argmax(scores, K), counts, sums, theta: new Float64Array(0), scores };
  }
  const theta = leastSquaresTheta(env.arms, counts, sums);
  const scores = armScores(env.arms, theta);
  return { arm: argmax(scores, K), counts, sums, theta, scores };
}

/** The bench entry: the whole pull budget, then the recommendation. */
export async function solveUniformAllocation(obs: BanditObservation, params: UniformAllocationParams, ctx: SolverContext): Promise<BanditSolution> {
  requireVariant('baselines/uniform-allocation', obs.variant, 'best-arm');
  ctx.signal.throwIfAborted();
  const { arm } = await uniformAllocation(banditEnv(ctx, obs), { estimator: params.estimator, rng: ctx.rng, signal: ctx.signal, report: (p) => ctx.report(p) });
  return { arm };
}

/** `baselines/uniform-allocation`: {@link uniformAllocation} as a registered solver of the best-arm variant. */
export const uniformAllocationSolver = defineSolver({
  id: 'baselines/uniform-allocation',
  family: bandit,
  title: 'Uniform allocation',
  summary: 'Round-robin over the arms for the whole pull budget, then the arm with the best least-squares estimate (or empirical mean): the static baseline of Soare, Lazaric & Munos (2014).',
  params: UniformAllocationParams,
  solve: solveUniformAllocation,
  skip: (obs) => variantSkip(obs.variant, 'best-arm'),
});
