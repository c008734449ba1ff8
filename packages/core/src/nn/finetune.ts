import type { Rng } from '../random/rng.js';
import type { Matrix } from '../linalg/matrix.js';
import { cloneMlp, initMlp, mlpForward } from './mlp.js';
import { adam } from './optim.js';
import { trainMlp } from './train.js';
import { trainLora, type LoraFactors } from './lora.js';
import { clusterCenters, drawInputs, labelData, randomTeacher, weightShift, type ShiftKind, type TeacherTaskOptions } from './teacher.js';
import type { Dataset, Mlp } from './types.js';

/** Options of {@link fineTuningSuite}. */
export interface FineTuneSuiteOptions extends TeacherTaskOptions {
  /** Number of related tasks K. */
  readonly tasks: number;
  /** Mean relative size ‖ΔW_k‖_F / ‖W_l‖_F of each task's teacher shift, per layer. */
  readonly taskShift: number;
  /** Structure of the shifts (default `low-rank`). */
  readonly shiftKind?: ShiftKind;
  /** Rank of `low-rank` shifts (default 4). */
  readonly taskRank?: number;
  /**
   * Spread of the shift magnitudes across tasks: task k's scale is taskShift ·
   * spread^(u_k - 1/2), u_k uniform, i.e. log-uniform over a ratio `spread`
   * (1: equal magnitudes).
   */
  readonly shiftSpread?: number;
  /** Adam steps pre-training the base student θ₀ on the base task. */
  readonly pretrainSteps: number;
  /** Adam steps fine-tuning θ₀ on each task. */
  readonly finetuneSteps: number;
  readonly batchSize: number;
  /** Adam learning rate of pre-training and fine-tuning. */
  readonly lr: number;
  /** `full` fine-tuning (default) or `lora` (rank `loraRank` factors on every layer). */
  readonly mode?: 'full' | 'lora';
  readonly loraRank?: number;
}

/** One derived task: its teacher, data, and the fine-tuned student θ_k. */
export interface FineTunedTask {
  readonly teacher: Mlp;
  readonly train: Dataset;
  readonly test: Dataset;
  /** θ_k: θ₀ fine-tuned on this task's training set. */
  readonly model: Mlp;
  /** `lora` mode: θ_k = θ₀ + B_l A_l per layer. */
  readonly lora?: LoraFactors[];
  /** The relative shift scale this task's teacher got. */
  readonly shiftScale: number;
}

/** A base task with its pre-trained student θ₀ and K fine-tuned tasks. */
export interface FineTuneSuite {
  readonly baseTeacher: Mlp;
  /** θ₀: a student trained from He init on the base teacher's data. */
  readonly base: Mlp;
  readonly baseTrain: Dataset;
  readonly tasks: FineTunedTask[];
  /** Cluster centres of clustered inputs (to draw more data from the same distribution). */
  readonly centers?: Matrix;
}

/**
 * K related tasks derived from one base task, with the models model-merging
 * needs: a random base teacher T₀ labels the base data and a student θ₀ is
 * pre-trained on it; task k's teacher is T_k = T₀ + ΔW_k on every layer
 * (a `shiftKind` update of relative size s_k, see {@link weightShift}; biases
 * kept), and θ_k is θ₀ fine-tuned on task k's data (full or LoRA). All tasks
 * share the input distribution.
 *
 * @example
 * const suite = fineTuningSuite({ inputDim: 32, hidden: [64], outputs: 10, activation: 'relu', task: 'classification',
 *   nTrain: 512, nTest: 1000, tasks: 4, taskShift: 0.5, pretrainSteps: 150, finetuneSteps: 80, batchSize: 32, lr: 0.01 }, rng);
 */
export function fineTuningSuite(options: FineTuneSuiteOptions, rng: Rng): FineTuneSuite {
  const sizes = [options.inputDim, ...options.hidden, options.outputs];
  const classification = options.task === 'classification';
  const baseTeacher = randomTeacher(sizes, options.activation, rng, {
    outputStd: options.outputStd ?? (classification ? 3 : 1),
    rank: options.teacherRank ?? 0,
  });
  const centers = options.inputs === 'clustered'
    ? clusterCenters(options.clusters ?? 3 * options.outputs, options.inputDim, options.clusterSpread ?? 2, rng)
    : undefined;
  const dataFor = (teacher: Mlp, n: number, noisy: boolean): Dataset => {
    const { X } = drawInputs(n, options, centers, rng);
    let noiseStd = 0;
    if (noisy && !classification && options.snrDb !== undefined && options.snrDb !== 'inf') {
      const out = mlpForward(teacher, X);
      let s = 0;
      for (const v of out.data) s += v * v;
      noiseStd = Math.sqrt(s / Math.max(out.data.length, 1)) / Math.pow(10, options.snrDb / 20);
    }
    return labelData(teacher, X, options.task, rng, noisy ? { labelNoise: options.labelNoise, noiseStd } : {});
  };

  const baseTrain = dataFor(baseTeacher, options.nTrain, true);
  const base = initMlp(sizes, options.activation, rng, 'he');
  trainMlp(base, baseTrain, { task: options.task, steps: options.pretrainSteps, batchSize: options.batchSize, optimizer: adam({ lr: options.lr }), rng });

  const spread = options.shiftSpread ?? 1;
  const tasks: FineTunedTask[] = [];
  for (let k = 0; k < options.tasks; k++) {
    const shiftScale = options.taskShift * Math.pow(spread, rng.uniform() - 0.5);
    const teacher = cloneMlp(baseTeacher);
    for (const layer of teacher.layers) {
      const d = weightShift(layer.W, options.shiftKind ?? 'low-rank', rng, { relScale: shiftScale, rank: options.taskRank ?? 4 });
      for (let i = 0; i < d.data.length; i++) layer.W.data[i] += d.data[i];
    }
    const train = dataFor(teacher, options.nTrain, true);
    const test = dataFor(teacher, options.nTest, false);
    if (options.mode === 'lora') {
      const { factors, model } = trainLora(base, train, {
        task: options.task, rank: options.loraRank ?? 4, steps: options.finetuneSteps, batchSize: options.batchSize, lr: options.lr, rng,
      });
      tasks.push({ teacher, train, test, model, lora: factors.map((f) => f!), shiftScale });
    } else {
      const model = cloneMlp(base);
      trainMlp(model, train, { task: options.task, steps: options.finetuneSteps, batchSize: options.batchSize, optimizer: adam({ lr: options.lr }), rng });
      tasks.push({ teacher, train, test, model, shiftScale });
    }
  }
  return centers ? { baseTeacher, base, baseTrain, tasks, centers } : { baseTeacher, base, baseTrain, tasks };
}
