import {
  Type,
  defineSolver,
  eigenvectorStreaming,
  rowStream,
  type EigenvectorStreamingObservation,
  type EigenvectorStreamingSolution,
  type SolverContext,
  type Static,
} from '@parsimony/core';
import { HeavyRowStore, driveHeavyStream, driverFloats } from '../internal/heavy-stream.js';
import { resolvePlan } from '../internal/plan.js';
import { scaleToUnit } from './random-order-eigvec.js';

/** Parameters of {@link randomOrderEigvecSimple}: those of random-order-eigvec. */
export const RandomOrderEigvecSimpleParams = Type.Object(
  {
    blocks: Type.Integer({ minimum: 1, default: 8, description: 'B: the stream is split into B equal blocks, one power step each' }),
    maxHeavy: Type.Optional(Type.Integer({ minimum: 0, description: 'most heavy rows kept verbatim, declared before the first row; default ⌈n/4⌉' })),
    polylog: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'the polylog(d) of the heavy test ‖a‖² ≥ F̂/(n·polylog); default log₂ n' })),
    batch: Type.Integer({ minimum: 1, default: 32, description: 'rows per request (capped at observation.maxBatch)' }),
  },
  { additionalProperties: false },
);
export type RandomOrderEigvecSimpleParams = Static<typeof RandomOrderEigvecSimpleParams>;

/** Floats the simple variant declares: the heavy rows (h·(d+3)), z and y (2d), H z (h) and the driver's batch norms. */
export function randomOrderEigvecSimpleFloats(d: number, h: number, b: number): number {
  return HeavyRowStore.floats(h, d) + driverFloats(b) + 2 * d + h;
}

/**
 * The single-vector variant of random-order-eigvec (paper 35's file): the
 * same heavy-row detector and blocks, but no Rayleigh–Ritz step and no
 * heavy subspace in the iterate: at the end of block j,
 * z ← normalize((T/|B_j|)·y + Hᵀ H z) with y = Σ_light a aᵀz. It shows why
 * the heavy subspace must be tracked: when the top direction is carried by
 * the heavy rows, z only sees them through one product per block.
 *
 * @param observation - sizes: `n`, `T`, `maxBatch`
 * @param params - `blocks`, `maxHeavy`, `polylog`, `batch`
 * @param ctx - rows from `ctx.interact`, the start z from `ctx.rng`
 * @returns `v` (unit) and `heavy` (stream positions of the kept rows)
 * @example
 * const { solution } = await solveService(registry).solve(randomOrderEigvecSimpleSolver, observation, {}, { interact });
 */
export async function randomOrderEigvecSimple(
  observation: EigenvectorStreamingObservation,
  params: Partial<RandomOrderEigvecSimpleParams>,
  ctx: SolverContext,
): Promise<EigenvectorStreamingSolution> {
  ctx.signal.throwIfAborted();
  const plan = resolvePlan(observation, params, 'random-order-eigvec-simple');
  const { d, maxHeavy: cap } = plan;
  const store = new HeavyRowStore(cap, d);
  const stream = rowStream(ctx, { stateFloats: randomOrderEigvecSimpleFloats(d, cap, plan.batch) });
  const H = store.H;
  const z = new Float64Array(d);
  for (let q = 0; q < d; q++) z[q] = ctx.rng.normal();
  scaleToUnit(z);
  const y = new Float64Array(d);
  const Hz = new Float64Array(cap);

  const light = (a: Float64Array, off: number) => {
    let c = 0;
    for (let q = 0; q < d; q++) c += z[q] * a[off + q];
    if (c !== 0) for (let q = 0; q < d; q++) y[q] += c * a[off + q];
  };

  const blockEnd = (block: number, rows: number) => {
    ctx.signal.throwIfAborted();
    const h = store.count, cs = plan.T / rows;
    for (let i = 0; i < h; i++) Hz[i] = store.dotRow(i, z);
    let rayleigh = 0;
    for (let q = 0; q < d; q++) {
      y[q] *= cs;
      rayleigh += z[q] * y[q];
    }
    for (let i = 0; i < h; i++) {
      const c = Hz[i], o = i * d;
      rayleigh += c * c;
      for (let q = 0; q < d; q++) y[q] += c * H[o + q];
    }
    // w = 0 (no energy on z yet): keep z.
    if (scaleToUnit(y)) z.set(y);
    y.fill(0);
    ctx.report({ iteration: block + 1, rayleigh, heavy_rows: h });
  };

  await driveHeavyStream(stream, ctx, plan, store, { light, blockEnd });
  return { v: z, heavy: store.positions() };
}

/** `random-order-eigvec/random-order-eigvec-simple`: {@link randomOrderEigvecSimple} as a registered solver. */
export const randomOrderEigvecSimpleSolver = defineSolver({
  id: 'random-order-eigvec/random-order-eigvec-simple',
  family: eigenvectorStreaming,
  title: 'Random-order top eigenvector, single vector (no Rayleigh–Ritz)',
  summary: 'Paper 35 variant: heavy rows kept, z ← normalize((T/|B|)·Σ_light a aᵀz + HᵀHz) per block; fails when the heavy rows carry the top direction.',
  params: RandomOrderEigvecSimpleParams,
  solve: randomOrderEigvecSimple,
});
