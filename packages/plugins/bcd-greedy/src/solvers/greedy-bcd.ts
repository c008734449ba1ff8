import {
  ParsimonyError,
  Type,
  cholesky,
  defineSolver,
  linearSystem,
  Matrix,
  type CsrMatrix,
  type LinearSystemObservation,
  type LinearSystemSolution,
  type SolverContext,
  type Static,
} from '@parsimony/core';
import { blockHessian, blockLipschitz, newtonStep, topK, type LipschitzKind } from '../internal/blocks.js';
import { solveSystems, type GramMode, type StepFn } from '../internal/driver.js';
import type { BlockQuadratic } from '../internal/quadratic.js';

/** Block selection rules of Nutini, Laradji & Schmidt (2017). */
export type GreedyRule = 'gs' | 'gsl' | 'gsd' | 'gsq';
/** Fixed contiguous blocks, or a block chosen anew each iteration. */
export type BlockKind = 'fixed' | 'variable';
/** Block update rules. */
export type UpdateRule = 'gradient' | 'diagonal' | 'matrix';

/** The configuration of a greedy BCD run, with every default filled. */
export interface GreedyBcdConfig {
  readonly rule: GreedyRule;
  readonly blocks: BlockKind;
  readonly update: UpdateRule;
  readonly blockSize: number;
  readonly lipschitz: LipschitzKind;
  readonly tol?: number;
  readonly maxIterations: number;
  readonly gram: GramMode;
}

/**
 * The params schema of greedy BCD with the given defaults: `greedy-bcd`
 * (GSD, variable blocks, matrix updates) and the rule presets `gs-bcd`,
 * `gsl-bcd` and `gsd-bcd` share it.
 */
export function greedyBcdSchema(defaults: { rule: GreedyRule; blocks: BlockKind; update: UpdateRule }) {
  return Type.Object(
    {
      rule: Type.Union([Type.Literal('gs'), Type.Literal('gsl'), Type.Literal('gsd'), Type.Literal('gsq')], {
        default: defaults.rule,
        description: 'block selection: gs argmax ||g_b||, gsl argmax ||g_b||²/L_b, gsd argmax Σ g_i²/L_i, gsq argmax g_bᵀH_bb⁻¹g_b',
      }),
      blocks: Type.Union([Type.Literal('fixed'), Type.Literal('variable')], {
        default: defaults.blocks,
        description: 'fixed: contiguous blocks of blockSize; variable: the blockSize best coordinates (gsq: greedy subset of the 2·blockSize best by gsd)',
      }),
      update: Type.Union([Type.Literal('gradient'), Type.Literal('diagonal'), Type.Literal('matrix')], {
        default: defaults.update,
        description: 'gradient d = -g_b/L_b, diagonal d_i = -g_i/L_i, matrix d = -H_bb⁻¹g_b (exact block minimization)',
      }),
      blockSize: Type.Integer({ minimum: 1, default: 5, description: 'block size τ (capped at n)' }),
      lipschitz: Type.Union([Type.Literal('eig'), Type.Literal('sum')], { default: 'eig', description: 'L_b = λ_max(H_bb), or the bound Σ_{i∈b} L_i' }),
      tol: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "relative residual to reach; default: the observation's tol, else 1e-10" })),
      maxIterations: Type.Integer({ minimum: 0, default: 0, description: 'block steps per system at most; 0: 1000·⌈n/τ⌉' }),
      gram: Type.Union([Type.Literal('auto'), Type.Literal('always'), Type.Literal('never')], {
        default: 'auto',
        description: "least squares: form AᵀA (always), keep the residual and refresh the gradient every ⌈n/τ⌉ steps (never), or form it when m·n² <= 2e9 (auto)",
      }),
    },
    { additionalProperties: false },
  );
}

/** Parameters of {@link solveGreedyBcd}; defaults (the paper's best: GSD, variable blocks, matrix updates) live in the schema. */
export const GreedyBcdParams = greedyBcdSchema({ rule: 'gsd', blocks: 'variable', update: 'matrix' });
export type GreedyBcdParams = Static<typeof GreedyBcdParams>;

