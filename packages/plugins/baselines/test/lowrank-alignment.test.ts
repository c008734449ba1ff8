import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  allFamilies,
  createRegistry,
  createRng,
  gaussianMatrix,
  generateInstance,
  haarOrthogonal,
  hungarian,
  matmul,
  Matrix,
  orthogonalAlignment,
  primaryMetric,
  scoreSolution,
  solveService,
  type AnySolver,
} from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { alignmentError, procrustes, procrustesSolver } from '../src/solvers/procrustes.js';
import { leastSquaresAlignment, leastSquaresAlignmentSolver } from '../src/solvers/least-squares-alignment.js';
import { hungarianSolver, matchPermutation } from '../src/solvers/hungarian.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const fx = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/lowrank/fixtures.json'), 'utf8')) as Record<string, any>;
const toMatrix = (o: { rows: number; cols: number; data: number[] }): Matrix => Matrix.from(o.rows, o.cols, Float64Array.from(o.data));
const maxDiff = (a: Matrix, b: Matrix) => a.data.reduce((s, v, t) => Math.max(s, Math.abs(v - b.data[t])), 0);
/** ‖QᵀQ − I‖_F. */
const defect = (Q: Matrix) => Math.sqrt(matmul(Q, Q, { transA: true }).data.reduce((s, v, t) => s + (v - (t % (Q.cols + 1) === 0 ? 1 : 0)) ** 2, 0));
const assignmentCost = (C: Matrix, a: Int32Array) => Array.from(a).reduce((s, j, i) => s + C.data[i * C.cols + j], 0);

describeSolverConformance(procrustesSolver);
describeSolverConformance(leastSquaresAlignmentSolver, { invalidParams: [{ params: { rcond: -1 }, message: 'params.rcond must be >= 0' }] });
describeSolverConformance(hungarianSolver, { instance: { ...orthogonalAlignment.presets.quick, constraint: 'permutation' } });

const service = solveService(createRegistry(allFamilies));
const metric = primaryMetric(orthogonalAlignment);
const instances = {
  orthogonal: generateInstance(orthogonalAlignment, orthogonalAlignment.presets.quick, ['quality', 'orthogonal-alignment']),
  permutation: generateInstance(orthogonalAlignment, { ...orthogonalAlignment.presets.quick, constraint: 'permutation' }, ['quality', 'orthogonal-alignment']),
  relaxed: generateInstance(orthogonalAlignment, { ...orthogonalAlignment.presets.quick, constraint: 'relaxed' }, ['quality', 'orthogonal-alignment']),
};
const scored = async (solver: AnySolver, kind: keyof typeof instances) => {
  const { observation, truth } = instances[kind];
  const { solution } = await service.solve(solver, observation, {}, { seed: ['quality', 1] });
  const outcome = scoreSolution(orthogonalAlignment, observation, truth, solution);
  const trivial = scoreSolution(orthogonalAlignment, observation, truth, orthogonalAlignment.trivialSolution!(observation));
  if (outcome.status !== 'ok' || trivial.status !== 'ok') throw new Error(`not ok: ${JSON.stringify(outcome)}`);
  return { metrics: outcome.metrics, trivial: trivial.metrics, solution: solution as { Q: Matrix } };
};

describe('the alignment baselines on the quick preset (N = 1000, d = 64, noise 0.1)', () => {
  test.each([
    [procrustesSolver.id, 'orthogonal', procrustesSolver],
    [procrustesSolver.id, 'relaxed', procrustesSolver],
    [leastSquaresAlignmentSolver.id, 'orthogonal', leastSquaresAlignmentSolver],
    [leastSquaresAlignmentSolver.id, 'relaxed', leastSquaresAlignmentSolver],
    [leastSquaresAlignmentSolver.id, 'permutation', leastSquaresAlignmentSolver],
    [hungarianSolver.id, 'permutation', hungarianSolver],
  ] as const)('%s is ok on the %s task and beats the trivial answer (identity) on align_err', async (_id, kind, solver) => {
    const { metrics, trivial } = await scored(solver, kind);
    expect(metrics[metric.id], `${metric.id}: ${metrics[metric.id]} vs ${trivial[metric.id]} for the identity`).toBeLessThan(trivial[metric.id]);
  });

  test('Procrustes reaches the noise floor on the orthogonal task: align_err within 2% of the true map’s', async () => {
    const { metrics } = await scored(procrustesSolver, 'orthogonal');
    const { truth } = instances.orthogonal;
    const floor = alignmentError(truth.XaTest, truth.Q, truth.XbTest);
    expect(metrics.align_err).toBeLessThan(1.02 * floor);
    expect(metrics.orth_defect).toBeLessThan(1e-12);
  });

  test('on the relaxed task (true map Q(I + εG)) least squares pulled to ‖QᵀQ − I‖_F = λ beats the orthogonal Procrustes map', async () => {
    const ls = await scored(leastSquaresAlignmentSolver, 'relaxed');
    const pr = await scored(procrustesSolver, 'relaxed');
    expect(ls.metrics.align_err).toBeLessThan(pr.metrics.align_err);
    expect(ls.metrics.orth_defect).toBeLessThanOrEqual(instances.relaxed.observation.lambda!);
  });

  test('Hungarian matching recovers the hidden permutation exactly (match_acc = 1); projected least squares finds the same one', async () => {
    const h = await scored(hungarianSolver, 'permutation');
    expect(h.metrics.match_acc).toBe(1);
    expect(h.metrics.map_err).toBe(0);
    const ls = await scored(leastSquaresAlignmentSolver, 'permutation');
    expect(Array.from(ls.solution.Q.data)).toEqual(Array.from(h.solution.Q.data));
  });

  test('Procrustes skips permutation tasks, naming baselines/hungarian; the service refuses them with PARSIMONY_UNSUPPORTED', async () => {
    const { observation } = instances.permutation;
    expect(procrustesSolver.skip!(observation, {})).toContain('baselines/hungarian');
    await expect(service.solve(procrustesSolver, observation)).rejects.toMatchObject({ code: 'PARSIMONY_UNSUPPORTED' });
    expect(procrustesSolver.skip!(instances.relaxed.observation, {})).toBeUndefined();
  });
});

