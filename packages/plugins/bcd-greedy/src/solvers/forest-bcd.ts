import {
  ParsimonyError,
  Type,
  defineSolver,
  linearSystem,
  type CsrMatrix,
  type LinearSystemObservation,
  type LinearSystemSolution,
  type SolverContext,
  type Static,
} from '@parsimony/core';
import { solveSystems, type StepFn } from '../internal/driver.js';
import { ForestSolver } from '../internal/forest.js';
import type { BlockQuadratic } from '../internal/quadratic.js';

/** Parameters of {@link solveForestBcd}; defaults live in the schema. */
export const ForestBcdParams = Type.Object(
  {
    partition: Type.Union([Type.Literal('auto'), Type.Literal('rows'), Type.Literal('greedy')], {
      default: 'auto',
      description: "rows: two fixed forests, the even and the odd grid rows, alternated (needs observation.grid); greedy: a new forest each step by g_i²/L_i; auto: rows when the grid is known, else greedy",
    }),
    treeSize: Type.Integer({ minimum: 0, default: 0, description: 'greedy: block size τ_tree; 0: ⌈n/4⌉' }),
    tol: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "relative residual to reach; default: the observation's tol, else 1e-10" })),
    maxIterations: Type.Integer({ minimum: 0, default: 0, description: 'block steps per system at most; 0: 1000 + 10·n' }),
  },
  { additionalProperties: false },
);
export type ForestBcdParams = Static<typeof ForestBcdParams>;

/** Options of the plain {@link forestBcd} function. */
export type ForestBcdOptions = Partial<ForestBcdParams> & {
  /** The grid behind H (node (r, s) is unknown r·cols + s): enables partition 'rows'. */
  readonly grid?: { readonly rows: number; readonly cols: number };
  readonly signal?: AbortSignal;
  readonly onIteration?: (point: { iteration: number; residual: number; objective: number }) => void;
};

/** The even rows and the odd rows of a grid: two blocks whose graphs are disjoint paths. */
export function rowForests(grid: { rows: number; cols: number }): [Int32Array, Int32Array] {
  const blocks: [number[], number[]] = [[], []];
  for (let r = 0; r < grid.rows; r++) for (let s = 0; s < grid.cols; s++) blocks[r % 2].push(r * grid.cols + s);
  return [Int32Array.from(blocks[0]), Int32Array.from(blocks[1])];
}

/** One forest-BCD step on q: a forest block (fixed rows, or greedy), solved exactly by message passing. */
export function forestStep(q: BlockQuadratic, partition: 'rows' | 'greedy', treeSize: number, grid?: { rows: number; cols: number }): StepFn {
  const H = q.csr!, n = q.n;
  const solver = new ForestSolver(H, q.diag);
  const d = new Float64Array(n);
  if (partition === 'rows') {
    if (!grid) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', "bcd-greedy/forest-bcd: params.partition = 'rows' needs the grid shape (observation.grid); use 'greedy'", 'params.partition');
    const forests = rowForests(grid);
    // Fixed blocks: their elimination plans are made once.
    const plans = forests.map((b) => solver.plan(b, b.length));
    return (it) => {
      const b = forests[(it - 1) % 2];
      solver.solve(b, b.length, q.g, d, plans[(it - 1) % 2]);
      q.move(b, b.length, d);
    };
  }
  const size = Math.min(n, treeSize || Math.ceil(n / 4));
  const score = new Float64Array(n), ranked = new Int32Array(n), block = new Int32Array(size);
  return () => {
    const { g, diag } = q;
    for (let i = 0; i < n; i++) {
      score[i] = (g[i] * g[i]) / diag[i];
      ranked[i] = i;
    }
    // Best first; ties by index, so the order is deterministic.
    ranked.sort((a, b) => score[b] - score[a] || a - b);
    const k = solver.greedyForest(ranked, size, block);
    solver.solve(block, k, g, d);
    q.move(block, k, d);
  };
}

/** Runs forest BCD on every system of a linear-system observation. */
function runForestBcd(
  obs: LinearSystemObservation,
  params: ForestBcdParams,
  signal?: AbortSignal,
  onIteration?: (p: { iteration: number; system: number; residual: number; objective: number }) => void,
): { solution: LinearSystemSolution; converged: boolean } {
  const partition = params.partition === 'auto' ? (obs.grid ? 'rows' : 'greedy') : params.partition;
  return solveSystems(
    obs,
    {
      tol: params.tol,
      maxIterations: (n) => params.maxIterations || 1000 + 10 * n,
      epoch: () => 1,
      signal,
      onIteration,
      needSparse: 'bcd-greedy/forest-bcd: message passing needs a sparse symmetric system (CSR); this one is dense or nonsymmetric',
    },
    (q) => forestStep(q, partition, params.treeSize, obs.grid),
  );
}

/**
 * Block coordinate descent on forest-structured blocks with exact updates by
 * message passing (Nutini, Laradji & Schmidt 2017): A x = b for a
 * sparse symmetric positive definite A (CSR). With the grid known, the
 * blocks alternate between the even rows and the odd rows (two forests of
 * paths, each solved by the Thomas algorithm); otherwise each block is a
 * greedy forest of τ_tree coordinates ranked by g_i²/L_i.
 *
 * @param system - Acsr (sparse symmetric positive definite) and b
 * @param options - partition ('auto'), treeSize (⌈n/4⌉), grid, tol (1e-10), maxIterations, signal, onIteration
 * @returns x, the block steps taken, and whether tol was reached
 * @example
 * const { x, iterations } = forestBcd({ Acsr: H, b }, { grid: { rows: 50, cols: 50 } });
 */
export function forestBcd(system: { Acsr: CsrMatrix; b: Float64Array }, options: ForestBcdOptions = {}): { x: Float64Array; iterations: number; converged: boolean } {
  if (system.b.length !== system.Acsr.rows) {
    throw new ParsimonyError('PARSIMONY_BAD_INPUT', `forestBcd: b has ${system.b.length} entries, Acsr has ${system.Acsr.rows} rows`, 'system.b');
  }
  const obs: LinearSystemObservation = { kind: 'single', Acsr: system.Acsr, b: system.b, tol: options.tol ?? 1e-10, ...(options.grid && { grid: options.grid }) };
  const params: ForestBcdParams = { partition: options.partition ?? 'auto', treeSize: options.treeSize ?? 0, maxIterations: options.maxIterations ?? 0, tol: options.tol };
  const { solution, converged } = runForestBcd(obs, params, options.signal, options.onIteration);
  return { x: solution.x!, iterations: solution.iterations, converged };
}

/** The bench entry: forest BCD on every system of the observation. */
export function solveForestBcd(obs: LinearSystemObservation, params: ForestBcdParams, ctx: SolverContext): LinearSystemSolution {
  ctx.signal.throwIfAborted();
  return runForestBcd(obs, params, ctx.signal, (p) => ctx.report(p)).solution;
}

export const forestBcdSolver = defineSolver({
  id: 'bcd-greedy/forest-bcd',
  family: linearSystem,
  title: 'Forest BCD with message passing',
  summary: 'Block coordinate descent on forest-structured blocks (two row forests of a grid, or greedy forests) with exact block updates by message passing (Nutini, Laradji & Schmidt 2017).',
  params: ForestBcdParams,
  solve: solveForestBcd,
  skip: (obs) => {
    const systems = obs.kind === 'sequence' ? (obs.sequence ?? []) : [obs];
    return obs.kind === 'least-squares' || systems.some((s) => !s.Acsr) ? 'message passing needs a sparse symmetric system (CSR); this task has a dense matrix or a least-squares problem' : undefined;
  },
});
