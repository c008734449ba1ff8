import { defineFamily } from '../../plugin/family.js';
import { expectFinite, expectLength, type FieldProblem } from '../common.js';
import { LinearSystemObservation, LinearSystemParams, LinearSystemSolution, LinearSystemTruth } from './schema.js';
import { generateLinearSystem } from './generate.js';
import { linearSystemMetrics, relativeResiduals, scoreLinearSystem } from './score.js';
import { linearSystems, stoppingResidual, systemShape } from './systems.js';

export * from './schema.js';
export { generateLinearSystem, poisson2d, poissonSolve } from './generate.js';
export { linearSystems, applySystem, systemShape, stoppingResidual, systemQuadratic, type LinearSystemView, type SystemQuadratic } from './systems.js';
export { relativeResiduals } from './score.js';

/** Rounding slack on the tolerance: a solver that stops at tol by its own residual still passes. */
const TOL_SLACK = 1.01;

function checkCsr(field: string, S: NonNullable<LinearSystemObservation['Acsr']>): FieldProblem | undefined {
  if (S.indptr.length !== S.rows + 1) return { field: `${field}.indptr`, message: `${field}.indptr has ${S.indptr.length} entries, expected rows + 1 = ${S.rows + 1}` };
  if (S.indptr[0] !== 0 || S.indptr[S.rows] !== S.data.length || S.indices.length !== S.data.length) {
    return { field: `${field}.indptr`, message: `${field}.indptr must run from 0 to nnz = ${S.data.length} (= indices.length = ${S.indices.length})` };
  }
  for (let i = 0; i < S.rows; i++) if (S.indptr[i + 1] < S.indptr[i]) return { field: `${field}.indptr[${i + 1}]`, message: `${field}.indptr decreases at ${i + 1}` };
  for (let t = 0; t < S.indices.length; t++) {
    if (S.indices[t] < 0 || S.indices[t] >= S.cols) return { field: `${field}.indices[${t}]`, message: `${field}.indices[${t}] = ${S.indices[t]} is outside 0..${S.cols - 1}` };
  }
  return undefined;
}

/** Checks one system: exactly one of A and Acsr, square unless least squares, b matching. */
function checkSystem(prefix: string, s: { A?: LinearSystemObservation['A']; Acsr?: LinearSystemObservation['Acsr']; b?: Float64Array }, square: boolean): FieldProblem | undefined {
  if ((s.A === undefined) === (s.Acsr === undefined)) return { field: `${prefix}A`, message: `${prefix}A or ${prefix}Acsr must be given (exactly one)` };
  if (!s.b) return { field: `${prefix}b`, message: `${prefix}b is required` };
  if (s.Acsr) {
    const p = checkCsr(`${prefix}Acsr`, s.Acsr);
    if (p) return p;
  }
  const a = (s.Acsr ?? s.A)!;
  if (square && a.rows !== a.cols) return { field: `${prefix}A`, message: `${prefix}A is ${a.rows}x${a.cols}; a square system is expected` };
  if (!square && a.rows < a.cols) return { field: `${prefix}A`, message: `${prefix}A is ${a.rows}x${a.cols}; least squares needs rows >= cols` };
  return expectLength(`${prefix}b`, s.b, a.rows, 'the rows of A');
}

/**
 * Solve A x = b (dense or CSR, SPD or general, or paper 21's label
 * propagation on a grid), a sequence of related systems, or an overdetermined
 * least-squares problem (optionally to a gradient tolerance). See README.md in this folder.
 *
 * @example
 * const { observation, truth } = generateInstance(linearSystem, { grid: 8, count: 5 }, [1]);
 */
export const linearSystem = defineFamily({
  id: 'linear-system',
  title: 'Linear systems',
  summary: 'Solve A x = b to a tolerance with few iterations, one system or a sequence of related ones, or an overdetermined least-squares problem.',
  schemas: {
    params: LinearSystemParams,
    observation: LinearSystemObservation,
    truth: LinearSystemTruth,
    solution: LinearSystemSolution,
  },
  metrics: linearSystemMetrics,
  presets: {
    quick: { variant: 'sequence', grid: 32, count: 50 },
    default: { variant: 'sequence', grid: 32, count: 200 },
    scale: [16, 24, 32, 48, 64].map((grid) => ({ variant: 'sequence' as const, grid, count: 50 })),
  },
  generate: generateLinearSystem,
  checkObservation(obs) {
    if (obs.kind === 'sequence') {
      if (!obs.sequence) return { field: 'observation.sequence', message: "observation.sequence is required when kind is 'sequence'" };
      if (obs.A || obs.Acsr || obs.b) return { field: 'observation.A', message: "a 'sequence' observation holds its systems in observation.sequence only" };
      for (let t = 0; t < obs.sequence.length; t++) {
        const p = checkSystem(`observation.sequence[${t}].`, obs.sequence[t], true);
        if (p) return p;
      }
    } else {
      if (obs.sequence) return { field: 'observation.sequence', message: `observation.sequence is only allowed when kind is 'sequence' (got '${obs.kind}')` };
      const p = checkSystem('observation.', obs, obs.kind === 'single');
      if (p) return p;
    }
    if (obs.kind !== 'least-squares' && obs.tol === undefined) return { field: 'observation.tol', message: 'observation.tol is required for square systems' };
    if (obs.grid) {
      const n = systemShape(linearSystems(obs)[0]).cols;
      if (obs.grid.rows * obs.grid.cols !== n) return { field: 'observation.grid', message: `observation.grid is ${obs.grid.rows}x${obs.grid.cols} = ${obs.grid.rows * obs.grid.cols} nodes, A has ${n} unknowns` };
    }
    return undefined;
  },
  checkSolution(obs, sol) {
    const systems = linearSystems(obs);
    const iters = expectFinite('solution.iterations', sol.iterations);
    if (iters) return iters;
    let xs: readonly Float64Array[];
    if (obs.kind === 'sequence') {
      if (!sol.xs) return { field: 'solution.xs', message: `solution.xs is required: one solution per system (${systems.length})` };
      if (sol.xs.length !== systems.length) return { field: 'solution.xs', message: `solution.xs has ${sol.xs.length} solutions, the sequence has ${systems.length} systems` };
      xs = sol.xs;
    } else {
      if (!sol.x) return { field: 'solution.x', message: 'solution.x is required' };
      xs = [sol.x];
    }
    const name = (t: number) => (obs.kind === 'sequence' ? `solution.xs[${t}]` : 'solution.x');
    for (let t = 0; t < xs.length; t++) {
      const p = expectLength(name(t), xs[t], systemShape(systems[t]).cols, 'n');
      if (p) return p;
    }
    if (obs.tol !== undefined && obs.kind !== 'least-squares') {
      const res = relativeResiduals(obs, xs);
      const bad = res.findIndex((r) => !(r <= obs.tol! * TOL_SLACK));
      if (bad >= 0) return { field: name(bad), message: `${name(bad)} has relative residual ${res[bad].toExponential(2)} > tol = ${obs.tol}; iterate until ||b - A x|| <= tol·||b||` };
    }
    if (obs.tol !== undefined && obs.kind === 'least-squares') {
      const res = stoppingResidual(systems[0], xs[0], true);
      if (!(res <= obs.tol * TOL_SLACK)) {
        return { field: 'solution.x', message: `solution.x has relative normal-equation residual ${res.toExponential(2)} > tol = ${obs.tol}; iterate until ||Aᵀ(b - A x)|| <= tol·||Aᵀb||` };
      }
    }
    return undefined;
  },
  score: scoreLinearSystem,
});
