import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  allFamilies,
  createRegistry,
  createRng,
  decodeNpy,
  generateInstance,
  matmul,
  Matrix,
  npyToMatrix,
  primaryMetric,
  scoreSolution,
  solveService,
  weightCompression,
  type AnySolver,
  type WeightCompressionObservation,
  type WeightCompressionSolution,
  type WeightCompressionTruth,
} from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { magnitudePruning, magnitudePruningSolver } from '../src/solvers/magnitude-pruning.js';
import { wanda, wandaSolver } from '../src/solvers/wanda.js';
import { sparsegpt, sparsegptSolver } from '../src/solvers/sparsegpt.js';
import { rtn, rtnSolver } from '../src/solvers/rtn.js';
import { gptq, gptqSolver } from '../src/solvers/gptq.js';

const quick = weightCompression.presets.quick;
const quickBits = { ...quick, budget: { bits: 4 } };

describeSolverConformance(magnitudePruningSolver, { invalidParams: [{ params: { scope: 'global' }, message: 'params.scope' }] });
describeSolverConformance(wandaSolver, { invalidParams: [{ params: { group: 'column' }, message: 'params.group' }] });
describeSolverConformance(sparsegptSolver, {
  invalidParams: [
    { params: { blockSize: 0 }, message: 'params.blockSize must be >= 1' },
    { params: { damp: 0 }, message: 'params.damp must be > 0' },
  ],
});
describeSolverConformance(rtnSolver, { instance: quickBits });
describeSolverConformance(gptqSolver, {
  instance: quickBits,
  invalidParams: [
    { params: { blockSize: 1.5 }, message: 'params.blockSize' },
    { params: { damp: -1 }, message: 'params.damp must be > 0' },
  ],
});

// --------------------------------------------------------------------------
// Fixtures: numpy ports of the authors' GPTQ and SparseGPT code (fixtures/compression/make_fixtures.py)
// --------------------------------------------------------------------------

const dir = join(import.meta.dirname, 'fixtures', 'compression');
const npy = (file: string) => npyToMatrix(decodeNpy(readFileSync(join(dir, file)), file), file);
interface FixtureCase {
  out: string;
  X?: string;
  bits?: number;
  groupSize?: number;
  blockSize?: number;
  keep?: number;
  n?: number;
  m?: number;
}
const fx = JSON.parse(readFileSync(join(dir, 'fixtures.json'), 'utf8')) as { W: string; X: string; X_dead: string; rtn: FixtureCase[]; gptq: FixtureCase[]; sparsegpt: FixtureCase[] };
const W0 = npy(fx.W);
const Xs: Record<string, Matrix> = { X: npy(fx.X), X_dead: npy(fx.X_dead) };

function maxAbsDiff(a: Matrix, b: Matrix): number {
  expect([a.rows, a.cols]).toEqual([b.rows, b.cols]);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
  return m;
}

function nnz(a: Matrix): number {
  return a.data.reduce((s, v) => s + (v !== 0 ? 1 : 0), 0);
}

/** The largest number of nonzeros in any group of m consecutive weights of a row. */
function maxPerGroup(a: Matrix, m: number): number {
  let worst = 0;
  for (let r = 0; r < a.rows; r++)
    for (let c0 = 0; c0 < a.cols; c0 += m) worst = Math.max(worst, nnz(Matrix.from(1, m, a.data.slice(r * a.cols + c0, r * a.cols + c0 + m))));
  return worst;
}

/** The most distinct values in any group of g consecutive weights of a row. */
function maxDistinct(a: Matrix, g: number): number {
  let worst = 0;
  for (let r = 0; r < a.rows; r++)
    for (let c0 = 0; c0 < a.cols; c0 += g) worst = Math.max(worst, new Set(a.data.slice(r * a.cols + c0, r * a.cols + Math.min(a.cols, c0 + g))).size);
  return worst;
}

