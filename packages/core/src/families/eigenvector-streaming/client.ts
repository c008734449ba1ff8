import type { Matrix } from '../../linalg/matrix.js';
import type { SolverContext } from '../../plugin/solver.js';
import { ParsimonyError } from '../../schema/errors.js';

/** Options of {@link rowStream}. */
export interface RowStreamOptions {
  /**
   * Floats the solver keeps between batches besides its answer v (n floats,
   * always charged): 0 for Oja's rule, about 2·k·n for block power with k
   * vectors, n² for the exact covariance. Declared to the session before the
   * first row and charged in `memory_floats`.
   */
  readonly stateFloats: number;
}

/** A one-pass stream of rows, served by the instance's session. */
export interface RowStream {
  /**
   * The next `batch` rows (1..observation.maxBatch) as a `batch x n` Matrix;
   * fewer at the end of the stream and 0 rows once it is exhausted. Every row
   * delivered counts, and the largest batch is charged as memory.
   */
  next(batch: number): Promise<Matrix>;
  /** Yields batches of `batch` rows until the stream is exhausted. */
  batches(batch: number): AsyncGenerator<Matrix, void, undefined>;
  /** Rows received through this client so far (the session's count is the one scored). */
  readonly received: number;
}

function asMatrix(answer: unknown): Matrix {
  const m = answer as Partial<Matrix> | null;
  if (typeof m !== 'object' || m === null || !(m.data instanceof Float64Array) || typeof m.rows !== 'number' || typeof m.cols !== 'number') {
    throw new ParsimonyError('PARSIMONY_BAD_INPUT', 'eigenvector-streaming: the session answered next(batch) with something other than a Matrix; is this an eigenvector-streaming instance?');
  }
  return { rows: m.rows, cols: m.cols, data: m.data };
}

/**
 * The typed client of an eigenvector-streaming instance: `ctx.stream()` of
 * the issue. It holds nothing but the function that sends requests (in a
 * closure), so the rows not yet delivered are not reachable from it.
 *
 * @param ctx - the solver context (only `ctx.interact` is used)
 * @param options - `stateFloats`, the state the solver declares (see {@link RowStreamOptions})
 * @returns the stream
 * @example
 * const stream = rowStream(ctx, { stateFloats: 0 });
 * for await (const B of stream.batches(64)) {
 *   // Oja's rule on the rows of B ...
 * }
 */
export function rowStream(ctx: Pick<SolverContext, 'interact'>, options: RowStreamOptions): RowStream {
  const send = ctx.interact.bind(ctx);
  const { stateFloats } = options;
  // Shared, so that concurrent first calls declare the state once.
  let opening: Promise<unknown> | undefined;
  let received = 0;
  const next = async (batch: number): Promise<Matrix> => {
    opening ??= send('open', stateFloats);
    await opening;
    const rows = asMatrix(await send('next', batch));
    received += rows.rows;
    return rows;
  };
  async function* batches(batch: number): AsyncGenerator<Matrix, void, undefined> {
    for (;;) {
      const rows = await next(batch);
      if (rows.rows === 0) return;
      yield rows;
    }
  }
  return Object.freeze({
    next,
    batches,
    get received() {
      return received;
    },
  });
}
