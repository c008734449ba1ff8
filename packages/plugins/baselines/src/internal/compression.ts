/**
 * Shared pieces of the weight-compression baselines: reading the budget,
 * choosing which weights to keep (per row, per layer or across layers, with
 * an optional n:m pattern), the asymmetric min-max quantization grid of
 * GPTQ's reference quantizer, the upper Cholesky factor of the damped inverse
 * Hessian, and the column sweep with lazy block updates that SparseGPT and
 * GPTQ share (optimal brain surgeon, one column at a time).
 *
 * Internal module: not exported from the package.
 */
import {
  cholesky,
  gemmStrided,
  gram,
  Matrix,
  mlpForward,
  ParsimonyError,
  type Dataset,
  type Mlp,
  type WeightCompressionBudget,
  type WeightCompressionObservation,
  type WeightCompressionVariant,
  allowedKept,
} from '@parsimony/core';

// ==========================================================================
// Budget
// ==========================================================================


/** What a pruning solver must meet: a sparsity, an n:m pattern, or both; per layer or across layers. */
export interface PruneTarget {
  readonly sparsity?: number;
  readonly n?: number;
  readonly m?: number;
  readonly global: boolean;
}

/** Which quantization grid a quantizing solver must use. */
export interface QuantTarget {
  readonly bits: number;
  /** Consecutive weights of a row sharing one grid (the whole row when absent). */
  readonly groupSize?: number;
}

/**
 * The pruning part of a budget. Throws a PARSIMONY_BAD_OBSERVATION naming
 * the budget field when it asks for quantization and `allowBits` is false.
 */
export function pruneTarget(id: string, budget: WeightCompressionBudget, allowBits = false): PruneTarget {
  if (budget.bits !== undefined && !allowBits) {
    throw new ParsimonyError(
      'PARSIMONY_BAD_OBSERVATION',
      `${id}: observation.budget.bits = ${budget.bits} asks for quantization, which ${id} does not do (it only prunes); use baselines/rtn or baselines/gptq, or baselines/sparsegpt to prune and quantize jointly`,
      'observation.budget.bits',
    );
  }
  return {
    ...(budget.sparsity !== undefined && { sparsity: budget.sparsity }),
    ...(budget.pattern === 'n:m' && { n: budget.n, m: budget.m }),
    global: budget.scope === 'global',
  };
}

/** The quantization part of a budget, for a solver that only quantizes. */
export function quantTarget(id: string, budget: WeightCompressionBudget): QuantTarget {
  if (budget.sparsity !== undefined || budget.pattern !== undefined) {
    const what = budget.sparsity !== undefined ? `observation.budget.sparsity = ${budget.sparsity}` : `observation.budget.pattern = "n:m"`;
    throw new ParsimonyError(
      'PARSIMONY_BAD_OBSERVATION',
      `${id}: ${what} asks for pruning, which ${id} does not do (it only quantizes); use baselines/sparsegpt, which prunes and, with budget.bits, quantizes jointly`,
      budget.sparsity !== undefined ? 'observation.budget.sparsity' : 'observation.budget.pattern',
    );
  }
  if (budget.bits === undefined) {
    throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `${id}: observation.budget has no bits; ${id} quantizes and needs budget.bits (with an optional groupSize)`, 'observation.budget.bits');
  }
  return { bits: budget.bits, ...(budget.groupSize !== undefined && { groupSize: budget.groupSize }) };
}

/**
 * A solver's `skip`: the message of the PARSIMONY_BAD_OBSERVATION that
 * `checks` throws (a variant, budget or input the solver does not handle),
 * or undefined when they pass. Other errors propagate.
 */
export function unsupported(checks: () => void): string | undefined {
  try {
    checks();
    return undefined;
  } catch (e) {
    if (e instanceof ParsimonyError && e.code === 'PARSIMONY_BAD_OBSERVATION') return e.message;
    throw e;
  }
}

