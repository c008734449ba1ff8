import { Matrix } from '../../linalg/index.js';
import type { Rng } from '../../random/index.js';
import type { Instance } from '../../plugin/family.js';
import { badParam } from '../common.js';
import { entryOf } from './score.js';
import type { MatrixCompletionObservation, MatrixCompletionParams, MatrixCompletionTruth } from './schema.js';

/** The default |Ω| of FAMILIES.md: 4 r (m + n) ln n, at most every entry not held out. */
export function defaultSamples(p: Pick<MatrixCompletionParams, 'm' | 'n' | 'rank' | 'nTest'>): number {
  return Math.max(1, Math.min(Math.round(4 * p.rank * (p.m + p.n) * Math.log(Math.max(p.n, 2))), p.m * p.n - p.nTest));
}

/** Splits sorted linear indices t = i n + j into (i, j) vectors. */
function positions(lin: number[], n: number): { i: Int32Array; j: Int32Array } {
  const i = new Int32Array(lin.length), j = new Int32Array(lin.length);
  lin.forEach((t, s) => {
    i[s] = Math.floor(t / n);
    j[s] = t % n;
  });
  return { i, j };
}

/**
 * Draws M = U Vᵀ with i.i.d. N(0, 1) factors, |Ω| observed positions uniformly
 * at random, and nTest further held-out positions; observed values get
 * Gaussian noise at the requested SNR.
 */
export function generateMatrixCompletion(p: MatrixCompletionParams, rng: Rng): Instance<MatrixCompletionObservation, MatrixCompletionTruth> {
  const { m, n, rank } = p;
  const fail = (field: string, problem: string) => badParam('matrix-completion', field, problem);
  if (rank > Math.min(m, n)) throw fail('rank', `= ${rank} exceeds min(m, n) = ${Math.min(m, n)}`);
  if (p.nTest >= m * n) throw fail('nTest', `= ${p.nTest} leaves no entry to observe in a ${m}x${n} matrix; use nTest < ${m * n}`);
  const samples = p.samples ?? defaultSamples(p);
  if (samples + p.nTest > m * n) throw fail('samples', `= ${samples} plus nTest = ${p.nTest} exceeds the ${m * n} entries of M`);

  const U = Matrix.zeros(m, rank), V = Matrix.zeros(n, rank);
  rng.fillNormal(U.data as Float64Array);
  rng.fillNormal(V.data as Float64Array);
  const picked = Array.from(rng.sampleWithoutReplacement(m * n, samples + p.nTest));
  // Sorted (row-major) positions let solvers stream rows.
  const omega = positions(picked.slice(0, samples).sort((a, b) => a - b), n);
  const test = positions(picked.slice(samples).sort((a, b) => a - b), n);

  const values = new Float64Array(samples);
  let ss = 0;
  for (let s = 0; s < samples; s++) {
    values[s] = entryOf(U, V, omega.i[s], omega.j[s]);
    ss += values[s] * values[s];
  }
  let noiseStd = 0;
  if (p.snrDb !== 'inf') {
    noiseStd = Math.sqrt(ss / samples) / Math.pow(10, p.snrDb / 20);
    for (let s = 0; s < samples; s++) values[s] += noiseStd * rng.normal();
  }
  return {
    observation: { rows: m, cols: n, omega, values, rank, ...(p.snrDb !== 'inf' && { noiseStd }) },
    truth: { U, V, test },
  };
}
