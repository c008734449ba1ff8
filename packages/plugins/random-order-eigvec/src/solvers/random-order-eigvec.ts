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
import { orthonormalizer, ritzFloats, topRitz } from '../internal/ritz.js';

/** Parameters of {@link randomOrderEigvec}; defaults live in the schema or follow from the observation. */
export const RandomOrderEigvecParams = Type.Object(
  {
    blocks: Type.Integer({ minimum: 1, default: 8, description: 'B: the stream is split into B equal blocks, one power step each (the paper: O(log d))' }),
    maxHeavy: Type.Optional(
      Type.Integer({ minimum: 0, description: 'most heavy rows kept verbatim, declared before the first row; default ⌈n/4⌉ (past it, heavy rows are treated as light)' }),
    ),
    polylog: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'the polylog(d) of the heavy test ‖a‖² ≥ F̂/(n·polylog); default log₂ n' })),
    batch: Type.Integer({ minimum: 1, default: 32, description: 'rows per request (capped at observation.maxBatch); core charges batch·n floats for the buffer' }),
  },
  { additionalProperties: false },
);
export type RandomOrderEigvecParams = Static<typeof RandomOrderEigvecParams>;

/**
 * Floats random-order-eigvec declares for dimension d, heavy budget h and
 * batch b: the heavy rows (h·(d+3)), z and the next z (2d), the light action
 * Y on the block basis ((h+1)·(d+1)), and the end-of-stream Rayleigh–Ritz on
 * h+2 vectors (its Gram, projections, the heavy products and {@link topRitz}).
 */
export function randomOrderEigvecFloats(d: number, h: number, b: number): number {
  const k = h + 1, kb = h + 2;
  const persistent = HeavyRowStore.floats(h, d) + driverFloats(b) + 2 * d + k * (d + 1);
  // Block end: G, K (k x k), H V (h x k). The final step adds GU and M (kb²), UᵀY, G⁺VᵀU and Lᵀ(VᵀY) (kb x k each),
  // G⁺ (k²), the answer (d) and the Rayleigh–Ritz buffers on kb vectors (more than G⁺'s own).
  const workspace = 2 * k * k + h * k + 2 * kb * kb + 3 * kb * k + k * k + d + ritzFloats(kb);
  return persistent + workspace;
}

/**
 * Top eigenvector from a random-order row stream (Kacham & Woodruff,
 * NeurIPS 2024, reconstructed): heavy rows (‖a‖² ≥ F̂/(d·polylog d)) are
 * kept verbatim in H; light rows drive a block power method over B equal
 * blocks. In block j the light action on the basis V = [z, Hᵀ] (heavy rows
 * known at the block's start) is accumulated, Y = Σ_light a aᵀV; at its end
 * W = (T/|B_j|)·Y + Hᵀ(H V) and z ← W s/‖W s‖ with s the top Ritz vector of
 * Vᵀ W. After the last block, v is the top Ritz vector on span[z_old, z, Hᵀ]
 * of M̂_L + HᵀH, M̂_L the light action known on span V (and, by symmetry,
 * from it), taken as 0 on its orthogonal complement.
 *
 * @param observation - sizes: `n` (the paper's d), `T` (its n), `maxBatch`
 * @param params - `blocks`, `maxHeavy`, `polylog`, `batch`
 * @param ctx - rows come from `ctx.interact` (the family's session), the start z from `ctx.rng`
 * @returns `v` (unit) and `heavy`, the stream positions of the rows kept as heavy
 * @example
 * const { solution } = await solveService(registry).solve(randomOrderEigvecSolver, observation, {}, { interact: (m, a) => session.handle(m, a) });
 */
