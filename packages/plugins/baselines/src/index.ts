import { definePlugin } from '@parsimony/core';
import { blockPowerSolver } from './solvers/block-power.js';
import { frequentDirectionsSolver } from './solvers/frequent-directions.js';
import { ojaSolver } from './solvers/oja.js';
import { alsSolver } from './solvers/als.js';
import { cosampSolver } from './solvers/cosamp.js';
import { fistaSolver } from './solvers/fista.js';
import { forwardStepwiseSolver } from './solvers/forward-stepwise.js';
import { ihtSolver } from './solvers/iht.js';
import { istaSolver } from './solvers/ista.js';
import { kronOmpSolver } from './solvers/kron-omp.js';
import { lassoSolver } from './solvers/lasso.js';
import { ompSolver } from './solvers/omp.js';
import { ompRegressionSolver } from './solvers/omp-regression.js';
import { productQuantizationSolver } from './solvers/product-quantization.js';
import { qjlSolver } from './solvers/qjl.js';
import { randomBcdSolver } from './solvers/random-bcd.js';
import { redBlackGaussSeidelSolver } from './solvers/red-black-gauss-seidel.js';
import { fwhtTopKSolver } from './solvers/fwht-top-k.js';
import { ridgeSolver } from './solvers/ridge.js';
import { sblSolver } from './solvers/sbl.js';
import { rotatedLloydMaxSolver } from './solvers/rotated-lloyd-max.js';
import { uniformScalarSolver } from './solvers/uniform-scalar.js';
import { truncatedSvdSolver } from './solvers/truncated-svd.js';
import { randomizedSvdSolver } from './solvers/randomized-svd.js';
import { topkSaeSolver } from './solvers/topk-sae.js';
import { l4MspBatchSolver } from './solvers/l4-msp-batch.js';
import { svtSolver } from './solvers/svt.js';
import { softImputeSolver } from './solvers/soft-impute.js';
import { columnSamplingSolver } from './solvers/column-sampling.js';
import { procrustesSolver } from './solvers/procrustes.js';
import { leastSquaresAlignmentSolver } from './solvers/least-squares-alignment.js';
import { hungarianSolver } from './solvers/hungarian.js';
import { ksvdSolver } from './solvers/ksvd.js';
import { modSolver } from './solvers/mod.js';
import { onlineDictionaryLearningSolver } from './solvers/online-dictionary-learning.js';
import { weightAveragingSolver } from './solvers/weight-averaging.js';
import { taskArithmeticSolver } from './solvers/task-arithmetic.js';
import { tiesMergingSolver } from './solvers/ties-merging.js';
import { fullFineTuningSolver } from './solvers/full-fine-tuning.js';
import { loraSolver } from './solvers/lora.js';
import { headOnlySolver } from './solvers/head-only.js';
import { sgdMomentumSolver } from './solvers/sgd-momentum.js';
import { adamSolver } from './solvers/adam.js';
import { galoreSolver } from './solvers/galore.js';
import { magnitudePruningSolver } from './solvers/magnitude-pruning.js';
import { wandaSolver } from './solvers/wanda.js';
import { sparsegptSolver } from './solvers/sparsegpt.js';
import { rtnSolver } from './solvers/rtn.js';
import { gptqSolver } from './solvers/gptq.js';
import { gradualMagnitudePruningSolver } from './solvers/gradual-magnitude-pruning.js';
import { srSteSolver } from './solvers/sr-ste.js';
import { proxGradientSolver } from './solvers/prox-gradient.js';
import { fistaPenalizedSolver } from './solvers/fista-penalized.js';
import { cyclicCdSolver } from './solvers/cyclic-cd.js';
import { conjugateGradientSolver } from './solvers/conjugate-gradient.js';
import { jacobiSolver } from './solvers/jacobi.js';
import { sorSolver } from './solvers/sor.js';
import { qrLeastSquaresSolver } from './solvers/qr-least-squares.js';
import { nnlsSolver } from './solvers/nnls.js';
import { fclsSolver } from './solvers/fcls.js';
import { sunsalSolver } from './solvers/sunsal.js';
import { fftPeakPickingSolver } from './solvers/fft-peak-picking.js';
import { espritSolver } from './solvers/esprit.js';
import { leastSquaresIgnoringGainsSolver } from './solvers/least-squares-ignoring-gains.js';
import { linUcbSolver } from './solvers/linucb.js';
import { epsilonGreedySolver } from './solvers/epsilon-greedy.js';
import { lassoBanditSolver } from './solvers/lasso-bandit.js';
import { uniformAllocationSolver } from './solvers/uniform-allocation.js';
import { gOptimalDesignSolver } from './solvers/g-optimal-design.js';

