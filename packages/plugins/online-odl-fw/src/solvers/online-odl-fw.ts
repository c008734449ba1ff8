import {
  Matrix,
  ParsimonyError,
  Type,
  defineSolver,
  dictionaryLearning,
  gemmStrided,
  haarOrthogonal,
  svd,
  type DictionaryLearningObservation,
  type DictionaryLearningSolution,
  type Rng,
  type SolverContext,
  type Static,
} from '@parsimony/core';

/** Parameters of {@link onlineOdlFw}; defaults live in the schema. */
export const OnlineOdlFwParams = Type.Object(
  {
    batch: Type.Optional(Type.Integer({ minimum: 1, description: 'mini-batch size b (columns per update); default n' })),
    maxBatches: Type.Optional(Type.Integer({ minimum: 1, description: 'stop after this many mini-batches T; default: one pass over the stream, ceil(N / b)' })),
    rhoExponent: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.5, description: 'gradient-averaging weight ρ_t = t^(-rhoExponent)' }),
    gammaExponent: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.75, description: 'Frank-Wolfe step γ_t = t^(-gammaExponent)' }),
    tol: Type.Number({ minimum: 0, default: 1e-6, description: 'stop when ||D_t - D_{t-1}||_F < tol' }),
  },
  { additionalProperties: false },
);
export type OnlineOdlFwParams = Static<typeof OnlineOdlFwParams>;

/** Options of {@link OnlineOdlFw}. */
export interface OnlineOdlFwOptions {
  /** ρ_t = t^(-rhoExponent) (default 0.5). */
  readonly rhoExponent?: number;
  /** γ_t = t^(-gammaExponent) (default 0.75). */
  readonly gammaExponent?: number;
  /** The starting point D_0 (n x n, ||D_0||₂ <= 1); default a Haar-random orthogonal matrix from `rng`. */
  readonly D0?: Matrix;
  /** Draws D_0 when it is not given. */
  readonly rng?: Rng;
}

/**
 * The polar factor U Vᵀ of a square A = U Σ Vᵀ: the nearest orthogonal
 * matrix to A, and the maximiser of ⟨A, S⟩ over the spectral-norm ball
 * (the linear minimisation oracle of Frank-Wolfe over C = {||S||₂ <= 1}).
 *
 * @param A - n x n
 * @param out - n x n buffer receiving U Vᵀ (row-major)
 * @returns `out`
 * @example
 * const S = polarFactor(G, new Float64Array(n * n));
 */
export function polarFactor(A: Matrix, out: Float64Array): Float64Array {
  const n = A.rows;
  const { U, V } = svd(A);
  gemmStrided(false, true, n, n, n, 1, U.data, 0, n, V.data, 0, n, 0, out, 0, n);
  return out;
}

/**
 * The online orthogonal-dictionary learner of Xue & Lau (2021): ℓ4
 * maximisation f(D) = E[¼||Dᵀy||₄⁴] over the relaxed set ||D||₂ <= 1 by a
 * stochastic Frank-Wolfe method with recursive gradient averaging. It keeps
 * only D and the averaged gradient G (2n² floats), never past samples:
 *
 *   G_t = (1 - ρ_t) G_{t-1} + ρ_t (1/b) Y_t ((D_{t-1}ᵀ Y_t)^{∘3})ᵀ,
 *   S_t = polar(G_t),  D_t = (1 - γ_t) D_{t-1} + γ_t S_t.
 *
 * Feed mini-batches with {@link OnlineOdlFw.update}; read the orthogonal
 * estimate with {@link OnlineOdlFw.dictionary}.
 *
 * @example
 * const learner = new OnlineOdlFw(16, { rng: createRng(1) });
 * for (const Yt of batches) learner.update(Yt); // Yt: 16 x b
 * const D = learner.dictionary();
 */
export class OnlineOdlFw {
  /** Signal dimension. */
  readonly n: number;
  /** Mini-batches seen so far (t). */
  t = 0;
  /** Samples seen so far. */
  samples = 0;
  /** ||D_t - D_{t-1}||_F of the last update. */
  lastStep = Infinity;
  /** ¼ mean over the last mini-batch of ||D_{t-1}ᵀ y||₄⁴ (the stochastic objective). */
  lastObjective = 0;
  private readonly D: Float64Array;
  private readonly G: Float64Array;
  private readonly S: Float64Array;
  private readonly rhoExp: number;
  private readonly gammaExp: number;
  private Z = new Float64Array(0);

