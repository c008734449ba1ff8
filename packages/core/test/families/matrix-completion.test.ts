import { describe, expect, test } from 'vitest';
import { Matrix, ParsimonyError, assertObservation, generateInstance, matrixCompletion, scoreSolution, toJsonText } from '../../src/index.js';
import { defaultSamples, entryOf } from '../../src/families/matrix-completion/index.js';

const small = { m: 30, n: 20, rank: 2, samples: 300, nTest: 100 };
const gen = (params: object, seed = 1) => generateInstance(matrixCompletion, { ...small, ...params }, [seed]);
const metrics = (r: ReturnType<typeof scoreSolution>) => {
  if (r.status !== 'ok') throw new Error(`expected ok, got ${r.reason}`);
  return r.metrics;
};

describe('matrix-completion generator', () => {
  test('same seed: byte-identical observation and truth; another seed differs', () => {
    const a = gen({}, 7), b = gen({}, 7), c = gen({}, 8);
    expect(toJsonText(a.observation)).toBe(toJsonText(b.observation));
    expect(toJsonText(a.truth)).toBe(toJsonText(b.truth));
    expect(toJsonText(a.observation)).not.toBe(toJsonText(c.observation));
  });

  test('defaults are the quick size: 300x300, r = 5, 4 r (m + n) ln n observed entries', () => {
    const { observation: o } = generateInstance(matrixCompletion, {}, [1]);
    expect([o.rows, o.cols, o.rank]).toEqual([300, 300, 5]);
    expect(o.values.length).toBe(Math.round(4 * 5 * 600 * Math.log(300)));
    expect(defaultSamples({ m: 300, n: 300, rank: 5, nTest: 2000 })).toBe(o.values.length);
  });

  test('noiseless values are the entries of U Vᵀ; observed and held-out positions are distinct', () => {
    const { observation: o, truth } = gen({});
    o.values.forEach((v, t) => expect(v).toBe(entryOf(truth.U, truth.V, o.omega.i[t], o.omega.j[t])));
    const seen = new Set<number>();
    o.omega.i.forEach((i, t) => seen.add(i * 20 + o.omega.j[t]));
    truth.test.i.forEach((i, t) => seen.add(i * 20 + truth.test.j[t]));
    expect(seen.size).toBe(400);
    expect(o.noiseStd).toBeUndefined();
  });

  test('snrDb adds noise of the stated size', () => {
    const { observation: o, truth } = gen({ snrDb: 20, samples: 500 });
    const clean = Array.from(o.values, (_, t) => entryOf(truth.U, truth.V, o.omega.i[t], o.omega.j[t]));
    const snr = 10 * Math.log10(clean.reduce((s, v) => s + v * v, 0) / clean.reduce((s, v, t) => s + (o.values[t] - v) ** 2, 0));
    expect(snr).toBeGreaterThan(18);
    expect(snr).toBeLessThan(22);
    expect(o.noiseStd).toBeGreaterThan(0);
  });

  test('bad params are errors naming the param', () => {
    expect(() => gen({ rank: 0 })).toThrow(/params.rank must be >= 1/);
    expect(() => gen({ rank: 21 })).toThrow('matrix-completion: params.rank = 21 exceeds min(m, n) = 20');
    expect(() => gen({ samples: 550 })).toThrow('params.samples = 550 plus nTest = 100 exceeds the 600 entries of M');
    expect(() => gen({ nTest: 600 })).toThrow(ParsimonyError);
  });

  test('presets: quick is the default; the scale ladder grows', () => {
    expect(matrixCompletion.presets.quick).toEqual({ m: 300, n: 300, rank: 5 });
    const ns = matrixCompletion.presets.scale.map((p) => p.n!);
    expect(ns.length).toBeGreaterThanOrEqual(4);
    expect(ns).toEqual([...ns].sort((a, b) => a - b));
  });
});

describe('matrix-completion scoring', () => {
  const { observation, truth } = gen({});

  test('the true factors score 0; zero and perturbed factors score worse', () => {
    expect(metrics(scoreSolution(matrixCompletion, observation, truth, { U: truth.U, V: truth.V }))).toEqual({ rmse_test: 0, rel_err_full: 0 });
    const zero = metrics(scoreSolution(matrixCompletion, observation, truth, matrixCompletion.trivialSolution!(observation)));
    expect(zero.rel_err_full).toBe(1);
    const U = Matrix.clone(truth.U);
    U.data[0] += 1;
    const bumped = metrics(scoreSolution(matrixCompletion, observation, truth, { U, V: truth.V }));
    expect(bumped.rel_err_full).toBeGreaterThan(0);
    expect(bumped.rel_err_full).toBeLessThan(1);
  });

  test('any inner dimension is accepted: [U, 0] [V, W]ᵀ equals U Vᵀ', () => {
    const pad = (a: Matrix, fill: number) => Matrix.fromRows(Matrix.toRows(a).map((r) => [...r, fill]));
    const r = metrics(scoreSolution(matrixCompletion, observation, truth, { U: pad(truth.U, 0), V: pad(truth.V, 5) }));
    expect(r.rel_err_full).toBe(0);
  });

  test('scoring does not mutate its inputs', () => {
    const sol = { U: Matrix.clone(truth.U), V: Matrix.clone(truth.V) };
    const before = toJsonText([observation, truth, sol]);
    scoreSolution(matrixCompletion, observation, truth, sol);
    expect(toJsonText([observation, truth, sol])).toBe(before);
  });

  test('invalid solutions are invalid with a reason naming the field', () => {
    expect(scoreSolution(matrixCompletion, observation, truth, { U: Matrix.zeros(29, 2), V: truth.V })).toMatchObject({
      status: 'invalid',
      field: 'solution.U',
      reason: 'solution.U is 29x2, expected 30x2',
    });
    expect(scoreSolution(matrixCompletion, observation, truth, { U: truth.U, V: Matrix.zeros(20, 3) })).toMatchObject({ status: 'invalid', field: 'solution.V' });
    const V = Matrix.clone(truth.V);
    V.data[4] = NaN;
    expect(scoreSolution(matrixCompletion, observation, truth, { U: truth.U, V })).toMatchObject({ status: 'invalid', field: 'solution.V' });
    expect(scoreSolution(matrixCompletion, observation, truth, { U: Matrix.zeros(30, 0), V: Matrix.zeros(20, 0) })).toMatchObject({ status: 'invalid', field: 'solution.U' });
  });

  test('the observation schema and checks reject a malformed observation, naming the field', () => {
    expect(() => assertObservation(matrixCompletion, { ...observation, rank: 0 })).toThrow('observation.rank must be >= 1 (got 0)');
    expect(() => assertObservation(matrixCompletion, { ...observation, values: observation.values.subarray(1) })).toThrow('observation.omega.i has 300 entries, values has 299');
    const i = observation.omega.i.slice();
    i[5] = 30;
    expect(() => assertObservation(matrixCompletion, { ...observation, omega: { i, j: observation.omega.j } })).toThrow('observation.omega.i[5] = 30 is outside 0..29');
    // An entry listed twice (a hand-made observation; the generator samples without replacement).
    const di = observation.omega.i.slice(), dj = observation.omega.j.slice();
    di[9] = di[4];
    dj[9] = dj[4];
    expect(() => assertObservation(matrixCompletion, { ...observation, omega: { i: di, j: dj } })).toThrow(`observation.omega lists entry (${di[4]}, ${dj[4]}) twice, at positions 4 and 9`);
  });
});