export { omp, ompGram, ompMany, ompSolver, solveOmp, OmpParams, type OmpOptions } from './solvers/omp.js';
export { ompRegressionSolver, solveOmpRegression, OmpRegressionParams } from './solvers/omp-regression.js';
export { cosamp, cosampSolver, solveCosamp, CosampParams, type CosampOptions } from './solvers/cosamp.js';
export { iht, ihtSolver, solveIht, IhtParams, type IhtOptions } from './solvers/iht.js';
export { ista, istaSolver, solveIsta, IstaParams, type IstaOptions, type ProximalResult } from './solvers/ista.js';
export { fista, fistaSolver, solveFista, FistaParams, type FistaOptions } from './solvers/fista.js';
export { sbl, sblSolver, solveSbl, SblParams, type SblOptions, type SblResult } from './solvers/sbl.js';
export { kronOmp, kronOmpSolver, solveKronOmp, KronOmpParams, type KronOmpOptions } from './solvers/kron-omp.js';
export { lasso, lassoGram, lassoMany, lassoSolver, solveLasso, LassoParams, type LassoOptions, type LassoResult } from './solvers/lasso.js';
export {
  forwardStepwise,
  forwardStepwiseSolver,
  solveForwardStepwise,
  ForwardStepwiseParams,
  type ForwardStepwiseOptions,
} from './solvers/forward-stepwise.js';
export { ridge, ridgeSolver, solveRidge, RidgeParams, type RidgeOptions } from './solvers/ridge.js';
export { als, alsSolver, solveAls, AlsParams, type AlsOptions, type AlsResult } from './solvers/als.js';
export { uniformScalar, uniformScalarSolver, solveUniformScalar, UniformScalarParams, type UniformScalarOptions, type UniformScalarResult } from './solvers/uniform-scalar.js';
export { rotatedLloydMax, rotatedLloydMaxSolver, solveRotatedLloydMax, gaussianLloydMax, RotatedLloydMaxParams, type RotatedLloydMaxOptions } from './solvers/rotated-lloyd-max.js';
export { qjl, qjlSolver, solveQjl, QjlParams, type QjlOptions, type QjlResult } from './solvers/qjl.js';
export {
  productQuantization,
  productQuantizationSolver,
  solveProductQuantization,
  ProductQuantizationParams,
  type ProductQuantizationOptions,
  type ProductQuantizationResult,
} from './solvers/product-quantization.js';
export { randomBcd, randomBcdSolver, solveRandomBcd, RandomBcdParams, type RandomBcdOptions } from './solvers/random-bcd.js';
export { redBlackGaussSeidel, redBlackGaussSeidelSolver, solveRedBlackGaussSeidel, RedBlackGaussSeidelParams } from './solvers/red-black-gauss-seidel.js';
export { fwhtTopK, fwhtTopKSolver, solveFwhtTopK, FwhtTopKParams, type FwhtTopKResult } from './solvers/fwht-top-k.js';
export { truncatedSvdFactors, truncatedSvdSolver, solveTruncatedSvd, TruncatedSvdParams, type LowRankPair } from './solvers/truncated-svd.js';
export { randomizedSvdFactors, randomizedSvdSolver, solveRandomizedSvd, RandomizedSvdParams, type RandomizedSvdFactorsOptions } from './solvers/randomized-svd.js';
export { topkSae, topkSaeSolver, trainTopkSae, topkEncode, TopkSaeParams, type TopkSaeModel, type TrainTopkSaeOptions } from './solvers/topk-sae.js';
export { l4MspBatch, l4MspBatchSolver, solveL4MspBatch, L4MspBatchParams, type L4MspBatchOptions } from './solvers/l4-msp-batch.js';
export { oja, ojaSolver, solveOja, OjaState, OjaParams, type OjaOptions } from './solvers/oja.js';
export { blockPower, blockPowerSolver, solveBlockPower, blockPowerFloats, BlockPowerParams, type BlockPowerOptions, type BlockPowerResult } from './solvers/block-power.js';
export {
  frequentDirections,
  frequentDirectionsSolver,
  solveFrequentDirections,
  frequentDirectionsFloats,
  FrequentDirections,
  FrequentDirectionsParams,
} from './solvers/frequent-directions.js';
export { noiseLevelLambda } from './internal/lasso-recovery.js';

