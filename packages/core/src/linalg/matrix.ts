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

/** Constructors and small helpers for {@link Matrix}. @example Matrix.fromRows([[1, 2], [3, 4]]).data // => [1, 2, 3, 4] */
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

  /** Nested arrays, for printing and JSON. @example Matrix.toRows(Matrix.eye(2)) // => [[1, 0], [0, 1]] */
  toRows(a: Matrix): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < a.rows; i++) out.push(Array.from(a.data.subarray(i * a.cols, (i + 1) * a.cols)));
    return out;
  },

  /** A deep copy. @example Matrix.clone(A).data !== A.data // => true */
  clone(a: Matrix): Matrix {
    return { rows: a.rows, cols: a.cols, data: a.data.slice() };
  },

  /** Entry (i, j). @example Matrix.get(Matrix.eye(2), 1, 1) // => 1 */
  get(a: Matrix, i: number, j: number): number {
    return a.data[i * a.cols + j];
  },

  /** Column j as a new vector. @example Matrix.column(Matrix.fromRows([[1, 2], [3, 4]]), 1) // => [2, 4] */
  column(a: Matrix, j: number): Float64Array {
    const out = new Float64Array(a.rows);
    for (let i = 0; i < a.rows; i++) out[i] = a.data[i * a.cols + j];
    return out;
  },

  /** Row i as a view (no copy). @example Matrix.row(Matrix.fromRows([[1, 2], [3, 4]]), 1) // => [3, 4] */
  row(a: Matrix, i: number): Float64Array {
    return a.data.subarray(i * a.cols, (i + 1) * a.cols);
  },

  /** Sets entry (i, j) in place. @example Matrix.set(A, 0, 1, 5) */
  set(a: Matrix, i: number, j: number, value: number): void {
    a.data[i * a.cols + j] = value;
  },

  /**
   * Rows `start` (inclusive) to `end` (exclusive) as a view sharing `a`'s
   * buffer: row-major storage makes row ranges contiguous, so no copy is made.
   * Writes through the view change `a`.
   *
   * @example Matrix.rowsView(Matrix.eye(3), 1, 3).rows // => 2
   */
  rowsView(a: Matrix, start: number, end: number = a.rows): Matrix {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > a.rows || start > end) {
      throw new RangeError(`Matrix.rowsView: need 0 <= start <= end <= ${a.rows}, got [${start}, ${end})`);
    }
    return { rows: end - start, cols: a.cols, data: a.data.subarray(start * a.cols, end * a.cols) };
  },

  /**
   * A copy of the block rows [r0, r1) x columns [c0, c1) (columns are not
   * contiguous in row-major storage, so a column block is always a copy; use
   * {@link Matrix.rowsView} for row ranges).
   *
   * @example Matrix.slice(Matrix.eye(3), 0, 2, 1, 3).data // => [0, 0, 1, 0]
   */
  slice(a: Matrix, r0: number, r1: number, c0: number, c1: number): Matrix {
    if (!(0 <= r0 && r0 <= r1 && r1 <= a.rows && 0 <= c0 && c0 <= c1 && c1 <= a.cols) || ![r0, r1, c0, c1].every(Number.isInteger)) {
      throw new RangeError(`Matrix.slice: block [${r0}, ${r1}) x [${c0}, ${c1}) is outside the ${a.rows}x${a.cols} matrix`);
    }
    const m = r1 - r0, n = c1 - c0;
    const out = new Float64Array(m * n);
    for (let i = 0; i < m; i++) out.set(a.data.subarray((r0 + i) * a.cols + c0, (r0 + i) * a.cols + c1), i * n);
    return { rows: m, cols: n, data: out };
  },

  /** A square matrix with `d` on its diagonal. @example Matrix.diag(new Float64Array([1, 2])).data // => [1, 0, 0, 2] */
  diag(d: ArrayLike<number>): Matrix {
    const n = d.length;
    const m = Matrix.zeros(n, n);
    for (let i = 0; i < n; i++) m.data[i * n + i] = d[i];
    return m;
  },

  /** The main diagonal (length min(rows, cols)). @example Matrix.diagonal(Matrix.eye(2)) // => [1, 1] */
  diagonal(a: Matrix): Float64Array {
    const k = Math.min(a.rows, a.cols);
    const out = new Float64Array(k);
    for (let i = 0; i < k; i++) out[i] = a.data[i * a.cols + i];
    return out;
  },

  /** True when the value has the Matrix shape (used by validators). @example Matrix.is(Matrix.eye(1)) // => true */
  is(value: unknown): value is Matrix {
    if (typeof value !== 'object' || value === null) return false;
    const v = value as Partial<Matrix>;
    return (
      Number.isInteger(v.rows) && Number.isInteger(v.cols) && v.data instanceof Float64Array &&
      v.data.length === (v.rows as number) * (v.cols as number)
    );
  },
};
