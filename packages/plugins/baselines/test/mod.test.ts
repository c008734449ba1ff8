import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  Matrix,
  allFamilies,
  createRegistry,
  createRng,
  dictionaryLearning,
  generateInstance,
  haarOrthogonal,
  matmul,
  primaryMetric,
  scoreSolution,
  solve,
  solveService,
  transpose,
} from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { mod, modSolver } from '../src/solvers/mod.js';
import { ompMany } from '../src/solvers/omp.js';

describeSolverConformance(modSolver, {
  params: { iterations: 10 },
  invalidParams: [
    { params: { iterations: 0 }, message: 'params.iterations must be >= 1' },
    { params: { k: 0 }, message: 'params.k must be >= 1' },
  ],
});

const service = solveService(createRegistry(allFamilies));

/** Columns of Y as vectors. */
function columns(Y: Matrix): Float64Array[] {
  return Array.from({ length: Y.cols }, (_, j) => Float64Array.from({ length: Y.rows }, (_, i) => Y.data[i * Y.cols + j]));
}

/** X (K x N) from per-sample codes. */
function stack(codes: Float64Array[], K: number): Matrix {
  const X = Matrix.zeros(K, codes.length);
  codes.forEach((x, j) => x.forEach((v, a) => (X.data[a * codes.length + j] = v)));
  return X;
}

/** tr(Aᵀ B). */
function inner(A: Matrix, B: Matrix): number {
  let s = 0;
  for (let t = 0; t < A.data.length; t++) s += A.data[t] * B.data[t];
  return s;
}

describe('mod', () => {
  test('one iteration is OMP coding then D = Y Xᵀ (X Xᵀ)⁻¹ with unit columns (checked against the normal equations solved by LU)', () => {
    const { observation: o } = generateInstance(dictionaryLearning, { n: 10, K: 14, N: 300, k: 2 }, ['mod', 'ls']);
    const { observation: start } = generateInstance(dictionaryLearning, { n: 10, K: 14, N: 14, k: 1, variant: 'coding-only' }, ['mod', 'start']);
    const D0 = start.D!; // unit columns
    const X = stack(ompMany(D0, columns(o.Y), { k: 2 }), 14);
    // Dᵀ = (X Xᵀ)⁻¹ X Yᵀ, by core's LU solve, then unit columns.
    const Dt = solve(matmul(X, X, { transB: true }), matmul(X, o.Y, { transB: true }));
    const errs: number[] = [];
    const { D } = mod(o.Y, { atoms: 14, k: 2, iterations: 1, D0, onIteration: (_i, e, r) => errs.push(e, r) });
    for (let a = 0; a < 14; a++) {
      let s = 0;
      for (let i = 0; i < 10; i++) s += Dt.data[a * 10 + i] ** 2;
      for (let i = 0; i < 10; i++) expect(D.data[i * 14 + a]).toBeCloseTo(Dt.data[a * 10 + i] / Math.sqrt(s), 9);
    }
    // The reported error is ‖Y − D X‖/‖Y‖ for the unnormalized least-squares D, and no atom was unused.
    const R = matmul(transpose(Dt), X);
    let num = 0, den = 0;
    for (let t = 0; t < R.data.length; t++) {
      num += (o.Y.data[t] - R.data[t]) ** 2;
      den += o.Y.data[t] ** 2;
    }
    expect(errs[0]).toBeCloseTo(Math.sqrt(num / den), 10);
    expect(errs[1]).toBe(0);
  });

  test('with orthogonal, the update is the Procrustes solution: no orthogonal Q fits Y Xᵀ better (property)', () => {
    const { observation: o } = generateInstance(dictionaryLearning, { orthogonal: true, n: 6, N: 200, k: 2 }, ['mod', 'procrustes']);
    const D0 = haarOrthogonal(6, createRng('mod', 'D0'));
    const X = stack(ompMany(D0, columns(o.Y), { k: 2 }), 6);
    const P = matmul(o.Y, X, { transB: true });
    const { D } = mod(o.Y, { atoms: 6, k: 2, iterations: 1, orthogonal: true, D0 });
    const G = matmul(D, D, { transA: true });
    G.data.forEach((v, t) => expect(v).toBeCloseTo(t % 7 === 0 ? 1 : 0, 12));
    const best = inner(D, P);
    expect(best).toBeGreaterThanOrEqual(inner(D0, P));
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        expect(inner(haarOrthogonal(6, createRng('q', seed)), P)).toBeLessThanOrEqual(best + 1e-9);
      }),
      { seed: 1, numRuns: 20 },
    );
  });

  test('recovers an orthogonal dictionary, and its solution passes the orthogonality check', async () => {
    const { observation, truth } = generateInstance(dictionaryLearning, { orthogonal: true, n: 16, N: 1000, k: 3 }, ['mod', 'orthogonal']);
    const { solution } = await service.solve(modSolver, observation, { iterations: 15 }, { seed: [1] });
    const r = scoreSolution(dictionaryLearning, observation, truth, solution);
    if (r.status !== 'ok') throw new Error(r.reason);
    expect(r.metrics.atom_recovery).toBeGreaterThanOrEqual(0.9);
  });

  test('returns unit-norm atoms and at most k nonzeros per code', () => {
    const { observation: o } = generateInstance(dictionaryLearning, { n: 10, K: 16, N: 200, k: 2 }, [4]);
    const { D, X } = mod(o.Y, { atoms: 16, k: 2, iterations: 5, rng: createRng(1) });
    for (let a = 0; a < 16; a++) {
      let s = 0;
      for (let i = 0; i < 10; i++) s += D.data[i * 16 + a] ** 2;
      expect(s).toBeCloseTo(1, 12);
    }
    for (let j = 0; j < 200; j++) {
      let nnz = 0;
      for (let a = 0; a < 16; a++) if (X.data[a * 200 + j] !== 0) nnz++;
      expect(nnz).toBeLessThanOrEqual(2);
    }
  });

  test('an unused atom is replaced and the update still succeeds', () => {
    // A twin atom is never picked by OMP (ties go to the lower index): its row of X is zero.
    const { observation: o } = generateInstance(dictionaryLearning, { n: 6, K: 6, N: 60, k: 1 }, [9]);
    const D0 = Matrix.zeros(6, 3);
    for (let i = 0; i < 6; i++) D0.data[i * 3] = D0.data[i * 3 + 1] = i === 0 ? 1 : 0;
    D0.data[1 * 3 + 2] = 1;
    const replaced: number[] = [];
    const { D } = mod(o.Y, { atoms: 3, k: 1, iterations: 1, D0, onIteration: (_i, _e, r) => replaced.push(r) });
    expect(replaced).toEqual([1]);
    expect(D.data.every(Number.isFinite)).toBe(true);
  });

  test('bad inputs are errors naming the field', () => {
    const Y = Matrix.zeros(4, 10);
    expect(() => mod(Y, { atoms: 5, k: 1, orthogonal: true, rng: createRng(1) })).toThrow('mod: options.orthogonal needs a square dictionary, atoms = n (got atoms = 5, n = 4)');
    expect(() => mod(Y, { atoms: 3, k: 1, iterations: 0, rng: createRng(1) })).toThrow('mod: options.iterations must be an integer >= 1 (got 0)');
    expect(() => mod(Y, { atoms: 3, k: 1 })).toThrow('mod: give options.D0 or options.rng');
    expect(() => mod(Matrix.zeros(0, 3), { atoms: 3, k: 1, rng: createRng(1) })).toThrow('mod: Y is 0x3; it needs at least one row and one column');
  });
});