// matrix-completion, low-rank-approximation, orthogonal-alignment
export { svt, svtSolver, solveSvt, SvtParams, type SvtOptions, type SvtResult } from './solvers/svt.js';
export { softImpute, softImputeSolver, solveSoftImpute, SoftImputeParams, type SoftImputeOptions, type SoftImputeResult, type SoftImputeStep } from './solvers/soft-impute.js';
export { columnSampling, columnSamplingSolver, solveColumnSampling, ColumnSamplingParams, type ColumnSamplingOptions, type ColumnSamplingResult } from './solvers/column-sampling.js';
export { procrustes, polarFactor, alignmentError, procrustesSolver, solveProcrustes, skipProcrustes, ProcrustesParams } from './solvers/procrustes.js';
export {
  leastSquaresAlignment,
  leastSquaresAlignmentSolver,
  solveLeastSquaresAlignment,
  LeastSquaresAlignmentParams,
  type LeastSquaresAlignmentOptions,
  type LeastSquaresAlignmentResult,
  type AlignmentConstraint,
} from './solvers/least-squares-alignment.js';
export { matchPermutation, permutationMatrix, hungarianSolver, solveHungarian, HungarianParams } from './solvers/hungarian.js';
// dictionary-learning
export { ksvd, ksvdSolver, solveKsvd, KsvdParams, type KsvdOptions, type KsvdResult } from './solvers/ksvd.js';
export { mod, modSolver, solveMod, ModParams, type ModOptions, type ModResult } from './solvers/mod.js';
export {
  onlineDictionaryLearning,
  onlineDictionaryLearningSolver,
  solveOnlineDictionaryLearning,
  OnlineDictionaryLearningParams,
  type OnlineDictionaryLearningOptions,
  type OnlineDictionaryLearningResult,
} from './solvers/online-dictionary-learning.js';
// model-merging, peft, optimizer
export { weightAveraging, solveWeightAveraging, weightAveragingSolver, WeightAveragingParams, type WeightAveragingOptions } from './solvers/weight-averaging.js';
export { taskArithmetic, solveTaskArithmetic, taskArithmeticSolver, TaskArithmeticParams, type TaskArithmeticOptions } from './solvers/task-arithmetic.js';
export { tiesMerging, tiesMergeVectors, solveTiesMerging, tiesMergingSolver, TiesMergingParams, type TiesMergingOptions } from './solvers/ties-merging.js';
export { fullFineTuning, solveFullFineTuning, fullFineTuningSolver, FullFineTuningParams, type FullFineTuningOptions } from './solvers/full-fine-tuning.js';
export { lora, loraParamCount, solveLora, loraSolver, LoraParams, type LoraOptions, type LoraLayer, type LoraResult } from './solvers/lora.js';
export { headOnly, solveHeadOnly, headOnlySolver, HeadOnlyParams, type HeadOnlyOptions } from './solvers/head-only.js';
export { trainSgdMomentum, solveSgdMomentum, sgdMomentumSolver, SgdMomentumParams, type SgdMomentumOptions } from './solvers/sgd-momentum.js';
export { trainAdam, solveAdam, adamSolver, AdamParams, type AdamTrainOptions } from './solvers/adam.js';
export { trainGalore, GaloreLayer, galoreStateFloats, solveGalore, galoreSolver, GaloreParams, type GaloreLayerOptions, type GaloreTrainOptions } from './solvers/galore.js';
export type { ScaledMerge } from './internal/nn.js';
// weight-compression
export { magnitudePruning, magnitudePruningSolver, solveMagnitudePruning, MagnitudePruningParams, type MagnitudePruningOptions } from './solvers/magnitude-pruning.js';
export { wanda, wandaSolver, solveWanda, WandaParams, type WandaOptions } from './solvers/wanda.js';
export { sparsegpt, sparsegptSolver, solveSparsegpt, SparsegptParams, type SparsegptOptions } from './solvers/sparsegpt.js';
export { rtn, rtnSolver, solveRtn, RtnParams, type RtnOptions } from './solvers/rtn.js';
export { gptq, gptqSolver, solveGptq, GptqParams, type GptqOptions } from './solvers/gptq.js';
export {
  gradualMagnitudePruning,
  gradualMagnitudePruningSolver,
  solveGradualMagnitudePruning,
  cubicSparsity,
  GradualMagnitudePruningParams,
  type GradualMagnitudePruningOptions,
  type GradualMagnitudePruningResult,
} from './solvers/gradual-magnitude-pruning.js';
export { srSte, srSteSolver, solveSrSte, SrSteParams, type SrSteOptions, type SrSteResult } from './solvers/sr-ste.js';
// sparse-optimization, linear-system
export {
  proxGradient,
  proxGradientSolver,
  solveProxGradient,
  ProxGradientParams,
  StepRuleParam,
  type ProxGradientOptions,
  type PenalizedPoint,
  type PenalizedProblem,
  type PenalizedResult,
} from './solvers/prox-gradient.js';
export { fistaPenalized, fistaPenalizedSolver, solveFistaPenalized, FistaPenalizedParams, type FistaPenalizedOptions } from './solvers/fista-penalized.js';
export { cyclicCd, cyclicCdSolver, solveCyclicCd, CyclicCdParams, type CyclicCdOptions } from './solvers/cyclic-cd.js';
export {
  conjugateGradient,
  conjugateGradientSolver,
  solveConjugateGradient,
  projectedWarmStart,
  ConjugateGradientParams,
  type ConjugateGradientOptions,
  type ConjugateGradientResult,
  type IterativeResult,
  type SystemInput,
} from './solvers/conjugate-gradient.js';
export { jacobi, jacobiSolver, solveJacobi, JacobiParams, type JacobiOptions } from './solvers/jacobi.js';
export { sor, sorSolver, solveSor, sorOmega, modelProblemOmega, SorParams, SOR_FALLBACK_OMEGA, type SorOptions } from './solvers/sor.js';
export { qrLeastSquares, qrLeastSquaresSolver, solveQrLeastSquares, QrLeastSquaresParams, QR_MAX_DENSE, type QrLeastSquaresOptions, type QrLeastSquaresResult } from './solvers/qr-least-squares.js';
// spectral-unmixing, parameter-estimation, blind-calibration
export { nnls, nnlsGram, nnlsMany, nnlsSolver, solveNnls, NnlsParams, type NnlsOptions, type NnlsResult } from './solvers/nnls.js';
export { fcls, fclsSolver, solveFcls, FclsParams, type FclsOptions } from './solvers/fcls.js';
export { sunsal, sunsalSolver, solveSunsal, SunsalParams, type SunsalOptions, type SunsalResult } from './solvers/sunsal.js';
export { fftPeakPicking, fftPeakPickingSolver, solveFftPeakPicking, FftPeakPickingParams, type FftPeakPickingOptions, type FftPeakPickingResult } from './solvers/fft-peak-picking.js';
export { esprit, espritSolver, solveEsprit, EspritParams, type EspritOptions, type EspritResult } from './solvers/esprit.js';
export {
  leastSquaresIgnoringGains,
  leastSquaresIgnoringGainsSolver,
  solveLeastSquaresIgnoringGains,
  LeastSquaresIgnoringGainsParams,
  type LeastSquaresIgnoringGainsResult,
} from './solvers/least-squares-ignoring-gains.js';
// bandit
export {
  linUcb,
  linUcbSolver,
  solveLinUcb,
  LinUcbParams,
  type LinUcbOptions,
  type LinearBanditEnv,
  type BanditRunOptions,
  type BanditRunResult,
  type BanditProgress,
} from './solvers/linucb.js';
export { epsilonGreedy, epsilonGreedySolver, solveEpsilonGreedy, EpsilonGreedyParams, type EpsilonGreedyOptions } from './solvers/epsilon-greedy.js';
export { lassoBandit, lassoBanditSolver, solveLassoBandit, isForcedRound, LassoBanditParams, type LassoBanditOptions } from './solvers/lasso-bandit.js';
export {
  uniformAllocation,
  uniformAllocationSolver,
  solveUniformAllocation,
  UniformAllocationParams,
  type UniformAllocationOptions,
  type BestArmResult,
} from './solvers/uniform-allocation.js';
export {
  gOptimalDesign,
  gOptimalAllocation,
  roundDesign,
  gOptimalDesignSolver,
  solveGOptimalDesign,
  GOptimalDesignParams,
  type GOptimalDesignOptions,
  type GOptimalDesignResult,
  type GOptimalAllocationOptions,
} from './solvers/g-optimal-design.js';


