import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CsrMatrix, Matrix, allFamilies, createRegistry, generateInstance, linearSystem, scoreSolution, solve, solveService } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { forestBcd, forestBcdSolver, rowForests } from '../src/index.js';
import { ForestSolver } from '../src/internal/forest.js';

const LP = { variant: 'single', matrix: 'label-propagation', grid: 8 } as const;
describeSolverConformance(forestBcdSolver, {
  instance: LP,
  invalidParams: [
    { params: { partition: 'columns' }, message: 'params.partition' },
    { params: { treeSize: -1 }, message: 'params.treeSize must be >= 0' },
    { params: { maxIterations: 1.5 }, message: 'params.maxIterations' },
  ],
});

/** A random tree on n nodes (node i > 0 hangs below a random earlier node) as an SPD CSR matrix: diagonally dominant. */
function randomTree(n: number, seed: number): { H: CsrMatrix; dense: Matrix } {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const dense = Matrix.zeros(n, n);
  for (let i = 1; i < n; i++) {
    const p = Math.floor(next() * i), w = -0.5 - next();
    dense.data[i * n + p] = dense.data[p * n + i] = w;
  }
  for (let i = 0; i < n; i++) {
    let off = 0;
    for (let j = 0; j < n; j++) if (j !== i) off += Math.abs(dense.data[i * n + j]);
    dense.data[i * n + i] = off + 0.1 + next();
  }
  return { H: CsrMatrix.fromDense(dense), dense };
}

describe('message passing on forests', () => {
  test('property: on a random tree, one solve equals the dense solve H d = -r', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 10_000 }), (n, seed) => {
        const { H, dense } = randomTree(n, seed);
        const r = Float64Array.from({ length: n }, (_, i) => Math.sin(i + seed));
        const diag = Float64Array.from({ length: n }, (_, i) => dense.data[i * n + i]);
        // The block lists the coordinates in a scrambled order: d follows the block's order.
        const block = Int32Array.from({ length: n }, (_, i) => (i * 7 + seed) % n);
        if (new Set(block).size !== n) block.forEach((_, i) => (block[i] = n - 1 - i));
        const d = new Float64Array(n);
        new ForestSolver(H, diag).solve(block, n, r, d);
        const want = solve(dense, r.map((v) => -v));
        d.forEach((v, a) => expect(v).toBeCloseTo(want[block[a]], 9));
      }),
      { numRuns: 60 },
    );
  });

  test('a path (tridiagonal) is solved like the Thomas algorithm; a block with a cycle is refused', () => {
    // 2 -1 0 / -1 2 -1 / 0 -1 2 with r = -(1, 0, 1): d = H⁻¹(1, 0, 1) = (1, 1, 1).
    const H = CsrMatrix.fromDense(Matrix.fromRows([[2, -1, 0], [-1, 2, -1], [0, -1, 2]]));
    const d = new Float64Array(3);
    new ForestSolver(H, new Float64Array([2, 2, 2])).solve(Int32Array.from([0, 1, 2]), 3, new Float64Array([-1, 0, -1]), d);
    d.forEach((v) => expect(v).toBeCloseTo(1, 14));
    const C = CsrMatrix.fromDense(Matrix.fromRows([[3, -1, -1], [-1, 3, -1], [-1, -1, 3]]));
    expect(() => new ForestSolver(C, new Float64Array([3, 3, 3])).solve(Int32Array.from([0, 1, 2]), 3, new Float64Array(3), d)).toThrow('the block is not a forest');
  });

  test('the greedy forest takes coordinates best first and skips those that would close a cycle', () => {
    // The 2 x 2 grid 0-1 / 2-3 is a 4-cycle: any three nodes form a path, the fourth closes the cycle.
    const { observation: o } = generateInstance(linearSystem, { variant: 'single', matrix: 'poisson', grid: 2 }, [1]);
    const block = new Int32Array(4);
    const k = new ForestSolver(o.Acsr!, new Float64Array([4, 4, 4, 4])).greedyForest(Int32Array.from([3, 0, 1, 2]), 4, block);
    expect([k, ...block.subarray(0, k)]).toEqual([3, 3, 0, 1]);
  });

  test('the row partition of a grid is two forests of paths, even rows then odd rows', () => {
    const [even, odd] = rowForests({ rows: 3, cols: 2 });
    expect([Array.from(even), Array.from(odd)]).toEqual([[0, 1, 4, 5], [2, 3]]);
  });
});

describe('forest-bcd', () => {
  const service = solveService(createRegistry(allFamilies));
  test.each([
    ['label propagation, row forests', LP, {}],
    ['label propagation, greedy forests', LP, { partition: 'greedy', treeSize: 16 }],
    ['a Poisson sequence (no grid: greedy forests)', { grid: 5, count: 2 }, {}],
  ])('reaches the family tolerance: %s', async (_name, inst, params) => {
    const { observation, truth } = generateInstance(linearSystem, inst, [2]);
    const { solution } = await service.solve(forestBcdSolver, observation, params, { seed: [1] });
    expect(scoreSolution(linearSystem, observation, truth, solution)).toMatchObject({ status: 'ok' });
  });

  test('a one-row grid is one path, solved exactly in one step; the plain function solves a grid instance', () => {
    const { observation: o, truth } = generateInstance(linearSystem, LP, [1]);
    const path = CsrMatrix.fromDense(Matrix.fromRows([[3, -1, 0], [-1, 3, -1], [0, -1, 3]]));
    const r = forestBcd({ Acsr: path, b: new Float64Array([2, 1, 2]) }, { grid: { rows: 1, cols: 3 }, tol: 1e-14 });
    expect(r.iterations).toBe(1);
    r.x.forEach((v) => expect(v).toBeCloseTo(1, 14));
    expect(forestBcd({ Acsr: o.Acsr!, b: o.b! }, { grid: o.grid }).converged).toBe(true);
    expect(truth.xstar[0].length).toBe(64);
  });

  test('a dense system is skipped (PARSIMONY_UNSUPPORTED): message passing needs the sparse graph', async () => {
    const { observation } = generateInstance(linearSystem, { variant: 'single', matrix: 'dense-spd', n: 6 }, [1]);
    await expect(service.solve(forestBcdSolver, observation, {})).rejects.toMatchObject({ code: 'PARSIMONY_UNSUPPORTED', message: expect.stringContaining('message passing needs a sparse symmetric system (CSR)') });
  });
});
