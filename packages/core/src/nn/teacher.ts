import { Matrix } from '../linalg/matrix.js';
import type { Rng } from '../random/rng.js';
import { argmaxRows } from './losses.js';
import { initMlp, mlpForward } from './mlp.js';
import type { Activation, Dataset, Mlp, TaskKind } from './types.js';

/** N x d inputs with i.i.d. N(0, 1) entries. @example gaussianInputs(100, 32, rng).rows // => 100 */
export function gaussianInputs(n: number, d: number, rng: Rng): Matrix {
  const X = Matrix.zeros(n, d);
  rng.fillNormal(X.data);
  return X;
}

/** c cluster centres in ℝ^d with i.i.d. N(0, spread²) entries. */
export function clusterCenters(c: number, d: number, spread: number, rng: Rng): Matrix {
  const C = Matrix.zeros(c, d);
  rng.fillNormal(C.data, 0, spread);
  return C;
}

/**
 * n points of a Gaussian mixture: each picks a centre uniformly at random and
 * adds N(0, std² I) noise. Returns the points and the index of their centre.
 *
 * @example
 * const { X, cluster } = clusteredInputs(100, clusterCenters(30, 32, 2, rng), 1, rng);
 */
export function clusteredInputs(n: number, centers: Matrix, std: number, rng: Rng): { X: Matrix; cluster: Int32Array } {
  const d = centers.cols;
  const X = Matrix.zeros(n, d);
  const cluster = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.int(centers.rows);
    cluster[i] = c;
    for (let j = 0; j < d; j++) X.data[i * d + j] = centers.data[c * d + j] + std * rng.normal();
  }
  return { X, cluster };
}

/**
 * k orthonormal columns in ℝ^n (n x k): modified Gram-Schmidt on Gaussian
 * vectors, i.e. a Haar-distributed frame (cheaper than `haarOrthogonal` when
 * k ≪ n). Internal to the nn-based families.
 *
 * @example
 * randomOrthonormal(8, 3, rng).cols // => 3
 */
export function randomOrthonormal(n: number, k: number, rng: Rng): Matrix {
  const Q = Matrix.zeros(n, k);
  const col = new Float64Array(n);
  for (let j = 0; j < k; j++) {
    rng.fillNormal(col);
    for (let p = 0; p < j; p++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += Q.data[i * k + p] * col[i];
      for (let i = 0; i < n; i++) col[i] -= d * Q.data[i * k + p];
    }
    let s = 0;
    for (const v of col) s += v * v;
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < n; i++) Q.data[i * k + j] = col[i] * inv;
  }
  return Q;
}

/** Options of {@link randomTeacher}. */
export interface TeacherOptions {
  /** Standard deviation of the teacher's outputs on N(0, I) inputs (e.g. logits of std 3). Default 1. */
  readonly outputStd?: number;
  /** Standard deviation of the biases before output scaling. Default 0.1. */
  readonly biasStd?: number;
  /**
   * When > 0, every weight matrix is rank `rank` with singular-value profile
   * s_i ∝ 1/√i (random factors); 0 keeps full-rank Gaussian weights.
   */
  readonly rank?: number;
}

/**
 * A random teacher MLP: He-initialised Gaussian weights, small random biases,
 * and the last layer scaled so that the outputs on N(0, I) inputs have
 * standard deviation `outputStd` (measured on 256 probe inputs drawn from
 * the same stream).
 *
 * @example
 * const teacher = randomTeacher([32, 64, 10], 'relu', rng, { outputStd: 3 });
 */
export function randomTeacher(sizes: readonly number[], activation: Activation, rng: Rng, options: TeacherOptions = {}): Mlp {
  const net = initMlp(sizes, activation, rng, 'he');
  const biasStd = options.biasStd ?? 0.1;
  const rank = options.rank ?? 0;
  for (const layer of net.layers) {
    rng.fillNormal(layer.b, 0, biasStd);
    if (rank > 0) {
      const { rows, cols } = layer.W;
      const target = Math.sqrt(rows * cols * (2 / cols));
      const lr = lowRankMatrix(rows, cols, Math.min(rank, rows, cols), rng, (i) => 1 / Math.sqrt(i + 1));
      scaleTo(lr, target);
      layer.W.data.set(lr.data);
    }
  }
  const probe = gaussianInputs(256, sizes[0], rng);
  const out = mlpForward(net, probe);
  let mean = 0;
  for (const v of out.data) mean += v;
  mean /= out.data.length;
  let varSum = 0;
  for (const v of out.data) varSum += (v - mean) * (v - mean);
  const std = Math.sqrt(varSum / out.data.length);
  const factor = (options.outputStd ?? 1) / Math.max(std, 1e-12);
  const last = net.layers[net.layers.length - 1];
  for (let i = 0; i < last.W.data.length; i++) last.W.data[i] *= factor;
  for (let i = 0; i < last.b.length; i++) last.b[i] *= factor;
  return net;
}

