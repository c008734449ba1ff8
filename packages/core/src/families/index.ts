import type { Static } from '@sinclair/typebox';
import type { AnyFamily, Instance } from '../plugin/family.js';
import { assertValid } from '../schema/validate.js';
import { ParsimonyError } from '../schema/errors.js';
import { createRng, type SeedPart } from '../random/rng.js';
import { sparseRecovery } from './sparse-recovery/index.js';
import { sparseRegression } from './sparse-regression/index.js';
import { matrixCompletion } from './matrix-completion/index.js';
import { sparseOptimization } from './sparse-optimization/index.js';
import { modelMerging } from './model-merging/index.js';
import { vectorQuantization } from './vector-quantization/index.js';
import { spectralUnmixing } from './spectral-unmixing/index.js';
import { peft } from './peft/index.js';
import { blindCalibration } from './blind-calibration/index.js';
import { parameterEstimation } from './parameter-estimation/index.js';
import { optimizer } from './optimizer/index.js';
import { linearSystem } from './linear-system/index.js';
import { weightCompression } from './weight-compression/index.js';
import { lowRankApproximation } from './low-rank-approximation/index.js';
import { dictionaryLearning } from './dictionary-learning/index.js';
import { orthogonalAlignment } from './orthogonal-alignment/index.js';
import { eigenvectorStreaming } from './eigenvector-streaming/index.js';
import { sparseTransform } from './sparse-transform/index.js';
import { bandit } from './bandit/index.js';

export * as sparseRecoveryFamily from './sparse-recovery/index.js';
export { sparseRecovery } from './sparse-recovery/index.js';
export * from './sparse-recovery/schema.js';
export * from './sparse-regression/schema.js';
export { sparseRegression } from './sparse-regression/index.js';
export * from './matrix-completion/schema.js';
export { matrixCompletion } from './matrix-completion/index.js';
export * from './sparse-optimization/schema.js';
export { sparseOptimization, sparseOptimizationObjective, prox1d, penaltyAt, penaltySum } from './sparse-optimization/index.js';
export * from './model-merging/schema.js';
export { modelMerging, interpolationBarrier, randomCayleyRotation } from './model-merging/index.js';
export * from './vector-quantization/schema.js';
export { vectorQuantization } from './vector-quantization/index.js';
export * from './spectral-unmixing/schema.js';
export { spectralUnmixing } from './spectral-unmixing/index.js';
export * from './peft/schema.js';
export { peft, countAdapter } from './peft/index.js';
export * from './blind-calibration/schema.js';
export { blindCalibration } from './blind-calibration/index.js';
export * from './parameter-estimation/schema.js';
export { parameterEstimation, wrapAngle } from './parameter-estimation/index.js';
export * from './optimizer/schema.js';
export { optimizer, optimizerGradient, countLossSpikes } from './optimizer/index.js';
export * from './linear-system/schema.js';
export { linearSystem, poisson2d, linearSystems, applySystem, systemShape, stoppingResidual, systemQuadratic, type LinearSystemView, type SystemQuadratic } from './linear-system/index.js';
export * from './weight-compression/schema.js';
export { weightCompression, compressionSolutionFromMlp, attentionOutput, checkCompression, bitsPerWeight, nmIndexBits, allowedKept, budgetRows } from './weight-compression/index.js';
export * from './low-rank-approximation/schema.js';
export { lowRankApproximation } from './low-rank-approximation/index.js';
export * from './dictionary-learning/schema.js';
export { dictionaryLearning } from './dictionary-learning/index.js';
export * from './orthogonal-alignment/schema.js';
export { orthogonalAlignment } from './orthogonal-alignment/index.js';
export * from './eigenvector-streaming/schema.js';
export { eigenvectorStreaming, rowStream, openEigenvectorStream, type RowStream, type RowStreamOptions, type EigenvectorStreamingUsage } from './eigenvector-streaming/index.js';
export * from './sparse-transform/schema.js';
export { sparseTransform, sparseTransformOracle, openSparseTransformOracle, type SparseTransformOracle, type SparseTransformUsage } from './sparse-transform/index.js';
export * from './bandit/schema.js';
export { bandit, banditEnv, openBanditEnv, armMeans, armGaps, type BanditEnv, type BanditSession, type BanditUsage } from './bandit/index.js';

/** Every family core defines, in a stable order. */
export const allFamilies: readonly AnyFamily[] = [sparseRecovery, sparseRegression, matrixCompletion, sparseOptimization, modelMerging, vectorQuantization, spectralUnmixing, peft, blindCalibration, parameterEstimation, optimizer, linearSystem, weightCompression, lowRankApproximation, dictionaryLearning, orthogonalAlignment, eigenvectorStreaming, sparseTransform, bandit];

/** A family's generator params with schema defaults filled in; errors name the param. */
export function resolveFamilyParams<F extends AnyFamily>(family: F, raw: unknown = {}): Static<F['schemas']['params']> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${family.id}: params must be a JSON object`, 'params');
  }
  try {
    return assertValid(family.schemas.params, structuredClone(raw), 'params', 'PARSIMONY_BAD_PARAMS');
  } catch (e) {
    if (e instanceof ParsimonyError) throw new ParsimonyError(e.code, `${family.id}: ${e.message}`, e.field);
    throw e;
  }
}

/**
 * Generates an instance reproducibly: the same (family, params, seed path)
 * gives the same instance bit for bit.
 *
 * @example
 * const { observation, truth } = generateInstance(sparseRecovery, { k: 5 }, [1]);
 */
export function generateInstance<F extends AnyFamily>(
  family: F,
  rawParams: unknown,
  seed: readonly SeedPart[],
): Instance<Static<F['schemas']['observation']>, Static<F['schemas']['truth']>> {
  const params = resolveFamilyParams(family, rawParams);
  return family.generate(params, createRng(...seed));
}