/** Options of the plain {@link greedyBcd} function: the params (all optional) plus a signal and a progress callback. */
export type GreedyBcdOptions = Partial<GreedyBcdConfig> & {
  /** Solve min ½||Ax - b||² even when A is square. */
  readonly leastSquares?: boolean;
  readonly signal?: AbortSignal;
  readonly onIteration?: (point: { iteration: number; residual: number; objective: number }) => void;
};

/** What {@link greedyBcd} returns. */
export interface GreedyBcdResult {
  readonly x: Float64Array;
  /** Block steps taken. */
  readonly iterations: number;
  /** Whether the tolerance was reached within maxIterations. */
  readonly converged: boolean;
}

const bad = (field: string, message: string) => new ParsimonyError('PARSIMONY_BAD_PARAMS', `bcd-greedy: params.${field} ${message}`, `params.${field}`);

/**
 * One greedy block step on q: select a block by the rule, compute its update,
 * move. Fixed blocks keep their L_b (and, for GSQ, their Cholesky factors)
 * from a set-up pass; all scratch is allocated once.
 */
export function greedyStep(q: BlockQuadratic, cfg: GreedyBcdConfig): StepFn {
  const { n, g, diag } = q;
  const tau = Math.min(cfg.blockSize, n);
  if (cfg.rule === 'gsl' && cfg.blocks === 'variable') {
    throw bad('rule', "= 'gsl' needs blocks: 'fixed' (L_b of a variable block is not separable; 'gsd' is its variable-block form)");
  }
  const idx = new Int32Array(2 * tau), vals = new Float64Array(2 * tau), d = new Float64Array(tau), r = new Float64Array(tau);
  const col = new Float64Array(tau), kept = new Int32Array(tau), hbb = new Float64Array(tau * tau);
  const score = new Float64Array(n);
  const cands = new Int32Array(2 * tau), used = new Uint8Array(2 * tau);

  // Fixed partition: block B holds B·τ ... min(n, (B+1)·τ) - 1.
  const nb = Math.ceil(n / tau);
  let Lb: Float64Array | undefined, factors: Float64Array | undefined;
  if (cfg.blocks === 'fixed') {
    Lb = new Float64Array(nb);
    if (cfg.rule === 'gsq') factors = new Float64Array(nb * tau * tau);
    for (let B = 0; B < nb; B++) {
      const k = Math.min(tau, n - B * tau);
      for (let a = 0; a < k; a++) idx[a] = B * tau + a;
      Lb[B] = blockLipschitz(q, idx, k, cfg.lipschitz, hbb);
      if (factors) {
        blockHessian(q, idx, k, hbb);
        factors.set(cholesky(Matrix.from(k, k, hbb.slice(0, k * k))).data, B * tau * tau);
      }
    }
  }

  /** g_bᵀH_bb⁻¹g_b for fixed block B: ||L⁻¹g_b||² with its stored factor. */
  const gsqScore = (B: number, k: number): number => {
    const off = B * tau * tau;
    let s = 0;
    for (let a = 0; a < k; a++) {
      let v = g[B * tau + a];
      for (let p = 0; p < a; p++) v -= factors![off + a * k + p] * r[p];
      r[a] = v / factors![off + a * k + a];
      s += r[a] * r[a];
    }
    return s;
  };

  /** The fixed block with the best score: its first index is B·τ. */
  const selectFixed = (): number => {
    let best = 0, bestScore = -1;
    for (let B = 0; B < nb; B++) {
      const lo = B * tau, k = Math.min(tau, n - lo);
      let s = 0;
      if (cfg.rule === 'gsq') s = gsqScore(B, k);
      else if (cfg.rule === 'gsd') for (let i = lo; i < lo + k; i++) s += (g[i] * g[i]) / diag[i];
      else {
        for (let i = lo; i < lo + k; i++) s += g[i] * g[i];
        if (cfg.rule === 'gsl') s /= Lb![B];
      }
      if (s > bestScore) {
        bestScore = s;
        best = B;
      }
    }
    const k = Math.min(tau, n - best * tau);
    for (let a = 0; a < k; a++) idx[a] = best * tau + a;
    return best;
  };

  /**
   * Variable GSQ: the 2τ best coordinates by GSD are candidates; the
   * block grows greedily by the candidate that most increases g_Sᵀ H_SS⁻¹ g_S,
   * tracked through w = L⁻¹g_S of a growing Cholesky factor L (held in hbb).
   */
  const gsqSubset = (cand: number): number => {
    cands.set(idx.subarray(0, cand));
    used.fill(0);
    const l = hbb, w = r, lrow = col, chosen = kept;
    // Forward substitution l = L⁻¹ H_{S,i} into out (row stride τ when out is L itself).
    const forward = (i: number, size: number, out: Float64Array, off: number): number => {
      let ll = 0;
      for (let a = 0; a < size; a++) {
        let v = q.entry(chosen[a], i);
        for (let p = 0; p < a; p++) v -= l[a * tau + p] * out[off + p];
        out[off + a] = v / l[a * tau + a];
        ll += out[off + a] * out[off + a];
      }
      return ll;
    };
    let size = 0;
    for (; size < tau; size++) {
      let best = -1, bestGain = -1;
      for (let c = 0; c < cand; c++) {
        if (used[c]) continue;
        const i = cands[c];
        const piv2 = diag[i] - forward(i, size, lrow, 0);
        if (!(piv2 > 1e-12 * diag[i])) continue;
        let lw = 0;
        for (let a = 0; a < size; a++) lw += lrow[a] * w[a];
        const wNew = (g[i] - lw) / Math.sqrt(piv2);
        if (wNew * wNew > bestGain) {
          bestGain = wNew * wNew;
          best = c;
        }
      }
      if (best < 0) break;
      const i = cands[best];
      const piv = Math.sqrt(diag[i] - forward(i, size, l, size * tau));
      l[size * tau + size] = piv;
      let lw = 0;
      for (let a = 0; a < size; a++) lw += l[size * tau + a] * w[a];
      w[size] = (g[i] - lw) / piv;
      chosen[size] = i;
      used[best] = 1;
    }
    for (let a = 0; a < size; a++) idx[a] = chosen[a];
    return size;
  };

  /** The variable block: the τ best coordinates by |g_i| (gs) or g_i²/L_i (gsd, and gsq's candidates). */
  const selectVariable = (): number => {
    if (cfg.rule === 'gs') for (let i = 0; i < n; i++) score[i] = g[i] * g[i];
    else for (let i = 0; i < n; i++) score[i] = (g[i] * g[i]) / diag[i];
    if (cfg.rule !== 'gsq') return topK(score, tau, idx, vals);
    const cand = topK(score, Math.min(2 * tau, n), idx, vals);
    return gsqSubset(cand);
  };

  return () => {
    let k: number, L: number;
    if (cfg.blocks === 'fixed') {
      const B = selectFixed();
      k = Math.min(tau, n - B * tau);
      L = Lb![B];
    } else {
      k = selectVariable();
      L = cfg.update === 'gradient' ? blockLipschitz(q, idx, k, cfg.lipschitz, hbb) : 0;
    }
    q.sync(idx, k);
    for (let a = 0; a < k; a++) r[a] = g[idx[a]];
    if (cfg.update === 'matrix') newtonStep(q, idx, k, r, d, col, kept);
    else if (cfg.update === 'gradient') for (let a = 0; a < k; a++) d[a] = -r[a] / L;
    else {
      // Diagonal step d_i = -g_i/L_i, kept when the exact block model decreases (gᵀd + ½dᵀH_bb d < 0);
      // otherwise the safe d_i = -g_i/(k L_i), valid because H_bb ⪯ k·diag(L_i) (Cauchy–Schwarz).
      for (let a = 0; a < k; a++) d[a] = -r[a] / diag[idx[a]];
      blockHessian(q, idx, k, hbb);
      let model = 0;
      for (let a = 0; a < k; a++) {
        let hd = 0;
        for (let b = 0; b < k; b++) hd += hbb[a * k + b] * d[b];
        model += r[a] * d[a] + 0.5 * d[a] * hd;
      }
      if (!(model < 0)) for (let a = 0; a < k; a++) d[a] /= k;
    }
    q.move(idx, k, d);
  };
}

