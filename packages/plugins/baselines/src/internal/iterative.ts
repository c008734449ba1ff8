/**
 * What the iterative baselines share. For `sparse-optimization` (proximal
 * gradient, FISTA, cyclic coordinate descent): the smooth part of either form
 * of the objective, the penalty's proximal map, the Lipschitz constant and
 * the stopping certificates. For `linear-system` (conjugate gradients,
 * Jacobi, SOR, QR): products with a dense or CSR matrix, the symmetry test
 * and the loop over the systems of an observation.
 *
 * Internal module: not exported from the package.
 */
import {
  ParsimonyError,
  csrMatvec,
  lanczos,
  linearSystems,
  prox1d,
  type CsrMatrix,
  type LinearSystemObservation,
  type LinearSystemSolution,
  type Matrix,
  type SparseOptimizationPenalty,
} from '@parsimony/core';
import { gemvN, gemvT } from './kernels.js';

// ==========================================================================
// sparse-optimization: the problem
// ==========================================================================

/** A penalized problem in either form of `sparse-optimization`: (A, b) or (H, c). */
export interface PenalizedProblem {
  /** Least-squares form: m x n, F = ½‖Ax − b‖² + P(x). */
  readonly A?: Matrix;
  readonly b?: Float64Array;
  /** Quadratic form: n x n symmetric positive definite (CSR), F = ½xᵀHx − cᵀx + P(x). */
  readonly H?: CsrMatrix;
  readonly c?: Float64Array;
}

/**
 * The smooth part f of F, reached through its linear image u = Kx (K = A,
 * or K = H): one product with K per iterate gives f and, for the quadratic
 * form, ∇f at once; the least-squares form needs one product with Aᵀ more.
 */
export interface SmoothPart {
  /** Unknowns. */
  readonly n: number;
  /** Length of u = Kx: m (least squares) or n (quadratic). */
  readonly dim: number;
  /** The least-squares form (then the l1 duality gap is available). */
  readonly leastSquares: boolean;
  /** b (least squares) or c (quadratic). */
  readonly rhs: Float64Array;
  /** ∂²f/∂x_j²: ‖A_j‖² or H_jj. */
  readonly diag: Float64Array;
  /** ‖∇f(0)‖∞ = ‖Aᵀb‖∞ or ‖c‖∞: the scale of the optimality residual (λ_max of the Lasso). */
  readonly grad0: number;
  /** u = K x. */
  image(x: Float64Array, u: Float64Array): void;
  /** f(x), given u = Kx. */
  value(x: Float64Array, u: Float64Array): number;
  /** g = ∇f(x), given u = Kx. */
  gradient(u: Float64Array, g: Float64Array): void;
  /** λ_max(∇²f) = ‖A‖₂² or λ_max(H), by Lanczos. */
  lipschitz(): number;
}

const badObservation = (message: string, field: string) => new ParsimonyError('PARSIMONY_BAD_OBSERVATION', message, field);

/** Checks the shapes of a problem and returns its smooth part. */
export function smoothPart(fn: string, p: PenalizedProblem): SmoothPart {
  const ls = p.A !== undefined || p.b !== undefined, quad = p.H !== undefined || p.c !== undefined;
  if (ls === quad) throw badObservation(`${fn}: give either A and b (least-squares form) or H and c (quadratic form), not both or neither`, 'A');
  if (ls) {
    if (!p.A || !p.b) throw badObservation(`${fn}: the least-squares form needs both A and b`, p.A ? 'b' : 'A');
    if (p.b.length !== p.A.rows) throw badObservation(`${fn}: b has ${p.b.length} entries, A has ${p.A.rows} rows`, 'b');
    return leastSquaresPart(p.A, p.b);
  }
  if (!p.H || !p.c) throw badObservation(`${fn}: the quadratic form needs both H and c`, p.H ? 'c' : 'H');
  if (p.H.rows !== p.H.cols) throw badObservation(`${fn}: H is ${p.H.rows}x${p.H.cols}; it must be square (symmetric positive definite)`, 'H');
  if (p.c.length !== p.H.rows) throw badObservation(`${fn}: c has ${p.c.length} entries, H has ${p.H.rows} rows`, 'c');
  return quadraticPart(fn, p.H, p.c);
}

