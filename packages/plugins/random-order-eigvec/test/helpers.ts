import {
  Matrix,
  allFamilies,
  createRegistry,
  eigenvectorStreaming,
  eigh,
  generateInstance,
  gram,
  scoreSolution,
  solveService,
  type AnySolver,
  type EigenvectorStreamingObservation,
  type EigenvectorStreamingSolution,
  type EigenvectorStreamingTruth,
  type SeedPart,
} from '@parsimony/core';

/** An instance of the family: what the solver sees and what only the session and the scorer see. */
export interface StreamInstance {
  readonly observation: EigenvectorStreamingObservation;
  readonly truth: EigenvectorStreamingTruth;
}

const service = solveService(createRegistry(allFamilies));

/** A family instance with the family's generator. */
export function instance(params: Record<string, unknown>, seed: readonly SeedPart[]): StreamInstance {
  return generateInstance(eigenvectorStreaming, params, seed);
}

/** An instance whose stream is exactly the rows of A (in order), with v₁ from eigh(AᵀA) and the given planted heavy positions. */
export function instanceFromRows(A: Matrix, heavy: readonly number[] = [], maxBatch = 1000): StreamInstance {
  const n = A.cols;
  const { values, vectors } = eigh(gram(A));
  return {
    observation: { n, T: A.rows, maxBatch: Math.min(maxBatch, A.rows) },
    truth: { A, v1: Matrix.column(vectors, n - 1), lambda: new Float64Array([values[n - 1], values[n - 2]]), gap: 1 - values[n - 2] / values[n - 1], heavy: Int32Array.from(heavy) },
  };
}

/** Runs a solver in-process on a fresh session of the instance and scores it with the session's counts. */
export async function runOn(solver: AnySolver, inst: StreamInstance, params: Record<string, unknown> = {}, seed: readonly SeedPart[] = [1]) {
  const session = eigenvectorStreaming.interaction!.open(inst.observation, inst.truth);
  const { solution } = await service.solve(solver, inst.observation, params, { seed, interact: (m, a) => session.handle(m, a) });
  const usage = session.usage();
  const outcome = scoreSolution(eigenvectorStreaming, inst.observation, inst.truth, solution, usage);
  if (outcome.status !== 'ok') throw new Error(`${solver.id}: ${outcome.reason}`);
  return { solution: solution as EigenvectorStreamingSolution, metrics: outcome.metrics, usage };
}

/** ⟨a, b⟩² / (‖a‖²‖b‖²). */
export function alignment(a: Float64Array, b: Float64Array): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return (ab * ab) / (aa * bb);
}

/** The median of an odd-length list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[(s.length - 1) >> 1];
}
