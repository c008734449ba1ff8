import {
  Matrix,
  ParsimonyError,
  Type,
  adam,
  cloneMlp,
  defineSolver,
  optimizer,
  typescriptBackend,
  type LinalgBackend,
  type Mlp,
  type OptimizerObservation,
  type OptimizerSolution,
  type SolverContext,
  type Static,
} from '@parsimony/core';
import { checkMemoryBudget, checkNumber, reportEvery, runOracleLoop, type TrainHooks } from '../internal/nn.js';

/** Rank when neither params nor a memory budget say otherwise: about d/4 of the quick MLP's width (the paper's r = 128 for d = 512). */
const GALORE_DEFAULT_RANK = 32;

/** Parameters of {@link trainGalore}. */
export const GaloreParams = Type.Object(
  {
    rank: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: `rank r of each weight gradient's projection (capped at min(d_out, d_in)); default ${GALORE_DEFAULT_RANK}, lowered until the state fits observation.memoryBudget`,
      }),
    ),
    updateGap: Type.Integer({ minimum: 1, default: 200, description: 'T: steps between recomputations of the projector from the SVD of the current gradient (the paper\'s default 200)' }),
    scale: Type.Number({ exclusiveMinimum: 0, default: 0.25, description: 'α: scale of the projected-back update (the paper\'s default 0.25)' }),
    lr: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'learning rate η; default observation.lr' })),
    beta1: Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0.9, description: 'Adam β₁ in the projected space' }),
    beta2: Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0.999, description: 'Adam β₂ in the projected space' }),
    eps: Type.Number({ exclusiveMinimum: 0, default: 1e-8, description: 'Adam ε' }),
    weightDecay: Type.Number({ minimum: 0, default: 0, description: 'decoupled weight decay λ (AdamW) on every parameter' }),
  },
  { additionalProperties: false },
);
export type GaloreParams = Static<typeof GaloreParams>;

/** Options of one {@link GaloreLayer}. */
export interface GaloreLayerOptions {
  /** T, steps between projector updates (default 200). */
  readonly updateGap?: number;
  /** α (default 0.25). */
  readonly scale?: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  /** Kernels for the SVD and the projections (default the TypeScript backend). */
  readonly linalg?: LinalgBackend;
}

/**
 * GaLore's state for one 2-D weight W (m x n): a projector P and Adam's two
 * moments of the r-dimensional projected gradient (Zhao et al. 2024, Alg. 2).
 * The projection is on the smaller side, as in the authors' code: `left`
 * (P = U_r, m x r, R = Pᵀ G, r x n) when m < n, `right` (P = V_r, n x r,
 * R = G P, m x r) otherwise.
 *
 * @example
 * const layer = new GaloreLayer(128, 64, 16, { updateGap: 200, scale: 0.25 });
 * layer.step(W.data, G, 0.01); // right side (128 ≥ 64): W ← W − η α N P_tᵀ
 * layer.stateFloats // => 64·16 + 2·128·16 = 5120
 */
export class GaloreLayer {
  readonly side: 'left' | 'right';
  readonly rank: number;
  /** The current projector (m x r or n x r); undefined before the first step. */
  P: Matrix | undefined;
  /** Adam steps taken (the bias corrections use it; it is not reset when P changes). */
  t = 0;
  private readonly m1: Float64Array;
  private readonly m2: Float64Array;
  private readonly gap: number;
  private readonly alpha: number;
  private readonly b1: number;
  private readonly b2: number;
  private readonly eps: number;
  private readonly linalg: LinalgBackend;

  constructor(
    readonly rows: number,
    readonly cols: number,
    rank: number,
    options: GaloreLayerOptions = {},
  ) {
    this.side = rows < cols ? 'left' : 'right';
    this.rank = Math.min(rank, rows, cols);
    const size = this.side === 'left' ? this.rank * cols : rows * this.rank;
    this.m1 = new Float64Array(size);
    this.m2 = new Float64Array(size);
    this.gap = options.updateGap ?? 200;
    this.alpha = options.scale ?? 0.25;
    this.b1 = options.beta1 ?? 0.9;
    this.b2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.linalg = options.linalg ?? typescriptBackend;
  }

  /** Floats held: the projector and the two moments. */
  get stateFloats(): number {
    return (this.side === 'left' ? this.rows : this.cols) * this.rank + 2 * this.m1.length;
  }