/**
 * λ_max of a symmetric positive semidefinite operator by Lanczos (a Ritz
 * value is a lower bound: raised by 1e-6 relative).
 *
 * Deviation: the textbook estimates L by power iteration; core's Lanczos
 * (thick restarts) is used instead because the top of AᵀA's spectrum is
 * clustered for Gaussian A, and of H's for the grid operators, where power
 * iteration approaches λ_max slowly from below (an L too small breaks ISTA's
 * monotonicity).
 */
function topEigenvalue(n: number, op: (x: Float64Array, y: Float64Array) => void): number {
  if (n === 0) return 0;
  const { values, converged } = lanczos(op, 1, { n, tol: 1e-10 });
  // Unconverged (never seen here): keep the 1% margin of a power-iteration estimate.
  return Math.max(0, values[0]) * (converged ? 1 + 1e-6 : 1.01);
}

function leastSquaresPart(A: Matrix, b: Float64Array): SmoothPart {
  const { rows: m, cols: n, data } = A;
  const d = new Float64Array(m);
  const diag = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    const o = i * n;
    for (let j = 0; j < n; j++) diag[j] += data[o + j] * data[o + j];
  }
  const atb = new Float64Array(n);
  gemvT(data, m, n, b, atb);
  let grad0 = 0;
  for (let j = 0; j < n; j++) grad0 = Math.max(grad0, Math.abs(atb[j]));
  return {
    n,
    dim: m,
    leastSquares: true,
    rhs: b,
    diag,
    grad0,
    image: (x, u) => gemvN(data, m, n, x, u),
    value(_x, u) {
      let s = 0;
      for (let i = 0; i < m; i++) s += (u[i] - b[i]) ** 2;
      return 0.5 * s;
    },
    gradient(u, g) {
      for (let i = 0; i < m; i++) d[i] = u[i] - b[i];
      gemvT(data, m, n, d, g);
    },
    lipschitz() {
      const t = new Float64Array(m);
      return topEigenvalue(n, (x, y) => {
        gemvN(data, m, n, x, t);
        gemvT(data, m, n, t, y);
      });
    },
  };
}

