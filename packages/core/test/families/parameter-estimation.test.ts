import { describe, expect, test } from 'vitest';
import { Matrix, assertObservation, generateInstance, parameterEstimation, scoreSolution, toJsonText } from '../../src/index.js';
import { wrapAngle } from '../../src/families/parameter-estimation/index.js';

const small = { shape: [12, 10], paths: 3 };
const { shape: _shape, ...noShape } = small;
const gen = (params: object, seed = 1) => generateInstance(parameterEstimation, { ...small, ...params }, [seed]);
const metrics = (r: ReturnType<typeof scoreSolution>) => {
  if (r.status !== 'ok') throw new Error(`expected ok, got ${r.reason}`);
  return r.metrics;
};

describe('parameter-estimation generator', () => {
  test('same seed: byte-identical observation and truth; another seed differs', () => {
    const a = gen({}, 7), b = gen({}, 7), c = gen({}, 8);
    expect(toJsonText(a.observation)).toBe(toJsonText(b.observation));
    expect(toJsonText(a.truth)).toBe(toJsonText(b.truth));
    expect(toJsonText(a.observation)).not.toBe(toJsonText(c.observation));
  });

  test('defaults are the quick size: 32 x 32 samples, 4 paths, 20 dB', () => {
    const { observation: o, truth } = generateInstance(parameterEstimation, {}, [1]);
    expect([o.shape, o.re.length, o.paths, truth.frequencies.rows, truth.frequencies.cols]).toEqual([[32, 32], 1024, 4, 4, 2]);
    expect(o.noiseStd).toBeCloseTo(0.1, 12);
  });

  test('noiseless samples are the sum of the paths; sample (n1, n2) sits at n1 N2 + n2', () => {
    const { observation: o, truth } = gen({ snrDb: 'inf' });
    const [n1, n2] = [5, 7];
    let re = 0, im = 0;
    for (let l = 0; l < 3; l++) {
      const ph = truth.frequencies.data[l * 2] * n1 + truth.frequencies.data[l * 2 + 1] * n2;
      re += truth.gainsRe[l] * Math.cos(ph) - truth.gainsIm[l] * Math.sin(ph);
      im += truth.gainsRe[l] * Math.sin(ph) + truth.gainsIm[l] * Math.cos(ph);
    }
    expect(o.re[n1 * 10 + n2]).toBeCloseTo(re, 12);
    expect(o.im[n1 * 10 + n2]).toBeCloseTo(im, 12);
  });

  test('paths are separated by a DFT bin in some dimension; close-pair puts two paths half a bin apart', () => {
    const { truth } = gen({ paths: 6, shape: [8, 8] });
    const f = truth.frequencies;
    for (let a = 0; a < 6; a++)
      for (let b = 0; b < a; b++) {
        const sep = Math.max(...[0, 1].map((r) => Math.abs(wrapAngle(f.data[a * 2 + r] - f.data[b * 2 + r])) / ((2 * Math.PI) / 8)));
        expect(sep).toBeGreaterThanOrEqual(1);
      }
    const pair = gen({ layout: 'close-pair', paths: 2 }).truth.frequencies;
    expect(wrapAngle(pair.data[2] - pair.data[0])).toBeCloseTo((0.5 * 2 * Math.PI) / 12, 12);
    expect(pair.data[3]).toBe(pair.data[1]);
  });

  test('1D and 3D grids work', () => {
    expect(generateInstance(parameterEstimation, { ...noShape, n: 64, dims: 1 }, [1]).observation.re.length).toBe(64);
    const o = gen({ shape: [4, 5, 6], paths: 2 }).observation;
    expect(o.re.length).toBe(120);
    assertObservation(parameterEstimation, o);
  });

  test('bad params are errors naming the param', () => {
    expect(() => gen({ layout: 'close-pair' })).toThrow("parameter-estimation: params.paths = 3 must be 2 for layout 'close-pair'");
    expect(() => gen({ shape: [4], paths: 5 })).toThrow(/params.minSeparation = 1 bins cannot fit 5 paths/);
    expect(() => gen({ shape: [] })).toThrow(/params.shape must NOT have fewer than 1 items/);
    expect(() => gen({ shape: [1, 4] })).toThrow(/params.shape\[0\] must be >= 2/);
    expect(() => gen({ dims: 5 })).toThrow(/params.dims must be <= 4/);
  });

  test('presets: quick is the default; the scale ladder grows', () => {
    expect(parameterEstimation.presets.quick).toEqual({ n: 32, dims: 2, paths: 4, snrDb: 20 });
    const ns = parameterEstimation.presets.scale.map((p) => p.n!);
    expect(ns.length).toBeGreaterThanOrEqual(4);
    expect(ns).toEqual([...ns].sort((a, b) => a - b));
  });
});

describe('parameter-estimation scoring', () => {
  const { observation, truth } = gen({});

  test('the truth scores 0 in any order and modulo 2π; a shifted estimate scores worse', () => {
    expect(metrics(scoreSolution(parameterEstimation, observation, truth, { frequencies: truth.frequencies }))).toEqual({ param_rmse: 0, detected: 1 });
    const rows = Matrix.toRows(truth.frequencies);
    const shuffled = Matrix.fromRows([rows[2], rows[0].map((v) => v + 2 * Math.PI), rows[1]]);
    const r = metrics(scoreSolution(parameterEstimation, observation, truth, { frequencies: shuffled }));
    expect(r.param_rmse).toBeLessThan(1e-12);
    expect(r.detected).toBe(1);
    const off = Matrix.fromRows(rows.map((row) => row.map((v) => v + 0.2)));
    const w = metrics(scoreSolution(parameterEstimation, observation, truth, { frequencies: off }));
    expect(w.param_rmse).toBeCloseTo(0.2, 9);
    expect(w.detected).toBe(0);
  });

  test('huge but finite estimates still give a finite score', () => {
    const r = metrics(scoreSolution(parameterEstimation, observation, truth, { frequencies: Matrix.fromRows([[1e300, -1e300], [1e-300, 3], [7, 8]]) }));
    expect(r.param_rmse).toBeLessThanOrEqual(Math.PI);
  });

  test('scoring does not mutate its inputs', () => {
    const sol = { frequencies: Matrix.clone(truth.frequencies) };
    const before = toJsonText([observation, truth, sol]);
    scoreSolution(parameterEstimation, observation, truth, sol);
    expect(toJsonText([observation, truth, sol])).toBe(before);
  });

  test('invalid solutions are invalid with a reason naming the field', () => {
    expect(scoreSolution(parameterEstimation, observation, truth, { frequencies: Matrix.zeros(2, 2) })).toMatchObject({
      status: 'invalid',
      field: 'solution.frequencies',
      reason: 'solution.frequencies is 2x2, expected 3x2',
    });
    const f = Matrix.clone(truth.frequencies);
    f.data[0] = NaN;
    expect(scoreSolution(parameterEstimation, observation, truth, { frequencies: f })).toMatchObject({ status: 'invalid', field: 'solution.frequencies' });
    expect(scoreSolution(parameterEstimation, observation, truth, { frequencies: truth.frequencies, gains: [] })).toMatchObject({ status: 'invalid', field: 'solution.gains' });
  });

  test('the observation schema and checks reject a malformed observation, naming the field', () => {
    expect(() => assertObservation(parameterEstimation, { ...observation, im: observation.im.subarray(1) })).toThrow('observation.im has 119 entries, expected Π shape = 120');
    expect(() => assertObservation(parameterEstimation, { ...observation, paths: 0 })).toThrow('observation.paths must be >= 1 (got 0)');
  });
});
