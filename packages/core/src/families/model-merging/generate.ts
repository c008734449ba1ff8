import type { Rng } from '../../random/rng.js';
import { Matrix } from '../../linalg/matrix.js';
import type { Instance } from '../../plugin/family.js';
import { badParam } from '../common.js';
import { matmul } from '../../linalg/gemm.js';
import { cloneMlp, initMlp } from '../../nn/mlp.js';
import { adam } from '../../nn/optim.js';
import { gatherRows, trainMlp } from '../../nn/train.js';
import { drawInputs, labelData, randomOrthonormal, teacherStudentTask, weightShift } from '../../nn/teacher.js';
import { fineTuningSuite, type FineTuneSuiteOptions } from '../../nn/finetune.js';
import type { Dataset, Mlp } from '../../nn/types.js';
import type { ModelMergingObservation, ModelMergingParams, ModelMergingTruth } from './schema.js';

const FAMILY = 'model-merging';

/** Solves the small dense system M X = B (n x n, n x m) by Gauss-Jordan elimination with partial pivoting. */
function solveSmall(M: Matrix, B: Matrix): Matrix {
  const n = M.rows, m = B.cols;
  const a = Matrix.clone(M).data, x = Matrix.clone(B).data;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]) > Math.abs(a[p * n + c])) p = r;
    if (a[p * n + c] === 0) throw new RangeError('solveSmall: singular matrix');
    if (p !== c) {
      for (let j = 0; j < n; j++) [a[c * n + j], a[p * n + j]] = [a[p * n + j], a[c * n + j]];
      for (let j = 0; j < m; j++) [x[c * m + j], x[p * m + j]] = [x[p * m + j], x[c * m + j]];
    }
    const piv = a[c * n + c];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r * n + c] / piv;
      if (f === 0) continue;
      for (let j = 0; j < n; j++) a[r * n + j] -= f * a[c * n + j];
      for (let j = 0; j < m; j++) x[r * m + j] -= f * x[c * m + j];
    }
  }
  for (let r = 0; r < n; r++) for (let j = 0; j < m; j++) x[r * m + j] /= a[r * n + r];
  return { rows: n, cols: m, data: x };
}

/**
 * A random rotation R = Cayley(A) = (I - A)⁻¹(I + A) of ℝ^n whose generator A
 * is skew-symmetric, supported on a random `dim`-dimensional subspace, with
 * ‖A‖_F = angle (paper 36's OFT experts).
 */
export function randomCayleyRotation(n: number, dim: number, angle: number, rng: Rng): Matrix {
  const Q = randomOrthonormal(n, dim, rng);
  const S = Matrix.zeros(dim, dim);
  let f = 0;
  for (let i = 0; i < dim; i++)
    for (let j = i + 1; j < dim; j++) {
      const v = rng.normal();
      S.data[i * dim + j] = v;
      S.data[j * dim + i] = -v;
      f += 2 * v * v;
    }
  const scale = f > 0 ? angle / Math.sqrt(f) : 0;
  const IminusS = Matrix.eye(dim), IplusS = Matrix.eye(dim);
  for (let i = 0; i < dim * dim; i++) {
    IminusS.data[i] -= scale * S.data[i];
    IplusS.data[i] += scale * S.data[i];
  }
  // A = Q S Qᵀ, so R = I + Q (C - I) Qᵀ with C the Cayley map of S on the subspace.
  const C = solveSmall(IminusS, IplusS);
  for (let i = 0; i < dim; i++) C.data[i * dim + i] -= 1;
  const R = matmul(matmul(Q, C), Q, { transB: true });
  for (let i = 0; i < n; i++) R.data[i * n + i] += 1;
  return R;
}

function checkParams(p: ModelMergingParams): void {
  if (p.variant === 'same-task' && p.tasks < 2) throw badParam(FAMILY, 'tasks', `= ${p.tasks}: same-task needs at least 2 models to merge`);
  if (p.variant === 'orthogonal' && p.oftDim > p.inputDim) throw badParam(FAMILY, 'oftDim', `= ${p.oftDim} exceeds inputDim = ${p.inputDim}`);
  if (p.calibrationSize > p.nTrain) throw badParam(FAMILY, 'calibrationSize', `= ${p.calibrationSize} exceeds nTrain = ${p.nTrain}`);
  if (p.labels === 'clusters' && (p.variant !== 'same-task' || p.inputs !== 'clustered' || p.task !== 'classification')) {
    throw badParam(FAMILY, 'labels', `= "clusters" needs variant "same-task", inputs "clustered" and task "classification" (got ${p.variant}, ${p.inputs}, ${p.task})`);
  }
}