/** The textbook solvers every paper is ranked against. */
export default definePlugin({
  name: 'baselines',
  solvers: [
    // sparse-recovery
    ompSolver,
    cosampSolver,
    ihtSolver,
    istaSolver,
    fistaSolver,
    sblSolver,
    kronOmpSolver,
    // sparse-regression
    lassoSolver,
    forwardStepwiseSolver,
    ompRegressionSolver,
    ridgeSolver,
    // matrix-completion
    alsSolver,
    svtSolver,
    softImputeSolver,
    // vector-quantization
    uniformScalarSolver,
    rotatedLloydMaxSolver,
    qjlSolver,
    productQuantizationSolver,
    // linear-system
    randomBcdSolver,
    redBlackGaussSeidelSolver,
    conjugateGradientSolver,
    jacobiSolver,
    sorSolver,
    qrLeastSquaresSolver,
    // sparse-optimization
    proxGradientSolver,
    fistaPenalizedSolver,
    cyclicCdSolver,
    // sparse-transform
    fwhtTopKSolver,
    // low-rank-approximation
    truncatedSvdSolver,
    randomizedSvdSolver,
    columnSamplingSolver,
    // orthogonal-alignment
    procrustesSolver,
    leastSquaresAlignmentSolver,
    hungarianSolver,
    // dictionary-learning
    topkSaeSolver,
    l4MspBatchSolver,
    ksvdSolver,
    modSolver,
    onlineDictionaryLearningSolver,
    // model-merging
    weightAveragingSolver,
    taskArithmeticSolver,
    tiesMergingSolver,
    // peft
    fullFineTuningSolver,
    loraSolver,
    headOnlySolver,
    // optimizer
    sgdMomentumSolver,
    adamSolver,
    galoreSolver,
    // weight-compression
    magnitudePruningSolver,
    wandaSolver,
    sparsegptSolver,
    rtnSolver,
    gptqSolver,
    gradualMagnitudePruningSolver,
    srSteSolver,
    // spectral-unmixing
    nnlsSolver,
    fclsSolver,
    sunsalSolver,
    // parameter-estimation
    fftPeakPickingSolver,
    espritSolver,
    // blind-calibration
    leastSquaresIgnoringGainsSolver,
    // bandit
    linUcbSolver,
    epsilonGreedySolver,
    lassoBanditSolver,
    uniformAllocationSolver,
    gOptimalDesignSolver,
    // eigenvector-streaming
    ojaSolver,
    blockPowerSolver,
    frequentDirectionsSolver,
  ],
  claims: [],
});