  /**
   * One GaLore step (Zhao et al. 2024, Alg. 2): every T steps P ← top-r
   * singular vectors of G; R = projection of G; Adam's bias-corrected
   * direction N of R; W ← W − η (α · P N (or N Pᵀ) + λ W).
   *
   * @param W - the weights, m x n row-major, updated in place
   * @param G - their gradient, m x n
   */
  step(W: Float64Array, G: Matrix, lr: number, weightDecay = 0): void {
    const { rows: m, cols: n, rank: r, linalg } = this;
    if (G.rows !== m || G.cols !== n || W.length !== m * n) {
      throw new ParsimonyError('PARSIMONY_BAD_INPUT', `GaloreLayer.step: the layer is ${m}x${n}, got W with ${W.length} entries and G ${G.rows}x${G.cols}`, 'G');
    }
    // The side rule is the authors' code's (Alg. 2 writes the left case); P is refreshed every T steps.
    if (this.t % this.gap === 0 || !this.P) {
      const { U, V } = linalg.svd(G);
      const S = this.side === 'left' ? U : V;
      const P = Matrix.zeros(S.rows, r);
      for (let i = 0; i < S.rows; i++) for (let c = 0; c < r; c++) P.data[i * r + c] = S.data[i * S.cols + c];
      this.P = P;
    }
    const P = this.P;
    // As in Alg. 2, the moments are neither reset nor rotated when P changes.
    const R = this.side === 'left' ? linalg.matmul(P, G, { transA: true }) : linalg.matmul(G, P);
    this.t++;
    const { m1, m2, b1, b2, eps } = this;
    const c1 = 1 / (1 - Math.pow(b1, this.t)), c2 = 1 / (1 - Math.pow(b2, this.t));
    const N = R.data;
    for (let j = 0; j < N.length; j++) {
      const g = N[j];
      m1[j] = b1 * m1[j] + (1 - b1) * g;
      m2[j] = b2 * m2[j] + (1 - b2) * g * g;
      N[j] = (m1[j] * c1) / (Math.sqrt(m2[j] * c2) + eps);
    }
    const D = this.side === 'left' ? linalg.matmul(P, R) : linalg.matmul(R, P, { transB: true });
    const a = this.alpha;
    for (let j = 0; j < W.length; j++) W[j] -= lr * (a * D.data[j] + weightDecay * W[j]);
  }
}

/** Options of the plain {@link trainGalore} function. */
export interface GaloreTrainOptions extends GaloreLayerOptions, TrainHooks {
  /** r (default 32, capped per layer at min(d_out, d_in)). */
  readonly rank?: number;
  /** η (default observation.lr). */
  readonly lr?: number;
  /** Decoupled weight decay (default 0). */
  readonly weightDecay?: number;
}

/**
 * Optimizer-state floats of GaLore with rank r on `model`: per weight P and
 * two projected moments; two Adam moments per bias entry.
 *
 * @example
 * galoreStateFloats(initMlp([64, 128, 10], 'relu', rng), 8) // => (64·8 + 2·128·8) + (10·8 + 2·8·128) + 2·138 = 4964
 */
export function galoreStateFloats(model: Mlp, rank: number): number {
  let s = 0;
  for (const { W, b } of model.layers) {
    s += new GaloreLayer(W.rows, W.cols, rank).stateFloats + 2 * b.length;
  }
  return s;
}

/** The rank used: `rank` when given, else 32 lowered (to 1 at least) until the state fits observation.memoryBudget. */
function galoreRank(obs: OptimizerObservation, rank: number | undefined): number {
  if (rank !== undefined) return rank;
  let r = GALORE_DEFAULT_RANK;
  if (obs.memoryBudget !== undefined) while (r > 1 && galoreStateFloats(obs.init, r) > obs.memoryBudget) r--;
  return r;
}

/**
 * GaLore (Zhao et al. 2024, "GaLore: memory-efficient LLM training by
 * gradient low-rank projection", Alg. 2): the gradient G of every weight
 * matrix is projected onto its top-r singular subspace, recomputed by an SVD
 * every T steps; Adam runs on the r-dimensional projection R, and its
 * direction N is projected back and scaled, W ← W − η α P N. Biases (1-D)
 * use plain Adam, as the paper leaves non-matrix parameters to the base
 * optimizer. Gradients come from the instance oracle (batch order, spikes).
 * Adam's moments carry over when P changes, as in Alg. 2.
 * Deviation: every dense layer is projected, the classifier included.
 *
 * @param obs - the optimizer instance: init, data, batch order, step budget
 * @param options - `rank`, `updateGap`, `scale`, `lr`, Adam's `beta1`/`beta2`/`eps`, `weightDecay`, `linalg`, hooks
 * @returns the final model, the loss of every step and the state floats held
 * @example
 * const { model, stateFloats } = trainGalore(observation, { rank: 16, updateGap: 200, scale: 0.25 });
 */
