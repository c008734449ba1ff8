/**
 * Cost of KroSBL against classic SBL and the greedy baselines on the
 * three-factor Kronecker task, as it grows (N_i = 6, 8, 10, 12 columns per
 * factor, M = (⌊2N/3⌉, ⌊5N/6⌉, N) rows, K_i = 3, 20 dB; the last rung is the
 * claim's task `sparse-recovery/krosbl-scale`). One instance per rung from a
 * fixed seed, built outside the timed body; each solver runs on it in the
 * same process, and vitest prints how many times faster the fastest is. The
 * NMSE of each run is printed too, and every output is checked finite.
 * Times are printed, never asserted. Run from packages/plugins/krosbl:
 *
 *   npx vitest bench --run bench/krosbl.bench.ts
 */
import { afterAll, bench, describe } from 'vitest';
import { generateInstance, sparseRecovery, type SparseRecoveryObservation } from '@parsimony/core';
import { kronOmp, omp, sbl } from '@parsimony/plugin-baselines';
import { amKrosbl, svdKrosbl } from '../src/index.js';

const notes: string[] = [];
const once = { iterations: 1, time: 0, warmupIterations: 0, warmupTime: 0 };
const three = { iterations: 3, time: 0, warmupIterations: 1, warmupTime: 0 };

function check(name: string, o: SparseRecoveryObservation, truthX: Float64Array, x: Float64Array): void {
  if (!x.every(Number.isFinite)) throw new Error(`${name}: non-finite output`);
  let num = 0, den = 0;
  for (let i = 0; i < x.length; i++) {
    num += (x[i] - truthX[i]) ** 2;
    den += truthX[i] ** 2;
  }
  const line = `${name}: nmse ${(10 * Math.log10(num / den)).toFixed(1)} dB`;
  if (!notes.includes(line)) notes.push(line);
  void o;
}

for (const N of [6, 8, 10, 12]) {
  const rows = [Math.round((2 * N) / 3), Math.round((5 * N) / 6), N];
  const params = { matrix: 'kronecker', m: rows[0] * rows[1] * rows[2], n: N ** 3, k: 27, kroneckerRows: rows, kroneckerCols: [N, N, N], kroneckerSparsity: [3, 3, 3], snrDb: 20 };
  const { observation: o, truth } = generateInstance(sparseRecovery, params, ['bench/krosbl', N]);
  if (o.structure?.kind !== 'kronecker') throw new Error('no structure');
  const factors = o.structure.factors, s2 = o.noiseStd! ** 2, n = o.A.cols, m = o.A.rows;
  describe(`three factors, n=${n} (M=${m})`, () => {
    bench(`krosbl:svdKrosbl:n=${n}`, () => check(`svdKrosbl n=${n}`, o, truth.x, svdKrosbl(factors, o.y, { noiseVar: s2 }).x), three);
    bench(`krosbl:amKrosbl:n=${n}`, () => check(`amKrosbl n=${n}`, o, truth.x, amKrosbl(factors, o.y, { noiseVar: s2 }).x), three);
    bench(`baselines:sbl:n=${n}`, () => check(`sbl n=${n}`, o, truth.x, sbl(o.A, o.y, { noiseVar: s2 }).x), once);
    bench(`baselines:kronOmp:n=${n}`, () => check(`kronOmp n=${n}`, o, truth.x, kronOmp(factors, o.y, { sparsity: [3, 3, 3], tol: Math.sqrt(m * s2) })), three);
    bench(`baselines:omp:n=${n}`, () => check(`omp n=${n}`, o, truth.x, omp(o.A, o.y, { k: 27, tol: Math.sqrt(m * s2) })), three);
  });
}

afterAll(() => console.log(notes.join('\n')));