function scaleTo(a: Matrix, frob: number): void {
  let s = 0;
  for (const v of a.data) s += v * v;
  const f = s > 0 ? frob / Math.sqrt(s) : 0;
  for (let i = 0; i < a.data.length; i++) a.data[i] *= f;
}

function norm(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return Math.sqrt(s);
}

/** Σ_i s(i) u_i v_iᵀ with random unit u_i, v_i (nearly orthogonal in high dimension). */
function lowRankMatrix(rows: number, cols: number, rank: number, rng: Rng, s: (i: number) => number): Matrix {
  const out = Matrix.zeros(rows, cols);
  const u = new Float64Array(rows), v = new Float64Array(cols);
  for (let r = 0; r < rank; r++) {
    rng.fillNormal(u);
    rng.fillNormal(v);
    const nu = norm(u), nv = norm(v);
    const c = s(r) / (nu * nv);
    for (let i = 0; i < rows; i++) {
      const ui = c * u[i];
      for (let j = 0; j < cols; j++) out.data[i * cols + j] += ui * v[j];
    }
  }
  return out;
}

/** Structure of a weight shift ΔW made by {@link weightShift}. */
export type ShiftKind = 'gaussian' | 'low-rank' | 'decaying' | 'sparse';

/** Options of {@link weightShift}. */
export interface ShiftOptions {
  /** ‖ΔW‖_F / ‖W‖_F. */
  readonly relScale: number;
  /** `low-rank`: the rank (default 4). */
  readonly rank?: number;
  /** `sparse`: fraction of nonzero entries (default 0.05). */
  readonly density?: number;
}

/**
 * A random update ΔW for a weight matrix W with ‖ΔW‖_F = relScale ‖W‖_F:
 * `gaussian` (i.i.d., high rank), `low-rank` (rank r, flat spectrum),
 * `decaying` (full rank, singular values ∝ 1/i) or `sparse` (a fraction
 * `density` of entries, at random positions, high rank).
 *
 * @example
 * const dW = weightShift(W, 'low-rank', rng, { relScale: 0.5, rank: 4 });
 */
export function weightShift(W: Matrix, kind: ShiftKind, rng: Rng, options: ShiftOptions): Matrix {
  const { rows, cols } = W;
  let d: Matrix;
  switch (kind) {
    case 'gaussian':
      d = Matrix.zeros(rows, cols);
      rng.fillNormal(d.data);
      break;
    case 'low-rank':
      d = lowRankMatrix(rows, cols, Math.max(1, Math.min(options.rank ?? 4, rows, cols)), rng, () => 1);
      break;
    case 'decaying':
      d = lowRankMatrix(rows, cols, Math.min(rows, cols), rng, (i) => 1 / (i + 1));
      break;
    case 'sparse': {
      d = Matrix.zeros(rows, cols);
      const nnz = Math.max(1, Math.round((options.density ?? 0.05) * rows * cols));
      for (const p of rng.sampleWithoutReplacement(rows * cols, nnz)) d.data[p] = rng.normal();
      break;
    }
  }
  let w = 0;
  for (const v of W.data) w += v * v;
  scaleTo(d, options.relScale * Math.sqrt(w));
  return d;
}

/** Options of {@link labelData}. */
export interface LabelOptions {
  /** Classification: fraction of labels replaced by a uniformly random class. Default 0. */
  readonly labelNoise?: number;
  /** Regression: standard deviation of additive Gaussian target noise. Default 0. */
  readonly noiseStd?: number;
}

/**
 * Labels inputs with a teacher: classification labels are the argmax of the
 * teacher's logits (then a fraction `labelNoise` re-drawn uniformly);
 * regression targets are the teacher's outputs plus N(0, noiseStd²) noise.
 *
 * @example
 * const train = labelData(teacher, X, 'classification', rng, { labelNoise: 0.05 });
 */
export function labelData(teacher: Mlp, X: Matrix, task: TaskKind, rng: Rng, options: LabelOptions = {}): Dataset {
  const out = mlpForward(teacher, X);
  if (task === 'classification') {
    const labels = argmaxRows(out);
    const noise = options.labelNoise ?? 0;
    if (noise > 0) for (let i = 0; i < labels.length; i++) if (rng.uniform() < noise) labels[i] = rng.int(out.cols);
    return { X, labels };
  }
  const s = options.noiseStd ?? 0;
  if (s > 0) for (let i = 0; i < out.data.length; i++) out.data[i] += s * rng.normal();
  return { X, targets: out };
}