/** Throws a PARSIMONY_BAD_OBSERVATION when the variant is not one the solver handles, saying why. */
export function requireVariant(id: string, obs: WeightCompressionObservation, allowed: readonly WeightCompressionVariant[], why: string): void {
  if (!allowed.includes(obs.variant)) {
    throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `${id}: variant "${obs.variant}" is not supported: ${why}`, 'observation.variant');
  }
}

/** Calibration inputs of layer l, or a PARSIMONY_BAD_OBSERVATION saying that the solver needs them. */
export function calibrationInputs(id: string, obs: WeightCompressionObservation, l: number): Matrix {
  const X = obs.layers[l].X;
  if (!X) {
    throw new ParsimonyError(
      'PARSIMONY_BAD_OBSERVATION',
      `${id}: observation.layers[${l}].X is missing; ${id} weighs the error by calibration inputs (a "network" instance with networkInit "scratch" has none; use baselines/magnitude-pruning or a retraining solver)`,
      `observation.layers[${l}].X`,
    );
  }
  return X;
}

/** observation.network, or a PARSIMONY_BAD_OBSERVATION naming it. */
export function networkOf(id: string, obs: WeightCompressionObservation): NonNullable<WeightCompressionObservation['network']> {
  if (!obs.network) throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `${id}: observation.network is missing; ${id} retrains the network it describes`, 'observation.network');
  return obs.network;
}

/**
 * The training data of a retraining solver: the labelled set (`task`), or
 * for `distill` the same inputs with the given dense model's outputs as
 * regression targets (knowledge distillation: the loss is then the squared
 * output error that out_err measures). `auto` distills when the given model
 * is the dense one and uses the labels when it is a random init; `distill`
 * is refused then.
 */
export function trainingData(id: string, net: NonNullable<WeightCompressionObservation['network']>, loss: 'auto' | 'task' | 'distill'): { train: Dataset; task: 'classification' | 'regression' } {
  if (loss === 'task' || (loss === 'auto' && net.fromScratch)) return { train: net.train, task: net.task };
  if (net.fromScratch) {
    throw new ParsimonyError(
      'PARSIMONY_BAD_PARAMS',
      `${id}: params.loss = "distill" needs the dense model, but observation.network.fromScratch is true (the given model is a random init); use loss "task" or "auto"`,
      'params.loss',
    );
  }
  return { train: { X: net.train.X, targets: mlpForward(net.model, net.train.X) }, task: 'regression' };
}

/** The first `rows` rows of W as a view (no copy). */
export function topRows(W: Matrix, rows: number): Matrix {
  return Matrix.from(rows, W.cols, W.data.subarray(0, rows * W.cols));
}

/**
 * Weights to keep per layer so that a sparsity holds exactly: ⌈(1 − s)·size⌉
 * for each layer, or, across layers (`global`), that many in all, shared in
 * proportion to the layer sizes (the shares add up exactly).
 */
export function keepCounts(sizes: readonly number[], sparsity: number | undefined, global: boolean): number[] {
  if (sparsity === undefined) return sizes.slice();
  if (!global) return sizes.map((s) => allowedKept(sparsity, s));
  const total = sizes.reduce((a, b) => a + b, 0);
  const K = allowedKept(sparsity, total);
  const out: number[] = [];
  let cum = 0, prev = 0;
  for (const s of sizes) {
    cum += s;
    const upto = total > 0 ? Math.floor((K * cum) / total) : 0;
    out.push(upto - prev);
    prev = upto;
  }
  return out;
}

// ==========================================================================
// Choosing the weights to keep
// ==========================================================================

/** Options of {@link keepMask}. */
export interface KeepOptions {
  /** Weights to keep in all (after the n:m pattern); all survivors when absent. */
  readonly keep?: number;
  /** At most n of every m consecutive weights of a row. */
  readonly n?: number;
  readonly m?: number;
  /** Compare within each output row (Wanda) instead of the whole matrix: `keep` is split evenly over the rows. */
  readonly perRow?: boolean;
}

