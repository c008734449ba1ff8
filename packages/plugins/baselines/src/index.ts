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
    // vector-quantization
    uniformScalarSolver,
    rotatedLloydMaxSolver,
    qjlSolver,
    productQuantizationSolver,
    // linear-system
    randomBcdSolver,
    redBlackGaussSeidelSolver,
    // sparse-transform
    fwhtTopKSolver,
    // low-rank-approximation
    truncatedSvdSolver,
    randomizedSvdSolver,
    // dictionary-learning
    topkSaeSolver,
    l4MspBatchSolver,
    // eigenvector-streaming
    ojaSolver,
    blockPowerSolver,
    frequentDirectionsSolver,
  ],
  claims: [],
});
