import {
  Matrix,
  ParsimonyError,
  Type,
  cholesky,
  choleskySolve,
  createRng,
  defineSolver,
  eigh,
  linearSystem,
  type CsrMatrix,
  type LinearSystemObservation,
  type LinearSystemSolution,
  type Rng,
  type SolverContext,
  type Static,
} from '@parsimony/core';
import { runCoordinateDescent, type CdState } from '../internal/block-cd.js';

/** Parameters of {@link solveRandomBcd}. */
export const RandomBcdParams = Type.Object(
  {
    blockSize: Type.Integer({ minimum: 1, default: 1, description: 'size τ of the fixed contiguous blocks (1: coordinate descent)' }),
    sampling: Type.Union([Type.Literal('uniform'), Type.Literal('lipschitz')], {
      default: 'uniform',
      description: 'draw a block uniformly, or with probability proportional to its Lipschitz constant L_b',
    }),
    update: Type.Union([Type.Literal('gradient'), Type.Literal('matrix')], {
      default: 'gradient',
      description: 'gradient step d = -g_b/L_b with L_b = λ_max(H_bb), or the exact block minimizer d = -H_bb⁻¹g_b',
    }),
    tol: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "relative residual to reach; default: the observation's tol, else 1e-10" })),
    maxIterations: Type.Integer({ minimum: 0, default: 0, description: 'block steps per system at most; 0: 1000·⌈n/τ⌉' }),
  },
  { additionalProperties: false },
);
export type RandomBcdParams = Static<typeof RandomBcdParams>;

/** Options of the plain {@link randomBcd} function. */
export type RandomBcdOptions = Partial<RandomBcdParams> & {
  /** The random stream (default: `createRng(0)`). */
  readonly rng?: Rng;
  readonly signal?: AbortSignal;
  readonly onIteration?: (point: { iteration: number; residual: number }) => void;
};

/**
 * The step of random BCD on one system: fixed blocks B·τ … (B+1)·τ - 1, their
 * L_b = λ_max(H_bb) (or Cholesky factors of H_bb) computed once, a block drawn
 * per iteration.
 */
function randomStep(s: CdState, p: RandomBcdParams, rng: Rng): () => void {
  const n = s.n, tau = Math.min(p.blockSize, n), nb = Math.ceil(n / tau);
  const size = (B: number) => Math.min(tau, n - B * tau);
  const hbb = (B: number) => {
    const k = size(B), M = Matrix.zeros(k, k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) M.data[a * k + b] = a === b ? s.diag[B * tau + a] : s.at(B * tau + a, B * tau + b);
    return M;
  };
  const L = new Float64Array(nb);
  const factors: Matrix[] = new Array(nb);
  for (let B = 0; B < nb; B++) {
    L[B] = size(B) === 1 ? s.diag[B * tau] : eigh(hbb(B)).values[size(B) - 1];
    if (p.update === 'matrix' && size(B) > 1) factors[B] = cholesky(hbb(B));
  }
  // Cumulative L_b for sampling in proportion to L_b (binary search on a uniform draw).
  const cum = new Float64Array(nb);
  for (let B = 0, acc = 0; B < nb; B++) cum[B] = acc += L[B];
  const draw = (): number => {
    if (p.sampling === 'uniform') return rng.int(nb);
    const u = rng.uniform() * cum[nb - 1];
    let lo = 0, hi = nb - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const gb = new Float64Array(tau);
  return () => {
    const B = draw(), k = size(B), lo = B * tau;
    if (k === 1) {
      s.shift(lo, -s.g[lo] / s.diag[lo]);
      return;
    }
    // The block gradient is read before any coordinate moves.
    for (let a = 0; a < k; a++) gb[a] = -s.g[lo + a];
    if (p.update === 'matrix') {
      const d = choleskySolve(factors[B], gb.slice(0, k));
      for (let a = 0; a < k; a++) s.shift(lo + a, d[a]);
    } else for (let a = 0; a < k; a++) s.shift(lo + a, gb[a] / L[B]);
  };
}

/**
 * Randomized block coordinate descent (Nesterov 2012, "Efficiency of
 * coordinate descent methods on huge-scale optimization problems") on one
 * system: A x = b for a symmetric positive definite A (dense or CSR), else
 * min ½||Ax - b||² through the normal equations. Each iteration draws a fixed
 * block b (uniformly, or ∝ L_b) and steps x_b -= g_b/L_b, or minimizes
 * exactly over the block.
 *
 * @param system - A (dense) or Acsr, and b
 * @param options - blockSize (1), sampling ('uniform'), update ('gradient'), tol (1e-10), maxIterations, rng, signal, onIteration
 * @returns x, the block steps taken
 * @example
 * const { x, iterations } = randomBcd({ A, b }, { blockSize: 5 });
 */
export function randomBcd(system: { A?: Matrix; Acsr?: CsrMatrix; b: Float64Array }, options: RandomBcdOptions = {}): { x: Float64Array; iterations: number } {
  const a = system.Acsr ?? system.A;
  if (!a) throw new ParsimonyError('PARSIMONY_BAD_INPUT', 'randomBcd: give system.A (dense) or system.Acsr', 'system.A');
  const kind = a.rows === a.cols ? 'single' : 'least-squares';
  const obs: LinearSystemObservation = { kind, ...(system.A ? { A: system.A } : { Acsr: system.Acsr }), b: system.b, tol: options.tol ?? 1e-10 };
  const params: RandomBcdParams = { blockSize: options.blockSize ?? 1, sampling: options.sampling ?? 'uniform', update: options.update ?? 'gradient', maxIterations: options.maxIterations ?? 0, tol: options.tol };
  const sol = run(obs, params, options.rng ?? createRng(0), options.signal ?? new AbortController().signal, options.onIteration ?? (() => undefined));
  return { x: sol.x!, iterations: sol.iterations };
}

function run(obs: LinearSystemObservation, p: RandomBcdParams, rng: Rng, signal: AbortSignal, report: (point: { iteration: number; residual: number }) => void): LinearSystemSolution {
  const tau = (n: number) => Math.min(p.blockSize, n);
  return runCoordinateDescent(
    obs,
    { tol: p.tol, maxIterations: (n) => p.maxIterations || 1000 * Math.ceil(n / tau(n)), epoch: (n) => Math.ceil(n / tau(n)), signal, report },
    (s) => randomStep(s, p, rng),
  );
}

/** The bench entry: random BCD on every system of the observation, blocks drawn from ctx.rng. */
export function solveRandomBcd(obs: LinearSystemObservation, params: RandomBcdParams, ctx: SolverContext): LinearSystemSolution {
  ctx.signal.throwIfAborted();
  return run(obs, params, ctx.rng, ctx.signal, (point) => ctx.report(point));
}

export const randomBcdSolver = defineSolver({
  id: 'baselines/random-bcd',
  family: linearSystem,
  title: 'Random block coordinate descent',
  summary: 'Randomized (block) coordinate descent with uniform or Lipschitz sampling and gradient or exact block updates (Nesterov 2012).',
  params: RandomBcdParams,
  solve: solveRandomBcd,
});