/**
 * Threshold of the `k` largest of `vals[0..len)` (1 <= k <= len): the k-th
 * largest value t and how many entries equal to t are kept so that exactly k
 * are (the caller gives them to the lowest indices). O(len) on average:
 * quickselect with median-of-three pivots on a copy in `scratch`.
 */
function kthLargest(vals: Float64Array, len: number, k: number, scratch: Float64Array): { t: number; ties: number } {
  const s = scratch;
  for (let i = 0; i < len; i++) s[i] = vals[i];
  // The (k-1)-th entry of the decreasing order.
  const target = k - 1;
  let lo = 0, hi = len - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const a = s[lo], b = s[mid], c = s[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo, j = hi;
    while (i <= j) {
      while (s[i] > pivot) i++;
      while (s[j] < pivot) j--;
      if (i <= j) {
        const tmp = s[i];
        s[i] = s[j];
        s[j] = tmp;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  const t = s[target];
  let above = 0;
  for (let i = 0; i < len; i++) if (vals[i] > t) above++;
  return { t, ties: k - above };
}

/** Keeps, among the entries `idx` flagged in `mask`, the `k` of largest score (ties to the lowest index); clears the others. */
function keepTopAmong(score: Float64Array, mask: Uint8Array, from: number, to: number, k: number, vals: Float64Array, scratch: Float64Array): void {
  let len = 0;
  for (let i = from; i < to; i++) if (mask[i]) vals[len++] = score[i];
  if (k >= len) return;
  if (k <= 0) {
    mask.fill(0, from, to);
    return;
  }
  const th = kthLargest(vals, len, k, scratch);
  const t = th.t;
  let ties = th.ties;
  for (let i = from; i < to; i++) {
    if (!mask[i]) continue;
    const v = score[i];
    if (v > t) continue;
    if (v === t && ties > 0) ties--;
    else mask[i] = 0;
  }
}

/** Within every group of m consecutive entries of each row, keeps the n of largest score (ties to the lowest index). */
export function nmMask(score: Float64Array, rows: number, cols: number, n: number, m: number, mask: Uint8Array): void {
  const order = new Int32Array(m);
  for (let r = 0; r < rows; r++) {
    for (let c0 = 0; c0 < cols; c0 += m) {
      const o = r * cols + c0, g = Math.min(m, cols - c0);
      // Insertion sort of the group's offsets by decreasing score: m is small.
      for (let a = 0; a < g; a++) {
        let p = a;
        while (p > 0 && score[o + order[p - 1]] < score[o + a]) {
          order[p] = order[p - 1];
          p--;
        }
        order[p] = a;
      }
      for (let a = n; a < g; a++) mask[o + order[a]] = 0;
    }
  }
}

/**
 * Which entries of a rows x cols score matrix to keep (1) or prune (0):
 * first the n:m pattern, then the `keep` largest survivors, compared across
 * the whole matrix or within each row.
 */
export function keepMask(score: Float64Array, rows: number, cols: number, options: KeepOptions): Uint8Array {
  const size = rows * cols;
  const mask = new Uint8Array(size).fill(1);
  if (options.n !== undefined && options.m !== undefined) nmMask(score, rows, cols, options.n, options.m, mask);
  const keep = options.keep;
  if (keep === undefined || keep >= size) return mask;
  const len = options.perRow ? cols : size;
  const vals = new Float64Array(len), scratch = new Float64Array(len);
  if (options.perRow) {
    // Row r keeps ⌊keep/rows⌋, the first keep mod rows rows one more.
    const base = Math.floor(keep / rows), extra = keep - base * rows;
    for (let r = 0; r < rows; r++) keepTopAmong(score, mask, r * cols, (r + 1) * cols, base + (r < extra ? 1 : 0), vals, scratch);
  } else {
    keepTopAmong(score, mask, 0, size, keep, vals, scratch);
  }
  return mask;
}

/**
 * Per-matrix keep counts of a ranking across several matrices: the `keep`
 * largest scores over all of them (entries outside `masks` excluded), ties
 * to the earlier matrix and the lower index. Feeding each count back to
 * {@link keepMask} with the same masks selects exactly the global set.
 */
export function globalKeepCounts(scores: readonly Float64Array[], masks: readonly Uint8Array[], keep: number): number[] {
  let len = 0;
  for (let l = 0; l < scores.length; l++) for (let i = 0; i < scores[l].length; i++) if (masks[l][i]) len++;
  if (keep >= len) return masks.map((m) => m.reduce((a, b) => a + b, 0));
  const vals = new Float64Array(len);
  let p = 0;
  for (let l = 0; l < scores.length; l++) for (let i = 0; i < scores[l].length; i++) if (masks[l][i]) vals[p++] = scores[l][i];
  if (keep <= 0) return scores.map(() => 0);
  const th = kthLargest(vals, len, keep, new Float64Array(len));
  const t = th.t;
  let ties = th.ties;
  return scores.map((s, l) => {
    let c = 0;
    for (let i = 0; i < s.length; i++) {
      if (!masks[l][i]) continue;
      if (s[i] > t) c++;
      else if (s[i] === t && ties > 0) {
        c++;
        ties--;
      }
    }
    return c;
  });
}

/**
 * Keep masks for several matrices under one pruning target: per layer
 * (`rank: 'layer'`, or per row with `'row'`) with the counts of
 * {@link keepCounts}, or one ranking across all layers (`'global'`, for a
 * global sparsity).
 */
export function budgetMasks(scores: readonly Float64Array[], shapes: readonly { rows: number; cols: number }[], target: PruneTarget, rank: 'row' | 'layer' | 'global'): Uint8Array[] {
  const nm = { ...(target.n !== undefined && { n: target.n, m: target.m }) };
  const sizes = shapes.map((s) => s.rows * s.cols);
  if (rank === 'global' && target.global && target.sparsity !== undefined) {
    const pattern = shapes.map((s, l) => keepMask(scores[l], s.rows, s.cols, nm));
    const counts = globalKeepCounts(scores, pattern, allowedKept(target.sparsity, sizes.reduce((a, b) => a + b, 0)));
    return shapes.map((s, l) => keepMask(scores[l], s.rows, s.cols, { ...nm, keep: counts[l] }));
  }
  const counts = keepCounts(sizes, target.sparsity, target.global);
  return shapes.map((s, l) => keepMask(scores[l], s.rows, s.cols, { ...nm, keep: counts[l], perRow: rank === 'row' }));
}

/** Checks the pruning options of a plain function (sparsity in [0, 1), n ≤ m, m dividing the row length, keep in [0, size]). */
export function checkPruneOptions(fn: string, W: Matrix, o: { sparsity?: number; n?: number; m?: number; keep?: number }): void {
  const bad = (field: string, msg: string) => new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: ${field} ${msg}`, field);
  if (o.sparsity !== undefined && !(o.sparsity >= 0 && o.sparsity < 1)) throw bad('sparsity', `must be a number in [0, 1) (got ${o.sparsity})`);
  if ((o.n === undefined) !== (o.m === undefined)) throw bad(o.n === undefined ? 'n' : 'm', `is needed too: an n:m pattern takes both n and m (got n = ${o.n}, m = ${o.m})`);
  if (o.m !== undefined && o.n !== undefined) {
    if (!Number.isInteger(o.m) || o.m < 1) throw bad('m', `must be an integer >= 1 (got ${o.m})`);
    if (!Number.isInteger(o.n) || o.n < 0 || o.n > o.m) throw bad('n', `must be an integer in [0, m = ${o.m}] (got ${o.n})`);
    if (W.cols % o.m !== 0) throw bad('m', `= ${o.m} must divide the row length (W has ${W.cols} columns)`);
  }
  if (o.keep !== undefined && !(Number.isInteger(o.keep) && o.keep >= 0 && o.keep <= W.rows * W.cols)) {
    throw bad('keep', `must be an integer in [0, ${W.rows * W.cols}] (got ${o.keep})`);
  }
}

/** Checks the quantization options of a plain function (bits an integer in [1, 16], groupSize an integer >= 1). */
export function checkQuantOptions(fn: string, o: { bits?: number; groupSize?: number }, required = true): void {
  const bad = (field: string, msg: string) => new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: ${field} ${msg}`, field);
  if ((required || o.bits !== undefined) && !(Number.isInteger(o.bits) && o.bits! >= 1 && o.bits! <= 16)) throw bad('bits', `must be an integer in [1, 16] (got ${o.bits})`);
  if (o.groupSize !== undefined && !(Number.isInteger(o.groupSize) && o.groupSize >= 1)) throw bad('groupSize', `must be an integer >= 1 (got ${o.groupSize})`);
}

/** Checks the options shared by the OBS sweeps: X matching W, blockSize, damp. */
export function checkSweepOptions(fn: string, W: Matrix, X: Matrix, o: { blockSize?: number; damp?: number }): void {
  const bad = (field: string, msg: string) => new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: ${field} ${msg}`, field);
  if (X.cols !== W.cols) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: X has ${X.cols} columns, W has ${W.cols} (calibration inputs must match d_in)`, 'X');
  if (o.blockSize !== undefined && !(Number.isInteger(o.blockSize) && o.blockSize >= 1)) throw bad('blockSize', `must be an integer >= 1 (got ${o.blockSize})`);
  if (o.damp !== undefined && !(o.damp > 0 && Number.isFinite(o.damp))) throw bad('damp', `must be a finite number > 0 (got ${o.damp})`);
}

/** Options shared by the retraining solvers, checked by {@link checkTrainingOptions}. */
export interface TrainingOptionsLike {
  task: string;
  steps: number;
  batchSize: number;
  lr?: number;
  initialSparsity?: number;
  start?: number;
  end?: number;
  frequency?: number;
  lambda?: number;
}

/**
 * Checks the options of a retraining solver and its pruning target against
 * the model and the data: message `<fn>: <field> <problem> (got <value>)`.
 */
export function checkTrainingOptions(fn: string, model: Mlp, train: Dataset, o: TrainingOptionsLike, target: PruneTarget): void {
  const bad = (field: string, msg: string) => new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: ${field} ${msg}`, field);
  const input = model.layers[0].W.cols;
  if (train.X.cols !== input) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: train.X has ${train.X.cols} columns, the model takes ${input} inputs`, 'train.X');
  if (o.task === 'classification' && !train.labels) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: train.labels is required for task "classification"`, 'train.labels');
  if (o.task === 'regression' && !train.targets) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: train.targets is required for task "regression"`, 'train.targets');
  if (!(Number.isInteger(o.steps) && o.steps >= 0)) throw bad('steps', `must be an integer >= 0 (got ${o.steps})`);
  if (!(Number.isInteger(o.batchSize) && o.batchSize >= 1)) throw bad('batchSize', `must be an integer >= 1 (got ${o.batchSize})`);
  if (o.lr !== undefined && !(o.lr > 0 && Number.isFinite(o.lr))) throw bad('lr', `must be a finite number > 0 (got ${o.lr})`);
  if (o.lambda !== undefined && !(o.lambda >= 0 && Number.isFinite(o.lambda))) throw bad('lambda', `must be a finite number >= 0 (got ${o.lambda})`);
  for (const f of ['start', 'end'] as const) if (o[f] !== undefined && !(o[f]! >= 0 && o[f]! <= 1)) throw bad(f, `must be a fraction of the steps in [0, 1] (got ${o[f]})`);
  if (o.start !== undefined && o.end !== undefined && o.end < o.start) throw bad('end', `= ${o.end} must not come before start = ${o.start}`);
  if (o.frequency !== undefined && !(Number.isInteger(o.frequency) && o.frequency >= 1)) throw bad('frequency', `must be an integer >= 1 (got ${o.frequency})`);
  if (o.initialSparsity !== undefined && !(o.initialSparsity >= 0 && o.initialSparsity < 1)) throw bad('initialSparsity', `must be a number in [0, 1) (got ${o.initialSparsity})`);
  if (target.sparsity === undefined && target.n === undefined) throw bad('sparsity', 'or an n:m pattern (n, m) is required: nothing to prune to');
  for (const W of model.layers.map((l) => l.W)) checkPruneOptions(fn, W, target);
}

