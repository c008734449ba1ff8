/**
 * Coordinate-descent plumbing for the linear-system baselines (random block
 * coordinate descent, red–black Gauss–Seidel): each system becomes the
 * quadratic f(x) = ½xᵀHx - cᵀx of core's `systemQuadratic` (H = A for a
 * symmetric A, else the normal equations); a solver moves coordinates and
 * the gradient g = Hx - c follows; the run stops at the family's tolerance,
 * tested on a recomputed gradient.
 *
 * Internal module: not exported from the package.
 */
import {
  ParsimonyError,
  csrMatvec,
  dot,
  linearSystems,
  matvec,
  nrm2,
  stoppingResidual,
  systemQuadratic,
  type CsrMatrix,
  type LinearSystemObservation,
  type LinearSystemSolution,
  type LinearSystemView,
  type Matrix,
} from '@parsimony/core';

/** The moving state of one system. */
export class CdState {
  readonly n: number;
  readonly x: Float64Array;
  readonly g: Float64Array;
  /** H_jj. */
  readonly diag: Float64Array;
  /** ||g||², kept up to date by {@link shift}; read it through {@link gradNorm2}. */
  private gg: number;
  /** The largest ||g||² since gg was last summed afresh: the scale of its rounding error. */
  private ggScale: number;

  constructor(
    readonly H: { dense?: Matrix; sparse?: CsrMatrix },
    readonly c: Float64Array,
  ) {
    const n = c.length;
    this.n = n;
    this.x = new Float64Array(n);
    this.g = c.map((v) => -v);
    this.gg = this.ggScale = dot(this.g, this.g);
    this.diag = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const v = this.at(j, j);
      if (!(v > 0)) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `coordinate descent: H[${j}][${j}] = ${v}; the system must be symmetric positive definite`, 'observation');
      this.diag[j] = v;
    }
  }

  /** H_ij (a scan of row i when sparse). */
  at(i: number, j: number): number {
    const { dense, sparse } = this.H;
    if (dense) return dense.data[i * dense.cols + j];
    let v = 0;
    for (let t = sparse!.indptr[i]; t < sparse!.indptr[i + 1]; t++) if (sparse!.indices[t] === j) v += sparse!.data[t];
    return v;
  }

  /** x_j += delta; g += delta·H[:, j] (H symmetric: its row j). */
  shift(j: number, delta: number): void {
    if (delta === 0) return;
    this.x[j] += delta;
    const { dense, sparse } = this.H, g = this.g;
    let gg = this.gg;
    if (dense) {
      const n = this.n, h = dense.data, o = j * n;
      for (let i = 0; i < n; i++) {
        const old = g[i];
        g[i] = old + delta * h[o + i];
        gg += g[i] * g[i] - old * old;
      }
    } else {
      const { indptr, indices, data } = sparse!;
      for (let t = indptr[j]; t < indptr[j + 1]; t++) {
        const i = indices[t], old = g[i];
        g[i] = old + delta * data[t];
        gg += g[i] * g[i] - old * old;
      }
    }
    this.gg = Math.max(0, gg);
  }

  /**
   * ||g||². The running sum carries rounding errors of about 1e-16 of the
   * largest value it held, so it is summed afresh (O(n)) whenever it has
   * fallen 10⁴-fold since: small gradients are then still resolved.
   */
  gradNorm2(): number {
    this.ggScale = Math.max(this.ggScale, this.gg);
    if (this.gg < 1e-4 * this.ggScale) this.gg = this.ggScale = dot(this.g, this.g);
    return this.gg;
  }

  /** g and ||g||² recomputed from x (the running ones drift). */
  resync(): void {
    const { dense, sparse } = this.H;
    if (dense) matvec(dense, this.x, false, this.g);
    else csrMatvec(sparse!, this.x, false, this.g);
    for (let i = 0; i < this.n; i++) this.g[i] -= this.c[i];
    this.gg = this.ggScale = dot(this.g, this.g);
  }
}

/** Options of {@link runCoordinateDescent}. */
export interface CdRunOptions {
  /** Relative tolerance (default: the observation's, else 1e-10). */
  readonly tol?: number;
  /** Iterations per system at most. */
  readonly maxIterations: (n: number) => number;
  /** Iterations between residual checks of a nonsymmetric square system (normal equations). */
  readonly epoch: (n: number) => number;
  readonly signal: AbortSignal;
  readonly report: (point: { iteration: number; residual: number }) => void;
}

/**
 * Runs an iteration (`makeIteration` builds it per system) on every system
 * of the observation until ||Hx - c|| <= tol·||c|| holds for a recomputed
 * gradient (the family's own test for symmetric and least-squares systems),
 * or the square residual of a nonsymmetric system is below tol, or the cap.
 */
export function runCoordinateDescent(
  obs: LinearSystemObservation,
  o: CdRunOptions,
  makeIteration: (s: CdState, system: LinearSystemView) => (iteration: number) => void,
): LinearSystemSolution {
  const ls = obs.kind === 'least-squares';
  const tol = o.tol ?? obs.tol ?? 1e-10;
  const xs: Float64Array[] = [];
  let total = 0;
  for (const system of linearSystems(obs)) {
    o.signal.throwIfAborted();
    const q = systemQuadratic(system, ls);
    const s = new CdState({ dense: q.H, sparse: q.Hcsr }, q.c);
    const squareNormal = q.normal && !ls;
    const goal = (tol * nrm2(q.c)) ** 2;
    const maxIt = o.maxIterations(s.n), epoch = Math.max(1, o.epoch(s.n));
    const iterate = makeIteration(s, system);
    const reached = (it: number): boolean => {
      if (squareNormal) return it % epoch === 0 && stoppingResidual(system, s.x, false) <= tol;
      if (s.gradNorm2() > goal) return false;
      s.resync();
      return s.gradNorm2() <= goal;
    };
    let done = !squareNormal && reached(0);
    for (let it = 1; !done && it <= maxIt; it++) {
      o.signal.throwIfAborted();
      iterate(it);
      total++;
      done = reached(it);
      if (it % epoch === 0 || done) o.report({ iteration: total, residual: Math.sqrt(s.gradNorm2()) / Math.max(Math.sqrt(goal) / tol, 1e-300) });
    }
    xs.push(s.x);
  }
  return obs.kind === 'sequence' ? { xs, iterations: total } : { x: xs[0], iterations: total };
}
