import {
  ParsimonyError,
  Type,
  defineSolver,
  fwht,
  sparseTransform,
  sparseTransformOracle,
  type ObservationOf,
  type SolutionOf,
  type SolverContext,
  type Static,
} from '@parsimony/core';

/** Parameters of {@link fwhtTopK}. */
export const FwhtTopKParams = Type.Object(
  {
    k: Type.Optional(Type.Integer({ minimum: 0, description: "coefficients kept; default: the observation's K hint" })),
  },
  { additionalProperties: false },
);
export type FwhtTopKParams = Static<typeof FwhtTopKParams>;

type Observation = ObservationOf<typeof sparseTransform>;
type Solution = SolutionOf<typeof sparseTransform>;

/** The k coefficients kept by {@link fwhtTopK}. */
export interface FwhtTopKResult {
  /** Frequencies, ascending. */
  readonly indices: Int32Array;
  /** X̂[k] = (H x)[k] / N at each of them. */
  readonly values: Float64Array;
}

/** Heap order: a is kept before b when |a| is larger, or equal with the smaller index. */
function before(X: Float64Array, a: number, b: number): boolean {
  const fa = Math.abs(X[a]), fb = Math.abs(X[b]);
  return fa > fb || (fa === fb && a < b);
}

/**
 * The dense reference of the sparse Walsh-Hadamard transform: all N samples,
 * one fast Walsh-Hadamard transform X = H x / N (core's `fwht`, O(N log N)),
 * then the k largest |X[k]| (a size-k heap, O(N log k); ties go to the
 * smaller frequency). With noise σ on every sample, each coefficient's error
 * is σ/√N: the accuracy any subsampling method is compared with.
 *
 * @param x - the signal, length N = 2^n (not modified)
 * @param k - coefficients to keep (0..N)
 * @returns the k largest coefficients, ascending frequencies
 * @example
 * fwhtTopK(Float64Array.of(1, -1, 1, -1), 1); // => { indices: [1], values: [1] }
 */
export function fwhtTopK(x: Float64Array, k: number): FwhtTopKResult {
  const N = x.length;
  if (N === 0 || (N & (N - 1)) !== 0) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `fwhtTopK: x has ${N} entries; the length must be a power of two 2^n`, 'x');
  if (!Number.isInteger(k) || k < 0 || k > N) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `fwhtTopK: k = ${k} must be an integer in 0..N = 0..${N}`, 'k');
  const X = fwht(x.slice());
  // Min-heap (by `before`) of the k best so far: its root is the weakest kept coefficient.
  const heap = new Int32Array(k);
  let size = 0;
  const siftDown = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < size && before(X, heap[m], heap[l])) m = l;
      if (r < size && before(X, heap[m], heap[r])) m = r;
      if (m === i) return;
      const t = heap[i];
      heap[i] = heap[m];
      heap[m] = t;
      i = m;
    }
  };
  for (let t = 0; t < N && k > 0; t++) {
    if (size < k) {
      // Sift up.
      let i = size++;
      heap[i] = t;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!before(X, heap[p], heap[i])) break;
        const tmp = heap[i];
        heap[i] = heap[p];
        heap[p] = tmp;
        i = p;
      }
    } else if (before(X, t, heap[0])) {
      heap[0] = t;
      siftDown(0);
    }
  }
  const indices = heap.slice(0, size).sort();
  return { indices, values: Float64Array.from(indices, (t) => X[t] / N) };
}

/** The bench entry: every sample through the session's oracle (N samples), then {@link fwhtTopK}. */
export async function solveFwhtTopK(observation: Observation, params: FwhtTopKParams, ctx: SolverContext): Promise<Solution> {
  ctx.signal.throwIfAborted();
  const N = 2 ** observation.n;
  const k = Math.min(params.k ?? observation.K, N);
  const all = new Int32Array(N);
  for (let t = 0; t < N; t++) all[t] = t;
  const x = await sparseTransformOracle(ctx).query(all);
  ctx.signal.throwIfAborted();
  const result = fwhtTopK(x, k);
  ctx.report({ iteration: 1, samples: N, kept: result.indices.length });
  return { indices: result.indices, values: result.values };
}

/** `baselines/fwht-top-k`: {@link fwhtTopK} on all N samples, as a registered solver. */
export const fwhtTopKSolver = defineSolver({
  id: 'baselines/fwht-top-k',
  family: sparseTransform,
  title: 'Full FWHT + top-K',
  summary: 'Query all N samples, one fast Walsh-Hadamard transform, keep the K largest coefficients: the dense accuracy reference.',
  params: FwhtTopKParams,
  solve: solveFwhtTopK,
});