describe('baselines/mod on the family', () => {
  test('beats the trivial answer on the primary metric on the quick preset', async () => {
    const family = dictionaryLearning;
    const { observation, truth } = generateInstance(family, family.presets.quick, ['quality', family.id]);
    const { solution } = await service.solve(modSolver, observation, {}, { seed: [1] });
    const outcome = scoreSolution(family, observation, truth, solution);
    const trivial = scoreSolution(family, observation, truth, family.trivialSolution!(observation));
    if (outcome.status !== 'ok' || trivial.status !== 'ok') throw new Error(`status ${outcome.status} / ${trivial.status}`);
    const metric = primaryMetric(family);
    expect(outcome.metrics[metric.id]).toBeGreaterThan(trivial.metrics[metric.id]);
    expect(outcome.metrics.rep_err).toBeLessThan(trivial.metrics.rep_err);
  });

  test('codes with observation.inferenceK per column when the task sets it', async () => {
    const { observation, truth } = generateInstance(dictionaryLearning, { n: 16, K: 24, N: 300, k: 3, inferenceK: 1 }, [3]);
    const { solution } = await service.solve(modSolver, observation, { iterations: 5 }, { seed: [1] });
    const X = (solution as { X: Matrix }).X;
    for (let j = 0; j < 300; j++) {
      let nnz = 0;
      for (let a = 0; a < 24; a++) if (X.data[a * 300 + j] !== 0) nnz++;
      expect(nnz).toBeLessThanOrEqual(1);
    }
    expect(scoreSolution(dictionaryLearning, observation, truth, solution).status).toBe('ok');
  });
});