describe('rtn, gptq and sparsegpt against numpy ports of the reference code (fixtures/compression)', () => {
  test.each(fx.rtn.map((c) => [c.out, c] as const))('rtn %s: equal to 1e-12', (_name, c) => {
    expect(maxAbsDiff(rtn(W0, { bits: c.bits!, ...(c.groupSize && { groupSize: c.groupSize }) }), npy(c.out))).toBeLessThan(1e-12);
  });

  test.each(fx.gptq.map((c) => [c.out, c] as const))('gptq %s (lazy blocks of 8 columns): equal to 1e-10', (_name, c) => {
    const What = gptq(W0, Xs[c.X!], { bits: c.bits!, blockSize: c.blockSize!, ...(c.groupSize && { groupSize: c.groupSize }) });
    expect(maxAbsDiff(What, npy(c.out))).toBeLessThan(1e-10);
  });

  test.each(fx.sparsegpt.map((c) => [c.out, c] as const))('sparsegpt %s (lazy blocks of 8 columns): equal to 1e-10, same support', (_name, c) => {
    const What = sparsegpt(W0, Xs[c.X!], { blockSize: c.blockSize!, ...(c.keep && { keep: c.keep }), ...(c.n && { n: c.n, m: c.m }), ...(c.bits && { bits: c.bits }) });
    const ref = npy(c.out);
    expect(maxAbsDiff(What, ref)).toBeLessThan(1e-10);
    expect(What.data.map((v) => (v === 0 ? 0 : 1))).toEqual(ref.data.map((v) => (v === 0 ? 0 : 1)));
  });
});

// --------------------------------------------------------------------------
// Exact identities and hand-worked cases
// --------------------------------------------------------------------------

/** N x d inputs whose columns have disjoint supports (so XᵀX is exactly diagonal), with uneven norms. */
function orthogonalColumns(N: number, d: number, seed: number): Matrix {
  const rng = createRng(seed);
  const X = Matrix.zeros(N, d);
  for (let i = 0; i < N; i++) X.data[i * d + (i % d)] = rng.normal() * (1 + (i % 7));
  return X;
}

function gaussian(rows: number, cols: number, seed: number): Matrix {
  const M = Matrix.zeros(rows, cols);
  createRng(seed).fillNormal(M.data);
  return M;
}