/** The defaults of a config filled from partial options. */
export function greedyConfig(o: Partial<GreedyBcdConfig>, defaults: { rule: GreedyRule; blocks: BlockKind; update: UpdateRule }): GreedyBcdConfig {
  return {
    rule: o.rule ?? defaults.rule,
    blocks: o.blocks ?? defaults.blocks,
    update: o.update ?? defaults.update,
    blockSize: o.blockSize ?? 5,
    lipschitz: o.lipschitz ?? 'eig',
    tol: o.tol,
    maxIterations: o.maxIterations ?? 0,
    gram: o.gram ?? 'auto',
  };
}

/** Runs greedy BCD on every system of a linear-system observation. */
export function runGreedyBcd(
  obs: LinearSystemObservation,
  cfg: GreedyBcdConfig,
  signal?: AbortSignal,
  onIteration?: (p: { iteration: number; system: number; residual: number; objective: number }) => void,
): { solution: LinearSystemSolution; converged: boolean } {
  const tau = (n: number) => Math.min(cfg.blockSize, n);
  return solveSystems(
    obs,
    {
      tol: cfg.tol,
      maxIterations: (n) => cfg.maxIterations || 1000 * Math.ceil(n / tau(n)),
      epoch: (n) => Math.ceil(n / tau(n)),
      gram: cfg.gram,
      signal,
      onIteration,
    },
    (q) => greedyStep(q, cfg),
  );
}

