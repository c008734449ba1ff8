import type { InteractionSession } from '../../plugin/family.js';
import { ParsimonyError } from '../../schema/errors.js';
import { hashNormal, keyWords } from '../sparse-transform/noise.js';
import { armMeans } from './score.js';
import type { BanditObservation, BanditTruth } from './schema.js';

const FAMILY = 'bandit';

/** The request methods of a bandit session. */
export const BANDIT_METHODS = ['pull', 'pulls'] as const;

/** What a bandit session counts (the keys of `usage()`). */
export interface BanditUsage {
  /** Pulls made so far (≤ horizon). */
  readonly pulls: number;
  /** Σ over the pull log of μ* - μ_a, computed by core from the log and the hidden θ, η. */
  readonly pseudo_regret: number;
  /** Arms pulled at least once. */
  readonly distinct_arms: number;
  /** The arm pulled most often (lowest index on ties), -1 before the first pull. */
  readonly most_pulled_arm: number;
  /** pull/pulls requests answered. */
  readonly requests: number;
}

/** A bandit session, with its pull log (for the bench's records and for tests). */
export interface BanditSession extends InteractionSession {
  /** The arms pulled, in order (a copy). */
  log(): Int32Array;
}

function bad(field: string, message: string): ParsimonyError {
  return new ParsimonyError('PARSIMONY_BAD_INPUT', `${FAMILY}: ${message}`, field);
}

/**
 * Opens the environment of an instance. Protocol (plain data in and out):
 *
 * - `pull(arm)`: arm an integer in 0..K-1; answers the reward
 *   r = μ_arm + σ·z, μ_arm = ⟨θ, a_arm⟩ + η_arm. The noise z of the j-th pull
 *   of an arm is a fixed function of (instance, arm, j), so every solver
 *   sees the same reward sequence per arm (common random numbers).
 * - `pulls(arms: Int32Array)`: several pulls in one request (for
 *   non-adaptive phases); answers a Float64Array of rewards. All or nothing:
 *   a request that would pass the horizon is refused whole.
 *
 * Pulls beyond the horizon (the pull budget of best-arm) are refused.
 * Counted by the session: pulls, the pull log, and the pseudo-regret
 * Σ (μ* - μ_a) over the log, from the hidden θ and η.
 *
 * @example
 * const s = openBanditEnv(observation, truth);
 * const r = s.handle('pull', [3]) as number;
 */
export function openBanditEnv(obs: BanditObservation, truth: BanditTruth): BanditSession {
  const K = obs.arms.rows, T = obs.horizon;
  if (truth.eta.length !== K || truth.theta.length !== obs.arms.cols) {
    throw new ParsimonyError('PARSIMONY_BAD_TRUTH', `${FAMILY}: truth has θ of ${truth.theta.length} and η of ${truth.eta.length} entries; the arms are ${K}x${obs.arms.cols}`, 'truth');
  }
  const { means, best } = armMeans(obs, truth);
  const [keyHi, keyLo] = keyWords(truth.noiseKey);
  const sigma = truth.noiseStd;
  const counts = new Int32Array(K);
  const log = new Int32Array(T);
  let pulls = 0, regret = 0, distinct = 0, requests = 0;

  const checkArm = (v: unknown, field: string, what: string): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= K) {
      throw bad(field, `${what} = ${typeof v === 'number' ? v : `a ${typeof v}`} is not an arm; arms are integers in 0..${K - 1}`);
    }
    return v;
  };
  const pullOne = (a: number): number => {
    const j = counts[a]++;
    if (j === 0) distinct++;
    log[pulls++] = a;
    regret += best - means[a];
    return sigma > 0 ? means[a] + sigma * hashNormal(keyHi, keyLo, a, j) : means[a];
  };
  const budget = (want: number, field: string, call: string): void => {
    if (pulls + want > T) {
      throw bad(field, `${call}: ${want} pull${want === 1 ? '' : 's'} requested but only ${T - pulls} of the ${obs.variant === 'best-arm' ? 'pull budget' : 'horizon'} T = ${T} remain${pulls >= T ? '; stop pulling and return the solution' : ''}`);
    }
  };

  return {
    handle(method: string, args: readonly unknown[]): unknown {
      if (method === 'pull') {
        if (!Array.isArray(args) || args.length !== 1) throw bad('pull.arm', `pull(arm) takes 1 argument, got ${Array.isArray(args) ? args.length : 'none'}`);
        const a = checkArm(args[0], 'pull.arm', 'pull(arm): arm');
        budget(1, 'pull.arm', 'pull(arm)');
        requests++;
        return pullOne(a);
      }
      if (method === 'pulls') {
        if (!Array.isArray(args) || args.length !== 1) throw bad('pulls.arms', `pulls(arms) takes 1 argument, got ${Array.isArray(args) ? args.length : 'none'}`);
        const arms = args[0];
        if (!(arms instanceof Int32Array)) throw bad('pulls.arms', 'pulls(arms): arms must be an Int32Array (banditEnv(ctx, observation).pullMany converts arrays of integers)');
        if (arms.length === 0) throw bad('pulls.arms', 'pulls(arms): arms is empty; ask for at least one pull');
        for (let i = 0; i < arms.length; i++) checkArm(arms[i], `pulls.arms[${i}]`, `pulls(arms): arms[${i}]`);
        budget(arms.length, 'pulls.arms', 'pulls(arms)');
        requests++;
        const out = new Float64Array(arms.length);
        for (let i = 0; i < arms.length; i++) out[i] = pullOne(arms[i]);
        return out;
      }
      throw bad('method', `unknown request '${String(method)}'; the session answers ${BANDIT_METHODS.join(', ')}`);
    },
    usage(): Record<string, number> {
      let most = -1;
      for (let i = 0; i < K; i++) if (counts[i] > 0 && (most < 0 || counts[i] > counts[most])) most = i;
      const u: BanditUsage = { pulls, pseudo_regret: regret, distinct_arms: distinct, most_pulled_arm: most, requests };
      return { ...u };
    },
    log: () => log.slice(0, pulls),
  };
}