describe('exact identities', () => {
  const W = gaussian(24, 64, 1);

  test('gptq with a diagonal Hessian (X with orthogonal columns) is rtn, bit for bit, per row and per group', () => {
    const X = orthogonalColumns(256, 64, 2);
    expect(Array.from(gptq(W, X, { bits: 3 }).data)).toEqual(Array.from(rtn(W, { bits: 3 }).data));
    expect(Array.from(gptq(W, X, { bits: 2, groupSize: 16, blockSize: 8 }).data)).toEqual(Array.from(rtn(W, { bits: 2, groupSize: 16 }).data));
  });

  test('sparsegpt at 0% sparsity returns W exactly', () => {
    const X = gaussian(200, 64, 3);
    expect(Array.from(sparsegpt(W, X, { sparsity: 0 }).data)).toEqual(Array.from(W.data));
  });

  test('sparsegpt at 0% sparsity with bits is gptq, bit for bit', () => {
    const X = gaussian(200, 64, 4);
    expect(Array.from(sparsegpt(W, X, { sparsity: 0, bits: 3, blockSize: 16 }).data)).toEqual(Array.from(gptq(W, X, { bits: 3, blockSize: 16 }).data));
  });

  test('sparsegpt\'s result does not depend on the block size (lazy batching only reorders the updates)', () => {
    const X = gaussian(200, 64, 5);
    const a = sparsegpt(W, X, { n: 2, m: 4, blockSize: 4 }), b = sparsegpt(W, X, { n: 2, m: 4, blockSize: 64 });
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-10);
    const c = gptq(W, X, { bits: 3, blockSize: 1 }), d = gptq(W, X, { bits: 3, blockSize: 128 });
    expect(maxAbsDiff(c, d)).toBeLessThan(1e-10);
  });

  test('magnitude pruning, hand-worked: 50% keeps the 4 largest |w| (a tie goes to the lower index); 2:4 the 2 largest per group', () => {
    const A = Matrix.fromRows([
      [1, -4, 2, 0.5],
      [3, -1, -2, 5],
    ]);
    expect(Matrix.toRows(magnitudePruning(A, { sparsity: 0.5 }))).toEqual([
      [0, -4, 2, 0],
      [3, 0, 0, 5],
    ]);
    expect(Matrix.toRows(magnitudePruning(A, { n: 2, m: 4 }))).toEqual([
      [0, -4, 2, 0],
      [3, 0, 0, 5],
    ]);
    expect(Matrix.toRows(magnitudePruning(A, { keep: 1 }))).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 5],
    ]);
  });

  test('wanda, hand-worked: scores |w_ij|·‖X_j‖ with column norms [1, 0.1, 1, 10], half of each row kept', () => {
    const A = Matrix.fromRows([
      [1, -4, 2, 0.5],
      [3, -1, -2, 5],
    ]);
    const X = Matrix.fromRows([[1, 0.1, 1, 10]]);
    // Row 0 scores [1, 0.4, 2, 5]; row 1 scores [3, 0.1, 2, 50].
    expect(Matrix.toRows(wanda(A, X, { sparsity: 0.5 }))).toEqual([
      [0, 0, 2, 0.5],
      [3, 0, 0, 5],
    ]);
  });

  test('property: wanda with equal input-channel norms and one ranking per layer is magnitude pruning', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 12 }), fc.double({ min: 0, max: 0.95, noNaN: true }), fc.integer({ min: 1, max: 1000 }), (rows, cols, s, seed) => {
        const A = gaussian(rows, cols, seed);
        const X = Matrix.zeros(cols, cols);
        for (let j = 0; j < cols; j++) X.data[j * cols + j] = 3;
        expect(Array.from(wanda(A, X, { sparsity: s, group: 'layer' }).data)).toEqual(Array.from(magnitudePruning(A, { sparsity: s }).data));
      }),
      { seed: 1, numRuns: 20 },
    );
  });

  test('property: the budget is met exactly: ⌈(1 − s)·size⌉ nonzeros, exactly n per n:m group, at most 2^b values per group', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 6 }),
        fc.double({ min: 0, max: 0.95, noNaN: true }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 1000 }),
        (rows, groups, s, bits, seed) => {
          const cols = 4 * groups;
          const A = gaussian(rows, cols, seed), X = gaussian(3 * cols, cols, seed + 1);
          const kept = Math.ceil((1 - s) * rows * cols - 1e-9);
          for (const P of [magnitudePruning(A, { sparsity: s }), wanda(A, X, { sparsity: s }), sparsegpt(A, X, { sparsity: s, blockSize: 4 })]) expect(nnz(P)).toBe(kept);
          for (const P of [magnitudePruning(A, { n: 1, m: 4 }), wanda(A, X, { n: 1, m: 4 }), sparsegpt(A, X, { n: 1, m: 4 })]) {
            expect(nnz(P)).toBe(rows * groups);
            expect(maxPerGroup(P, 4)).toBe(1);
          }
          for (const Q of [rtn(A, { bits, groupSize: 4 }), gptq(A, X, { bits, groupSize: 4 }), sparsegpt(A, X, { sparsity: s, bits, groupSize: 4 })]) {
            expect(maxDistinct(Q, 4)).toBeLessThanOrEqual(2 ** bits);
          }
        },
      ),
      { seed: 1, numRuns: 20 },
    );
  });
});

// --------------------------------------------------------------------------
// The bench entries on the family's instances
// --------------------------------------------------------------------------

const service = solveService(createRegistry(allFamilies));
const metric = primaryMetric(weightCompression);