/** Keep count of a single matrix from the plain options: `keep`, else ⌈(1 − sparsity)·size⌉, else all. */
export function keepOf(W: Matrix, o: { sparsity?: number; keep?: number }): number | undefined {
  return o.keep ?? (o.sparsity !== undefined ? allowedKept(o.sparsity, W.rows * W.cols) : undefined);
}

/** W ⊙ mask, as a new matrix. */
export function applyMask(W: Matrix, mask: Uint8Array): Matrix {
  const out = Matrix.clone(W);
  for (let i = 0; i < mask.length; i++) if (!mask[i]) out.data[i] = 0;
  return out;
}

// ==========================================================================
// Quantization grid (GPTQ's reference `Quantizer`, asymmetric, per row or group)
// ==========================================================================

/** Rounds to the nearest integer, halves to even (as torch.round and numpy.round do). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** An asymmetric uniform grid: value(q) = scale · (q − zero), q ∈ {0, ..., maxq}. */
export interface Grid {
  scale: number;
  zero: number;
}

/**
 * The min-max grid of the `len` values vals[off..off+len), with the
 * range widened to contain 0 (so a pruned weight is exactly on the grid) and
 * [−1, 1] for an all-zero group, as in GPTQ's reference quantizer.
 */
export function minMaxGrid(vals: Float64Array, off: number, len: number, maxq: number, grid: Grid): Grid {
  let lo = 0, hi = 0;
  for (let k = 0; k < len; k++) {
    const v = vals[off + k];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === 0 && hi === 0) {
    lo = -1;
    hi = 1;
  }
  grid.scale = (hi - lo) / maxq;
  grid.zero = roundHalfEven(-lo / grid.scale);
  return grid;
}