export async function randomOrderEigvec(
  observation: EigenvectorStreamingObservation,
  params: Partial<RandomOrderEigvecParams>,
  ctx: SolverContext,
): Promise<EigenvectorStreamingSolution> {
  ctx.signal.throwIfAborted();
  const plan = resolvePlan(observation, params, 'random-order-eigvec');
  const { d, maxHeavy: cap } = plan;
  const kcap = cap + 1;
  const store = new HeavyRowStore(cap, d);
  const stream = rowStream(ctx, { stateFloats: randomOrderEigvecFloats(d, cap, plan.batch) });
  const H = store.H, inv = store.inv;

  // z: unit start from ctx.rng; zn: the next z. Y (k x d): row j is Σ_light a ⟨V_j, a⟩ over the block.
  let z = new Float64Array(d);
  let zn = new Float64Array(d);
  for (let q = 0; q < d; q++) z[q] = ctx.rng.normal();
  scaleToUnit(z);
  const Y = new Float64Array(kcap * d);
  const coef = new Float64Array(kcap);
  const G = new Float64Array(kcap * kcap);
  const K = new Float64Array(kcap * kcap);
  const HV = new Float64Array(cap * kcap);
  let m = 0; // heavy rows in the current block's basis: V = [z, Ĥ_0 .. Ĥ_{m-1}], Ĥ_i = H_i/‖H_i‖
  let v: Float64Array | undefined;

  /** ⟨V_j, x⟩ for basis vector j. */
  const basisDot = (j: number, x: Float64Array, xOff: number): number => {
    if (j === 0) {
      let s = 0;
      for (let q = 0; q < d; q++) s += z[q] * x[xOff + q];
      return s;
    }
    return store.dotRow(j - 1, x, xOff) * inv[j - 1];
  };

  // The per-row work, 2·k·d flops: the k coefficients ⟨V_j, a⟩, then Y_j += ⟨V_j, a⟩ a.
  const light = (a: Float64Array, off: number) => {
    const k = m + 1;
    let s = 0;
    for (let q = 0; q < d; q++) s += z[q] * a[off + q];
    coef[0] = s;
    for (let j = 1; j < k; j++) {
      const o = (j - 1) * d;
      let t = 0;
      for (let q = 0; q < d; q++) t += H[o + q] * a[off + q];
      coef[j] = t * inv[j - 1];
    }
    for (let j = 0; j < k; j++) {
      const c = coef[j];
      if (c === 0) continue;
      const o = j * d;
      for (let q = 0; q < d; q++) Y[o + q] += c * a[off + q];
    }
  };

  const blockEnd = (block: number, rows: number, last: boolean) => {
    ctx.signal.throwIfAborted();
    const k = m + 1, h = store.count;
    const cs = plan.T / rows;
    // HV (h x k) = H V; G = VᵀV; K = cs·VᵀY + (HV)ᵀ(HV) = Vᵀ W.
    for (let i = 0; i < h; i++) for (let j = 0; j < k; j++) HV[i * k + j] = j === 0 ? store.dotRow(i, z) : store.dotRow(i, H, (j - 1) * d) * inv[j - 1];
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) {
        G[a * k + b] = a === 0 ? basisDot(b, z, 0) : HV[(a - 1) * k + b] * inv[a - 1];
        let s = cs * basisDot(a, Y, b * d);
        for (let i = 0; i < h; i++) s += HV[i * k + a] * HV[i * k + b];
        K[a * k + b] = s;
      }
    }
    const { x, value } = topRitz(K, G, k, k);
    // zn = W x = cs·Yᵀx + Hᵀ(HV x).
    zn.fill(0);
    for (let j = 0; j < k; j++) {
      const c = cs * x[j], o = j * d;
      for (let q = 0; q < d; q++) zn[q] += c * Y[o + q];
    }
    for (let i = 0; i < h; i++) {
      let c = 0;
      for (let j = 0; j < k; j++) c += HV[i * k + j] * x[j];
      const o = i * d;
      for (let q = 0; q < d; q++) zn[q] += c * H[o + q];
    }
    if (!scaleToUnit(zn)) zn.set(z); // W x = 0: no light or heavy energy on the basis yet; keep z
    ctx.report({ iteration: block + 1, ritz_value: value, heavy_rows: h, heavy_overflow: store.overflow, basis: k });
    if (last) {
      v = finalRitz(k, h, cs);
      return;
    }
    [z, zn] = [zn, z];
    m = h;
    Y.fill(0, 0, (m + 1) * d);
  };

  /**
   * Rayleigh–Ritz on U = [z_old, zn, Ĥ_0 .. Ĥ_{h-1}] of M̂ = M̂_L + HᵀH. The
   * light action is known on Z = span V only, V = [z_old, Ĥ_0 .. Ĥ_{m-1}] ⊂ U
   * the last block's basis: with Y_Z = A_LᵀA_L Z estimated by cs·Y,
   * M̂_L = Y_Z Zᵀ + Z Y_Zᵀ − Z (Zᵀ Y_Z) Zᵀ, exact on Z x ℝ^d and ℝ^d x Z and
   * 0 on Z⊥ x Z⊥. In V's coordinates Z Zᵀ = V G⁺ Vᵀ, so with L = G⁺ VᵀU and
   * N = (UᵀY) L: UᵀM̂_L U = cs·(N + Nᵀ − Lᵀ (VᵀY) L).
   * Deviation from the paper file's reconstruction: it takes sym(Y_Z Zᵀ),
   * which halves the known cross terms (README, "Kept and simplified").
   */
  const finalRitz = (k: number, h: number, cs: number): Float64Array => {
    const kb = h + 2;
    const U = (i: number): [Float64Array, number, number] => (i === 0 ? [z, 0, 1] : i === 1 ? [zn, 0, 1] : [H, (i - 2) * d, inv[i - 2]]);
    const dotU = (i: number, x: Float64Array, xOff: number) => {
      const [u, o, s] = U(i);
      let t = 0;
      for (let q = 0; q < d; q++) t += u[o + q] * x[xOff + q];
      return t * s;
    };
    const GU = new Float64Array(kb * kb);
    for (let i = 0; i < kb; i++) {
      const [u, o, s] = U(i);
      for (let j = i; j < kb; j++) GU[i * kb + j] = GU[j * kb + i] = dotU(j, u, o) * s;
    }
    // V sits in U at idx(0) = 0 (z_old) and idx(j) = j + 1 (Ĥ_{j-1}).
    const idx = (j: number) => (j === 0 ? 0 : j + 1);
    const P = new Float64Array(kb * k); // UᵀY (Y's rows are the block sums Σ a ⟨V_b, a⟩); its rows idx(a) are VᵀY
    for (let i = 0; i < kb; i++) for (let b = 0; b < k; b++) P[i * k + b] = dotU(i, Y, b * d);
    const Gp = pseudoInverse(G, k);
    const L = new Float64Array(k * kb); // G⁺ VᵀU
    for (let a = 0; a < k; a++)
      for (let j = 0; j < kb; j++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += Gp[a * k + c] * GU[idx(c) * kb + j];
        L[a * kb + j] = s;
      }
    const LtVY = new Float64Array(kb * k); // Lᵀ (VᵀY)
    for (let i = 0; i < kb; i++)
      for (let b = 0; b < k; b++) {
        let s = 0;
        for (let a = 0; a < k; a++) s += L[a * kb + i] * P[idx(a) * k + b];
        LtVY[i * k + b] = s;
      }
    const M = new Float64Array(kb * kb); // N = P L, then cs·(N + Nᵀ − Lᵀ(VᵀY)L)
    for (let i = 0; i < kb; i++)
      for (let j = 0; j < kb; j++) {
        let s = 0;
        for (let b = 0; b < k; b++) s += P[i * k + b] * L[b * kb + j];
        M[i * kb + j] = s;
      }
    for (let i = 0; i < kb; i++)
      for (let j = i; j < kb; j++) {
        let c = 0;
        for (let b = 0; b < k; b++) c += LtVY[i * k + b] * L[b * kb + j];
        M[i * kb + j] = M[j * kb + i] = cs * (M[i * kb + j] + M[j * kb + i] - c);
      }
    // Heavy part (HU)ᵀ(HU) = Σ_r ‖H_r‖² ⟨Û_{r+2}, Û_i⟩⟨Û_{r+2}, Û_j⟩, read off GU (H's rows are U's columns 2..).
    for (let i = 0; i < kb; i++)
      for (let j = i; j < kb; j++) {
        let s = 0;
        for (let r = 0; r < h; r++) s += store.norm2[r] * GU[(r + 2) * kb + i] * GU[(r + 2) * kb + j];
        M[i * kb + j] += s;
        if (j !== i) M[j * kb + i] = M[i * kb + j];
      }
    const { x, value } = topRitz(M, GU, kb, kb);
    const out = new Float64Array(d);
    for (let i = 0; i < kb; i++) {
      const [u, o, s] = U(i);
      const c = x[i] * s;
      if (c !== 0) for (let q = 0; q < d; q++) out[q] += c * u[o + q];
    }
    ctx.report({ iteration: plan.blocks + 1, ritz_value: value, heavy_rows: h, basis: kb });
    if (!scaleToUnit(out)) out.set(zn);
    return out;
  };

  await driveHeavyStream(stream, ctx, plan, store, { light, blockEnd });
  return { v: v ?? z, heavy: store.positions() };
}

