import { describe, expect, test } from 'vitest';
import { Matrix, assertObservation, blindCalibration, generateInstance, matvec, scoreSolution, toJsonText } from '../../src/index.js';

const small = { n: 16, m: 12, p: 3 };
const gen = (params: object, seed = 1) => generateInstance(blindCalibration, { ...small, ...params }, [seed]);
const metrics = (r: ReturnType<typeof scoreSolution>) => {
  if (r.status !== 'ok') throw new Error(`expected ok, got ${r.reason}`);
  return r.metrics;
};

describe('blind-calibration generator', () => {
  test('same seed: byte-identical observation and truth; another seed differs', () => {
    const a = gen({}, 7), b = gen({}, 7), c = gen({}, 8);
    expect(toJsonText(a.observation)).toBe(toJsonText(b.observation));
    expect(toJsonText(a.truth)).toBe(toJsonText(b.truth));
    expect(toJsonText(a.observation)).not.toBe(toJsonText(c.observation));
  });

  test('defaults are the quick size; gains are positive with mean 1; y_l = diag(d) A_l x', () => {
    const { observation: o, truth } = generateInstance(blindCalibration, {}, [1]);
    expect([o.A.length, o.A[0].rows, o.A[0].cols, o.y.length, o.y[0].length]).toEqual([4, 64, 64, 4, 64]);
    expect(truth.d.every((v) => v > 0.3 && v < 1.7)).toBe(true);
    expect(truth.d.reduce((s, v) => s + v, 0) / 64).toBeCloseTo(1, 12);
    const Ax = matvec(o.A[2], truth.x);
    o.y[2].forEach((v, i) => expect(v).toBeCloseTo(truth.d[i] * Ax[i], 12));
    expect(o.k).toBeUndefined();
  });

  test('k gives a sparse x and a hint; snrDb adds noise', () => {
    const { observation: o, truth } = gen({ k: 3, snrDb: 20 });
    expect(truth.x.filter((v) => v !== 0).length).toBe(3);
    expect(o.k).toBe(3);
    expect(o.noiseStd).toBeGreaterThan(0);
    assertObservation(blindCalibration, o);
  });

  test('bad params are errors naming the param', () => {
    expect(() => gen({ k: 17 })).toThrow('blind-calibration: params.k = 17 exceeds n = 16');
    expect(() => gen({ rho: 1 })).toThrow(/params.rho must be < 1/);
    expect(() => gen({ p: 0 })).toThrow(/params.p must be >= 1/);
  });

  test('presets: quick is the default; the scale ladder grows', () => {
    expect(blindCalibration.presets.quick).toEqual({ n: 64, m: 64, p: 4 });
    const ns = blindCalibration.presets.scale.map((p) => p.n!);
    expect(ns.length).toBeGreaterThanOrEqual(4);
    expect(ns).toEqual([...ns].sort((a, b) => a - b));
  });
});

describe('blind-calibration scoring', () => {
  const { observation, truth } = gen({});

  test('the truth scores ideally, also rescaled by any c ≠ 0; ignoring the gains scores worse', () => {
    expect(metrics(scoreSolution(blindCalibration, observation, truth, { x: truth.x, d: truth.d }))).toEqual({ nmse_db: -300, gain_err: 0, success: 1 });
    const scaled = metrics(scoreSolution(blindCalibration, observation, truth, { x: truth.x.map((v) => v / -2.5), d: truth.d.map((v) => v * -2.5) }));
    expect(scaled.nmse_db).toBeLessThan(-290);
    expect(scaled.success).toBe(1);
    const ones = metrics(scoreSolution(blindCalibration, observation, truth, { x: truth.x.map((v, i) => v + 0.3 * Math.sin(i)), d: new Float64Array(12).fill(1) }));
    expect(ones.nmse_db).toBeGreaterThan(-20);
    expect(ones.gain_err).toBeGreaterThan(0.1);
    expect(ones.success).toBe(0);
    const trivial = metrics(scoreSolution(blindCalibration, observation, truth, blindCalibration.trivialSolution!(observation)));
    expect(trivial.nmse_db).toBe(0);
  });

  test('scoring does not mutate its inputs', () => {
    const sol = { x: truth.x.slice(), d: truth.d.map((v) => 2 * v) };
    const before = toJsonText([observation, truth, sol]);
    scoreSolution(blindCalibration, observation, truth, sol);
    expect(toJsonText([observation, truth, sol])).toBe(before);
  });

  test('invalid solutions are invalid with a reason naming the field', () => {
    expect(scoreSolution(blindCalibration, observation, truth, { x: truth.x, d: new Float64Array(11) })).toMatchObject({
      status: 'invalid',
      field: 'solution.d',
      reason: 'solution.d has 11 entries, expected m = 12',
    });
    expect(scoreSolution(blindCalibration, observation, truth, { x: new Float64Array(15), d: truth.d })).toMatchObject({ status: 'invalid', field: 'solution.x' });
    expect(scoreSolution(blindCalibration, observation, truth, { x: truth.x, d: new Float64Array(12) })).toMatchObject({ status: 'invalid', field: 'solution.d', reason: expect.stringContaining('mean 0') });
    const x = truth.x.slice();
    x[1] = NaN;
    expect(scoreSolution(blindCalibration, observation, truth, { x, d: truth.d })).toMatchObject({ status: 'invalid', field: 'solution.x' });
  });

  test('the observation schema and checks reject a malformed observation, naming the field', () => {
    expect(() => assertObservation(blindCalibration, { ...observation, y: observation.y.slice(1) })).toThrow('observation.y has 2 snapshots, A has 3 matrices');
    expect(() => assertObservation(blindCalibration, { ...observation, A: [observation.A[0], Matrix.zeros(12, 15), observation.A[2]] })).toThrow('observation.A[1] is 12x15, expected 12x16');
    expect(() => assertObservation(blindCalibration, { ...observation, A: [] })).toThrow(/observation.A must NOT have fewer than 1 items/);
  });
});
