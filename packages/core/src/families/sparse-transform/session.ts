import { fwht } from '../../linalg/index.js';
import type { InteractionSession } from '../../plugin/family.js';
import { ParsimonyError } from '../../schema/errors.js';
import { hashNormal, keyWords } from './noise.js';
import type { SparseTransformObservation, SparseTransformTruth } from './schema.js';

const FAMILY = 'sparse-transform';

/** The request methods of a sparse-transform session. */
export const SPARSE_TRANSFORM_METHODS = ['query'] as const;

/** What a sparse-transform session counts (the keys of `usage()`). */
export interface SparseTransformUsage {
  /** Distinct indices t queried so far: the sample cost of paper 19 (a repeated index is free). */
  readonly samples: number;
  /** Indices queried in total, repeats included. */
  readonly queries: number;
  /** query() requests answered. */
  readonly requests: number;
}

function bad(field: string, message: string): ParsimonyError {
  return new ParsimonyError('PARSIMONY_BAD_INPUT', `${FAMILY}: ${message}`, field);
}

/** Parity of the number of set bits of a 32-bit integer: ⟨k, t⟩ mod 2 for v = k & t. */
function parity(v: number): number {
  v ^= v >>> 16;
  v ^= v >>> 8;
  v ^= v >>> 4;
  return (0x6996 >>> (v & 0xf)) & 1;
}

/**
 * Opens the sample oracle of an instance. Protocol (plain data in and out):
 *
 * - `query(indices: Int32Array)`: 1..N indices t in 0..N-1 (N = 2^n);
 *   answers a Float64Array of x[t] = Σ_k X[k] (-1)^⟨k,t⟩ + σ w[t], in the
 *   order asked. The noise w[t] is a deterministic function of t (paper 19):
 *   asking again returns the same value.
 *
 * Counted by the session: `samples`, the distinct indices ever queried (the
 * cost metric, paper 19), and `queries`, all indices including repeats.
 * A rejected request is not counted.
 *
 * @example
 * const s = openSparseTransformOracle(observation, truth);
 * s.handle('query', [Int32Array.of(0, 5)]); // => Float64Array [x[0], x[5]]
 */
export function openSparseTransformOracle(obs: SparseTransformObservation, truth: SparseTransformTruth): InteractionSession {
  const N = 2 ** obs.n;
  const { support, values, noiseStd } = truth;
  if (support.length !== values.length) {
    throw new ParsimonyError('PARSIMONY_BAD_TRUTH', `${FAMILY}: truth.values has ${values.length} entries, truth.support has ${support.length}`, 'truth.values');
  }
  const [keyHi, keyLo] = keyWords(truth.noiseKey);
  const K = support.length;
  const seen = new Uint32Array(Math.ceil(N / 32));
  let samples = 0, queries = 0, requests = 0;
  // The noiseless signal for every t, built once (one FWHT) when a request is large enough to pay for it.
  let clean: Float64Array | undefined;
  const cleanAt = (t: number): number => {
    if (clean) return clean[t];
    let s = 0;
    for (let i = 0; i < K; i++) s += parity(support[i] & t) ? -values[i] : values[i];
    return s;
  };

  return {
    handle(method: string, args: readonly unknown[]): unknown {
      if (method !== 'query') throw bad('method', `unknown request '${String(method)}'; the session answers ${SPARSE_TRANSFORM_METHODS.join(', ')}`);
      if (!Array.isArray(args) || args.length !== 1) throw bad('query.indices', `query(indices) takes 1 argument, got ${Array.isArray(args) ? args.length : 'none'}`);
      const idx = args[0];
      if (!(idx instanceof Int32Array)) {
        throw bad('query.indices', 'query(indices): indices must be an Int32Array (sparseTransformOracle(ctx).query converts arrays of integers)');
      }
      if (idx.length === 0 || idx.length > N) throw bad('query.indices', `query(indices): indices has ${idx.length} entries; ask for 1..N = ${N} indices per request`);
      for (let i = 0; i < idx.length; i++) {
        const t = idx[i];
        if (t < 0 || t >= N) throw bad(`query.indices[${i}]`, `query(indices): indices[${i}] = ${t} is out of range; indices are in 0..N-1 = 0..${N - 1} (n = ${obs.n})`);
      }
      requests++;
      if (!clean && idx.length * K > N * obs.n) {
        const dense = new Float64Array(N);
        for (let i = 0; i < K; i++) dense[support[i]] = values[i];
        // Sylvester H[t][k] = (-1)^⟨k,t⟩, so H X is the signal.
        clean = fwht(dense);
      }
      const out = new Float64Array(idx.length);
      for (let i = 0; i < idx.length; i++) {
        const t = idx[i];
        out[i] = noiseStd > 0 ? cleanAt(t) + noiseStd * hashNormal(keyHi, keyLo, t, 0) : cleanAt(t);
        const word = t >>> 5, bit = 1 << (t & 31);
        if (!(seen[word] & bit)) {
          seen[word] |= bit;
          samples++;
        }
      }
      queries += idx.length;
      return out;
    },
    usage(): Record<string, number> {
      const u: SparseTransformUsage = { samples, queries, requests };
      return { ...u };
    },
  };
}