export function trainGalore(obs: OptimizerObservation, options: GaloreTrainOptions = {}): OptimizerSolution {
  const fn = 'trainGalore';
  const lr = options.lr ?? obs.lr, weightDecay = options.weightDecay ?? 0;
  checkNumber(fn, 'lr', lr, { min: 0, exclusiveMin: true });
  checkNumber(fn, 'updateGap', options.updateGap ?? 200, { min: 1, integer: true });
  checkNumber(fn, 'scale', options.scale ?? 0.25, { min: 0, exclusiveMin: true });
  checkNumber(fn, 'beta1', options.beta1 ?? 0.9, { min: 0, max: 1, exclusiveMax: true });
  checkNumber(fn, 'beta2', options.beta2 ?? 0.999, { min: 0, max: 1, exclusiveMax: true });
  checkNumber(fn, 'eps', options.eps ?? 1e-8, { min: 0, exclusiveMin: true });
  checkNumber(fn, 'weightDecay', weightDecay, { min: 0 });
  if (options.rank !== undefined) checkNumber(fn, 'rank', options.rank, { min: 1, integer: true });
  const rank = galoreRank(obs, options.rank);
  checkMemoryBudget('baselines/galore', obs, galoreStateFloats(obs.init, rank), options.rank === undefined ? 'even rank 1 does not fit' : 'lower the rank');
  const model = cloneMlp(obs.init);
  // Deviation from paper: every dense layer is projected, the classifier included (the paper's runs keep embeddings and the LM head on plain Adam).
  const layers = model.layers.map(({ W }) => new GaloreLayer(W.rows, W.cols, rank, options));
  const biases = model.layers.map((l) => l.b);
  const biasOpt = adam({ lr, beta1: options.beta1, beta2: options.beta2, eps: options.eps, weightDecay });
  const trainLoss = runOracleLoop(
    obs,
    model,
    (grads) => {
      layers.forEach((g, l) => g.step(model.layers[l].W.data, grads.layers[l].W, lr, weightDecay));
      biasOpt.step(biases, grads.layers.map((l) => l.b));
    },
    options,
  );
  const stateFloats = layers.reduce((s, g) => s + g.stateFloats, 0) + biasOpt.stateFloats;
  return { model, trainLoss, stateFloats };
}

/** Why the solver does not apply: the state of the rank used (params.rank, or the largest default that fits) exceeds observation.memoryBudget. */
export function skipGalore(obs: OptimizerObservation, params: GaloreParams): string | undefined {
  if (obs.memoryBudget === undefined) return undefined;
  const rank = galoreRank(obs, params.rank);
  const need = galoreStateFloats(obs.init, rank);
  if (need <= obs.memoryBudget) return undefined;
  return `rank ${rank} needs ${need} optimizer-state floats, over observation.memoryBudget = ${obs.memoryBudget}${params.rank === undefined ? '' : ' (lower params.rank)'}`;
}

/** The bench entry. */
export function solveGalore(obs: OptimizerObservation, params: GaloreParams, ctx: SolverContext): OptimizerSolution {
  ctx.signal.throwIfAborted();
  const skipped = skipGalore(obs, params);
  if (skipped) throw new ParsimonyError('PARSIMONY_UNSUPPORTED', `baselines/galore: ${skipped}`, 'observation.memoryBudget');
  const every = reportEvery(obs.steps);
  return trainGalore(obs, {
    rank: params.rank,
    updateGap: params.updateGap,
    scale: params.scale,
    lr: params.lr,
    beta1: params.beta1,
    beta2: params.beta2,
    eps: params.eps,
    weightDecay: params.weightDecay,
    linalg: ctx.linalg,
    signal: ctx.signal,
    onStep: (iteration, loss) => {
      if (iteration % every === 0 || iteration === obs.steps) ctx.report({ iteration, loss });
    },
  });
}

/** `baselines/galore`: {@link trainGalore} as a registered solver. */
export const galoreSolver = defineSolver({
  id: 'baselines/galore',
  family: optimizer,
  title: 'GaLore',
  summary: 'Adam on rank-r projections of each weight gradient onto its top singular subspace, refreshed by SVD every T steps, projected back and scaled by α (Zhao et al. 2024).',
  params: GaloreParams,
  solve: solveGalore,
  skip: skipGalore,
});
