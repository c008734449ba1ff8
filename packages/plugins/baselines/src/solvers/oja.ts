import {
  Matrix,
  ParsimonyError,
  Type,
  defineSolver,
  eigenvectorStreaming,
  rowStream,
  type EigenvectorStreamingObservation,
  type EigenvectorStreamingSolution,
  type Rng,
  type SolverContext,
  type Static,
} from '@parsimony/core';

/** Parameters of {@link solveOja}. */
export const OjaParams = Type.Object(
  {
    eta: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description: 'constant: the learning rate η; inverse: c in η_t = c/t. Default: η = 1/(r̄·√T), resp. c = √T/r̄, with r̄ the running mean of ‖a‖²',
      }),
    ),
    schedule: Type.Union([Type.Literal('constant'), Type.Literal('inverse')], {
      default: 'constant',
      description: "constant: a fixed η (Price & Xun's setting); inverse: the decaying η_t = c/t",
    }),
    batch: Type.Integer({ minimum: 1, default: 1, description: 'rows per request (capped at observation.maxBatch); core charges batch·n floats for the buffer' }),
  },
  { additionalProperties: false },
);
export type OjaParams = Static<typeof OjaParams>;

/** Options of the plain {@link oja} function. */
export interface OjaOptions {
  /** η (constant) or c (inverse); default as {@link OjaParams}. */
  readonly eta?: number;
  readonly schedule?: 'constant' | 'inverse';
  /** Start vector (copied and normalized); default a Gaussian draw from `rng`. */
  readonly start?: Float64Array;
  /** Random stream of the start (default: e₁ when neither `start` nor `rng` is given). */
  readonly rng?: Rng;
}

/**
 * One pass of Oja's rule over rows held in memory. The streaming solver
 * {@link solveOja} runs the same update on rows from the family's session.
 */
export class OjaState {
  readonly z: Float64Array;
  /** Rows seen. */
  t = 0;
  /** Sum of ‖a‖² over the rows seen (for the default step size). */
  energy = 0;
  /** The step size η_t of the last row. */
  lastEta = 0;

  constructor(
    readonly n: number,
    readonly T: number,
    readonly options: OjaOptions = {},
  ) {
    if (options.eta !== undefined && !(options.eta > 0 && Number.isFinite(options.eta))) {
      throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `oja: eta = ${options.eta}; expected a finite number > 0`, 'eta');
    }
    this.z = new Float64Array(n);
    if (options.start) {
      if (options.start.length !== n) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `oja: start has ${options.start.length} entries, expected n = ${n}`, 'start');
      this.z.set(options.start);
    } else if (options.rng) for (let i = 0; i < n; i++) this.z[i] = options.rng.normal();
    else this.z[0] = 1;
    normalize(this.z);
  }

  /** z ← normalize(z + η_t (aᵀz) a) for the row a = data[off .. off + n). */
  step(data: Float64Array, off: number): void {
    const { n, z } = this;
    let c = 0, r = 0;
    for (let i = 0; i < n; i++) {
      const a = data[off + i];
      c += a * z[i];
      r += a * a;
    }
    this.t++;
    this.energy += r;
    const mean = this.energy / this.t;
    const constant = this.options.schedule !== 'inverse';
    const eta = this.options.eta ?? (mean > 0 ? (constant ? 1 / (mean * Math.sqrt(this.T)) : Math.sqrt(this.T) / mean) : 0);
    this.lastEta = constant ? eta : eta / this.t;
    const g = this.lastEta * c;
    if (g === 0) return;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const v = z[i] + g * data[off + i];
      z[i] = v;
      s += v * v;
    }
    // A step that overflows or cancels z leaves the previous direction (rare: η‖a‖² ≫ 1e150).
    if (!(s > 0) || !Number.isFinite(s)) {
      for (let i = 0; i < n; i++) z[i] -= g * data[off + i];
      return;
    }
    const f = 1 / Math.sqrt(s);
    for (let i = 0; i < n; i++) z[i] *= f;
  }
}

function normalize(z: Float64Array): void {
  let s = 0;
  for (let i = 0; i < z.length; i++) s += z[i] * z[i];
  if (!(s > 0)) {
    z.fill(0);
    z[0] = 1;
    return;
  }
  const f = 1 / Math.sqrt(s);
  for (let i = 0; i < z.length; i++) z[i] *= f;
}

/**
 * Oja's rule (Oja 1982) in one pass over the rows of A in their order:
 * z ← normalize(z + η_t (aᵀz) a), with a fixed η (constant, as analysed by
 * Price & Xun 2024 for arbitrary- and random-order streams) or η_t = c/t.
 * Memory: z only (n floats).
 *
 * @param A - T x n, rows in stream order
 * @param options - `eta`, `schedule`, `start`, `rng`
 * @returns the unit estimate z of the top eigenvector of AᵀA
 * @example
 * const z = oja(A, { eta: 1e-4 });
 */
export function oja(A: Matrix, options: OjaOptions = {}): Float64Array {
  const state = new OjaState(A.cols, A.rows, options);
  for (let t = 0; t < A.rows; t++) state.step(A.data, t * A.cols);
  return state.z;
}

/**
 * The bench entry: reads the session's rows in batches (default 1, so the
 * buffer costs n floats) and declares no state besides v = z.
 */
export async function solveOja(obs: EigenvectorStreamingObservation, params: OjaParams, ctx: SolverContext): Promise<EigenvectorStreamingSolution> {
  ctx.signal.throwIfAborted();
  const state = new OjaState(obs.n, obs.T, { eta: params.eta, schedule: params.schedule, rng: ctx.rng });
  const batch = Math.min(params.batch, obs.maxBatch);
  const stream = rowStream(ctx, { stateFloats: 0 });
  // About 50 trace points per pass.
  const every = Math.max(1, Math.floor(obs.T / 50));
  for await (const B of stream.batches(batch)) {
    ctx.signal.throwIfAborted();
    for (let t = 0; t < B.rows; t++) {
      state.step(B.data, t * B.cols);
      if (state.t % every === 0) ctx.report({ iteration: state.t, eta: state.lastEta });
    }
  }
  return { v: state.z };
}

/** `baselines/oja`: Oja's rule on the family's row stream. */
export const ojaSolver = defineSolver({
  id: 'baselines/oja',
  family: eigenvectorStreaming,
  title: "Oja's rule",
  summary: 'One pass of z ← normalize(z + η (aᵀz) a) with a fixed or 1/t step (Oja 1982; Price & Xun 2024); n floats of state.',
  params: OjaParams,
  solve: solveOja,
});