/** The grid point nearest to x (clamped to the grid's range). */
export function quantize(x: number, grid: Grid, maxq: number): number {
  const q = Math.min(maxq, Math.max(0, roundHalfEven(x / grid.scale) + grid.zero));
  return grid.scale * (q - grid.zero);
}

// ==========================================================================
// Inverse Hessian and the OBS column sweep (SparseGPT, GPTQ)
// ==========================================================================

/**
 * Inverts the lower-triangular block a[i0:i0+n, i0:i0+n] of a row-major
 * matrix with leading dimension ld in place (LAPACK dtrtri, recursive):
 * [A 0; B C]⁻¹ = [A⁻¹ 0; −C⁻¹BA⁻¹ C⁻¹], the off-diagonal block by two GEMMs.
 * The strict upper triangle must hold zeros (it is read by the GEMMs).
 * About n³/3 multiply-adds, against n³/2 for a triangular solve with I.
 */
export function invertLowerInPlace(a: Float64Array, ld: number, i0: number, n: number): void {
  if (n <= 48) {
    for (let j = i0 + n - 1; j >= i0; j--) {
      const inv = 1 / a[j * ld + j];
      a[j * ld + j] = inv;
      // Rows bottom-up, so the entries L[k][j] (k < i) still hold L when row i is done.
      for (let i = i0 + n - 1; i > j; i--) {
        let s = 0;
        for (let k = j + 1; k <= i; k++) s += a[i * ld + k] * a[k * ld + j];
        a[i * ld + j] = -s * inv;
      }
    }
    return;
  }
  const n1 = n >> 1, n2 = n - n1, i1 = i0 + n1;
  invertLowerInPlace(a, ld, i0, n1);
  invertLowerInPlace(a, ld, i1, n2);
  const T = new Float64Array(n2 * n1);
  // T = B A⁻¹, then B = −C⁻¹ T.
  gemmStrided(false, false, n2, n1, n1, 1, a, i1 * ld + i0, ld, a, i0 * ld + i0, ld, 0, T, 0, n1);
  gemmStrided(false, false, n2, n1, n2, -1, a, i1 * ld + i1, ld, T, 0, n1, 0, a, i1 * ld + i0, ld);
}

