import type { Matrix } from '../../linalg/matrix.js';
import type { SolverContext } from '../../plugin/solver.js';
import { ParsimonyError } from '../../schema/errors.js';
import type { BanditObservation } from './schema.js';

/** The environment of a bandit instance, served by its session: `ctx.env` of the issue. */
export interface BanditEnv {
  /** Arm features, K x d (from the observation; public). */
  readonly arms: Matrix;
  /** Number of arms K. */
  readonly K: number;
  /** Feature dimension d. */
  readonly d: number;
  /** T: rounds to play (regret) or the pull budget (best-arm). */
  readonly horizon: number;
  /** Pulls left, tallied by this client (the session's count is the one scored). */
  readonly pullsLeft: number;
  /** Pulls one arm (0..K-1) and resolves to its noisy reward; refused past the horizon. */
  pull(arm: number): Promise<number>;
  /** Pulls several arms in one request (all or nothing) and resolves to their rewards, in order. */
  pullMany(arms: Int32Array | readonly number[]): Promise<Float64Array>;
}

/**
 * The typed client of a bandit instance. It holds the public arms and the
 * request function (in a closure); θ and η stay with the session.
 *
 * @param ctx - the solver context (only `ctx.interact` is used)
 * @param observation - the instance's observation (arms, horizon)
 * @returns the environment
 * @example
 * const env = banditEnv(ctx, obs);
 * const r = await env.pull(0);
 * const rs = await env.pullMany([1, 1, 2]);
 */
export function banditEnv(ctx: Pick<SolverContext, 'interact'>, observation: BanditObservation): BanditEnv {
  const send = ctx.interact.bind(ctx);
  const { arms, horizon } = observation;
  let used = 0;
  return Object.freeze({
    arms,
    K: arms.rows,
    d: arms.cols,
    horizon,
    get pullsLeft() {
      return horizon - used;
    },
    async pull(arm: number): Promise<number> {
      const r = await send('pull', arm);
      if (typeof r !== 'number') throw new ParsimonyError('PARSIMONY_BAD_INPUT', 'bandit: the session answered pull(arm) with something other than a number; is this a bandit instance?');
      used++;
      return r;
    },
    async pullMany(list: Int32Array | readonly number[]): Promise<Float64Array> {
      let idx: Int32Array;
      if (list instanceof Int32Array) idx = list;
      else {
        const bad = list.findIndex((a) => !Number.isInteger(a) || a < 0 || a > 0x7fffffff);
        if (bad >= 0) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `bandit: pulls(arms): arms[${bad}] = ${list[bad]} is not an arm index`, `pulls.arms[${bad}]`);
        idx = Int32Array.from(list);
      }
      const r = await send('pulls', idx);
      if (!(r instanceof Float64Array)) throw new ParsimonyError('PARSIMONY_BAD_INPUT', 'bandit: the session answered pulls(arms) with something other than a Float64Array; is this a bandit instance?');
      used += idx.length;
      return r;
    },
  });
}
