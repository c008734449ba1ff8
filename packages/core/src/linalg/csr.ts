import { assertMatrix, assertVector, badInput } from './check.js';
import type { Matrix } from './matrix.js';

/**
 * A sparse matrix in compressed sparse row form (as scipy.sparse.csr_matrix):
 * the nonzeros of row i are `data[indptr[i] .. indptr[i+1])` at columns
 * `indices[...]`, sorted by column. A plain object, like {@link Matrix}.
 */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  /** rows + 1 offsets into `indices`/`data`; indptr[0] = 0, indptr[rows] = nnz. */
  readonly indptr: Int32Array;
  /** Column index of each stored entry. */
  readonly indices: Int32Array;
  /** Value of each stored entry. */
  readonly data: Float64Array;
}

/** Constructors for {@link CsrMatrix}. @example CsrMatrix.fromDense(Matrix.eye(2)).indptr // => [0, 1, 2] */
export const CsrMatrix = {
  /**
   * From a dense matrix, keeping entries with |a_ij| > `dropTol` (default 0).
   *
   * @example CsrMatrix.fromDense(Matrix.eye(3)).data.length // => 3
   */
  fromDense(a: Matrix, dropTol = 0): CsrMatrix {
    assertMatrix('CsrMatrix.fromDense', 'A', a);
    const { rows: m, cols: n, data } = a;
    let nnz = 0;
    for (let i = 0; i < data.length; i++) if (!(Math.abs(data[i]) <= dropTol)) nnz++;
    const indptr = new Int32Array(m + 1), indices = new Int32Array(nnz), vals = new Float64Array(nnz);
    let w = 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const v = data[i * n + j];
        // `!(<=)` keeps NaN entries, so they are not silently dropped.
        if (!(Math.abs(v) <= dropTol)) {
          indices[w] = j;
          vals[w++] = v;
        }
      }
      indptr[i + 1] = w;
    }
    return { rows: m, cols: n, indptr, indices, data: vals };
  },

  /**
   * From coordinate (COO) triplets: entry k is `values[k]` at (`rowIdx[k]`,
   * `colIdx[k]`); duplicates are summed, as in scipy.
   *
   * @example CsrMatrix.fromTriplets(2, 2, [0, 1], [1, 0], [5, 6]).indices // => [1, 0]
   */
  fromTriplets(
    rows: number, cols: number,
    rowIdx: ArrayLike<number>, colIdx: ArrayLike<number>, values: ArrayLike<number>,
  ): CsrMatrix {
    const op = 'CsrMatrix.fromTriplets';
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
      throw badInput(`${op}: rows and cols must be non-negative integers, got ${rows}x${cols}`, 'rows');
    }
    const nz = rowIdx.length;
    if (colIdx.length !== nz || values.length !== nz) {
      throw badInput(`${op}: rowIdx, colIdx and values must have equal lengths, got ${nz}, ${colIdx.length}, ${values.length}`, 'values');
    }
    const count = new Int32Array(rows + 1);
    for (let k = 0; k < nz; k++) {
      const i = rowIdx[k], j = colIdx[k];
      if (!Number.isInteger(i) || i < 0 || i >= rows || !Number.isInteger(j) || j < 0 || j >= cols) {
        throw badInput(`${op}: triplet ${k} is at (${i}, ${j}), outside the ${rows}x${cols} matrix`, `rowIdx[${k}]`);
      }
      count[i + 1]++;
    }
    for (let i = 0; i < rows; i++) count[i + 1] += count[i];
    // Bucket by row, then sort each row by column and merge duplicates.
    const next = count.slice(0, rows);
    const order = new Int32Array(nz);
    for (let k = 0; k < nz; k++) order[next[rowIdx[k]]++] = k;
    const indptr = new Int32Array(rows + 1);
    const idx: number[] = [];
    const val: number[] = [];
    for (let i = 0; i < rows; i++) {
      const ks = Array.from(order.subarray(count[i], count[i + 1])).sort((p, q) => colIdx[p] - colIdx[q]);
      for (let t = 0; t < ks.length; t++) {
        const j = colIdx[ks[t]];
        if (idx.length > indptr[i] && idx[idx.length - 1] === j) val[val.length - 1] += values[ks[t]];
        else {
          idx.push(j);
          val.push(values[ks[t]]);
        }
      }
      indptr[i + 1] = idx.length;
    }
    return { rows, cols, indptr, indices: Int32Array.from(idx), data: Float64Array.from(val) };
  },

  /** The dense equivalent. @example CsrMatrix.toDense(CsrMatrix.fromDense(A)) // equals A */
  toDense(s: CsrMatrix): Matrix {
    const out = new Float64Array(s.rows * s.cols);
    for (let i = 0; i < s.rows; i++) {
      for (let k = s.indptr[i]; k < s.indptr[i + 1]; k++) out[i * s.cols + s.indices[k]] += s.data[k];
    }
    return { rows: s.rows, cols: s.cols, data: out };
  },

  /** Number of stored entries. @example CsrMatrix.nnz(CsrMatrix.fromDense(Matrix.eye(4))) // => 4 */
  nnz(s: CsrMatrix): number {
    return s.indptr[s.rows];
  },
};

/**
 * Sparse matrix-vector product y = S x (or Sᵀ x with `trans`) in O(nnz),
 * into `out` when given.
 *
 * @param S - rows x cols, CSR
 * @param x - cols entries (rows with `trans`)
 * @param trans - multiply by Sᵀ
 * @param out - optional output buffer, overwritten
 * @returns y
 * @example
 * csrMatvec(CsrMatrix.fromDense(Matrix.fromRows([[0, 2], [1, 0]])), new Float64Array([1, 1])); // => [2, 1]
 */
export function csrMatvec(S: CsrMatrix, x: Float64Array, trans = false, out?: Float64Array): Float64Array {
  const { rows: m, cols: n, indptr, indices, data } = S;
  if (!(indptr instanceof Int32Array) || indptr.length !== m + 1) {
    throw badInput(`csrMatvec: S.indptr must be an Int32Array of rows + 1 = ${m + 1} offsets`, 'S.indptr');
  }
  const inLen = trans ? m : n, outLen = trans ? n : m;
  assertVector('csrMatvec', 'x', x, inLen, `S is ${m}x${n}${trans ? ' (transposed product)' : ''}, so x needs ${inLen}`);
  if (out !== undefined) assertVector('csrMatvec', 'out', out, outLen);
  const y = out ?? new Float64Array(outLen);
  if (!trans) {
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let k = indptr[i]; k < indptr[i + 1]; k++) s += data[k] * x[indices[k]];
      y[i] = s;
    }
  } else {
    y.fill(0);
    for (let i = 0; i < m; i++) {
      const xi = x[i];
      for (let k = indptr[i]; k < indptr[i + 1]; k++) y[indices[k]] += data[k] * xi;
    }
  }
  return y;
}