function quadraticPart(fn: string, H: CsrMatrix, c: Float64Array): SmoothPart {
  const n = H.rows;
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let t = H.indptr[i]; t < H.indptr[i + 1]; t++) if (H.indices[t] === i) diag[i] += H.data[t];
  for (let i = 0; i < n; i++) {
    if (!(diag[i] > 0)) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: H[${i}][${i}] = ${diag[i]}; H must be symmetric positive definite`, 'H');
  }
  let grad0 = 0;
  for (let i = 0; i < n; i++) grad0 = Math.max(grad0, Math.abs(c[i]));
  return {
    n,
    dim: n,
    leastSquares: false,
    rhs: c,
    diag,
    grad0,
    image: (x, u) => void csrMatvec(H, x, false, u),
    value(x, u) {
      let s = 0;
      for (let i = 0; i < n; i++) s += x[i] * (0.5 * u[i] - c[i]);
      return s;
    },
    gradient(u, g) {
      for (let i = 0; i < n; i++) g[i] = u[i] - c[i];
    },
    lipschitz: () => topEigenvalue(n, (x, y) => void csrMatvec(H, x, false, y)),
  };
}

// ==========================================================================
// sparse-optimization: the penalty
// ==========================================================================

/**
 * The penalty P(x) = Σ_j p(|x_j|) of the family (l1, SCAD of Fan & Li 2001,
 * MCP of Zhang 2010) with an allocation-free proximal map.
 */
export class Penalty {
  readonly kind: 'l1' | 'scad' | 'mcp';
  readonly lambda: number;
  /** SCAD a or MCP γ (0 for l1). */
  readonly shape: number;

  /** Checks the penalty (kind, λ >= 0, SCAD a > 2, MCP γ > 1); `fn` names the caller in errors. */
  constructor(
    fn: string,
    readonly spec: SparseOptimizationPenalty,
  ) {
    const kind = spec.kind as string;
    if (kind !== 'l1' && kind !== 'scad' && kind !== 'mcp') {
      throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: penalty.kind = '${kind}' is not supported; use 'l1', 'scad' or 'mcp'`, 'penalty.kind');
    }
    if (!(spec.lambda >= 0) || !Number.isFinite(spec.lambda)) {
      throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: penalty.lambda must be a finite number >= 0 (got ${spec.lambda})`, 'penalty.lambda');
    }
    // The family's defaults (core's penaltyShape): SCAD a = 3.7, MCP γ = 3.
    const shape = spec.kind === 'l1' ? 0 : (spec.shape ?? (spec.kind === 'scad' ? 3.7 : 3));
    if ((spec.kind === 'scad' && !(shape > 2)) || (spec.kind === 'mcp' && !(shape > 1)) || !Number.isFinite(shape)) {
      throw new ParsimonyError('PARSIMONY_BAD_PARAMS', `${fn}: penalty.shape = ${shape} must be ${spec.kind === 'scad' ? '> 2 for SCAD (default 3.7)' : '> 1 for MCP (default 3)'}`, 'penalty.shape');
    }
    this.kind = spec.kind;
    this.lambda = spec.lambda;
    this.shape = shape;
  }

  /** p(t) for t = |x| >= 0. */
  at(t: number): number {
    const l = this.lambda, s = this.shape;
    if (this.kind === 'l1') return l * t;
    if (this.kind === 'scad') {
      if (t <= l) return l * t;
      if (t <= s * l) return (2 * s * l * t - t * t - l * l) / (2 * (s - 1));
      return (l * l * (s + 1)) / 2;
    }
    return t <= s * l ? l * t - (t * t) / (2 * s) : (s * l * l) / 2;
  }

  /** P(x). */
  sum(x: Float64Array): number {
    let s = 0;
    if (this.kind === 'l1') {
      for (let j = 0; j < x.length; j++) s += Math.abs(x[j]);
      return this.lambda * s;
    }
    for (let j = 0; j < x.length; j++) s += this.at(Math.abs(x[j]));
    return s;
  }

  /**
   * argmin_x ½v(x − z)² + p(|x|) for a curvature v > 0. Closed forms where
   * the objective is convex in x: soft thresholding (l1); SCAD's three
   * pieces when v(a − 1) > 1 (Fan & Li 2001, §2, with step 1/v); MCP's
   * firm thresholding when vγ > 1 (Zhang 2010). Otherwise core's
   * exact piecewise search `prox1d`.
   */
  prox(z: number, v: number): number {
    const l = this.lambda, a = Math.abs(z);
    if (this.kind === 'l1') {
      const t = l / v;
      return z > t ? z - t : z < -t ? z + t : 0;
    }
    const s = this.shape, sg = z < 0 ? -1 : 1;
    if (this.kind === 'scad' && v * (s - 1) > 1) {
      if (a <= l + l / v) return a <= l / v ? 0 : sg * (a - l / v);
      if (a <= s * l) return (sg * (v * (s - 1) * a - s * l)) / (v * (s - 1) - 1);
      return z;
    }
    if (this.kind === 'mcp' && v * s > 1) {
      if (a <= l / v) return 0;
      if (a <= s * l) return (sg * s * (v * a - l)) / (v * s - 1);
      return z;
    }
    return prox1d(this.spec, z, v);
  }
}

// ==========================================================================
// sparse-optimization: stopping certificates
// ==========================================================================

/**
 * The relative duality gap of the Lasso, (F(x) − D(θ)) / max(D(θ), 1), an
 * upper bound of the family's rel_gap = (F(x) − F*) / max(|F*|, 1) since
 * D(θ) <= F* and F* >= 0. The dual point θ = s·ρ scales the residual
 * ρ = b − A x' of some point x' into the dual feasible set ‖Aᵀθ‖∞ <= λ
 * (s = min(1, λ / ‖Aᵀρ‖∞)); D(θ) = ½‖b‖² − ½‖b − θ‖² = s bᵀρ − ½s²‖ρ‖²
 * (Kim, Koh, Lustig, Boyd & Gorinevsky 2007, IEEE J. Sel. Topics Signal
 * Process. 1(4), §II-C; as scikit-learn's Lasso).
 *
 * @param b - m
 * @param u - A x' (m)
 * @param gInf - ‖Aᵀ(A x' − b)‖∞
 * @param lambda - λ
 * @param F - the primal objective at the point being certified
 */
export function lassoGap(b: Float64Array, u: Float64Array, gInf: number, lambda: number, F: number): number {
  let brho = 0, rho2 = 0;
  for (let i = 0; i < b.length; i++) {
    const r = b[i] - u[i];
    brho += b[i] * r;
    rho2 += r * r;
  }
  const s = gInf > lambda ? lambda / gInf : 1;
  const D = s * brho - 0.5 * s * s * rho2;
  return Math.max(0, F - D) / Math.max(D, 1);
}

/** ‖v‖∞. */
export function infNorm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s = Math.max(s, Math.abs(v[i]));
  return s;
}

// ==========================================================================
// sparse-optimization: the proximal gradient engine (ISTA and FISTA)
// ==========================================================================

/** Options of {@link proximalGradient}. */
export interface ProximalGradientOptions {
  /** FISTA's extrapolation (Beck & Teboulle 2009); false: ISTA. */
  readonly accelerated: boolean;
  /** FISTA: the gradient restart of O'Donoghue & Candès (2015). */
  readonly restart: boolean;
  /** 'lipschitz': step 1/L with L = λ_max(∇²f) by Lanczos; 'backtracking': L doubled until the quadratic upper bound holds. */
  readonly stepRule: 'lipschitz' | 'backtracking';
  /** Stopping level of the certificate (see {@link PenalizedResult.optimality}). */
  readonly tol: number;
  readonly maxIterations: number;
  readonly signal?: AbortSignal;
  /** Receives each iterate's objective and certificate. */
  readonly onIteration?: (point: PenalizedPoint) => void;
}

/** One point of a penalized solver's trace. */
export interface PenalizedPoint {
  readonly iteration: number;
  /** F at the iterate. */
  readonly objective: number;
  /** The certificate the run stops on (relative duality gap, or relative optimality residual). */
  readonly optimality: number;
}

/** What the sparse-optimization baselines return. */
export interface PenalizedResult {
  /** The last iterate (n). */
  readonly x: Float64Array;
  /** Iterations (proximal steps, or coordinate sweeps) run. */
  readonly iterations: number;
  /** F(x). */
  readonly objective: number;
  /**
   * The stopping certificate at x: for l1 on the least-squares form the
   * relative duality gap (an upper bound of the family's rel_gap); otherwise
   * the relative optimality residual max_j L|prox step_j| / ‖∇f(0)‖∞.
   */
  readonly optimality: number;
  /** Whether the certificate reached `tol` (rather than the iteration cap). */
  readonly converged: boolean;
}

/**
 * Proximal gradient for F = f + P: ISTA x ← prox_{P/L}(x − ∇f(x)/L), or
 * (`accelerated`) FISTA's step from the extrapolated y_k = x_k +
 * ((t_{k−1} − 1)/t_k)(x_k − x_{k−1}). One product with K = A or H per
 * iteration (the image of y_k is the same combination of images), plus one
 * with Aᵀ for the least-squares gradient.
 */
export function proximalGradient(sm: SmoothPart, pen: Penalty, o: ProximalGradientOptions): PenalizedResult {
  const { n, dim } = sm;
  let x = new Float64Array(n), ux = new Float64Array(dim); // x_k and K x_k (x_0 = 0)
  let xPrev = new Float64Array(n), uxPrev = new Float64Array(dim);
  let z = new Float64Array(n), uz = new Float64Array(dim); // the proximal step's point
  const g = new Float64Array(n);
  // ISTA steps from x itself; FISTA from its own extrapolated point.
  const yBuf = o.accelerated ? new Float64Array(n) : x, uyBuf = o.accelerated ? new Float64Array(dim) : ux;
  let y = yBuf, uy = uyBuf;
  let F = sm.value(x, ux);
  const scale = Math.max(sm.grad0, 1e-300);
  const lassoLs = pen.kind === 'l1' && sm.leastSquares;
  // ∇f(0) = 0: x = 0 is stationary (the minimizer for l1), and with A = 0 or H = 0 nothing moves.
  let L = sm.grad0 === 0 ? 0 : o.stepRule === 'lipschitz' ? sm.lipschitz() : diagMax(sm.diag);
  if (!(L > 0)) return { x, iterations: 0, objective: F, optimality: 0, converged: true };
  let t = 1, it = 0, optimality = Infinity, converged = false;
  while (it < o.maxIterations) {
    o.signal?.throwIfAborted();
    sm.gradient(uy, g);
    const fy = o.stepRule === 'backtracking' ? sm.value(y, uy) : 0;
    let step = 0, fz: number;
    for (;;) {
      step = 0;
      for (let j = 0; j < n; j++) {
        const v = pen.prox(y[j] - g[j] / L, L);
        z[j] = v;
        step = Math.max(step, Math.abs(v - y[j]));
      }
      sm.image(z, uz);
      fz = sm.value(z, uz);
      if (o.stepRule === 'lipschitz') break;
      // Beck & Teboulle (2009) backtracking: accept L once f(z) <= f(y) + ∇f(y)ᵀ(z − y) + (L/2)‖z − y‖².
      let lin = 0, sq = 0;
      for (let j = 0; j < n; j++) {
        const d = z[j] - y[j];
        lin += g[j] * d;
        sq += d * d;
      }
      // The slack absorbs rounding in f when the step is tiny (otherwise L would double forever).
      if (fz <= fy + lin + 0.5 * L * sq + 1e-12 * Math.abs(fy)) break;
      L *= 2;
    }
    const Fz = fz + pen.sum(z);
    // Certificates: the dual point comes from the step's base point y (its residual and gradient are at hand).
    optimality = lassoLs ? lassoGap(sm.rhs, uy, infNorm(g), pen.lambda, Fz) : (L * step) / scale;
    if (o.accelerated) {
      let beta: number;
      // Gradient restart: the step's direction y − z makes an acute angle with the last move z − x_k.
      let dir = 0;
      if (o.restart) for (let j = 0; j < n; j++) dir += (y[j] - z[j]) * (z[j] - x[j]);
      if (o.restart && dir > 0) {
        t = 1;
        beta = 0;
      } else {
        const tNew = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
        beta = (t - 1) / tNew;
        t = tNew;
      }
      // Rotate x_{k−1} <- x_k <- z; the old x_{k−1} buffer becomes the next z.
      [xPrev, x, z] = [x, z, xPrev];
      [uxPrev, ux, uz] = [ux, uz, uxPrev];
      for (let j = 0; j < n; j++) y[j] = x[j] + beta * (x[j] - xPrev[j]);
      for (let i = 0; i < dim; i++) uy[i] = ux[i] + beta * (ux[i] - uxPrev[i]);
    } else {
      [x, z] = [z, x];
      [ux, uz] = [uz, ux];
      y = x;
      uy = ux;
    }
    F = Fz;
    it++;
    o.onIteration?.({ iteration: it, objective: F, optimality });
    if (optimality <= o.tol) {
      converged = true;
      break;
    }
  }
  return { x, iterations: it, objective: F, optimality, converged };
}

function diagMax(d: Float64Array): number {
  let s = 0;
  for (let j = 0; j < d.length; j++) s = Math.max(s, d[j]);
  return s;
}

// ==========================================================================
// linear-system
// ==========================================================================

/** One linear system A x = b with A dense or CSR (the family's `LinearSystemView`). */
export interface SystemInput {
  readonly A?: Matrix;
  readonly Acsr?: CsrMatrix;
  readonly b: Float64Array;
}

/** Products with one system's matrix, dense or CSR. */
export class SystemOperator {
  readonly rows: number;
  readonly cols: number;
  readonly dense?: Matrix;
  readonly sparse?: CsrMatrix;

  /** Checks that exactly one of A and Acsr is given and that b matches its rows. */
  constructor(fn: string, s: SystemInput) {
    if ((s.A === undefined) === (s.Acsr === undefined)) throw badObservation(`${fn}: give the system's matrix as A (dense) or Acsr (CSR), exactly one`, 'A');
    const a = (s.A ?? s.Acsr)!;
    if (s.b.length !== a.rows) throw badObservation(`${fn}: b has ${s.b.length} entries, A has ${a.rows} rows`, 'b');
    this.rows = a.rows;
    this.cols = a.cols;
    this.dense = s.A;
    this.sparse = s.Acsr;
  }

  /** out = A x. */
  apply(x: Float64Array, out: Float64Array): void {
    if (this.sparse) csrMatvec(this.sparse, x, false, out);
    else gemvN(this.dense!.data, this.rows, this.cols, x, out);
  }

  /** out = Aᵀ r. */
  applyT(r: Float64Array, out: Float64Array): void {
    if (this.sparse) csrMatvec(this.sparse, r, true, out);
    else gemvT(this.dense!.data, this.rows, this.cols, r, out);
  }

  /** A_ii of a square matrix. */
  diagonal(): Float64Array {
    const n = Math.min(this.rows, this.cols), d = new Float64Array(n);
    if (this.dense) for (let i = 0; i < n; i++) d[i] = this.dense.data[i * this.cols + i];
    else {
      const { indptr, indices, data } = this.sparse!;
      for (let i = 0; i < n; i++) for (let t = indptr[i]; t < indptr[i + 1]; t++) if (indices[t] === i) d[i] += data[t];
    }
    return d;
  }

  /** Whether A is square and equals Aᵀ up to 1e-12 of its largest entry (as core's systemQuadratic decides). */
  isSymmetric(): boolean {
    if (this.rows !== this.cols) return false;
    const n = this.rows;
    if (this.dense) {
      const a = this.dense.data;
      let big = 0;
      for (let i = 0; i < a.length; i++) big = Math.max(big, Math.abs(a[i]));
      const eps = 1e-12 * big;
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) if (!(Math.abs(a[i * n + j] - a[j * n + i]) <= eps)) return false;
      return true;
    }
    const { indptr, indices, data } = this.sparse!;
    let big = 0;
    for (let t = 0; t < data.length; t++) big = Math.max(big, Math.abs(data[t]));
    const eps = 1e-12 * big;
    const at = (i: number, j: number) => {
      let v = 0;
      for (let t = indptr[i]; t < indptr[i + 1]; t++) if (indices[t] === j) v += data[t];
      return v;
    };
    for (let i = 0; i < n; i++) for (let t = indptr[i]; t < indptr[i + 1]; t++) if (!(Math.abs(at(i, indices[t]) - at(indices[t], i)) <= eps)) return false;
    return true;
  }
}