/** Options of {@link teacherStudentTask}. */
export interface TeacherTaskOptions {
  readonly inputDim: number;
  readonly hidden: readonly number[];
  readonly outputs: number;
  readonly activation: Activation;
  readonly task: TaskKind;
  readonly nTrain: number;
  readonly nTest: number;
  /** `gaussian` N(0, I) inputs, or `clustered` Gaussian-mixture inputs. Default gaussian. */
  readonly inputs?: 'gaussian' | 'clustered';
  /** Clustered inputs: number of centres (default 3 per output). */
  readonly clusters?: number;
  /** Clustered inputs: standard deviation of the centres' entries (default 2; points have unit noise). */
  readonly clusterSpread?: number;
  /**
   * Classification labels from the `teacher` (default) or from the `clusters`
   * (cluster c has class c mod outputs: a teacher-free mixture task).
   */
  readonly labels?: 'teacher' | 'clusters';
  /** Fraction of training labels re-drawn at random (classification). */
  readonly labelNoise?: number;
  /** Training-target SNR in dB (regression); 'inf' or absent: noiseless. */
  readonly snrDb?: number | 'inf';
  /** Teacher output standard deviation (default 3 for classification logits, 1 for regression). */
  readonly outputStd?: number;
  /** Rank of the teacher's weight matrices (0: full). */
  readonly teacherRank?: number;
}

/** A teacher and its labelled train and (clean) test sets. */
export interface TeacherTask {
  readonly teacher: Mlp;
  readonly train: Dataset;
  readonly test: Dataset;
  /** Cluster centres (clustered inputs only), to draw more data from the same distribution. */
  readonly centers?: Matrix;
}

/**
 * Draws inputs for a task (see {@link TeacherTaskOptions.inputs}).
 * Returns the inputs and, for clustered inputs, each point's cluster.
 */
export function drawInputs(n: number, options: Pick<TeacherTaskOptions, 'inputDim' | 'inputs'>, centers: Matrix | undefined, rng: Rng): { X: Matrix; cluster?: Int32Array } {
  if (options.inputs === 'clustered' && centers) return clusteredInputs(n, centers, 1, rng);
  return { X: gaussianInputs(n, options.inputDim, rng) };
}

/**
 * A teacher–student task: a random teacher MLP ({@link randomTeacher}) labels
 * Gaussian or clustered inputs. The training set carries label/target noise;
 * the test set is clean, so it measures how well a student recovers the
 * teacher's function.
 *
 * @example
 * const { teacher, train, test } = teacherStudentTask({ inputDim: 32, hidden: [64], outputs: 10, activation: 'relu', task: 'classification', nTrain: 1000, nTest: 500 }, rng);
 */
export function teacherStudentTask(options: TeacherTaskOptions, rng: Rng): TeacherTask {
  const sizes = [options.inputDim, ...options.hidden, options.outputs];
  const teacher = randomTeacher(sizes, options.activation, rng, {
    outputStd: options.outputStd ?? (options.task === 'classification' ? 3 : 1),
    rank: options.teacherRank ?? 0,
  });
  const centers = options.inputs === 'clustered'
    ? clusterCenters(options.clusters ?? 3 * options.outputs, options.inputDim, options.clusterSpread ?? 2, rng)
    : undefined;
  const make = (n: number, noisy: boolean): Dataset => {
    const { X, cluster } = drawInputs(n, options, centers, rng);
    if (options.task === 'classification' && options.labels === 'clusters' && cluster) {
      const labels = Int32Array.from(cluster, (c) => c % options.outputs);
      const noise = noisy ? options.labelNoise ?? 0 : 0;
      if (noise > 0) for (let i = 0; i < labels.length; i++) if (rng.uniform() < noise) labels[i] = rng.int(options.outputs);
      return { X, labels };
    }
    return labelData(teacher, X, options.task, rng, noisy ? { labelNoise: options.labelNoise, noiseStd: noiseStdFor(teacher, X, options.snrDb) } : {});
  };
  const train = make(options.nTrain, true);
  const test = make(options.nTest, false);
  return centers ? { teacher, train, test, centers } : { teacher, train, test };
}

/** Noise standard deviation giving the requested SNR on the teacher's outputs over X. */
function noiseStdFor(teacher: Mlp, X: Matrix, snrDb: number | 'inf' | undefined): number {
  if (snrDb === undefined || snrDb === 'inf') return 0;
  const out = mlpForward(teacher, X);
  let s = 0;
  for (const v of out.data) s += v * v;
  const rms = Math.sqrt(s / Math.max(out.data.length, 1));
  return rms / Math.pow(10, snrDb / 20);
}
