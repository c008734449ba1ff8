import type { Matrix } from '../../linalg/matrix.js';
import type { InteractionSession } from '../../plugin/family.js';
import { ParsimonyError } from '../../schema/errors.js';
import type { EigenvectorStreamingObservation, EigenvectorStreamingTruth } from './schema.js';

const FAMILY = 'eigenvector-streaming';

/** The request methods of an eigenvector-streaming session. */
export const EIGENVECTOR_STREAMING_METHODS = ['open', 'next'] as const;

/** What an eigenvector-streaming session counts (the keys of `usage()`). */
export interface EigenvectorStreamingUsage {
  /** Rows delivered so far (at most T; the stream is one pass). */
  readonly rows_delivered: number;
  /** The largest batch delivered at once, in rows (measured by core). */
  readonly peak_batch_rows: number;
  /** The state the solver declared in `open(stateFloats)` before its first row (0 if never opened). */
  readonly state_floats: number;
  /** n (the answer) + state_floats + peak_batch_rows·n. */
  readonly memory_floats: number;
  /** Requests answered (open and next). */
  readonly requests: number;
}

function bad(field: string, message: string): ParsimonyError {
  return new ParsimonyError('PARSIMONY_BAD_INPUT', `${FAMILY}: ${message}`, field);
}

function intArg(method: string, name: string, args: readonly unknown[], lo: number, hi: number, fix: string): number {
  if (args.length !== 1) throw bad(`${method}.${name}`, `${method}(${name}) takes 1 argument, got ${args.length}`);
  const v = args[0];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    const shown = typeof v === 'number' ? String(v) : `a ${typeof v}`;
    throw bad(`${method}.${name}`, `${method}(${name}): ${name} = ${shown} is out of range; ${fix} (an integer in ${lo}..${hi})`);
  }
  return v;
}

/**
 * Opens the one-pass stream of an instance. Protocol (each request is plain
 * data and crosses a worker port unchanged):
 *
 * - `open(stateFloats)`: once, before the first row. Declares how many floats
 *   the solver keeps between batches besides its answer v (Oja: 0; block
 *   power with k vectors: about 2 k n; the exact covariance: n²). Integer in
 *   0..T·n. Answers T.
 * - `next(batch)`: the next `batch` rows (integer in 1..maxBatch) as a
 *   Matrix `{rows, cols: n, data}`; fewer at the end, and 0 rows once the
 *   stream is exhausted. Rows are copies: the solver cannot reach or change
 *   the instance.
 *
 * Counted by the session: rows delivered, the largest batch, and
 * memory_floats = n + stateFloats + peak_batch_rows·n (see README.md: core
 * measures the batch buffer itself; the state is a declaration made before
 * any data is seen).
 *
 * @example
 * const s = openEigenvectorStream(observation, truth);
 * s.handle('open', [0]);
 * const rows = s.handle('next', [100]) as Matrix; // 100 x n
 */
export function openEigenvectorStream(obs: EigenvectorStreamingObservation, truth: EigenvectorStreamingTruth): InteractionSession {
  const { n, T, maxBatch } = obs;
  const A = truth.A;
  if (A.rows !== T || A.cols !== n) {
    throw new ParsimonyError('PARSIMONY_BAD_TRUTH', `${FAMILY}: truth.A is ${A.rows}x${A.cols}, the observation says T x n = ${T}x${n}`, 'truth.A');
  }
  let cursor = 0;
  let peak = 0;
  let state: number | undefined;
  let requests = 0;

  return {
    handle(method: string, args: readonly unknown[]): unknown {
      if (!Array.isArray(args)) throw bad('args', `request '${String(method)}': args must be an array`);
      if (method === 'open') {
        if (state !== undefined) throw bad('open.stateFloats', `open(stateFloats) was already called (stateFloats = ${state}); declare the state once, before the first row`);
        state = intArg('open', 'stateFloats', args, 0, T * n, 'declare the floats kept between batches besides v');
        requests++;
        return T;
      }
      if (method === 'next') {
        if (state === undefined) {
          throw bad('open.stateFloats', 'next(batch) before open(stateFloats): declare the floats your solver keeps between batches first (rowStream(ctx, { stateFloats }) does it)');
        }
        const batch = intArg('next', 'batch', args, 1, maxBatch, 'ask for at least 1 row and at most observation.maxBatch');
        requests++;
        const take = Math.min(batch, T - cursor);
        const rows: Matrix = { rows: take, cols: n, data: A.data.slice(cursor * n, (cursor + take) * n) };
        cursor += take;
        if (take > peak) peak = take;
        return rows;
      }
      throw bad('method', `unknown request '${String(method)}'; the session answers ${EIGENVECTOR_STREAMING_METHODS.join(', ')}`);
    },
    usage(): Record<string, number> {
      const s = state ?? 0;
      const u: EigenvectorStreamingUsage = { rows_delivered: cursor, peak_batch_rows: peak, state_floats: s, memory_floats: n + s + peak * n, requests };
      return { ...u };
    },
  };
}
