import type { SolverContext } from '../../plugin/solver.js';
import { ParsimonyError } from '../../schema/errors.js';

/** The sample oracle of a sparse-transform instance, served by its session. */
export interface SparseTransformOracle {
  /**
   * Noisy samples x[t] for the given indices t ∈ 0..2^n - 1 (1..N per
   * request), in the order asked. Every distinct index ever asked counts
   * once toward the `samples` metric; repeats are free and return the same
   * value.
   */
  query(indices: Int32Array | readonly number[]): Promise<Float64Array>;
}

/**
 * The typed client of a sparse-transform instance: `ctx.query(indices)` of
 * the issue. It holds only the request function (in a closure); the
 * spectrum stays with the session.
 *
 * @param ctx - the solver context (only `ctx.interact` is used)
 * @returns the oracle
 * @example
 * const oracle = sparseTransformOracle(ctx);
 * const x = await oracle.query(Int32Array.from({ length: 2 ** obs.n }, (_, t) => t)); // every sample
 * fwht(x); // N·X̂
 */
export function sparseTransformOracle(ctx: Pick<SolverContext, 'interact'>): SparseTransformOracle {
  const send = ctx.interact.bind(ctx);
  return Object.freeze({
    async query(indices: Int32Array | readonly number[]): Promise<Float64Array> {
      let idx: Int32Array;
      if (indices instanceof Int32Array) idx = indices;
      else {
        const bad = indices.findIndex((t) => !Number.isInteger(t) || t < 0 || t > 0x7fffffff);
        if (bad >= 0) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `sparse-transform: query(indices): indices[${bad}] = ${indices[bad]} is not a non-negative integer`, `query.indices[${bad}]`);
        idx = Int32Array.from(indices);
      }
      const answer = await send('query', idx);
      if (!(answer instanceof Float64Array)) {
        throw new ParsimonyError('PARSIMONY_BAD_INPUT', 'sparse-transform: the session answered query(indices) with something other than a Float64Array; is this a sparse-transform instance?');
      }
      return answer;
    },
  });
}
