/**
 * Robust AM against exact AM (baselines/als) at fixed |Ω| as k doubles:
 * `npx vitest bench --run` in packages/plugins/robust-altmin.
 *
 * m = n = 600 and |Ω| = 6 (m + n) 40 = 288 000 (480 entries per row and
 * column, as the scale task's |Ω| = 6 (m + n) k at k = 40), k ∈ {10, 20, 40},
 * two AM iterations (four half-steps) per run. Inputs are built from fixed
 * seeds outside the timed bodies; each run's factors are checked finite. The
 * flop counts (deterministic), their ratios and the CPU time of one run of
 * each are printed once; wall times are printed by vitest. Nothing is asserted.
 */
import { bench, describe } from 'vitest';
import { createRng, generateInstance, matrixCompletion, type MatrixCompletionObservation } from '@parsimony/core';
import { als } from '@parsimony/plugin-baselines';
import { robustAltmin } from '../src/index.js';

const m = 600, samples = 6 * (2 * m) * 40, ks = [10, 20, 40];
const options = { maxIter: 2, tol: 0 };
const inputs = new Map<number, MatrixCompletionObservation>(
  ks.map((k) => [k, generateInstance(matrixCompletion, { m, n: m, rank: k, samples, nTest: 500 }, ['bench/robust-altmin', k]).observation]),
);

function finite(U: { data: Float64Array }, V: { data: Float64Array }): void {
  if (!U.data.every(Number.isFinite) || !V.data.every(Number.isFinite)) throw new Error('non-finite factors');
}
const perHalfStep = (h: readonly number[]) => h.reduce((a, b) => a + b, 0) / h.length;

// Flops per half-step (deterministic) and the CPU time of one run of each, once. CPU time
// (process.cpuUsage, user + system) is less inflated than wall time on a shared machine.
const cpuMs = (f: () => void) => {
  const t0 = process.cpuUsage();
  f();
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / 1000;
};
const rows = ks.map((k) => {
  const o = inputs.get(k)!;
  let robust = 0, exact = 0;
  const robustMs = cpuMs(() => {
    const r = robustAltmin(o, { ...options, rng: createRng(1) });
    finite(r.U, r.V);
    robust = perHalfStep(r.flops.halfSteps);
  });
  const exactMs = cpuMs(() => {
    const r = als(o, { ...options, rng: createRng(1) });
    finite(r.U, r.V);
    exact = perHalfStep(r.flops.halfSteps);
  });
  return { k, robust, exact, robustMs, exactMs };
});
console.log('flops per half-step (Mflop) and CPU time of one run (2 iterations), |Ω| = %d:', samples);
for (const [i, f] of rows.entries()) {
  const growth = i === 0 ? '' : `  x${(f.robust / rows[i - 1].robust).toFixed(2)} robust, x${(f.exact / rows[i - 1].exact).toFixed(2)} exact`;
  console.log(
    `  k=${f.k}: robust ${(f.robust / 1e6).toFixed(1)}, exact ${(f.exact / 1e6).toFixed(1)}, robust/exact ${(f.robust / f.exact).toFixed(3)}${growth};` +
      ` CPU robust ${f.robustMs.toFixed(0)} ms, exact ${f.exactMs.toFixed(0)} ms, robust/exact ${(f.robustMs / f.exactMs).toFixed(2)}`,
  );
}

for (const k of ks) {
  describe(`k=${k}`, () => {
    const o = inputs.get(k)!;
    bench(`robust-altmin:robustAltmin:k=${k}`, () => {
      const { U, V } = robustAltmin(o, { ...options, rng: createRng(1) });
      finite(U, V);
    }, { iterations: 1, time: 0, warmupIterations: 0 });
    bench(`plugin-baselines:als:k=${k}`, () => {
      const { U, V } = als(o, { ...options, rng: createRng(1) });
      finite(U, V);
    }, { iterations: 1, time: 0, warmupIterations: 0 });
  });
}
