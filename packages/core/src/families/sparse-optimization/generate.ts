import { Matrix, matvec, nrm2 } from '../../linalg/index.js';
import type { Rng } from '../../random/index.js';
import type { Instance } from '../../plugin/family.js';
import { badParam } from '../common.js';
import { labelPropagationGrid } from '../label-propagation.js';
import { coordinateDescent, smoothPart } from './reference.js';
import { sparseOptimizationObjective } from './score.js';
import type { SparseOptimizationObservation, SparseOptimizationParams, SparseOptimizationPenalty, SparseOptimizationTruth } from './schema.js';

const fail = (field: string, problem: string) => badParam('sparse-optimization', field, problem);

/** Minimizes F from x (in place) at high precision; SCAD/MCP start from the Lasso solution. */
function minimize(obs: SparseOptimizationObservation, pen: SparseOptimizationPenalty, x: Float64Array, tol: number): void {
  const opts = { tol, maxSweeps: 20_000 };
  if (pen.kind !== 'l1') coordinateDescent(smoothPart(obs, x), { kind: 'l1', lambda: pen.lambda }, x, opts);
  coordinateDescent(smoothPart(obs, x), pen, x, opts);
}

const nnz = (x: Float64Array) => x.reduce((s, v) => s + (v !== 0 ? 1 : 0), 0);

/**
 * Draws a least-squares (A, b) or label-propagation (H, c) instance, picks λ
 * (bisection on log λ until the optimum has `targetNonzeros` nonzeros, unless
 * λ or λ/λ_max is given) and computes the optimum F* by coordinate descent to ~1e-15.
 */
export function generateSparseOptimization(p: SparseOptimizationParams, rng: Rng): Instance<SparseOptimizationObservation, SparseOptimizationTruth> {
  const shape = p.shape;
  if (shape !== undefined && p.penalty === 'scad' && !(shape > 2)) throw fail('shape', `= ${shape} must be > 2 for SCAD (default 3.7)`);
  if (shape !== undefined && p.penalty === 'mcp' && !(shape > 1)) throw fail('shape', `= ${shape} must be > 1 for MCP (default 3)`);
  if (p.targetNonzeros > p.n) throw fail('targetNonzeros', `= ${p.targetNonzeros} exceeds n = ${p.n}`);
  if (p.lambda !== undefined && p.lambdaRatio !== undefined) throw fail('lambdaRatio', 'cannot be combined with params.lambda; give one of them');

  let base: Omit<SparseOptimizationObservation, 'penalty'>;
  let grad0: Float64Array; // ∇f(0): -Aᵀb or -c
  if (p.form === 'least-squares') {
    const { m, n } = p;
    const A = Matrix.zeros(m, n);
    rng.fillNormal(A.data as Float64Array, 0, 1 / Math.sqrt(m));
    if (p.columnScales === 'lognormal') {
      const s = Float64Array.from({ length: n }, () => Math.exp(rng.normal()));
      for (let i = 0; i < A.data.length; i++) A.data[i] *= s[i % n];
    }
    const x0 = new Float64Array(n);
    for (const j of rng.sampleWithoutReplacement(n, p.targetNonzeros)) x0[j] = rng.normal();
    const b = matvec(A, x0);
    if (p.snrDb !== 'inf') {
      const std = nrm2(b) / Math.sqrt(m) / Math.pow(10, p.snrDb / 20);
      for (let i = 0; i < m; i++) b[i] += std * rng.normal();
    }
    base = { A, b, tol: p.tol };
    grad0 = matvec(A, b, true).map((v) => -v);
  } else {
    const g = Math.round(Math.sqrt(p.n));
    if (g * g !== p.n) throw fail('n', `= ${p.n} must be a perfect square (grid side²) for form 'quadratic'`);
    // Label-propagation quadratic (paper 21 (b)) with graded labels ±U[0.5, 1.5].
    const { H, c } = labelPropagationGrid(g, p.labelled, rng, 'graded');
    base = { H, c, tol: p.tol };
    grad0 = c.map((v) => -v);
  }

  const mk = (lambda: number): SparseOptimizationPenalty => ({ kind: p.penalty, lambda, ...(p.penalty !== 'l1' && { shape: shape ?? (p.penalty === 'scad' ? 3.7 : 3) }) });
  let lambda = p.lambda;
  if (lambda === undefined && p.lambdaRatio !== undefined) {
    // λ = ratio·λ_max, λ_max = ||∇f(0)||∞ being the smallest λ with x* = 0 (l1).
    lambda = p.lambdaRatio * grad0.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
    if (!(lambda > 0)) throw fail('lambdaRatio', 'cannot be used: the gradient at 0 vanishes; give params.lambda');
  }
  if (lambda === undefined) {
    const lmax = grad0.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
    if (!(lmax > 0)) throw fail('lambda', 'cannot be searched: the gradient at 0 vanishes; give params.lambda');
    // Bisection on log λ: the support grows as λ falls (monotone for l1, nearly so for SCAD/MCP).
    let lo = Math.log(lmax * 1e-4), hi = Math.log(lmax);
    let best = { lambda: lmax, gap: p.targetNonzeros };
    const x = new Float64Array(p.n);
    for (let it = 0; it < 40; it++) {
      const mid = 0.5 * (lo + hi);
      minimize({ ...base, penalty: mk(Math.exp(mid)) }, mk(Math.exp(mid)), x, 1e-9);
      const k = nnz(x);
      if (Math.abs(k - p.targetNonzeros) < best.gap) best = { lambda: Math.exp(mid), gap: Math.abs(k - p.targetNonzeros) };
      if (k === p.targetNonzeros) break;
      if (k > p.targetNonzeros) lo = mid;
      else hi = mid;
    }
    lambda = best.lambda;
  }
  const observation: SparseOptimizationObservation = { ...base, penalty: mk(lambda) };
  const xstar = new Float64Array(p.n);
  minimize(observation, observation.penalty, xstar, 1e-13);
  return { observation, truth: { Fstar: sparseOptimizationObjective(observation, xstar), xstar } };
}