describe('procrustes (Schönemann 1966)', () => {
  test('recovers a Haar-random orthogonal Q exactly from B = A Q', () => {
    const rng = createRng('procrustes-exact', 1);
    const A = gaussianMatrix(50, 8, rng), Q = haarOrthogonal(8, rng);
    const R = procrustes(A, matmul(A, Q));
    expect(maxDiff(R, Q)).toBeLessThan(1e-12);
  });

  test('matches scipy.linalg.orthogonal_procrustes to 1e-12', () => {
    const { A, B, R } = fx.procrustes;
    expect(maxDiff(procrustes(toMatrix(A), toMatrix(B)), toMatrix(R))).toBeLessThan(1e-12);
  });

  test('is orthogonal and no other orthogonal map fits better (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 7 }), (seed, d) => {
        const rng = createRng('procrustes-opt', seed);
        const A = gaussianMatrix(12, d, rng), B = gaussianMatrix(12, d, rng);
        const Q = procrustes(A, B);
        expect(defect(Q)).toBeLessThan(1e-12);
        const best = alignmentError(A, Q, B);
        for (let t = 0; t < 5; t++) expect(best).toBeLessThanOrEqual(alignmentError(A, haarOrthogonal(d, rng), B) + 1e-12);
      }),
      { seed: 1, numRuns: 20 },
    );
  });

  test('unpaired rows are an error naming B', () => {
    expect(() => procrustes(Matrix.zeros(3, 2), Matrix.zeros(4, 2))).toThrow('procrustes: A is 3x2 but B is 4x2; the rows must be paired (equal counts)');
  });
});

describe('leastSquaresAlignment', () => {
  const rng = createRng('ls-align', 1);
  const A = gaussianMatrix(40, 5, rng), B = matmul(A, gaussianMatrix(5, 5, rng));
  for (let t = 0; t < B.data.length; t++) B.data[t] += 0.1 * rng.normal();

  test('the raw map satisfies the normal equations AᵀA W = AᵀB', () => {
    const { W } = leastSquaresAlignment(A, B);
    const lhs = matmul(matmul(A, A, { transA: true }), W), rhs = matmul(A, B, { transA: true });
    expect(maxDiff(lhs, rhs)).toBeLessThan(1e-10 * rhs.data.reduce((s, v) => Math.max(s, Math.abs(v)), 0));
  });

  test("'orthogonal' returns the polar factor of W; 'relaxed' returns W itself when it is feasible and a map on the boundary ‖QᵀQ − I‖_F = λ otherwise", () => {
    const { Q, W } = leastSquaresAlignment(A, B, { constraint: 'orthogonal' });
    expect(defect(Q)).toBeLessThan(1e-12);
    expect(maxDiff(Q, procrustes(Matrix.eye(5), W))).toBeLessThan(1e-12); // polar(W) = Procrustes of I onto W
    const loose = leastSquaresAlignment(A, B, { constraint: 'relaxed', lambda: 2 * defect(W) });
    expect(Array.from(loose.Q.data)).toEqual(Array.from(W.data));
    const tight = leastSquaresAlignment(A, B, { constraint: 'relaxed', lambda: 0.5 });
    expect(defect(tight.Q)).toBeLessThanOrEqual(0.5);
    expect(defect(tight.Q)).toBeGreaterThan(0.5 * (1 - 1e-6));
  });

  test("'permutation' is the permutation nearest to W (argmax tr(PᵀW)), checked against all 120 permutations of order 5", () => {
    const { Q, W } = leastSquaresAlignment(A, B, { constraint: 'permutation' });
    const trace = (perm: number[]) => perm.reduce((s, j, i) => s + W.data[i * 5 + j], 0);
    const perms = (n: number): number[][] => (n === 0 ? [[]] : perms(n - 1).flatMap((p) => Array.from({ length: n }, (_, k) => [...p.slice(0, k), n - 1, ...p.slice(k)])));
    const best = Math.max(...perms(5).map(trace));
    const chosen = Array.from({ length: 5 }, (_, i) => Array.from(Q.data.subarray(i * 5, i * 5 + 5)).indexOf(1));
    expect(trace(chosen)).toBeCloseTo(best, 12);
  });

  test('bad arguments are errors naming them', () => {
    expect(() => leastSquaresAlignment(A, Matrix.zeros(40, 4))).toThrow('leastSquaresAlignment: A is 40x5 but B is 40x4; give paired rows of equal width');
    expect(() => leastSquaresAlignment(A, B, { constraint: 'relaxed' })).toThrow('leastSquaresAlignment: lambda = undefined; the relaxed constraint needs a finite lambda >= 0');
    expect(() => leastSquaresAlignment(A, B, { constraint: 'unitary' as never })).toThrow("leastSquaresAlignment: constraint = 'unitary'; expected 'none', 'orthogonal', 'permutation' or 'relaxed'");
  });
});

