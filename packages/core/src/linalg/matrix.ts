/**
 * A dense row-major matrix. A plain object (not a class) so it crosses worker
 * boundaries by structured clone and its buffer can be transferred.
 */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major entries: element (i, j) is `data[i * cols + j]`. */
  readonly data: Float64Array;
}

function checkDims(rows: number, cols: number, where: string): void {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new RangeError(`${where}: rows and cols must be non-negative integers, got ${rows} x ${cols}`);
  }
}

/** Constructors and small helpers for {@link Matrix}. */
export const Matrix = {
  /** An all-zero rows x cols matrix. @example Matrix.zeros(2, 3).data.length // => 6 */
  zeros(rows: number, cols: number): Matrix {
    checkDims(rows, cols, 'Matrix.zeros');
    return { rows, cols, data: new Float64Array(rows * cols) };
  },

  /** The n x n identity. @example Matrix.eye(2).data // => [1, 0, 0, 1] */
  eye(n: number): Matrix {
    const m = Matrix.zeros(n, n);
    for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
    return m;
  },

  /** Wraps (does not copy) a row-major buffer. @example Matrix.from(1, 2, new Float64Array([1, 2])) */
  from(rows: number, cols: number, data: Float64Array): Matrix {
    checkDims(rows, cols, 'Matrix.from');
    if (data.length !== rows * cols) {
      throw new RangeError(`Matrix.from: data has ${data.length} entries, expected rows*cols = ${rows * cols}`);
    }
    return { rows, cols, data };
  },

  /** From nested arrays. @example Matrix.fromRows([[1, 2], [3, 4]]).cols // => 2 */
  fromRows(rows: readonly (readonly number[])[]): Matrix {
    const m = rows.length;
    const n = m === 0 ? 0 : rows[0].length;
    const out = Matrix.zeros(m, n);
    for (let i = 0; i < m; i++) {
      const r = rows[i];
      if (r.length !== n) throw new RangeError(`Matrix.fromRows: row ${i} has ${r.length} entries, row 0 has ${n}`);
      for (let j = 0; j < n; j++) out.data[i * n + j] = r[j];
    }
    return out;
  },

  /** Nested arrays, for printing and JSON. */
  toRows(a: Matrix): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < a.rows; i++) out.push(Array.from(a.data.subarray(i * a.cols, (i + 1) * a.cols)));
    return out;
  },

  /** A deep copy. */
  clone(a: Matrix): Matrix {
    return { rows: a.rows, cols: a.cols, data: a.data.slice() };
  },

  /** Entry (i, j). */
  get(a: Matrix, i: number, j: number): number {
    return a.data[i * a.cols + j];
  },

  /** Column j as a new vector. */
  column(a: Matrix, j: number): Float64Array {
    const out = new Float64Array(a.rows);
    for (let i = 0; i < a.rows; i++) out[i] = a.data[i * a.cols + j];
    return out;
  },

  /** Row i as a view (no copy). */
  row(a: Matrix, i: number): Float64Array {
    return a.data.subarray(i * a.cols, (i + 1) * a.cols);
  },

  /** True when the value has the Matrix shape (used by validators). */
  is(value: unknown): value is Matrix {
    if (typeof value !== 'object' || value === null) return false;
    const v = value as Partial<Matrix>;
    return (
      Number.isInteger(v.rows) && Number.isInteger(v.cols) && v.data instanceof Float64Array &&
      v.data.length === (v.rows as number) * (v.cols as number)
    );
  },
};
