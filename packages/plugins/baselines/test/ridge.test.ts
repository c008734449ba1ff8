import { describe, expect, test } from 'vitest';
import { Matrix, matvec } from '@parsimony/core';
import { ridge } from '../src/index.js';
import { fixtures, npyMatrix, npyVector, rel } from './helpers.js';

describe("ridge against scikit-learn Ridge(fit_intercept=False, solver='cholesky') (fixtures/make_fixtures.py)", () => {
  for (const shape of ['tall', 'wide'] as const) {
    test(`${shape} design (${shape === 'tall' ? 'primal' : 'dual'} Cholesky): coefficients to 1e-10`, () => {
      const f = fixtures.cases.ridge[shape];
      const X = npyMatrix(f.X), y = npyVector(f.y);
      for (const run of f.runs) expect(rel(ridge(X, y, { lambda: run.alpha }), npyVector(run.coef))).toBeLessThan(1e-10);
    });
  }
});

describe('ridge', () => {
  test('primal and dual forms agree: (XᵀX + λI)w = Xᵀy', () => {
    const f = fixtures.cases.ridge.wide;
    const X = npyMatrix(f.X), y = npyVector(f.y);
    const w = ridge(X, y, { lambda: 0.3 });
    const lhs = matvec(X, matvec(X, w), true).map((v, j) => v + 0.3 * w[j]);
    expect(rel(lhs, matvec(X, y, true))).toBeLessThan(1e-12);
  });

  test('bad inputs are clear errors', () => {
    expect(() => ridge(Matrix.zeros(3, 4), new Float64Array(2))).toThrow('ridge: y has 2 entries, X has 3 rows');
    expect(() => ridge(Matrix.eye(2), new Float64Array(2), { lambda: 0 })).toThrow('ridge: lambda must be a finite number > 0 (got 0)');
  });
});