  constructor(n: number, options: OnlineOdlFwOptions = {}) {
    if (!Number.isInteger(n) || n < 1) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `OnlineOdlFw: n = ${n} must be a positive integer`, 'n');
    this.n = n;
    this.rhoExp = options.rhoExponent ?? 0.5;
    this.gammaExp = options.gammaExponent ?? 0.75;
    let D0 = options.D0;
    if (D0 === undefined) {
      if (!options.rng) throw new ParsimonyError('PARSIMONY_BAD_INPUT', 'OnlineOdlFw: give options.D0 or options.rng (to draw a random orthogonal D_0)', 'options.rng');
      D0 = haarOrthogonal(n, options.rng);
    }
    if (D0.rows !== n || D0.cols !== n) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `OnlineOdlFw: options.D0 is ${D0.rows}x${D0.cols}, expected ${n}x${n}`, 'options.D0');
    this.D = Float64Array.from(D0.data);
    this.G = new Float64Array(n * n);
    this.S = new Float64Array(n * n);
  }

  /** Floats the learner keeps between updates: D and G (the mini-batch buffer aside). */
  get stateFloats(): number {
    return 2 * this.n * this.n;
  }

  /**
   * One online step on a mini-batch: columns `from..from+b-1` of the n x N
   * row-major `Y` (default: all of it). Only reads Y.
   *
   * @returns ||D_t - D_{t-1}||_F
   */
  update(Y: Matrix, from = 0, b = Y.cols - from): number {
    const { n, D, G, S } = this;
    if (Y.rows !== n) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `OnlineOdlFw.update: Y has ${Y.rows} rows, expected n = ${n}`, 'Y');
    if (!(b >= 1 && from >= 0 && from + b <= Y.cols)) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `OnlineOdlFw.update: columns ${from}..${from + b - 1} are outside Y (${Y.cols} columns)`, 'b');
    if (this.Z.length < n * b) this.Z = new Float64Array(n * b);
    const Z = this.Z, N = Y.cols;
    this.t++;
    this.samples += b;
    const t = this.t;
    // Z = D_{t-1}ᵀ Y_t (n x b), read in place from the batch's columns of Y.
    gemmStrided(true, false, n, b, n, 1, D, 0, n, Y.data, from, N, 0, Z, 0, b);
    let obj = 0;
    for (let i = 0; i < n * b; i++) {
      const z = Z[i], z2 = z * z;
      obj += z2 * z2;
      Z[i] = z2 * z;
    }
    this.lastObjective = obj / (4 * b);
    // G_t = (1 - ρ_t) G_{t-1} + (ρ_t / b) Y_t (Z^{∘3})ᵀ: the averaged stochastic gradient (Alg. 1).
    const rho = Math.pow(t, -this.rhoExp);
    gemmStrided(false, true, n, n, b, rho / b, Y.data, from, N, Z, 0, b, 1 - rho, G, 0, n);
    // LMO over the spectral-norm ball, then the Frank-Wolfe step (stays in the ball: a convex combination).
    polarFactor(Matrix.from(n, n, G), S);
    const gamma = Math.pow(t, -this.gammaExp);
    let step = 0;
    for (let i = 0; i < n * n; i++) {
      const d = gamma * (S[i] - D[i]);
      D[i] += d;
      step += d * d;
    }
    this.lastStep = Math.sqrt(step);
    return this.lastStep;
  }

  /** The current relaxed iterate D_t (a copy; ||D_t||₂ <= 1). */
  iterate(): Matrix {
    return Matrix.from(this.n, this.n, this.D.slice());
  }

  /** polar(D_t): the orthogonal dictionary nearest the iterate. */
  dictionary(): Matrix {
    return Matrix.from(this.n, this.n, polarFactor(Matrix.from(this.n, this.n, this.D), new Float64Array(this.n * this.n)));
  }
}

/**
 * `online-odl-fw/online-odl-fw` on a dictionary-learning observation: reads
 * Y once, in column order, as a stream of mini-batches of b columns (each
 * batch is seen once and not stored), and returns polar(D_T).
 *
 * @param observation - an orthogonal task (atoms = n)
 * @param params - {@link OnlineOdlFwParams}
 * @param ctx - randomness (D_0), the abort signal, the trace sink
 * @returns `{ D }`, n x n orthogonal
 * @example
 * const { D } = onlineOdlFw(observation, { batch: 16 }, ctx);
 */
export function onlineOdlFw(observation: DictionaryLearningObservation, params: OnlineOdlFwParams, ctx: SolverContext): DictionaryLearningSolution {
  ctx.signal.throwIfAborted();
  const { Y, atoms } = observation;
  const n = Y.rows, N = Y.cols;
  if (atoms !== n) {
    throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `online-odl-fw: observation.atoms = ${atoms} must equal n = ${n} (the method learns a square orthogonal dictionary)`, 'observation.atoms');
  }
  const b = Math.min(params.batch ?? n, N);
  const T = Math.min(params.maxBatches ?? Infinity, Math.ceil(N / b));
  const learner = new OnlineOdlFw(n, { rng: ctx.rng, rhoExponent: params.rhoExponent, gammaExponent: params.gammaExponent });
  for (let t = 0; t < T; t++) {
    ctx.signal.throwIfAborted();
    const from = t * b;
    const step = learner.update(Y, from, Math.min(b, N - from));
    ctx.report({ iteration: learner.t, objective: learner.lastObjective, step, samples: learner.samples, state_floats: learner.stateFloats });
    if (step < params.tol) break;
  }
  return { D: learner.dictionary() };
}

/** `online-odl-fw/online-odl-fw`: {@link onlineOdlFw} as a registered solver. */
export const onlineOdlFwSolver = defineSolver({
  id: 'online-odl-fw/online-odl-fw',
  family: dictionaryLearning,
  title: 'Online orthogonal DL (Frank-Wolfe)',
  summary: 'ℓ4-maximisation over the spectral-norm ball by online Frank-Wolfe with averaged stochastic gradients; O(n²) memory, one pass over the stream.',
  params: OnlineOdlFwParams,
  solve: onlineOdlFw,
  skip: (obs) => (obs.atoms !== obs.Y.rows ? `learns a square orthogonal dictionary; this task asks for ${obs.atoms} atoms in dimension ${obs.Y.rows}` : undefined),
});