/** Scales x to unit norm in place; false (x untouched) when its norm is 0 or not finite. */
export function scaleToUnit(x: Float64Array): boolean {
  let big = 0;
  for (let i = 0; i < x.length; i++) big = Math.max(big, Math.abs(x[i]));
  if (!(big > 0) || !Number.isFinite(big)) return false;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] / big) ** 2;
  const f = 1 / (big * Math.sqrt(s));
  for (let i = 0; i < x.length; i++) x[i] *= f;
  return true;
}

/** G⁺ of a k x k PSD Gram matrix through the orthonormalizer of {@link topRitz}: W Wᵀ (W = Q_r Λ_r^(-1/2)). */
function pseudoInverse(G: Float64Array, k: number): Float64Array {
  const W = orthonormalizer(G, k, k);
  const r = W.cols;
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let c = 0; c < r; c++) s += W.data[i * r + c] * W.data[j * r + c];
      out[i * k + j] = s;
    }
  return out;
}

/** `random-order-eigvec/random-order-eigvec`: {@link randomOrderEigvec} as a registered solver. */
export const randomOrderEigvecSolver = defineSolver({
  id: 'random-order-eigvec/random-order-eigvec',
  family: eigenvectorStreaming,
  title: 'Random-order top eigenvector (heavy rows + block power, Rayleigh–Ritz)',
  summary: 'Kacham & Woodruff 2024: keep heavy rows verbatim, run a block power method on the light rows of a random-order stream, finish with Rayleigh–Ritz on span[z, Hᵀ].',
  params: RandomOrderEigvecParams,
  solve: randomOrderEigvec,
});