async function solve(solver: AnySolver, observation: WeightCompressionObservation): Promise<WeightCompressionSolution> {
  return (await service.solve(solver, observation)).solution as WeightCompressionSolution;
}

async function solveScore(solver: AnySolver, observation: WeightCompressionObservation, truth: WeightCompressionTruth): Promise<{ score: number; solution: WeightCompressionSolution }> {
  const { solution } = await service.solve(solver, observation);
  const outcome = scoreSolution(weightCompression, observation, truth, solution as WeightCompressionSolution);
  expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 'ok' });
  return { score: outcome.status === 'ok' ? outcome.metrics[metric.id] : NaN, solution: solution as WeightCompressionSolution };
}

/** Trivial answers: all zeros (the family's), declaring the budget's bits when it has any. */
function trivialScore(observation: WeightCompressionObservation, truth: WeightCompressionTruth): number {
  const zero = weightCompression.trivialSolution!(observation);
  const bits = observation.budget.bits;
  const sol = bits === undefined ? zero : { layers: zero.layers.map((l) => ({ ...l, bits })) };
  const outcome = scoreSolution(weightCompression, observation, truth, sol);
  expect(outcome.status).toBe('ok');
  return outcome.status === 'ok' ? outcome.metrics[metric.id] : NaN;
}

/** ‖XŴᵀ − XWᵀ‖_F / ‖XWᵀ‖_F: the layer-wise reconstruction error on inputs X. */
function relOutputError(X: Matrix, W: Matrix, What: Matrix): number {
  const Y = matmul(X, W, { transB: true }), Yhat = matmul(X, What, { transB: true });
  let num = 0, den = 0;
  for (let i = 0; i < Y.data.length; i++) {
    num += (Yhat.data[i] - Y.data[i]) ** 2;
    den += Y.data[i] ** 2;
  }
  return Math.sqrt(num / den);
}

describe('on the quick preset (256 x 512 layer, 512 correlated inputs with outlier channels)', () => {
  const pruning = generateInstance(weightCompression, quick, ['quality', weightCompression.id]);
  const quant = generateInstance(weightCompression, quickBits, ['quality', weightCompression.id]);
  const heldOut: Record<string, number> = {};
  const solutions: Record<string, Matrix> = {};

  test.each([magnitudePruningSolver, wandaSolver, sparsegptSolver].map((s) => [s.id, s] as const))('%s (50% sparsity) beats the trivial answer (zeros) on out_err', async (_id, solver) => {
    const { score, solution } = await solveScore(solver, pruning.observation, pruning.truth);
    heldOut[solver.id] = score;
    solutions[solver.id] = solution.layers[0].W;
    expect(score).toBeLessThan(trivialScore(pruning.observation, pruning.truth));
  });

  test.each([rtnSolver, gptqSolver].map((s) => [s.id, s] as const))('%s (4 bits per row) beats the trivial answer (zeros, 4 bits declared) on out_err', async (_id, solver) => {
    const { score, solution } = await solveScore(solver, quant.observation, quant.truth);
    heldOut[solver.id] = score;
    solutions[solver.id] = solution.layers[0].W;
    expect(score).toBeLessThan(trivialScore(quant.observation, quant.truth));
  });

  test('layer-wise reconstruction error on the calibration inputs (the objective of the OBS methods): gptq < rtn, sparsegpt < wanda < magnitude', () => {
    const { W, X } = pruning.observation.layers[0];
    const cal = Object.fromEntries(Object.entries(solutions).map(([id, What]) => [id, relOutputError(X!, W, What)]));
    console.info(`quick preset, calibration error: ${JSON.stringify(cal)}; held-out out_err: ${JSON.stringify(heldOut)}`);
    expect(cal['baselines/gptq']).toBeLessThan(cal['baselines/rtn']);
    expect(cal['baselines/sparsegpt']).toBeLessThan(cal['baselines/wanda']);
    expect(cal['baselines/wanda']).toBeLessThan(cal['baselines/magnitude-pruning']);
  });

  test('held-out out_err: sparsegpt and wanda below magnitude pruning', () => {
    expect(heldOut['baselines/sparsegpt']).toBeLessThan(heldOut['baselines/magnitude-pruning']);
    expect(heldOut['baselines/wanda']).toBeLessThan(heldOut['baselines/magnitude-pruning']);
  });

  test('solutions meet the budget exactly: 50% keeps 65536 of 131072 weights; rtn declares 4 bits and uses at most 16 values per row', () => {
    for (const id of ['baselines/magnitude-pruning', 'baselines/wanda', 'baselines/sparsegpt']) expect(nnz(solutions[id])).toBe(65536);
    expect(maxDistinct(solutions['baselines/rtn'], 512)).toBeLessThanOrEqual(16);
    expect(maxDistinct(solutions['baselines/gptq'], 512)).toBeLessThanOrEqual(16);
  });
});