/**
 * The upper Cholesky factor U of (H + λI)⁻¹ = UᵀU for H = XᵀX, with
 * λ = damp · mean(diag H), and the dead input channels (H_jj = 0, whose
 * H_jj is set to 1 before damping, as in the reference code). U comes from
 * one Cholesky factorization of H with rows and columns reversed, J H J =
 * L̃ L̃ᵀ, as U = J L̃⁻¹ J: the factor is unique, so this is the Cholesky
 * factor of H⁻¹ without forming H⁻¹. The factor 2 of H = 2XᵀX in the
 * papers cancels in every update and mask score, so it is left out.
 */
export function inverseHessianFactor(X: Matrix, damp: number): { U: Matrix; dead: Uint8Array } {
  const H = gram(X);
  const d = H.cols, h = H.data;
  const dead = new Uint8Array(d);
  let mean = 0;
  for (let j = 0; j < d; j++) {
    if (h[j * d + j] === 0) {
      dead[j] = 1;
      h[j * d + j] = 1;
    }
    mean += h[j * d + j] / d;
  }
  const lambda = damp * mean;
  const R = Matrix.zeros(d, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) R.data[i * d + j] = h[(d - 1 - i) * d + (d - 1 - j)] + (i === j ? lambda : 0);
  const Linv = cholesky(R);
  invertLowerInPlace(Linv.data, d, 0, d);
  const U = Matrix.zeros(d, d);
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) U.data[i * d + j] = Linv.data[(d - 1 - i) * d + (d - 1 - j)];
  return { U, dead };
}

