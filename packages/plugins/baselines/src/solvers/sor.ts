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
import { SystemOperator, checkDivergence, checkedDiagonal, norm2, requireSquare, solveEach, systemTol, type IterativeResult, type SystemInput } from '../internal/iterative.js';

/** ω when the system is not recognised as the model problem. */
export const SOR_FALLBACK_OMEGA = 1.5;

/** Parameters of {@link sor}. */
export const SorParams = Type.Object(
  {
    omega: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        exclusiveMaximum: 2,
        description: "relaxation factor ω in (0, 2) (1: Gauss–Seidel); default: Young's optimum 2/(1 + √(1 − ρ_J²)) when A is a (shifted) 5-point Laplacian on a g x g grid, whose Jacobi radius ρ_J is known in closed form, else 1.5",
      }),
    ),
    tol: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: "relative residual to reach, ‖b − Ax‖ <= tol‖b‖; default: the observation's tol, else 1e-10" })),
    maxIterations: Type.Integer({ minimum: 0, default: 0, description: 'sweeps per system at most; 0: 100·n' }),
  },
  { additionalProperties: false },
);
export type SorParams = Static<typeof SorParams>;

/** Options of the plain {@link sor} function. */
export interface SorOptions {
  /** ω in (0, 2) (default: {@link sorOmega}). */
  readonly omega?: number;
  /** Relative residual to reach (default 1e-10). */
  readonly tol?: number;
  /** Sweeps at most (default 100·n). */
  readonly maxIterations?: number;
  readonly signal?: AbortSignal;
  /** Receives the relative residual after each sweep. */
  readonly onIteration?: (point: { iteration: number; residual: number }) => void;
  /** Added to the iteration numbers reported (a sequence's running total). */
  readonly offset?: number;
}

/**
 * Young's optimal ω for the model problem, or undefined when `S` is not
 * one: S must be the 5-point stencil on a g x g grid in natural order (row
 * i·g + j coupled to its grid neighbours only, columns sorted), with one
 * diagonal value d and one off-diagonal value e throughout, e.g. the
 * family's Poisson matrix 4 + c_t on the diagonal and −1 off it. Its Jacobi
 * matrix has spectral radius ρ_J = 4|e|cos(π/(g + 1))/d, and since the
 * natural ordering is consistently ordered, ω_opt = 2/(1 + √(1 − ρ_J²))
 * (Young 1954, Trans. AMS 76; Saad 2003 §4.2).
 *
 * @example
 * modelProblemOmega(poisson2d(32)) // => 2/(1 + sin(π/33)) ≈ 1.8262
 */
export function modelProblemOmega(S: CsrMatrix): number | undefined {
  const n = S.rows;
  const g = Math.round(Math.sqrt(n));
  if (S.cols !== n || n === 0 || g * g !== n) return undefined;
  const { indptr, indices, data } = S;
  let d = NaN, e = NaN;
  for (let i = 0; i < n; i++) {
    const r = Math.floor(i / g), c = i % g;
    let t = indptr[i];
    // The expected columns in increasing order: up, left, centre, right, down.
    for (const [present, j] of [[r > 0, i - g], [c > 0, i - 1], [true, i], [c + 1 < g, i + 1], [r + 1 < g, i + g]] as const) {
      if (!present) continue;
      if (t >= indptr[i + 1] || indices[t] !== j) return undefined;
      const v = data[t++];
      if (j === i) {
        if (Number.isNaN(d)) d = v;
        else if (v !== d) return undefined;
      } else if (Number.isNaN(e)) e = v;
      else if (v !== e) return undefined;
    }
    if (t !== indptr[i + 1]) return undefined;
  }
  if (!(d > 0)) return undefined;
  const rho = Number.isNaN(e) ? 0 : (4 * Math.abs(e) * Math.cos(Math.PI / (g + 1))) / d;
  return rho < 1 ? 2 / (1 + Math.sqrt(1 - rho * rho)) : undefined;
}

/**
 * The ω {@link sor} uses by default: {@link modelProblemOmega} for a
 * recognised 5-point Laplacian, else 1.5.
 *
 * @example
 * sorOmega({ A: denseSpd, b }) // => 1.5
 */
export function sorOmega(system: SystemInput): number {
  return (system.Acsr && modelProblemOmega(system.Acsr)) || SOR_FALLBACK_OMEGA;
}

/** For each CSR row, the first entry with column > row, or -1 when the row's columns are not increasing. */
function upperStarts(S: CsrMatrix): Int32Array {
  const { rows, indptr, indices } = S;
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let u = indptr[i + 1];
    for (let t = indptr[i]; t < indptr[i + 1]; t++) {
      if (t > indptr[i] && indices[t] <= indices[t - 1]) {
        u = -1;
        break;
      }
      if (indices[t] > i && u === indptr[i + 1]) u = t;
    }
    out[i] = u;
  }
  return out;
}

