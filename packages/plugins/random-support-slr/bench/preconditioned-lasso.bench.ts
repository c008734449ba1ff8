/**
 * Cost of the two-phase method against plain Lasso (coordinate descent,
 * scikit-learn's) and OMP on the cancelling factor task as it grows: d = 500,
 * 1000, 2000 features, N = d/5 samples, k = 10, r = 4 dominant directions
 * (the last rung is the scale task N = 400, d = 2000). One instance per rung
 * from a fixed seed, built outside the timed body; every solver runs on it in
 * the same process and vitest prints how many times faster the fastest is.
 * The held-out prediction error of each run is printed, outputs are checked
 * finite, and times are never asserted. Run from packages/plugins/random-support-slr:
 *
 *   npx vitest bench --run bench/preconditioned-lasso.bench.ts
 */
import { afterAll, bench, describe } from 'vitest';
import { createRng, generateInstance, matvec, sparseRegression, type Matrix } from '@parsimony/core';
import { lasso, omp } from '@parsimony/plugin-baselines';
import { preconditionedLasso } from '../src/index.js';

const notes: string[] = [];
const opts = { iterations: 3, time: 0, warmupIterations: 1, warmupTime: 0 };

function check(name: string, Xtest: Matrix, wTrue: Float64Array, w: Float64Array): void {
  if (!w.every(Number.isFinite)) throw new Error(`${name}: non-finite output`);
  const e = matvec(Xtest, w.map((v, j) => v - wTrue[j]));
  const line = `${name}: pred_mse ${(e.reduce((s, v) => s + v * v, 0) / e.length).toFixed(4)}`;
  if (!notes.includes(line)) notes.push(line);
}

for (const d of [500, 1000, 2000]) {
  const N = d / 5;
  const params = { N, d, k: 10, nTest: 200, design: 'factor', factors: 4, factorNoise: 0.01, amplitudes: 'cancelling', noiseStd: 0.1 };
  const { observation: o, truth } = generateInstance(sparseRegression, params, ['bench/random-support-slr', d]);
  const alpha = o.lambda!;
  describe(`cancelling factor design, N=${N}, d=${d}`, () => {
    bench(`random-support-slr:preconditionedLasso:n=${d}`, () => check(`preconditionedLasso (auto SVD) d=${d}`, truth.Xtest, truth.w, preconditionedLasso(o.X, o.y, { sigma: 0.1, k: 10, rng: createRng(d) }).w), opts);
    bench(`random-support-slr:preconditionedLasso-full:n=${d}`, () => check(`preconditionedLasso (full SVD) d=${d}`, truth.Xtest, truth.w, preconditionedLasso(o.X, o.y, { sigma: 0.1, k: 10, svd: 'full' }).w), opts);
    bench(`baselines:lasso:n=${d}`, () => check(`lasso d=${d}`, truth.Xtest, truth.w, lasso(o.X, o.y, { alpha }).w), opts);
    bench(`baselines:omp:n=${d}`, () => check(`omp d=${d}`, truth.Xtest, truth.w, omp(o.X, o.y, { k: 10, tol: Math.sqrt(N) * 0.1 })), opts);
  });
}

afterAll(() => console.log(notes.join('\n')));