/** ‖v‖₂ by plain accumulation, for the residual tests (inputs are well scaled). */
export function norm2(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/** What a per-system solve returns. */
export interface SystemResult {
  readonly x: Float64Array;
  readonly iterations: number;
}

/** What the iterative linear-system baselines return for one system. */
export interface IterativeResult extends SystemResult {
  /** The final relative residual ‖b − Ax‖/‖b‖ (least squares: ‖Aᵀ(b − Ax)‖/‖Aᵀb‖). */
  readonly residual: number;
  /** Whether it reached tol (rather than the iteration cap). */
  readonly converged: boolean;
}

/** The diagonal of a square system, checked nonzero (the stationary methods divide by it). */
export function checkedDiagonal(fn: string, op: SystemOperator): Float64Array {
  if (op.rows !== op.cols) throw new ParsimonyError('PARSIMONY_BAD_OBSERVATION', `${fn}: A is ${op.rows}x${op.cols}; a square system is needed`, 'A');
  const d = op.diagonal();
  for (let i = 0; i < d.length; i++) {
    if (!(d[i] !== 0) || !Number.isFinite(d[i])) throw new ParsimonyError('PARSIMONY_BAD_INPUT', `${fn}: A[${i}][${i}] = ${d[i]}; the diagonal must be nonzero and finite`, 'A');
  }
  return d;
}

/** Throws when a stationary iteration's residual has blown up (rather than sweeping on to the cap). */
export function checkDivergence(fn: string, rr: number, bn: number, sweeps: number, remedy: string): void {
  if (!(rr <= 1e20 * Math.max(bn * bn, 1e-300))) {
    throw new ParsimonyError(
      'PARSIMONY_BAD_INPUT',
      `${fn}: the iteration diverges (relative residual ${(Math.sqrt(rr) / Math.max(bn, 1e-300)).toExponential(1)} after ${sweeps} sweeps); ${remedy}`,
      'A',
    );
  }
}

/**
 * Solves every system of a linear-system observation in order with `solve`
 * (which receives the previous solution, for warm starts, and the running
 * iteration total), and assembles the family's solution.
 */
export function solveEach(
  obs: LinearSystemObservation,
  signal: AbortSignal,
  solve: (system: SystemInput, index: number, previous: Float64Array | undefined, done: number) => SystemResult,
): LinearSystemSolution {
  const xs: Float64Array[] = [];
  let total = 0;
  let previous: Float64Array | undefined;
  linearSystems(obs).forEach((system, t) => {
    signal.throwIfAborted();
    const { x, iterations } = solve(system, t, previous, total);
    total += iterations;
    xs.push(x);
    previous = x;
  });
  return obs.kind === 'sequence' ? { xs, iterations: total } : { x: xs[0], iterations: total };
}

/** Rejects the least-squares variant for a method that iterates on square systems only. */
export function requireSquare(solverId: string, obs: LinearSystemObservation, instead: string): void {
  if (obs.kind === 'least-squares') {
    throw badObservation(`${solverId}: observation.kind = 'least-squares' is not supported; this method iterates on square systems (use ${instead})`, 'observation.kind');
  }
}

/** The relative residual tolerance of a linear-system solver: its param, else the observation's, else 1e-10. */
export function systemTol(param: number | undefined, obs: LinearSystemObservation): number {
  return param ?? obs.tol ?? 1e-10;
}