/** Zeroes the columns of dead inputs (no calibration signal), as the reference code does before the sweep. */
export function zeroDead(w: Float64Array, rows: number, dead: Uint8Array): void {
  const d = dead.length;
  for (let j = 0; j < d; j++) if (dead[j]) for (let r = 0; r < rows; r++) w[r * d + j] = 0;
}

/** What the column sweep does to each column besides the OBS update. */
export interface SweepOptions {
  /** Columns per lazy batch (B in the papers). */
  readonly blockSize: number;
  /** Pruning: weights to prune in columns [i1, i2) for the block-adaptive mask (SparseGPT's unstructured mask). */
  readonly prunePerBlock?: (i1: number, i2: number) => number;
  /** Pruning: an n:m pattern, chosen per group when the sweep reaches the group (SparseGPT's semi-structured mask). */
  readonly n?: number;
  readonly m?: number;
  /** Quantization to `bits`, one grid per row or per `groupSize` consecutive weights of a row. */
  readonly bits?: number;
  readonly groupSize?: number;
  readonly signal?: AbortSignal;
}

/** Block ends such that every n:m group and every quantization group that starts inside a block also ends in it. */
function blockEnd(i1: number, d: number, B: number, aligns: readonly number[]): number {
  let e = Math.min(d, i1 + B);
  for (let changed = true; changed && e < d; ) {
    changed = false;
    for (const g of aligns) {
      const last = Math.floor((e - 1) / g) * g;
      if (last > i1 && last + g > e) {
        e = last;
        changed = true;
      }
    }
  }
  return e;
}

/**
 * The optimal-brain-surgeon column sweep with lazy batch updates (GPTQ Alg.
 * 1; SparseGPT Alg. 1). Column j is replaced by its pruned and/or quantized
 * value q_j; the error e = (w_j − q_j) / U_jj is spread over the remaining
 * columns as W[:, j+1:] −= e · U[j, j+1:], inside the block at once and
 * beyond it in one GEMM when the block ends. Mask scores are w² / U_jj².
 *
 * @param w - rows x d weights (row-major), overwritten with the result
 * @param U - d x d upper Cholesky factor of the damped inverse Hessian
 */
