import type { Rng } from '../../random/rng.js';
import { Matrix } from '../../linalg/matrix.js';
import type { Instance } from '../../plugin/family.js';
import { ParsimonyError } from '../../schema/errors.js';
import { badParam } from '../common.js';
import { matmul } from '../../linalg/gemm.js';
import { cloneMlp, initMlp, mlpForwardCached } from '../../nn/mlp.js';
import { gatherRows } from '../../nn/train.js';
import { randomOrthonormal, teacherStudentTask } from '../../nn/teacher.js';
import { checkBudget } from './budget.js';
import type { WeightCompressionLayer, WeightCompressionObservation, WeightCompressionParams, WeightCompressionTruth } from './schema.js';

const FAMILY = 'weight-compression';

/** Row-wise softmax(S) in place. */
function softmaxRows(S: Matrix): Matrix {
  for (let i = 0; i < S.rows; i++) {
    const r = S.data.subarray(i * S.cols, (i + 1) * S.cols);
    let mx = -Infinity;
    for (const v of r) if (v > mx) mx = v;
    let s = 0;
    for (let j = 0; j < r.length; j++) {
      r[j] = Math.exp(r[j] - mx);
      s += r[j];
    }
    for (let j = 0; j < r.length; j++) r[j] /= s;
  }
  return S;
}

/**
 * One attention head's decode output softmax(Q Kᵀ / √d) V (Q: n x d, K and
 * V: T x d).
 *
 * @example
 * attentionOutput(Q, K, V).rows // => Q.rows
 */
export function attentionOutput(Q: Matrix, K: Matrix, V: Matrix): Matrix {
  const S = matmul(Q, K, { transB: true });
  const c = 1 / Math.sqrt(Q.cols);
  for (let i = 0; i < S.data.length; i++) S.data[i] *= c;
  return matmul(softmaxRows(S), V);
}

/** A d_out x d_in weight matrix of the requested distribution (see the params). */
function layerWeights(dOut: number, dIn: number, kind: WeightCompressionParams['weights'], rng: Rng): Matrix {
  const W = Matrix.zeros(dOut, dIn);
  const s = 1 / Math.sqrt(dIn);
  if (kind === 'gaussian') {
    rng.fillNormal(W.data, 0, s);
  } else if (kind === 'student-t') {
    // t_4 = z / √(χ²_4 / 4) has variance 2: divide by √2 for unit variance.
    for (let i = 0; i < W.data.length; i++) {
      let chi = 0;
      for (let k = 0; k < 4; k++) chi += rng.normal() ** 2;
      W.data[i] = (s * rng.normal()) / Math.sqrt(chi / 4) / Math.SQRT2;
    }
  } else {
    const r = Math.min(dOut, dIn);
    const alpha = rng.uniformIn(0.3, 1.5);
    const U = randomOrthonormal(dOut, r, rng), V = randomOrthonormal(dIn, r, rng);
    let norm = 0;
    for (let i = 0; i < r; i++) norm += Math.pow(i + 1, -2 * alpha);
    // Same expected Frobenius norm as the Gaussian case: ‖W‖_F² = d_out.
    const c = Math.sqrt(dOut / norm);
    for (let i = 0; i < dOut; i++) for (let k = 0; k < r; k++) U.data[i * r + k] *= c * Math.pow(k + 1, -alpha);
    W.data.set(matmul(U, V, { transB: true }).data);
  }
  return W;
}

/** A sampler of correlated inputs with per-channel scales and outlier channels, shared by calibration and test. */
function inputSampler(dIn: number, p: WeightCompressionParams, rng: Rng): (n: number) => Matrix {
  const factors = 16;
  const F = Matrix.zeros(factors, dIn);
  rng.fillNormal(F.data, 0, 1 / Math.sqrt(factors));
  const scale = new Float64Array(dIn);
  for (let j = 0; j < dIn; j += p.scaleBlock) {
    const s = Math.exp(p.channelScaleStd * rng.normal());
    for (let k = j; k < Math.min(dIn, j + p.scaleBlock); k++) scale[k] = s;
  }
  for (const j of rng.sampleWithoutReplacement(dIn, Math.min(p.outlierChannels, dIn))) scale[j] *= p.outlierScale;
  const a = Math.sqrt(p.inputCorrelation), e = Math.sqrt(1 - p.inputCorrelation);
  return (n) => {
    const Z = Matrix.zeros(n, factors);
    rng.fillNormal(Z.data);
    const X = matmul(Z, F);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < dIn; j++) X.data[i * dIn + j] = scale[j] * (a * X.data[i * dIn + j] + e * rng.normal());
    return X;
  };
}

