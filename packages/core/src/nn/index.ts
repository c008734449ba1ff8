/**
 * A minimal neural-network toolkit shared by the families that need small
 * models (model-merging, peft, optimizer, weight-compression): dense MLPs as
 * plain data, forward/backward on a batch, losses, SGD/Adam, LoRA, and
 * teacher–student task generators. See the "nn" section of the core README.
 */
export { TActivation, TDenseLayer, TMlp, TTaskKind, TDataset, type Activation, type DenseLayer, type Mlp, type MlpGrads, type TaskKind, type Dataset } from './types.js';
export { activate, activationBackward } from './activations.js';
export {
  initMlp,
  mlpSizes,
  countParams,
  cloneMlp,
  zerosLike,
  paramArrays,
  flattenMlp,
  unflattenMlp,
  combineMlps,
  permuteHidden,
  checkMlp,
  mlpForward,
  mlpForwardCached,
  mlpBackward,
  type InitScheme,
  type MlpCache,
} from './mlp.js';
export { mseLoss, softmaxCrossEntropy, argmaxRows, accuracy, argmaxAgreement, taskLoss, lossAndGrad, evaluateMlp, evaluatePredictions, type LossResult } from './losses.js';
export { sgd, adam, type Optimizer, type SgdOptions, type AdamOptions } from './optim.js';
export { gatherRows, batchSchedule, trainMlp, type TrainOptions } from './train.js';
export { TLoraFactors, applyLora, trainLora, type LoraFactors, type LoraTrainOptions } from './lora.js';
export {
  gaussianInputs,
  clusterCenters,
  clusteredInputs,
  randomTeacher,
  weightShift,
  labelData,
  drawInputs,
  teacherStudentTask,
  type TeacherOptions,
  type ShiftKind,
  type ShiftOptions,
  type LabelOptions,
  type TeacherTaskOptions,
  type TeacherTask,
} from './teacher.js';
export { fineTuningSuite, type FineTuneSuiteOptions, type FineTunedTask, type FineTuneSuite } from './finetune.js';
