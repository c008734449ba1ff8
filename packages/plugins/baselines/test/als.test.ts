import { describe, expect, test } from 'vitest';
import { createRng, generateInstance, matrixCompletion, scoreSolution } from '@parsimony/core';
import { describeSolverConformance } from '@parsimony/core/testing';
import plugin, { als, alsSolver } from '../src/index.js';

// Five iterations keep the kit's solves on the quick instance short (convergence is tested below).
describeSolverConformance(alsSolver, {
  params: { maxIter: 5 },
  invalidParams: [
    { params: { k: 0 }, message: 'params.k must be >= 1' },
    { params: { maxIter: 0 }, message: 'params.maxIter must be >= 1' },
    { params: { lambda: -1 }, message: 'params.lambda must be >= 0' },
    { params: { init: 'svd' }, message: 'params.init' },
    { params: { mu: 0 }, message: 'params.mu' },
  ],
});

const small = { m: 120, n: 90, rank: 3, samples: 3000, nTest: 200 };

describe('als (exact alternating minimization, JNS13)', () => {
  test('recovers a noiseless rank-3 matrix to 1e-7 from about 5x the degrees of freedom', () => {
    const { observation, truth } = generateInstance(matrixCompletion, small, [1]);
    const res = als(observation, { rng: createRng(1) });
    const s = scoreSolution(matrixCompletion, observation, truth, { U: res.U, V: res.V });
    expect(s.status === 'ok' && s.metrics.rel_err_full).toBeLessThan(1e-7);
    expect(res.flops.halfSteps).toHaveLength(2 * res.iterations);
  });

  test('each row of U solves its least-squares problem exactly (normal equations hold after the U-step)', () => {
    const { observation: o } = generateInstance(matrixCompletion, { ...small, snrDb: 20 }, [2]);
    const { U, V } = als(o, { maxIter: 2, tol: 0, rng: createRng(1) });
    const k = U.cols;
    for (let i = 0; i < o.rows; i++) {
      // g = V_{Ω_i}ᵀ (V_{Ω_i} u_i − b_i), relative to ‖V_{Ω_i}ᵀ b_i‖
      const g = new Float64Array(k), vb = new Float64Array(k);
      for (let t = 0; t < o.values.length; t++) {
        if (o.omega.i[t] !== i) continue;
        const j = o.omega.j[t];
        let d = -o.values[t];
        for (let c = 0; c < k; c++) d += U.data[i * k + c] * V.data[j * k + c];
        for (let c = 0; c < k; c++) {
          g[c] += V.data[j * k + c] * d;
          vb[c] += V.data[j * k + c] * o.values[t];
        }
      }
      expect(Math.hypot(...g)).toBeLessThan(1e-10 * Math.hypot(...vb));
    }
  });

  test('a V-step costs |Ω|(k² + 3k) + n(k³/3 + 2k² + k) flops', () => {
    const { observation: o } = generateInstance(matrixCompletion, small, [3]);
    const k = 3;
    const { flops } = als(o, { maxIter: 1, rng: createRng(1) });
    expect(flops.halfSteps[0]).toBeCloseTo(o.values.length * (k * k + 3 * k) + o.cols * (k ** 3 / 3 + 2 * k * k + k), 6);
  });

  test('random init converges too; lambda > 0 shrinks the factors', () => {
    const { observation, truth } = generateInstance(matrixCompletion, small, [4]);
    const random = als(observation, { init: 'random', maxIter: 60, rng: createRng(2) });
    const s = scoreSolution(matrixCompletion, observation, truth, { U: random.U, V: random.V });
    expect(s.status === 'ok' && s.metrics.rel_err_full).toBeLessThan(1e-6);
    const norm = (x: Float64Array) => Math.hypot(...x);
    const plain = als(observation, { maxIter: 3, tol: 0, rng: createRng(1) });
    const ridge = als(observation, { maxIter: 3, tol: 0, lambda: 100, rng: createRng(1) });
    expect(norm(ridge.V.data)).toBeLessThan(norm(plain.V.data));
  });

  test('k above min(m, n) is an error naming params.k; an aborted signal stops it', () => {
    const { observation } = generateInstance(matrixCompletion, small, [1]);
    expect(() => als(observation, { k: 91 })).toThrow('als: params.k = 91 exceeds min(rows, cols) = 90');
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    expect(() => als(observation, { signal: ac.signal })).toThrow('stop');
  });

  test('is registered in the baselines plugin', () => {
    expect(plugin.solvers.map((s) => s.id)).toContain('baselines/als');
  });
});
