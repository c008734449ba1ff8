import { describe, expect, test } from 'vitest';
import { Matrix } from '../../src/index.js';

describe('Matrix constructors and views', () => {
  test('zeros, eye, fromRows, from', () => {
    expect(Matrix.zeros(2, 3).data).toEqual(new Float64Array(6));
    expect(Array.from(Matrix.eye(2).data)).toEqual([1, 0, 0, 1]);
    const a = Matrix.fromRows([[1, 2], [3, 4]]);
    expect([a.rows, a.cols, ...a.data]).toEqual([2, 2, 1, 2, 3, 4]);
    const buf = new Float64Array([1, 2, 3]);
    expect(Matrix.from(1, 3, buf).data).toBe(buf); // wraps, no copy
  });

  test('empty matrices are allowed', () => {
    expect(Matrix.zeros(0, 3).data.length).toBe(0);
    expect(Matrix.fromRows([]).rows).toBe(0);
  });

  test('rowsView shares the buffer; slice copies', () => {
    const a = Matrix.fromRows([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    const v = Matrix.rowsView(a, 1, 3);
    expect([v.rows, v.cols, ...v.data]).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    v.data[0] = 40;
    expect(Matrix.get(a, 1, 0)).toBe(40);
    const s = Matrix.slice(a, 0, 2, 1, 3);
    expect(Array.from(s.data)).toEqual([2, 3, 5, 6]);
    s.data[0] = -1;
    expect(Matrix.get(a, 0, 1)).toBe(2);
  });

  test('diag, diagonal, set, column, row, toRows, clone', () => {
    const d = Matrix.diag([1, 2]);
    expect(Array.from(d.data)).toEqual([1, 0, 0, 2]);
    expect(Array.from(Matrix.diagonal(Matrix.fromRows([[1, 2, 3], [4, 5, 6]])))).toEqual([1, 5]);
    Matrix.set(d, 0, 1, 7);
    expect(Matrix.toRows(d)).toEqual([[1, 7], [0, 2]]);
    expect(Array.from(Matrix.column(d, 1))).toEqual([7, 2]);
    expect(Array.from(Matrix.row(d, 1))).toEqual([0, 2]);
    const c = Matrix.clone(d);
    c.data[0] = 9;
    expect(d.data[0]).toBe(1);
    expect(Matrix.is(c)).toBe(true);
    expect(Matrix.is({ rows: 2, cols: 2, data: new Float64Array(3) })).toBe(false);
  });

  test('bad ranges and ragged rows are rejected with the sizes', () => {
    expect(() => Matrix.rowsView(Matrix.eye(3), 2, 5)).toThrow('Matrix.rowsView: need 0 <= start <= end <= 3, got [2, 5)');
    expect(() => Matrix.slice(Matrix.eye(3), 0, 4, 0, 1)).toThrow('outside the 3x3 matrix');
    expect(() => Matrix.fromRows([[1, 2], [3]])).toThrow('row 1 has 1 entries, row 0 has 2');
    expect(() => Matrix.from(2, 2, new Float64Array(3))).toThrow('data has 3 entries, expected rows*cols = 4');
  });
});