function firstRows(data: Dataset, n: number): Dataset {
  return gatherRows(data, Int32Array.from({ length: n }, (_, i) => i));
}

/**
 * Draws K models to merge and the K tasks they should serve; see the family
 * README for each variant. All training is core's own (Adam, seeded).
 */
export function generateModelMerging(p: ModelMergingParams, rng: Rng): Instance<ModelMergingObservation, ModelMergingTruth> {
  checkParams(p);
  const common = {
    inputDim: p.inputDim, hidden: p.hidden, outputs: p.outputs, activation: p.activation, task: p.task,
    nTrain: p.nTrain, nTest: p.nTest, inputs: p.inputs, labelNoise: p.labelNoise, snrDb: p.snrDb,
  } as const;
  const calib = (d: Dataset[]) => (p.calibrationSize > 0 ? { calibration: d.map((x) => firstRows(x, p.calibrationSize)) } : {});

  if (p.variant === 'same-task') {
    const t = teacherStudentTask({ ...common, labels: p.labels }, rng);
    const models: Mlp[] = [];
    for (let k = 0; k < p.tasks; k++) {
      const own = rng.split(`model-${k}`);
      const m = initMlp([p.inputDim, ...p.hidden, p.outputs], p.activation, own, 'he');
      trainMlp(m, t.train, { task: p.task, steps: p.pretrainSteps, batchSize: p.batchSize, optimizer: adam({ lr: p.lr }), rng: own });
      models.push(m);
    }
    return {
      observation: { variant: p.variant, task: p.task, models, ...calib([t.train]) },
      truth: { tests: [t.test], baseTest: t.test, teachers: [t.teacher] },
    };
  }

  const suiteOptions: FineTuneSuiteOptions = {
    ...common,
    tasks: p.variant === 'orthogonal' ? 0 : p.tasks,
    taskShift: p.taskShift, shiftKind: p.shiftKind, taskRank: p.taskRank, shiftSpread: p.shiftSpread,
    pretrainSteps: p.pretrainSteps, finetuneSteps: p.finetuneSteps, batchSize: p.batchSize, lr: p.lr,
    mode: p.variant === 'lora' ? 'lora' : 'full', loraRank: p.loraRank,
  };
  const suite = fineTuningSuite(suiteOptions, rng);
  const baseTest = labelData(suite.baseTeacher, drawInputs(p.nTest, common, suite.centers, rng).X, p.task, rng);

  if (p.variant === 'orthogonal') {
    // Experts are θ₀ with W₀ R_k (and an optional rank-2 residual); each expert is its task's teacher.
    const models: Mlp[] = [], rotations: Matrix[] = [], tests: Dataset[] = [], trains: Dataset[] = [];
    for (let k = 0; k < p.tasks; k++) {
      const R = randomCayleyRotation(p.inputDim, p.oftDim, p.oftAngle, rng);
      const expert = cloneMlp(suite.base);
      const W0 = expert.layers[0].W;
      const rotated = matmul(W0, R);
      if (p.oftResidual > 0) {
        const res = weightShift(W0, 'low-rank', rng, { relScale: p.oftResidual, rank: 2 });
        for (let i = 0; i < res.data.length; i++) rotated.data[i] += res.data[i];
      }
      W0.data.set(rotated.data);
      models.push(expert);
      rotations.push(R);
      tests.push(labelData(expert, drawInputs(p.nTest, common, suite.centers, rng).X, p.task, rng));
      if (p.calibrationSize > 0) trains.push(labelData(expert, drawInputs(p.calibrationSize, common, suite.centers, rng).X, p.task, rng));
    }
    return {
      observation: { variant: p.variant, task: p.task, base: suite.base, models, rotations, ...calib(trains) },
      truth: { tests, baseTest, teachers: models.map(cloneMlp) },
    };
  }

  const observation: ModelMergingObservation = {
    variant: p.variant,
    task: p.task,
    base: suite.base,
    models: suite.tasks.map((t) => t.model),
    ...(p.variant === 'lora' && { lora: suite.tasks.map((t) => t.lora!) }),
    ...calib(suite.tasks.map((t) => t.train)),
  };
  return { observation, truth: { tests: suite.tasks.map((t) => t.test), baseTest, teachers: suite.tasks.map((t) => t.teacher) } };
}
