import {
  ParsimonyError,
  Type,
  defineSolver,
  linearSystem,
  type CsrMatrix,
  type LinearSystemObservation,
  type LinearSystemSolution,
  type Matrix,
  type SolverContext,
  type Static,
} from '@parsimony/core';
import { runCoordinateDescent, type CdState } from '../internal/block-cd.js';

/** Parameters of {@link solveRedBlackGaussSeidel}. */
export const RedBlackGaussSeidelParams = Type.Object(
  {
    tol: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "relative residual to reach; default: the observation's tol, else 1e-10" })),
    maxIterations: Type.Integer({ minimum: 0, default: 0, description: 'colour updates per system at most; 0: 200·n' }),
  },
  { additionalProperties: false },
);
export type RedBlackGaussSeidelParams = Static<typeof RedBlackGaussSeidelParams>;

/**
 * Greedy colouring of the graph of H (i ~ j when H_ij ≠ 0) in index order:
 * each unknown takes the smallest colour none of its earlier neighbours has.
 * On a grid with the 5-point stencil this is the red–black checkerboard.
 *
 * @returns the unknowns of each colour, in index order
 */
export function colourClasses(s: CdState): Int32Array[] {
  const n = s.n, colour = new Int32Array(n).fill(-1);
  const { sparse, dense } = s.H;
  const seen: number[] = [];
  let count = 0;
  for (let i = 0; i < n; i++) {
    seen.length = 0;
    if (sparse) {
      for (let t = sparse.indptr[i]; t < sparse.indptr[i + 1]; t++) if (sparse.indices[t] !== i && sparse.data[t] !== 0) seen.push(colour[sparse.indices[t]]);
    } else for (let j = 0; j < i; j++) if (dense!.data[i * n + j] !== 0) seen.push(colour[j]);
    let c = 0;
    while (seen.includes(c)) c++;
    colour[i] = c;
    count = Math.max(count, c + 1);
  }
  const classes: number[][] = Array.from({ length: count }, () => []);
  for (let i = 0; i < n; i++) classes[colour[i]].push(i);
  return classes.map((c) => Int32Array.from(c));
}

/**
 * Red–black (multicolour) Gauss–Seidel on one system: the unknowns are
 * coloured so that no two of a colour are coupled (red and black on a grid);
 * one iteration minimizes f exactly over one colour, whose block of H is
 * diagonal, x_i ← (c_i - Σ_{j≠i} H_ij x_j)/H_ii for all i of that colour,
 * and the colours take turns. A x = b for a symmetric positive definite A,
 * else the normal equations of min ½||Ax - b||².
 *
 * @param system - A (dense) or Acsr, and b
 * @param options - tol (1e-10), maxIterations, signal, onIteration
 * @returns x and the colour updates taken (two per sweep on a grid)
 * @example
 * const { x, iterations } = redBlackGaussSeidel({ Acsr: poisson, b });
 */
export function redBlackGaussSeidel(
  system: { A?: Matrix; Acsr?: CsrMatrix; b: Float64Array },
  options: Partial<RedBlackGaussSeidelParams> & { signal?: AbortSignal; onIteration?: (point: { iteration: number; residual: number }) => void } = {},
): { x: Float64Array; iterations: number } {
  const a = system.Acsr ?? system.A;
  if (!a) throw new ParsimonyError('PARSIMONY_BAD_INPUT', 'redBlackGaussSeidel: give system.A (dense) or system.Acsr', 'system.A');
  const kind = a.rows === a.cols ? 'single' : 'least-squares';
  const obs: LinearSystemObservation = { kind, ...(system.A ? { A: system.A } : { Acsr: system.Acsr }), b: system.b, tol: options.tol ?? 1e-10 };
  const sol = run(obs, { maxIterations: options.maxIterations ?? 0, tol: options.tol }, options.signal ?? new AbortController().signal, options.onIteration ?? (() => undefined));
  return { x: sol.x!, iterations: sol.iterations };
}

function run(obs: LinearSystemObservation, p: RedBlackGaussSeidelParams, signal: AbortSignal, report: (point: { iteration: number; residual: number }) => void): LinearSystemSolution {
  return runCoordinateDescent(obs, { tol: p.tol, maxIterations: (n) => p.maxIterations || 200 * n, epoch: () => 1, signal, report }, (s) => {
    const classes = colourClasses(s);
    const step = new Float64Array(s.n);
    return (it) => {
      const cls = classes[(it - 1) % classes.length];
      // Every step is read before any moves: the colour's unknowns are uncoupled, so this is the exact block minimizer.
      for (let t = 0; t < cls.length; t++) step[t] = -s.g[cls[t]] / s.diag[cls[t]];
      for (let t = 0; t < cls.length; t++) s.shift(cls[t], step[t]);
    };
  });
}

/** The bench entry: red–black Gauss–Seidel on every system of the observation. */
export function solveRedBlackGaussSeidel(obs: LinearSystemObservation, params: RedBlackGaussSeidelParams, ctx: SolverContext): LinearSystemSolution {
  ctx.signal.throwIfAborted();
  return run(obs, params, ctx.signal, (point) => ctx.report(point));
}

export const redBlackGaussSeidelSolver = defineSolver({
  id: 'baselines/red-black-gauss-seidel',
  family: linearSystem,
  title: 'Red–black Gauss–Seidel',
  summary: 'Multicolour (red–black on a grid) Gauss–Seidel: exact minimization over one colour class of uncoupled unknowns per iteration.',
  params: RedBlackGaussSeidelParams,
  solve: solveRedBlackGaussSeidel,
});