test('with 4x more calibration inputs than d_in, gptq\'s held-out out_err is below rtn\'s (at nCalib = d_in it overfits the calibration set)', async () => {
  const { observation, truth } = generateInstance(weightCompression, { ...quickBits, nCalib: 2048 }, ['quality', weightCompression.id]);
  const g = (await solveScore(gptqSolver, observation, truth)).score, r = (await solveScore(rtnSolver, observation, truth)).score;
  console.info(`quick preset with nCalib = 2048, 4 bits: out_err gptq ${g}, rtn ${r}`);
  expect(g).toBeLessThan(r);
});

describe('budgets and variants', () => {
  const small = { dOut: 16, dIn: 32, nCalib: 64, nTest: 32 };

  test('a global sparsity over layers of different shapes keeps exactly ⌈(1 − s)·total⌉ weights in all', async () => {
    const { observation, truth } = generateInstance(weightCompression, { ...small, shapes: [[8, 32], [24, 16], [5, 8]], budget: { sparsity: 0.7, scope: 'global' } }, [1]);
    const total = 8 * 32 + 24 * 16 + 5 * 8;
    for (const solver of [magnitudePruningSolver, wandaSolver, sparsegptSolver] as AnySolver[]) {
      const solution = await solve(solver, observation);
      expect(solution.layers.reduce((s, l) => s + nnz(l.W), 0)).toBe(Math.ceil(0.3 * total - 1e-9));
      expect(scoreSolution(weightCompression, observation, truth, solution).status).toBe('ok');
    }
  });

  test('sparsegpt prunes and quantizes jointly under {sparsity, bits, groupSize}', async () => {
    const { observation, truth } = generateInstance(weightCompression, { ...small, budget: { sparsity: 0.5, bits: 3, groupSize: 8 } }, [2]);
    const solution = await solve(sparsegptSolver, observation);
    // At most half kept; a kept weight may also round to the grid's 0.
    expect(nnz(solution.layers[0].W)).toBeLessThanOrEqual(256);
    expect(nnz(solution.layers[0].W)).toBeGreaterThan(200);
    expect(solution.layers[0].bits).toBe(3);
    expect(scoreSolution(weightCompression, observation, truth, solution).status).toBe('ok');
  });

  test('magnitude pruning and rtn handle kv-cache: frozen caches and the dense window come back unchanged', async () => {
    const kv = { variant: 'kv-cache', heads: 2, tokens: 64, headDim: 16, queries: 8, denseWindow: 8, kvTarget: 'keys' };
    for (const [solver, budget] of [[magnitudePruningSolver, { sparsity: 0.5 }], [rtnSolver, { bits: 3 }]] as [AnySolver, object][]) {
      const { observation, truth } = generateInstance(weightCompression, { ...kv, budget }, [3]);
      const solution = await solve(solver, observation);
      expect(scoreSolution(weightCompression, observation, truth, solution).status).toBe('ok');
      expect(solution.layers[1].W.data).toEqual(observation.layers[1].W.data);
      const K = observation.layers[0].W.data, Khat = solution.layers[0].W.data;
      expect(Khat.subarray(56 * 16)).toEqual(K.subarray(56 * 16));
      expect(Khat.subarray(0, 56 * 16)).not.toEqual(K.subarray(0, 56 * 16));
    }
  });

  test('solvers refuse what they cannot do, saying why', async () => {
    const kv = generateInstance(weightCompression, { variant: 'kv-cache', heads: 1, tokens: 32, headDim: 8, queries: 4, denseWindow: 4, budget: { sparsity: 0.5 } }, [4]).observation;
    await expect(service.solve(wandaSolver, kv)).rejects.toThrow('baselines/wanda: variant "kv-cache" is not supported: the value caches enter the output through the attention weights');
    await expect(service.solve(sparsegptSolver, kv)).rejects.toThrow('baselines/sparsegpt: variant "kv-cache" is not supported');
    const bits = generateInstance(weightCompression, { ...small, budget: { bits: 4 } }, [5]).observation;
    await expect(service.solve(magnitudePruningSolver, bits)).rejects.toThrow('baselines/magnitude-pruning: observation.budget.bits = 4 asks for quantization, which baselines/magnitude-pruning does not do');
    await expect(service.solve(wandaSolver, bits)).rejects.toThrow('use baselines/rtn or baselines/gptq');
    const sparse = generateInstance(weightCompression, { ...small, budget: { sparsity: 0.5 } }, [6]).observation;
    await expect(service.solve(rtnSolver, sparse)).rejects.toThrow('baselines/rtn: observation.budget.sparsity = 0.5 asks for pruning, which baselines/rtn does not do (it only quantizes)');
    await expect(service.solve(gptqSolver, sparse)).rejects.toThrow('baselines/gptq: observation.budget.sparsity = 0.5 asks for pruning');
    const scratch = generateInstance(weightCompression, { variant: 'network', networkInit: 'scratch', inputDim: 8, hidden: [16], outputs: 3, nTrain: 64, nTest: 16, nCalib: 16, steps: 1 }, [7]).observation;
    await expect(service.solve(wandaSolver, scratch)).rejects.toThrow('baselines/wanda: observation.layers[0].X is missing');
  });

  test('bad inputs to the plain functions are clear errors', () => {
    const A = gaussian(4, 8, 1), X = gaussian(10, 8, 2);
    expect(() => magnitudePruning(A, { sparsity: 1 })).toThrow('magnitudePruning: sparsity must be a number in [0, 1) (got 1)');
    expect(() => magnitudePruning(A, { n: 2, m: 3 })).toThrow('magnitudePruning: m = 3 must divide the row length (W has 8 columns)');
    expect(() => wanda(A, X, { n: 2 })).toThrow('wanda: m is needed too: an n:m pattern takes both n and m');
    expect(() => wanda(A, gaussian(10, 7, 3), { sparsity: 0.5 })).toThrow('wanda: X has 7 columns, W has 8 (calibration inputs must match d_in)');
    expect(() => sparsegpt(A, X, { n: 5, m: 4 })).toThrow('sparsegpt: n must be an integer in [0, m = 4] (got 5)');
    expect(() => sparsegpt(A, X, { sparsity: 0.5, damp: 0 })).toThrow('sparsegpt: damp must be a finite number > 0 (got 0)');
    expect(() => rtn(A, { bits: 0 })).toThrow('rtn: bits must be an integer in [1, 16] (got 0)');
    expect(() => gptq(A, X, { bits: 4, groupSize: 0 })).toThrow('gptq: groupSize must be an integer >= 1 (got 0)');
    expect(() => gptq(A, X, { bits: 4, blockSize: 0 })).toThrow('gptq: blockSize must be an integer >= 1 (got 0)');
  });
});