/**
 * Successive over-relaxation (Young 1954; Saad 2003, "Iterative Methods for
 * Sparse Linear Systems", §4.1) with a fixed ω, dense or CSR: each
 * sweep visits i = 1..n in order and sets x_i ← x_i + ω(b_i − A_i x)/A_ii,
 * with the rows above already updated (ω = 1: Gauss–Seidel). It converges
 * for every ω in (0, 2) when A is symmetric positive definite (Ostrowski–Reich);
 * with Young's ω on the 2D Poisson problem the spectral radius is
 * ω_opt − 1 = 1 − O(h), so O(√n) sweeps rather than Jacobi's O(n).
 *
 * The residual after a sweep needs no extra product with A: with s_i the
 * residual of row i when it was visited and δ_i its update,
 * r_i = (1 − ω)s_i − Σ_{j>i} A_ij δ_j (half a product); the last one is
 * confirmed on b − Ax recomputed.
 *
 * @param system - `{ A }` (dense) or `{ Acsr }` (CSR), square with a nonzero diagonal, and b
 * @param options - `omega` ({@link sorOmega}), `tol` (1e-10), `maxIterations` (100·n), `signal`, `onIteration`, `offset`
 * @returns x, the sweeps, the final relative residual and whether it reached tol
 * @example
 * const { x, iterations } = sor({ Acsr: poisson, b }, { tol: 1e-8 }); // ω = ω_opt
 */
export function sor(system: SystemInput, options: SorOptions = {}): IterativeResult {
  const fn = 'sor';
  const op = new SystemOperator(fn, system);
  const diag = checkedDiagonal(fn, op);
  const omega = options.omega ?? sorOmega(system), tol = options.tol ?? 1e-10;
  if (!(omega > 0 && omega < 2)) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: omega must be in (0, 2) (got ${omega})`, 'omega');
  if (!(tol > 0)) throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: tol must be a number > 0 (got ${tol})`, 'tol');
  const n = op.cols, b = system.b;
  const maxIt = options.maxIterations || 100 * n;
  const x = new Float64Array(n), s = new Float64Array(n), delta = new Float64Array(n), q = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = omega / diag[i];
  const bn = norm2(b), goal = (tol * bn) ** 2;
  const S = op.sparse, a = op.dense?.data;
  // CSR: where each row's entries right of the diagonal start, for the residual's half product (-1: the row is unsorted).
  const upper = S ? upperStarts(S) : undefined;
  let it = 0, rr = bn * bn;
  while (rr > goal && it < maxIt) {
    options.signal?.throwIfAborted();
    rr = 0;
    if (S) {
      const { indptr, indices, data } = S;
      for (let i = 0; i < n; i++) {
        let si = b[i];
        for (let t = indptr[i]; t < indptr[i + 1]; t++) si -= data[t] * x[indices[t]];
        const di = w[i] * si;
        x[i] += di;
        s[i] = si;
        delta[i] = di;
      }
      for (let i = 0; i < n; i++) {
        let ri = (1 - omega) * s[i];
        const u = upper![i];
        if (u >= 0) for (let t = u; t < indptr[i + 1]; t++) ri -= data[t] * delta[indices[t]];
        else for (let t = indptr[i]; t < indptr[i + 1]; t++) if (indices[t] > i) ri -= data[t] * delta[indices[t]];
        rr += ri * ri;
      }
    } else {
      for (let i = 0; i < n; i++) {
        let si = b[i];
        const o = i * n;
        for (let j = 0; j < n; j++) si -= a![o + j] * x[j];
        const di = w[i] * si;
        x[i] += di;
        s[i] = si;
        delta[i] = di;
      }
      for (let i = 0; i < n; i++) {
        let ri = (1 - omega) * s[i];
        const o = i * n;
        for (let j = i + 1; j < n; j++) ri -= a![o + j] * delta[j];
        rr += ri * ri;
      }
    }
    it++;
    if (rr <= goal) {
      // Confirm on b − Ax recomputed (the family's test).
      op.apply(x, q);
      rr = 0;
      for (let i = 0; i < n; i++) rr += (b[i] - q[i]) ** 2;
    }
    options.onIteration?.({ iteration: (options.offset ?? 0) + it, residual: Math.sqrt(rr) / Math.max(bn, 1e-300) });
    checkDivergence(fn, rr, bn, it, 'SOR converges for 0 < ω < 2 when A is SPD; use a smaller omega or baselines/conjugate-gradient');
  }
  return { x, iterations: it, residual: Math.sqrt(rr) / Math.max(bn, 1e-300), converged: rr <= goal };
}

/** The bench entry: SOR from x = 0 on every square system, ω per system ({@link sorOmega}) unless params.omega is set. */
export function solveSor(obs: LinearSystemObservation, params: SorParams, ctx: SolverContext): LinearSystemSolution {
  ctx.signal.throwIfAborted();
  requireSquare('baselines/sor', obs, 'baselines/qr-least-squares or baselines/conjugate-gradient');
  const tol = systemTol(params.tol, obs);
  return solveEach(obs, ctx.signal, (system, _t, _prev, done) =>
    sor(system, { omega: params.omega, tol, maxIterations: params.maxIterations, signal: ctx.signal, offset: done, onIteration: (p) => ctx.report(p) }),
  );
}

/** `baselines/sor`: {@link sor} as a registered solver. */
export const sorSolver = defineSolver({
  id: 'baselines/sor',
  family: linearSystem,
  title: 'Successive over-relaxation',
  summary: "SOR with a fixed ω (Young 1954): Young's optimum for a recognised 5-point Poisson matrix, else 1.5; dense or CSR, from x = 0.",
  params: SorParams,
  solve: solveSor,
  skip: (obs) => (obs.kind === 'least-squares' ? 'iterates on square systems; for least squares use baselines/qr-least-squares or baselines/conjugate-gradient (CGLS)' : undefined),
});