export function obsSweep(w: Float64Array, rows: number, U: Matrix, o: SweepOptions): void {
  const d = U.cols, u = U.data;
  // A block holds at least one whole n:m group, so a group's mask is chosen once, on its block.
  const B = Math.max(1, o.blockSize, o.m ?? 1);
  const quant = o.bits !== undefined;
  const maxq = quant ? 2 ** o.bits! - 1 : 0;
  const g = quant ? Math.min(o.groupSize ?? d, d) : d;
  const aligns = [...(o.m !== undefined ? [o.m] : []), ...(quant && g < d ? [g] : [])];
  const W1 = new Float64Array(rows * B), E1 = new Float64Array(rows * B);
  const m1 = new Uint8Array(rows * B);
  const score = new Float64Array(rows * B);
  const grids: Grid[] = Array.from({ length: rows }, () => ({ scale: 1, zero: 0 }));
  const gbuf = new Float64Array(g);
  for (let i1 = 0; i1 < d; ) {
    o.signal?.throwIfAborted();
    const i2 = blockEnd(i1, d, B, aligns), cnt = i2 - i1;
    for (let r = 0; r < rows; r++) for (let c = 0; c < cnt; c++) W1[r * cnt + c] = w[r * d + i1 + c];
    m1.fill(1, 0, rows * cnt);
    if (o.prunePerBlock) {
      // SparseGPT's adaptive mask: the block's least salient weights (w² / U_jj²), after the n:m pattern if any.
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cnt; c++) {
          const dj = u[(i1 + c) * d + i1 + c];
          score[r * cnt + c] = (W1[r * cnt + c] * W1[r * cnt + c]) / (dj * dj);
        }
      const mk = keepMask(score.subarray(0, rows * cnt), rows, cnt, {
        keep: rows * cnt - o.prunePerBlock(i1, i2),
        ...(o.n !== undefined && { n: o.n, m: o.m }),
      });
      m1.set(mk);
    }
    for (let c = 0; c < cnt; c++) {
      const j = i1 + c;
      if (o.n !== undefined && !o.prunePerBlock && j % o.m! === 0) {
        // Semi-structured: the group's mask is chosen on the weights as updated so far.
        const m = o.m!, gs = Math.min(m, cnt - c);
        const sc = score.subarray(0, rows * gs), mk = new Uint8Array(rows * gs).fill(1);
        for (let r = 0; r < rows; r++)
          for (let a = 0; a < gs; a++) {
            const dj = u[(j + a) * d + j + a], v = W1[r * cnt + c + a];
            sc[r * gs + a] = (v * v) / (dj * dj);
          }
        nmMask(sc, rows, gs, o.n, m, mk);
        for (let r = 0; r < rows; r++) for (let a = 0; a < gs; a++) m1[r * cnt + c + a] = mk[r * gs + a];
      }
      if (quant && j % g === 0) {
        // A new group: its grid from the current weights (inside this block by construction, or starting at the block start).
        const len = Math.min(g, d - j);
        for (let r = 0; r < rows; r++) {
          for (let a = 0; a < len; a++) gbuf[a] = c + a < cnt ? W1[r * cnt + c + a] : w[r * d + j + a];
          minMaxGrid(gbuf, 0, len, maxq, grids[r]);
        }
      }
      const dj = u[j * d + j];
      const urow = j * d;
      for (let r = 0; r < rows; r++) {
        const o1 = r * cnt;
        const wv = W1[o1 + c];
        let q = m1[o1 + c] ? wv : 0;
        if (quant) q = quantize(q, grids[r], maxq);
        w[r * d + j] = q;
        const e = (wv - q) / dj;
        E1[o1 + c] = e;
        if (e === 0) continue;
        for (let c2 = c + 1; c2 < cnt; c2++) W1[o1 + c2] -= e * u[urow + i1 + c2];
      }
    }
    // The lazy update of everything right of the block: W[:, i2:] −= E1 · U[i1:i2, i2:].
    if (i2 < d) gemmStrided(false, false, rows, d - i2, cnt, -1, E1, 0, cnt, u, i1 * d + i2, d, 1, w, i2, d);
    i1 = i2;
  }
}