describe('hungarian (Kuhn-Munkres)', () => {
  test('solves the hand-worked 3 x 3 example: rows → columns [1, 0, 2] at cost 5', () => {
    const C = Matrix.fromRows([
      [4, 1, 3],
      [2, 0, 5],
      [3, 2, 2],
    ]);
    expect(Array.from(hungarian(C))).toEqual([1, 0, 2]);
  });

  test('finds a minimum-cost assignment: brute force over all injections, square and rectangular (property)', () => {
    const injections = (n: number, m: number): number[][] => {
      if (n === 0) return [[]];
      return injections(n - 1, m).flatMap((p) => Array.from({ length: m }, (_, j) => j).filter((j) => !p.includes(j)).map((j) => [...p, j]));
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: n, max: 7 }))),
        fc.integer({ min: 0, max: 1e6 }),
        fc.boolean(),
        ([n, m], seed, integer) => {
          const rng = createRng('hungarian-bf', seed);
          // Small integer costs make ties common; Gaussian ones make them rare.
          const C = Matrix.from(n, m, Float64Array.from({ length: n * m }, () => (integer ? rng.int(4) : rng.normal())));
          const a = hungarian(C);
          expect(new Set(a).size).toBe(n);
          const best = Math.min(...injections(n, m).map((p) => p.reduce((s, j, i) => s + C.data[i * m + j], 0)));
          expect(assignmentCost(C, a)).toBeCloseTo(best, 12);
        },
      ),
      { seed: 1, numRuns: 20 },
    );
  });

  test('matches scipy.optimize.linear_sum_assignment on float, tied-integer, rectangular and 30 x 30 costs', () => {
    for (const c of fx.hungarian) {
      const C = toMatrix(c.cost);
      const a = hungarian(C);
      expect(new Set(a).size, c.name).toBe(C.rows);
      expect(assignmentCost(C, a), c.name).toBeCloseTo(c.total, 10);
    }
  });

  test('matchPermutation inverts a column permutation of A exactly', () => {
    const rng = createRng('match', 1);
    const A = gaussianMatrix(30, 9, rng), perm = rng.permutation(9);
    const B = Matrix.zeros(30, 9);
    for (let i = 0; i < 30; i++) for (let c = 0; c < 9; c++) B.data[i * 9 + perm[c]] = A.data[i * 9 + c];
    const P = matchPermutation(A, B);
    expect(Array.from(matmul(A, P).data)).toEqual(Array.from(B.data));
  });

  test('on a Haar (orthogonal) task the best permutation fits the training pairs at least as well as the identity', async () => {
    const { observation } = instances.orthogonal;
    const { solution } = await scored(hungarianSolver, 'orthogonal');
    expect(alignmentError(observation.Xa, solution.Q, observation.Xb)).toBeLessThanOrEqual(alignmentError(observation.Xa, Matrix.eye(64), observation.Xb));
  });

  test('bad costs are errors naming the problem', () => {
    expect(() => hungarian(Matrix.zeros(3, 2))).toThrow('hungarian: cost is 3x2; needs rows <= cols (transpose it to assign columns to rows)');
    expect(() => hungarian(Matrix.fromRows([[0, Infinity]]))).toThrow('hungarian: cost[0][1] = Infinity; costs must be finite');
  });
});