function generateLayers(p: WeightCompressionParams, rng: Rng): Instance<WeightCompressionObservation, WeightCompressionTruth> {
  const shapes = p.shapes.length > 0 ? p.shapes : Array.from({ length: p.layers }, () => [p.dOut, p.dIn] as [number, number]);
  const layers: WeightCompressionLayer[] = [];
  const outputs: WeightCompressionTruth['outputs'] = [];
  for (const [dOut, dIn] of shapes) {
    const W = layerWeights(dOut, dIn, p.weights, rng);
    const draw = inputSampler(dIn, p, rng);
    const X = draw(p.nCalib), Xt = draw(p.nTest);
    layers.push({ W, X });
    outputs.push({ X: Xt, Y: matmul(Xt, W, { transB: true }) });
  }
  return { observation: { variant: 'layer', budget: p.budget, layers }, truth: { outputs } };
}

function generateKvCache(p: WeightCompressionParams, rng: Rng): Instance<WeightCompressionObservation, WeightCompressionTruth> {
  const T = p.tokens, d = p.headDim;
  const layers: WeightCompressionLayer[] = [];
  const outputs: WeightCompressionTruth['outputs'] = [];
  for (let h = 0; h < p.heads; h++) {
    // Keys: Z diag(g) with log-normal channel scales and a few outlier channels x8 (paper 32's task).
    const g = Float64Array.from({ length: d }, () => Math.exp(0.3 * rng.normal()));
    for (const j of rng.sampleWithoutReplacement(d, Math.min(p.keyOutliers, d))) g[j] *= 8;
    const K = Matrix.zeros(T, d);
    for (let i = 0; i < T; i++) for (let j = 0; j < d; j++) K.data[i * d + j] = g[j] * rng.normal();
    const V = Matrix.zeros(T, d);
    rng.fillNormal(V.data);
    // Peaked queries: aligned with a random earlier key, plus channel-scaled noise.
    const queries = (n: number) => {
      const Q = Matrix.zeros(n, d);
      for (let i = 0; i < n; i++) {
        const tau = rng.int(T);
        let nk = 0;
        for (let j = 0; j < d; j++) nk += K.data[tau * d + j] ** 2;
        const c = (2 * Math.sqrt(d)) / Math.sqrt(nk);
        for (let j = 0; j < d; j++) Q.data[i * d + j] = c * K.data[tau * d + j] + 0.5 * g[j] * rng.normal();
      }
      return Q;
    };
    const Qc = queries(p.queries), Qt = queries(p.queries);
    layers.push({ W: K, X: Qc, role: 'key', head: h, ...(p.kvTarget === 'values' && { frozen: true }) });
    layers.push({ W: V, X: Qc, role: 'value', head: h, ...(p.kvTarget === 'keys' && { frozen: true }) });
    outputs.push({ X: Qt, Y: attentionOutput(Qt, K, V) });
  }
  return { observation: { variant: 'kv-cache', budget: p.budget, layers, denseWindow: p.denseWindow }, truth: { outputs } };
}

function generateNetwork(p: WeightCompressionParams, rng: Rng): Instance<WeightCompressionObservation, WeightCompressionTruth> {
  const { teacher, train, test } = teacherStudentTask(
    { inputDim: p.inputDim, hidden: p.hidden, outputs: p.outputs, activation: p.activation, task: p.task, nTrain: p.nTrain, nTest: p.nTest, labelNoise: p.labelNoise },
    rng,
  );
  const scratch = p.networkInit === 'scratch';
  const model = scratch ? initMlp([p.inputDim, ...p.hidden, p.outputs], p.activation, rng, 'he') : cloneMlp(teacher);
  const calib = scratch ? undefined : mlpForwardCached(model, gatherRows(train, Int32Array.from({ length: Math.min(p.nCalib, p.nTrain) }, (_, i) => i)).X).cache.inputs;
  const layers: WeightCompressionLayer[] = model.layers.map((l, i) => ({ W: Matrix.clone(l.W), ...(calib && { X: calib[i] }) }));
  return {
    observation: {
      variant: 'network',
      budget: p.budget,
      layers,
      network: { model, train, task: p.task, steps: p.steps, batchSize: p.batchSize, fromScratch: scratch },
    },
    truth: { outputs: [], network: { test, teacher } },
  };
}

/** Draws the matrices to compress and their held-out evaluation data; see README.md. */
export function generateWeightCompression(p: WeightCompressionParams, rng: Rng): Instance<WeightCompressionObservation, WeightCompressionTruth> {
  const dIns =
    p.variant === 'kv-cache' ? [p.headDim]
    : p.variant === 'network' ? [p.inputDim, ...p.hidden]
    : p.shapes.length > 0 ? p.shapes.map((s) => s[1])
    : [p.dIn];
  const problem = checkBudget(p.budget, dIns, 'params.budget');
  if (problem) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${FAMILY}: ${problem.message}`, problem.field);
  if (p.variant === 'kv-cache' && p.denseWindow >= p.tokens) throw badParam(FAMILY, 'denseWindow', `= ${p.denseWindow} must be below tokens = ${p.tokens}`);
  if (p.variant === 'network' && p.nCalib > p.nTrain) throw badParam(FAMILY, 'nCalib', `= ${p.nCalib} exceeds nTrain = ${p.nTrain}`);
  if (p.variant === 'kv-cache') return generateKvCache(p, rng);
  if (p.variant === 'network') return generateNetwork(p, rng);
  return generateLayers(p, rng);
}
