import { describe, expect, test } from 'vitest';
import { Matrix, ParsimonyError, assertObservation, generateInstance, matvec, nrm2, scoreSolution, sparseRecovery, toJsonText } from '../../src/index.js';

const gen = (params: object, seed = 1) => generateInstance(sparseRecovery, params, [seed]);

describe('sparse-recovery generator', () => {
  test('same seed: byte-identical observation and truth; another seed differs', () => {
    const a = gen({}, 7), b = gen({}, 7), c = gen({}, 8);
    expect(toJsonText(a.observation)).toBe(toJsonText(b.observation));
    expect(toJsonText(a.truth)).toBe(toJsonText(b.truth));
    expect(toJsonText(a.observation)).not.toBe(toJsonText(c.observation));
  });

  test('defaults are the quick size: A 128x256, x 12-sparse, 30 dB SNR', () => {
    const { observation: o, truth } = gen({});
    expect([o.A.rows, o.A.cols, o.y.length, o.k]).toEqual([128, 256, 128, 12]);
    expect(truth.x.filter((v) => v !== 0).length).toBe(12);
    const clean = matvec(o.A, truth.x);
    const noise = o.y.map((v, i) => v - clean[i]);
    const snr = 20 * Math.log10(nrm2(clean) / nrm2(noise));
    expect(snr).toBeGreaterThan(27);
    expect(snr).toBeLessThan(33);
  });

  test('noiseless instances satisfy y = A x exactly', () => {
    const { observation: o, truth } = gen({ snrDb: 'inf', m: 30, n: 60, k: 4 });
    expect(o.noiseStd).toBe(0);
    expect(Array.from(matvec(o.A, truth.x))).toEqual(Array.from(o.y));
  });

  test.each(['gaussian', 'bernoulli', 'partial-dct', 'kronecker'] as const)('%s ensemble has unit-norm columns on average and passes the schema', (matrix) => {
    const { observation: o } = gen({ matrix, m: 64, n: 128, k: 4, kroneckerM1: 8, kroneckerN1: 16 });
    assertObservation(sparseRecovery, o);
    let s = 0;
    for (let j = 0; j < o.A.cols; j++) s += nrm2(Matrix.column(o.A, j)) ** 2;
    // A Kronecker column's norm is a product of two factor-column norms, so it varies more.
    const [lo, hi] = matrix === 'kronecker' ? [0.5, 2] : [0.8, 1.2];
    expect(s / o.A.cols).toBeGreaterThan(lo);
    expect(s / o.A.cols).toBeLessThan(hi);
  });

  test('kronecker instances carry their factors, and A is their Kronecker product', () => {
    const { observation: o } = gen({ matrix: 'kronecker', m: 12, n: 20, k: 2, kroneckerM1: 3, kroneckerN1: 4 });
    expect(o.structure?.kind).toBe('kronecker');
    if (o.structure?.kind !== 'kronecker') return;
    const [f1, f2] = o.structure.factors;
    expect(Matrix.get(o.A, 1 * f2.rows + 2, 3 * f2.cols + 1)).toBe(Matrix.get(f1, 1, 3) * Matrix.get(f2, 2, 1));
  });

  test('block supports come in whole blocks', () => {
    const { truth, observation } = gen({ blockSize: 4, k: 8, snrDb: 'inf' });
    expect(observation.structure).toEqual({ kind: 'blocks', size: 4 });
    const supp = Array.from(truth.x.keys()).filter((i) => truth.x[i] !== 0);
    const blocks = new Set(supp.map((i) => Math.floor(i / 4)));
    expect(blocks.size).toBe(2);
  });

  test('nonnegative instances have positive nonzeros and say so', () => {
    const { truth, observation } = gen({ nonnegative: true });
    expect(observation.nonnegative).toBe(true);
    expect(truth.x.every((v) => v >= 0)).toBe(true);
  });

  test('inconsistent params are errors naming the param', () => {
    expect(() => gen({ k: 300 })).toThrow('sparse-recovery: params.k = 300 exceeds n = 256');
    expect(() => gen({ matrix: 'kronecker', kroneckerM1: 5 })).toThrow('params.kroneckerM1 = 5 must divide m = 128');
    expect(() => gen({ matrix: 'sparse' })).toThrow(/params.matrix must be/);
    expect(() => gen({ blockSize: 3 })).toThrow(ParsimonyError);
  });

  test('presets: quick is the default; the scale ladder grows', () => {
    expect(sparseRecovery.presets.quick).toMatchObject({ m: 128, n: 256, k: 12 });
    const ns = sparseRecovery.presets.scale.map((p) => p.n!);
    expect(ns.length).toBeGreaterThanOrEqual(4);
    expect(ns).toEqual([...ns].sort((a, b) => a - b));
  });
});

describe('sparse-recovery scoring', () => {
  const { observation, truth } = gen({});

  test('the truth scores ideally, a wrong support scores worse', () => {
    const ideal = scoreSolution(sparseRecovery, observation, truth, { x: truth.x });
    const shifted = new Float64Array(256);
    truth.x.forEach((v, i) => (shifted[(i + 1) % 256] = v));
    const wrong = scoreSolution(sparseRecovery, observation, truth, { x: shifted });
    expect(ideal).toMatchObject({ status: 'ok', metrics: { nmse_db: -300, support_f1: 1, exact_recovery: 1 } });
    expect(wrong.status === 'ok' && wrong.metrics.nmse_db).toBeGreaterThan(0);
    expect(wrong.status === 'ok' && wrong.metrics.support_f1).toBeLessThan(0.5);
  });

  test('support_f1 counts only the k largest entries', () => {
    const x = truth.x.slice();
    const extra = x.findIndex((v) => v === 0);
    x[extra] = 1e-9; // tiny spurious entry: not among the top k
    const r = scoreSolution(sparseRecovery, observation, truth, { x });
    expect(r.status === 'ok' && r.metrics.support_f1).toBe(1);
  });

  test('the observation schema rejects a malformed observation, naming the field', () => {
    expect(() => assertObservation(sparseRecovery, { ...observation, A: { rows: 128, cols: 256, data: new Float64Array(5) } })).toThrow(
      'observation.A .data has 5 entries; expected rows*cols = 128*256 = 32768',
    );
    expect(() => assertObservation(sparseRecovery, { ...observation, k: -1 })).toThrow('observation.k must be >= 0 (got -1)');
  });
});
