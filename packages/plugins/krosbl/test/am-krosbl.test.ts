import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Matrix, createRng, gaussianMatrix, generateInstance, gram, solve, sparseRecovery, sparseRecoveryFamily } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import { amKrosbl, amKrosblSolver } from '../src/index.js';
import { amMStep } from '../src/solvers/am-krosbl.js';
import { eStep, kronVec } from '../src/internal/engine.js';
import { KRON_TASK, factorsOf, nmseDb, rel } from './helpers.js';

// The kit on the paper's Kronecker task (the family's quick instance, one factor, is covered below by a recovery test).
describeSolverConformance(amKrosblSolver, {
  instance: KRON_TASK,
  invalidParams: [
    { params: { maxIter: 0 }, message: 'params.maxIter must be >= 1' },
    { params: { pruneTol: 1 }, message: 'params.pruneTol' },
    { params: { innerTol: -1 }, message: 'params.innerTol must be >= 0' },
  ],
});

describe('the Kronecker E-step (mode-wise, shared by AM and SVD)', () => {
  test('equals the dense posterior Σ = (AᵀA/σ² + Γ⁻¹)⁻¹, μ = ΣAᵀy/σ² for 1 to 3 factors (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ r: fc.integer({ min: 1, max: 4 }), c: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 3 }),
        fc.nat(),
        fc.double({ min: 0.01, max: 2, noNaN: true }),
        (shapes, seed, s2) => {
          const rng = createRng('test/krosbl-estep', seed);
          const A = shapes.map(({ r, c }) => gaussianMatrix(r, c, rng));
          const gammas = shapes.map(({ c }) => Float64Array.from({ length: c }, () => 0.1 + rng.uniform()));
          const dense = A.reduce((a, b) => sparseRecoveryFamily.kron(a, b));
          const y = Float64Array.from({ length: dense.rows }, () => rng.normal());
          const g = kronVec(gammas), n = g.length;
          const P = gram(dense);
          for (let i = 0; i < n * n; i++) P.data[i] /= s2;
          for (let j = 0; j < n; j++) P.data[j * n + j] += 1 / g[j];
          const Sigma = solve(P, Matrix.eye(n));
          const aty = new Float64Array(n);
          for (let r = 0; r < dense.rows; r++) for (let j = 0; j < n; j++) aty[j] += dense.data[r * n + j] * y[r] / s2;
          const mu = new Float64Array(n);
          for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) mu[i] += Sigma.data[i * n + j] * aty[j];
          const post = eStep(A, gammas, s2, y);
          for (let j = 0; j < n; j++) {
            expect(post.mu[j]).toBeCloseTo(mu[j], 9);
            expect(post.sigmaDiag[j]).toBeCloseTo(Sigma.data[j * n + j], 9);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('the AM M-step (alternating minimization)', () => {
  /** The M-step cost Σ Λ/γ + log γ over the grid, γ = ⊗γ_i. */
  const cost = (lambda: Float64Array, gammas: Float64Array[]) => kronVec(gammas).reduce((s, g, j) => s + lambda[j] / g + Math.log(g), 0);

  test('a rank-one Λ = λ_1 ⊗ λ_2 ⊗ λ_3 is a fixed point: ⊗γ_i = Λ', () => {
    const rng = createRng('test/krosbl-am', 1);
    const parts = [4, 3, 5].map((N) => Float64Array.from({ length: N }, () => 0.5 + rng.uniform()));
    const lambda = kronVec(parts);
    const gammas = [4, 3, 5].map((N) => new Float64Array(N).fill(1));
    amMStep(1e-12, 500)(lambda, gammas);
    expect(rel(kronVec(gammas), lambda)).toBeLessThan(1e-9);
    // the scale convention: ‖γ_i‖ = 1 for i < I
    expect(Math.hypot(...gammas[0])).toBeCloseTo(1, 12);
    expect(Math.hypot(...gammas[1])).toBeCloseTo(1, 12);
  });

  test('never increases the M-step cost Σ Λ/γ + log γ (property)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 2, max: 5 }), (seed, n1, n2) => {
        const rng = createRng('test/krosbl-am-cost', seed);
        const lambda = Float64Array.from({ length: n1 * n2 }, () => 0.01 + rng.uniform() ** 4);
        const gammas = [new Float64Array(n1).fill(1 / Math.sqrt(n1)), new Float64Array(n2).fill(Math.sqrt(n1))];
        const before = cost(lambda, gammas);
        amMStep(1e-8, 200)(lambda, gammas);
        expect(cost(lambda, gammas)).toBeLessThanOrEqual(before + 1e-9);
      }),
      { numRuns: 50 },
    );
  });
});

