import { csrMatvec, matvec, type CsrMatrix, type Matrix } from '../../linalg/index.js';
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
