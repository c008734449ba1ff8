import {
  Matrix,
  ParsimonyError,
  Type,
  defineSolver,
  eigenvectorStreaming,
  rowStream,
  svd,
  type EigenvectorStreamingObservation,
  type EigenvectorStreamingSolution,
  type SolverContext,
  type Static,
} from '@parsimony/core';

/** Parameters of {@link solveFrequentDirections}. */
export const FrequentDirectionsParams = Type.Object(
  {
    ell: Type.Optional(Type.Integer({ minimum: 1, description: 'sketch rows ℓ (the buffer holds 2ℓ); default ⌈n/4⌉ + 2' })),
    batch: Type.Integer({ minimum: 1, default: 32, description: 'rows per request (capped at observation.maxBatch); core charges batch·n floats for the buffer' }),
  },
  { additionalProperties: false },
);
export type FrequentDirectionsParams = Static<typeof FrequentDirectionsParams>;

/**
 * The Frequent Directions sketch (Liberty 2013; the fast variant of
 * Ghashami, Liberty, Phillips & Woodruff 2016, Alg. 2): a 2ℓ x n buffer B;
 * when it is full, B = U Σ Vᵀ (core's `svd`) and B ← sqrt(max(Σ² − σ²_{ℓ+1}, 0)) Vᵀ,
 * which frees ℓ rows. Guarantees 0 ⪯ AᵀA − BᵀB ⪯ ‖A‖_F²/(ℓ+1)·I.
 */
export class FrequentDirections {
  /** The buffer, 2ℓ x n; rows at and after `filled` are zero. */
  readonly B: Matrix;
  /** Rows of B in use. */
  filled = 0;
  /** Shrink steps done. */
  shrinks = 0;

  constructor(
    readonly n: number,
    readonly ell: number,
  ) {
    if (!(Number.isInteger(ell) && ell >= 1)) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `frequentDirections: ell = ${ell}; expected an integer >= 1`, 'ell');
    this.B = Matrix.zeros(2 * ell, n);
  }

  /** Appends the row a = data[off .. off + n), shrinking first when the buffer is full. */
  insert(data: Float64Array, off: number): void {
    if (this.filled === this.B.rows) this.shrink();
    this.B.data.set(data.subarray(off, off + this.n), this.filled * this.n);
    this.filled++;
  }

  /** B ← sqrt(max(Σ² − σ²_{ℓ+1}, 0)) Vᵀ: the rows from the ℓ-th on become zero. */
  shrink(): void {
    const { n, ell } = this;
    const rows = Math.min(this.filled, 2 * ell);
    const { s, V } = svd({ rows, cols: n, data: this.B.data.subarray(0, rows * n) });
    const r = s.length;
    const delta = ell < r ? s[ell] * s[ell] : 0;
    const out = this.B.data;
    out.fill(0);
    let kept = 0;
    for (let i = 0; i < Math.min(ell, r); i++) {
      const w = Math.sqrt(Math.max(s[i] * s[i] - delta, 0));
      if (!(w > 0)) break;
      const o = kept * n;
      for (let j = 0; j < n; j++) out[o + j] = w * V.data[j * r + i];
      kept++;
    }
    this.filled = kept;
    this.shrinks++;
  }

  /** The top right singular vector of the sketch (unit; e₁ for an empty sketch). */
  topDirection(): Float64Array {
    const v = new Float64Array(this.n);
    if (this.filled === 0) {
      v[0] = 1;
      return v;
    }
    const { s, V } = svd({ rows: this.filled, cols: this.n, data: this.B.data.subarray(0, this.filled * this.n) });
    if (!(s[0] > 0)) {
      v[0] = 1;
      return v;
    }
    const r = s.length;
    for (let j = 0; j < this.n; j++) v[j] = V.data[j * r];
    return v;
  }
}

/** Floats Frequent Directions keeps besides v: the 2ℓ x n buffer and one SVD's results (V: n x 2ℓ, U: 2ℓ x 2ℓ, s). */
export function frequentDirectionsFloats(n: number, ell: number): number {
  return 4 * ell * n + 4 * ell * ell + 2 * ell;
}

/**
 * Frequent Directions over the rows of A in their order, then the top right
 * singular vector of the sketch.
 *
 * @param A - T x n
 * @param ell - sketch rows ℓ
 * @returns the unit top direction of the sketch
 * @example
 * const v = frequentDirections(A, 18);
 */
export function frequentDirections(A: Matrix, ell: number): Float64Array {
  const fd = new FrequentDirections(A.cols, ell);
  for (let t = 0; t < A.rows; t++) fd.insert(A.data, t * A.cols);
  return fd.topDirection();
}

/** The bench entry: the family's stream into a sketch of ℓ = ⌈n/4⌉ + 2 rows by default (memory-matched to random-order-eigvec's default h + 2). */
export async function solveFrequentDirections(
  obs: EigenvectorStreamingObservation,
  params: FrequentDirectionsParams,
  ctx: SolverContext,
): Promise<EigenvectorStreamingSolution> {
  ctx.signal.throwIfAborted();
  const n = obs.n;
  const ell = params.ell ?? Math.ceil(n / 4) + 2;
  const fd = new FrequentDirections(n, ell);
  const stream = rowStream(ctx, { stateFloats: frequentDirectionsFloats(n, ell) });
  let t = 0;
  for await (const B of stream.batches(Math.min(params.batch, obs.maxBatch))) {
    ctx.signal.throwIfAborted();
    const before = fd.shrinks;
    for (let i = 0; i < B.rows; i++) fd.insert(B.data, i * n);
    t += B.rows;
    if (fd.shrinks !== before) ctx.report({ iteration: fd.shrinks, rows: t });
  }
  return { v: fd.topDirection() };
}

/** `baselines/frequent-directions`: the deterministic sketch of Liberty 2013 on the family's row stream. */
export const frequentDirectionsSolver = defineSolver({
  id: 'baselines/frequent-directions',
  family: eigenvectorStreaming,
  title: 'Frequent Directions',
  summary: 'A 2ℓ-row sketch shrunk by SVD when full (Liberty 2013; Ghashami et al. 2016); the top right singular vector of the sketch.',
  params: FrequentDirectionsParams,
  solve: solveFrequentDirections,
});
