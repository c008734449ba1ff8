/**
 * Shape and value checks for the op layer. As in tfjs, every public op checks
 * its arguments once, here, with messages that quote the shapes; kernels
 * (the TypeScript ones and any other backend's) only compute.
 *
 * Internal module: not re-exported from the package.
 */
import { ParsimonyError } from '../schema/errors.js';
import type { Matrix } from './matrix.js';

/** A `PARSIMONY_BAD_INPUT` error; `field` is the argument's name. */
export function badInput(message: string, field?: string): ParsimonyError {
  return new ParsimonyError('PARSIMONY_BAD_INPUT', message, field);
}

/** `3x4`, the way error messages quote a shape. */
export function shapeOf(a: Matrix): string {
  return `${a.rows}x${a.cols}`;
}

/** Throws unless `a` is a well-formed Matrix. */
export function assertMatrix(op: string, name: string, a: unknown): asserts a is Matrix {
  if (typeof a !== 'object' || a === null) {
    throw badInput(`${op}: ${name} must be a Matrix {rows, cols, data: Float64Array}, got ${a === null ? 'null' : typeof a}`, name);
  }
  const m = a as Partial<Matrix>;
  if (!Number.isInteger(m.rows) || !Number.isInteger(m.cols) || (m.rows as number) < 0 || (m.cols as number) < 0) {
    throw badInput(`${op}: ${name} must have non-negative integer rows and cols, got ${String(m.rows)}x${String(m.cols)}`, name);
  }
  if (!(m.data instanceof Float64Array)) {
    throw badInput(`${op}: ${name}.data must be a Float64Array (row-major), got ${m.data === undefined ? 'undefined' : (m.data as object).constructor?.name ?? typeof m.data}`, name);
  }
  if (m.data.length !== (m.rows as number) * (m.cols as number)) {
    throw badInput(`${op}: ${name} is ${m.rows}x${m.cols} but ${name}.data has ${m.data.length} entries (expected ${(m.rows as number) * (m.cols as number)})`, name);
  }
}

/** Throws unless `x` is a Float64Array, of length `n` when given. */
export function assertVector(op: string, name: string, x: unknown, n?: number, what?: string): asserts x is Float64Array {
  if (!(x instanceof Float64Array)) {
    throw badInput(`${op}: ${name} must be a Float64Array, got ${x === null ? 'null' : typeof x === 'object' ? (x as object).constructor?.name : typeof x}`, name);
  }
  if (n !== undefined && x.length !== n) {
    throw badInput(`${op}: ${name} has ${x.length} entries but ${what ?? `${n} are needed`}`, name);
  }
}

/** Throws, naming the first offending entry, when `a` holds NaN or ±Infinity. */
export function assertFinite(op: string, name: string, a: Matrix): void {
  const d = a.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    // v - v is NaN exactly when v is NaN or infinite.
    if (v - v !== 0) {
      const r = Math.floor(i / a.cols), c = i - r * a.cols;
      throw badInput(`${op}: ${name} (${shapeOf(a)}) has a non-finite entry ${v} at (${r}, ${c}); remove or impute NaN/Infinity first`, `${name}.data[${i}]`);
    }
  }
}

/** Like {@link assertFinite} for a vector. */
export function assertFiniteVector(op: string, name: string, x: Float64Array): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v - v !== 0) {
      throw badInput(`${op}: ${name} has a non-finite entry ${v} at index ${i}; remove or impute NaN/Infinity first`, `${name}[${i}]`);
    }
  }
}

/** Throws unless `a` is square. */
export function assertSquare(op: string, name: string, a: Matrix): void {
  if (a.rows !== a.cols) throw badInput(`${op}: ${name} is ${shapeOf(a)} but must be square`, name);
}

/** A well-formed, finite matrix (the usual precondition of a factorization). */
export function checkedInput(op: string, name: string, a: unknown, square = false): Matrix {
  assertMatrix(op, name, a);
  if (square) assertSquare(op, name, a);
  assertFinite(op, name, a);
  return a;
}

/** Throws unless `k` is an integer in [lo, hi]. */
export function assertInt(op: string, name: string, k: unknown, lo: number, hi: number): asserts k is number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < lo || k > hi) {
    throw badInput(`${op}: ${name} must be an integer in [${lo}, ${hi}], got ${String(k)}`, name);
  }
}

/**
 * Throws unless the square matrix `a` is symmetric to within 1e-8 of its
 * largest entry (rounding in a computed XᵀX passes; a non-symmetric input,
 * whose other triangle would be silently ignored, does not).
 */
export function assertSymmetric(op: string, name: string, a: Matrix): void {
  const n = a.rows, d = a.data;
  let max = 0;
  for (let i = 0; i < d.length; i++) max = Math.max(max, Math.abs(d[i]));
  const tol = 1e-8 * max;
  // 32 x 32 tiles, so the transposed reads stay in cache.
  for (let i0 = 0; i0 < n; i0 += 32) {
    for (let j0 = i0; j0 < n; j0 += 32) {
      for (let i = i0; i < Math.min(i0 + 32, n); i++) {
        for (let j = Math.max(j0, i + 1); j < Math.min(j0 + 32, n); j++) {
          const u = d[i * n + j], l = d[j * n + i];
          if (Math.abs(u - l) > tol) {
            throw badInput(`${op}: ${name} (${shapeOf(a)}) is not symmetric: entry (${i}, ${j}) is ${u} but (${j}, ${i}) is ${l}; symmetrize with (A + Aᵀ)/2 first`, name);
          }
        }
      }
    }
  }
}
