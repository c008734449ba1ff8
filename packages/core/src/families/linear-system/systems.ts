import { CsrMatrix, csrMatvec, gram, matvec, nrm2, type Matrix } from '../../linalg/index.js';
import { ParsimonyError } from '../../schema/errors.js';
import type { LinearSystemObservation } from './schema.js';

/** One system of an observation, whatever its variant. */
export interface LinearSystemView {
  readonly A?: Matrix;
  readonly Acsr?: CsrMatrix;
  readonly b: Float64Array;
}

/**
 * The systems of an observation in order: one for `single` and
 * `least-squares`, T for `sequence`.
 *
 * @example
 * linearSystems(obs).length // => 50 for the quick sequence
 */
export function linearSystems(obs: LinearSystemObservation): LinearSystemView[] {
  if (obs.sequence) return obs.sequence;
  return [{ A: obs.A, Acsr: obs.Acsr, b: obs.b ?? new Float64Array(0) }];
}

/** A x for a dense or CSR system. */
export function applySystem(s: LinearSystemView, x: Float64Array): Float64Array {
  return s.Acsr ? csrMatvec(s.Acsr, x) : matvec(s.A!, x);
}

/** Rows and columns of a system's matrix. */
export function systemShape(s: LinearSystemView): { rows: number; cols: number } {
  const a = s.Acsr ?? s.A!;
  return { rows: a.rows, cols: a.cols };
}

/**
 * The family's stopping quantity for x: the relative residual
 * ||b - A x|| / ||b|| of a square system, or the relative normal-equation
 * residual ||Aᵀ(b - A x)|| / ||Aᵀb|| of a least-squares one (its tolerance,
 * when the task sets `gradTol`). Overflow-safe; 0/0 counts as 0.
 *
 * @param leastSquares - the observation's kind is 'least-squares'
 * @example
 * stoppingResidual(system, xstar, false) // => ~1e-15
 */
export function stoppingResidual(s: LinearSystemView, x: Float64Array, leastSquares: boolean): number {
  const Ax = applySystem(s, x);
  // Halved so that residuals of absurd iterates cannot overflow.
  const r = s.b.map((v, i) => 0.5 * v - 0.5 * Ax[i]);
  if (!leastSquares) return Math.min(1e300, (2 * nrm2(r)) / Math.max(nrm2(s.b), 1e-300));
  const A = s.A ?? CsrMatrix.toDense(s.Acsr!);
  const top = nrm2(matvec(A, r, true)), bottom = nrm2(matvec(A, s.b, true));
  return Math.min(1e300, (2 * top) / Math.max(bottom, 1e-300));
}

/**
 * A system as the quadratic f(x) = ½xᵀHx - cᵀx whose minimizer solves it,
 * the form coordinate-descent methods work on.
 */
export interface SystemQuadratic {
  /** Unknowns. */
  readonly n: number;
  /** Dense H (n x n), when the system is dense or was turned into normal equations. */
  readonly H?: Matrix;
  /** Sparse H, symmetric, when the system is CSR and symmetric. */
  readonly Hcsr?: CsrMatrix;
  readonly c: Float64Array;
  /**
   * true when H = AᵀA, c = Aᵀb (least squares, or a nonsymmetric square A):
   * then ||Hx - c|| is not the square system's residual, and a solver must
   * test {@link stoppingResidual}.
   */
  readonly normal: boolean;
}

/** Whether a square matrix equals its transpose up to 1e-12 of its largest entry. */
function isSymmetric(s: LinearSystemView): boolean {
  if (s.A) {
    const { rows: n, data } = s.A;
    let big = 0;
    for (let i = 0; i < data.length; i++) big = Math.max(big, Math.abs(data[i]));
    const eps = 1e-12 * big;
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) if (!(Math.abs(data[i * n + j] - data[j * n + i]) <= eps)) return false;
    return true;
  }
  const { rows: n, indptr, indices, data } = s.Acsr!;
  let big = 0;
  for (let t = 0; t < data.length; t++) big = Math.max(big, Math.abs(data[t]));
  const eps = 1e-12 * big;
  // The mirror entry (j, i) of (i, j): a scan of row j (rows are short for the operators in this family).
  const at = (i: number, j: number) => {
    let v = 0;
    for (let t = indptr[i]; t < indptr[i + 1]; t++) if (indices[t] === j) v += data[t];
    return v;
  };
  for (let i = 0; i < n; i++) for (let t = indptr[i]; t < indptr[i + 1]; t++) if (!(Math.abs(data[t] - at(indices[t], i)) <= eps)) return false;
  return true;
}

/** Largest order for which a nonsymmetric CSR system is densified into normal equations. */
const MAX_DENSE_NORMAL = 4096;

/**
 * The quadratic form of one system: H = A, c = b for a symmetric square A
 * (Poisson, dense SPD, label propagation: SPD in this family); otherwise the
 * normal equations H = AᵀA (core `gram`), c = Aᵀb, for least squares and
 * nonsymmetric square systems. H and c alias the observation when no product
 * is formed: read them, never write them.
 *
 * @param leastSquares - the observation's kind is 'least-squares'
 * @example
 * systemQuadratic(linearSystems(obs)[0], false).Hcsr // the Poisson matrix itself
 */
export function systemQuadratic(s: LinearSystemView, leastSquares: boolean): SystemQuadratic {
  const { rows, cols } = systemShape(s);
  if (!leastSquares && rows === cols && isSymmetric(s)) {
    return s.Acsr ? { n: cols, Hcsr: s.Acsr, c: s.b, normal: false } : { n: cols, H: s.A!, c: s.b, normal: false };
  }
  if (s.Acsr && cols > MAX_DENSE_NORMAL) {
    throw new ParsimonyError(
      'PARSIMONY_BAD_INPUT',
      `linear-system: a nonsymmetric or rectangular CSR system with ${cols} > ${MAX_DENSE_NORMAL} unknowns has no quadratic form here; use a Krylov method`,
      'observation.Acsr',
    );
  }
  const A = s.A ?? CsrMatrix.toDense(s.Acsr!);
  return { n: cols, H: gram(A), c: matvec(A, s.b, true), normal: true };
}
