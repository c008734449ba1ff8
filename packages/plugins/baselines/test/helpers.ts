import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Matrix, decodeNpy, npyToMatrix } from '@parsimony/core';

const dir = join(import.meta.dirname, 'fixtures');

/** fixtures.json, written by fixtures/make_fixtures.py with scikit-learn. */
export const fixtures = JSON.parse(readFileSync(join(dir, 'fixtures.json'), 'utf8')) as {
  sklearn: string;
  cases: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
};

/** A fixture .npy file as a vector (1-D) or matrix (2-D). */
export function npyVector(file: string): Float64Array {
  return decodeNpy(readFileSync(join(dir, file)), file).data;
}
export function npyMatrix(file: string): Matrix {
  return npyToMatrix(decodeNpy(readFileSync(join(dir, file)), file), file);
}

/** Rows of a matrix as vectors (copies). */
export function rowsOf(M: Matrix): Float64Array[] {
  return Array.from({ length: M.rows }, (_, i) => M.data.slice(i * M.cols, (i + 1) * M.cols));
}

/** Indices of the nonzero entries. */
export function supportOf(x: Float64Array): number[] {
  return Array.from(x.keys()).filter((i) => x[i] !== 0);
}

/** ‖a − b‖ / ‖b‖, 0 when both are zero. */
export function rel(a: Float64Array, b: Float64Array): number {
  let num = 0, den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return num === 0 ? 0 : Math.sqrt(num / den);
}