describe('amKrosbl', () => {
  test('recovers the Kronecker task (20 dB) to better than -15 dB NMSE, with a Kronecker-product support', () => {
    const { observation: o, truth } = generateInstance(sparseRecovery, KRON_TASK, ['am', 2]);
    const { x, gammas } = amKrosbl(factorsOf(o), o.y, { noiseVar: o.noiseStd! ** 2 });
    expect(nmseDb(x, truth.x)).toBeLessThan(-15);
    // x is nonzero only on the product of the kept per-factor index sets
    const kept = gammas.map((g) => Array.from(g.keys()).filter((k) => g[k] > 0));
    x.forEach((v, j) => v !== 0 && expect(kept[0].includes(Math.floor(j / 16)) && kept[1].includes(j % 16)).toBe(true));
  });

  test('noiseless three-factor signals are recovered almost exactly', () => {
    const params = { matrix: 'kronecker', m: 192, n: 512, k: 8, kroneckerRows: [4, 6, 8], kroneckerCols: [8, 8, 8], kroneckerSparsity: [2, 2, 2], snrDb: 'inf' } as const;
    const { observation: o, truth } = generateInstance(sparseRecovery, params, ['am', 3]);
    expect(nmseDb(amKrosbl(factorsOf(o), o.y, { noiseVar: 0 }).x, truth.x)).toBeLessThan(-40);
  });

  test('learns σ² when it is not given (within a factor 3 at 20 dB) and still recovers x', () => {
    const { observation: o, truth } = generateInstance(sparseRecovery, KRON_TASK, ['am', 4]);
    const { x, noiseVar } = amKrosbl(factorsOf(o), o.y);
    expect(noiseVar / o.noiseStd! ** 2).toBeGreaterThan(1 / 3);
    expect(noiseVar / o.noiseStd! ** 2).toBeLessThan(3);
    expect(nmseDb(x, truth.x)).toBeLessThan(-10);
  });

  test('with one factor (no Kronecker structure) it is EM-SBL: a Gaussian instance (30 dB) to better than -25 dB', () => {
    const { observation: o, truth } = generateInstance(sparseRecovery, { m: 64, n: 128, k: 5 }, ['am', 5]);
    expect(nmseDb(amKrosbl([o.A], o.y, { noiseVar: o.noiseStd! ** 2 }).x, truth.x)).toBeLessThan(-25);
  });

  test('reports each outer iteration; y = 0 gives x = 0; bad inputs are clear errors; an aborted signal is honoured', () => {
    const { observation: o } = generateInstance(sparseRecovery, KRON_TASK, ['am', 6]);
    const seen: number[] = [];
    const { iterations } = amKrosbl(factorsOf(o), o.y, { noiseVar: o.noiseStd! ** 2, maxIter: 5, onIteration: (it) => seen.push(it) });
    expect(seen).toEqual([1, 2, 3, 4, 5].slice(0, iterations));
    expect(amKrosbl(factorsOf(o), new Float64Array(100)).x.every((v) => v === 0)).toBe(true);
    expect(() => amKrosbl(factorsOf(o), new Float64Array(99))).toThrow('amKrosbl: y has 99 entries, 10x16 ⊗ 10x16 has 100 rows');
    expect(() => amKrosbl([], new Float64Array(1))).toThrow('amKrosbl: factors must be a non-empty array');
    expect(() => amKrosbl(factorsOf(o), o.y, { noiseVar: -1 })).toThrow('amKrosbl: noiseVar must be >= 0 (got -1)');
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    expect(() => amKrosbl(factorsOf(o), o.y, { signal: ac.signal })).toThrow('stop');
  });
});