/**
 * Greedy block coordinate descent (Nutini, Laradji & Schmidt 2017) on one
 * system: A x = b for a symmetric positive definite A (dense or CSR), or
 * min ½||Ax - b||² otherwise (or with `leastSquares`). Each iteration picks a
 * block by a greedy rule on the gradient g, updates it, and keeps g current:
 * g += H[:, b]·d_b with H = A or AᵀA.
 *
 * @param system - A (dense) or Acsr, and b
 * @param options - rule ('gsd'), blocks ('variable'), update ('matrix'), blockSize (5), tol (1e-10), maxIterations, gram, signal, onIteration
 * @returns x, the block steps taken, and whether tol was reached
 * @example
 * const { x, iterations } = greedyBcd({ A, b }, { rule: 'gsl', blocks: 'fixed' });
 */
export function greedyBcd(system: { A?: Matrix; Acsr?: CsrMatrix; b: Float64Array }, options: GreedyBcdOptions = {}): GreedyBcdResult {
  const a = system.Acsr ?? system.A;
  if (!a) throw new ParsimonyError('PARSIMONY_BAD_INPUT', 'greedyBcd: give system.A (dense) or system.Acsr', 'system.A');
  if (system.b.length !== a.rows) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `greedyBcd: b has ${system.b.length} entries, A has ${a.rows} rows`, 'system.b');
  const ls = options.leastSquares || a.rows !== a.cols;
  const obs: LinearSystemObservation = ls
    ? { kind: 'least-squares', A: system.A ?? undefined, Acsr: system.A ? undefined : system.Acsr, b: system.b, tol: options.tol ?? 1e-10 }
    : { kind: 'single', A: system.A ?? undefined, Acsr: system.A ? undefined : system.Acsr, b: system.b, tol: options.tol ?? 1e-10 };
  const { solution, converged } = runGreedyBcd(obs, greedyConfig(options, { rule: 'gsd', blocks: 'variable', update: 'matrix' }), options.signal, options.onIteration);
  return { x: solution.x!, iterations: solution.iterations, converged };
}

/** The bench entry: greedy BCD with the params' rule, blocks and update on every system of the observation. */
export function solveGreedyBcd(obs: LinearSystemObservation, params: GreedyBcdParams, ctx: SolverContext): LinearSystemSolution {
  ctx.signal.throwIfAborted();
  return runGreedyBcd(obs, params, ctx.signal, (p) => ctx.report(p)).solution;
}

export const greedyBcdSolver = defineSolver({
  id: 'bcd-greedy/greedy-bcd',
  family: linearSystem,
  title: 'Greedy BCD (GSD, variable blocks, matrix updates)',
  summary: "Greedy block coordinate descent with the paper's rules: GSD selection of a variable block and an exact (matrix) block update (Nutini, Laradji & Schmidt 2017).",
  params: GreedyBcdParams,
  solve: solveGreedyBcd,
});
