import { Type, type DictionaryLearningObservation, type DictionaryLearningSolution, type SolverContext } from '@parsimony/core';
import { learnDictionary, sparseCode } from '../sparse-coding.js';
import type { Operator } from '../thresholds.js';

/** The params every thresholding solver shares (each solver file wraps them in its own closed schema). */
export function codingParamFields() {
  return {
    epochs: Type.Integer({ minimum: 1, default: 6, description: 'passes over the data (learning tasks)' }),
    batchSize: Type.Optional(Type.Integer({ minimum: 1, description: 'samples per batch; default min(N, 100)' })),
    maxIter: Type.Integer({ minimum: 1, default: 200, description: 'iteration cap of the proximal-gradient coding loop (paper code: 5000)' }),
    tol: Type.Number({ exclusiveMinimum: 0, default: 0.01, description: 'ε of the stopping rule ‖R_t − R_{t−1}‖ / (ε + ‖R_{t−1}‖) < ε' }),
    density: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'target code density ρ; default k / atoms from the observation' })),
    densityTol: Type.Number({ minimum: 0, exclusiveMaximum: 1, default: 0.1, description: 'λ is accepted when the density is in [(1 − densityTol) ρ, ρ]' }),
    lambda: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'fixed penalty weight λ (skips the calibration to ρ)' })),
    maxBisect: Type.Integer({ minimum: 1, default: 20, description: 'bisection steps on log λ per calibration' }),
  };
}

/** The shared params, as resolved from the schema. */
export interface CodingParams {
  epochs: number;
  batchSize?: number;
  maxIter: number;
  tol: number;
  density?: number;
  densityTol: number;
  lambda?: number;
  maxBisect: number;
}

/**
 * The bench entry of every operator: coding-only (observation.D given) runs
 * {@link sparseCode}; otherwise {@link learnDictionary}. ρ defaults to k / atoms.
 */
export function solveWith(operator: Operator, obs: DictionaryLearningObservation, p: CodingParams, ctx: SolverContext): DictionaryLearningSolution {
  ctx.signal.throwIfAborted();
  const density = p.density ?? Math.min(1, obs.k / obs.atoms);
  const common = {
    operator,
    maxIter: p.maxIter,
    tol: p.tol,
    densityTol: p.densityTol,
    maxBisect: p.maxBisect,
    signal: ctx.signal,
    ...(p.lambda !== undefined ? { lambda: p.lambda } : { density }),
  };
  if (obs.D) {
    const r = sparseCode(obs.D, obs.Y, common);
    ctx.report({ iteration: r.iterations, density: r.density, lambda: r.lambda });
    return { X: r.X };
  }
  const r = learnDictionary(obs.Y, {
    ...common,
    atoms: obs.atoms,
    epochs: p.epochs,
    ...(p.batchSize !== undefined && { batchSize: p.batchSize }),
    rng: ctx.rng,
    onBatch: (iteration, relErr, d, lambda) => ctx.report({ iteration, objective: relErr, density: d, lambda }),
  });
  return { D: r.D, X: r.X };
}
