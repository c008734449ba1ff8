import { describe, expect, test } from 'vitest';
import { Matrix, generateInstance, kronMatvec, sparseRecovery } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { kronOmp, kronOmpSolver, omp } from '../src/index.js';
import { rel, supportOf } from './helpers.js';

// The family's Kronecker-signal variant (paper 03): A = A_1 ⊗ A_2, x = x_1 ⊗ x_2 with 3 nonzeros each.
const kronTask = { matrix: 'kronecker', m: 100, n: 256, k: 9, kroneckerM1: 10, kroneckerN1: 16, kroneckerSparsity: [3, 3], snrDb: 30 } as const;

describeSolverConformance(kronOmpSolver, {
  invalidParams: [
    { params: { sparsity: [0, 3] }, message: 'params.sparsity' },
    { params: { tol: -1 }, message: 'params.tol must be >= 0' },
  ],
});
describeSolverConformance(kronOmpSolver, { instance: kronTask });

const factorsOf = (o: { structure?: { kind: string; factors?: Matrix[] } }) => o.structure!.factors!;

describe('kronOmp (Kronecker OMP, Caiafa & Cichocki 2013)', () => {
  test('recovers noiseless Kronecker-structured signals exactly on most draws (16 of 20 here, as OMP)', () => {
    // Greedy: a wrong pick in one mode cannot be undone (each mode keeps at most s_i indices), so not every draw succeeds.
    const params = { matrix: 'kronecker', m: 144, n: 256, k: 4, kroneckerM1: 12, kroneckerN1: 16, kroneckerSparsity: [2, 2], snrDb: 'inf' } as const;
    let exact = 0;
    for (let seed = 0; seed < 20; seed++) {
      const { observation: o, truth } = generateInstance(sparseRecovery, params, ['kron-omp', seed]);
      if (rel(kronOmp(factorsOf(o), o.y, { sparsity: [2, 2] }), truth.x) < 1e-9) exact++;
    }
    expect(exact).toBeGreaterThanOrEqual(14);
  });

  test('three square factors and s_i = N_i: the least-squares fit on the whole grid solves y = A x exactly', () => {
    const params = { matrix: 'kronecker', m: 120, n: 120, k: 8, kroneckerRows: [4, 5, 6], kroneckerCols: [4, 5, 6], kroneckerSparsity: [2, 2, 2], snrDb: 'inf' } as const;
    const { observation: o, truth } = generateInstance(sparseRecovery, params, ['kron-omp', 1]);
    expect(rel(kronOmp(factorsOf(o), o.y, { sparsity: [4, 5, 6] }), truth.x)).toBeLessThan(1e-8);
  });

  test('the support is a product of per-mode index sets of at most s_i indices', () => {
    const { observation: o } = generateInstance(sparseRecovery, kronTask, ['kron-omp', 3]);
    const x = kronOmp(factorsOf(o), o.y, { sparsity: [2, 4] });
    const rows = new Set(supportOf(x).map((j) => Math.floor(j / 16))), cols = new Set(supportOf(x).map((j) => j % 16));
    expect(rows.size).toBeLessThanOrEqual(2);
    expect(cols.size).toBeLessThanOrEqual(4);
    expect(supportOf(x).length).toBe(rows.size * cols.size);
  });

  test('the residual is orthogonal to the chosen sub-dictionary (least-squares refit)', () => {
    const { observation: o } = generateInstance(sparseRecovery, kronTask, ['kron-omp', 4]);
    const f = factorsOf(o);
    const x = kronOmp(f, o.y, { sparsity: [3, 3] });
    const fit = kronMatvec(f, x);
    const g = kronMatvec(f, o.y.map((v, i) => v - fit[i]), { trans: true });
    for (const j of supportOf(x)) expect(Math.abs(g[j])).toBeLessThan(1e-10);
  });

  test('with one factor it is OMP: same estimate as omp(A, y, {k})', () => {
    const { observation: o } = generateInstance(sparseRecovery, { m: 64, n: 128, k: 6 }, ['kron-omp', 5]);
    expect(rel(kronOmp([o.A], o.y, { sparsity: [6] }), omp(o.A, o.y, { k: 6 }))).toBeLessThan(1e-10);
  });

  test('stops at the residual tolerance; y = 0 gives x = 0', () => {
    const { observation: o } = generateInstance(sparseRecovery, { ...kronTask, snrDb: 'inf' }, ['kron-omp', 6]);
    const loose = kronOmp(factorsOf(o), o.y, { sparsity: [3, 3], tol: 1e9 });
    expect(loose.every((v) => v === 0)).toBe(true);
    expect(kronOmp(factorsOf(o), new Float64Array(100), { sparsity: [3, 3] }).every((v) => v === 0)).toBe(true);
  });

  test('bad inputs are clear errors; an aborted signal is honoured', () => {
    const f = [Matrix.zeros(2, 3), Matrix.zeros(3, 4)];
    expect(() => kronOmp(f, new Float64Array(5))).toThrow('kronOmp: y has 5 entries, 2x3 ⊗ 3x4 has 6 rows');
    expect(() => kronOmp(f, new Float64Array(6), { sparsity: [1] })).toThrow('kronOmp: sparsity has 1 entries; expected one per factor (2)');
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    const { observation: o } = generateInstance(sparseRecovery, kronTask, ['kron-omp', 7]);
    expect(() => kronOmp(factorsOf(o), o.y, { signal: ac.signal })).toThrow('stop');
  });

  test('the bench entry rejects a sparsity that does not match the factors', async () => {
    const { observation: o } = generateInstance(sparseRecovery, kronTask, ['kron-omp', 8]);
    const ctx = { signal: new AbortController().signal, report: () => undefined } as never;
    expect(() => kronOmpSolver.solve(o, { sparsity: [3, 3, 3] }, ctx)).toThrow('params.sparsity has 3 entries; this observation has 2 Kronecker factor(s)');
  });
});
