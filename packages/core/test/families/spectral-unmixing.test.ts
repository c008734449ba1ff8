import { describe, expect, test } from 'vitest';
import { Matrix, assertObservation, generateInstance, scoreSolution, spectralUnmixing, toJsonText } from '../../src/index.js';

const small = { bands: 40, endmembers: 6, active: 3, N: 100 };
const gen = (params: object, seed = 1) => generateInstance(spectralUnmixing, { ...small, ...params }, [seed]);
const metrics = (r: ReturnType<typeof scoreSolution>) => {
  if (r.status !== 'ok') throw new Error(`expected ok, got ${r.reason}`);
  return r.metrics;
};
/** Columns (E) or rows (S) reordered: out[k] = in[perm[k]]. */
const permuteCols = (a: Matrix, perm: number[]) => Matrix.fromRows(Matrix.toRows(a).map((r) => perm.map((k) => r[k])));
const permuteRows = (a: Matrix, perm: number[]) => Matrix.fromRows(perm.map((k) => Matrix.toRows(a)[k]));

describe('spectral-unmixing generator', () => {
  test('same seed: byte-identical observation and truth; another seed differs', () => {
    const a = gen({}, 7), b = gen({}, 7), c = gen({}, 8);
    expect(toJsonText(a.observation)).toBe(toJsonText(b.observation));
    expect(toJsonText(a.truth)).toBe(toJsonText(b.truth));
    expect(toJsonText(a.observation)).not.toBe(toJsonText(c.observation));
  });

  test('defaults are the quick size; abundances are nonnegative, sum to 1 and have 3 nonzeros per pixel', () => {
    const { observation: o, truth } = generateInstance(spectralUnmixing, {}, [1]);
    expect([o.Y.rows, o.Y.cols, o.E!.cols, o.endmembers, o.active]).toEqual([100, 1000, 12, 12, 3]);
    for (let j = 0; j < 1000; j++) {
      const col = Array.from({ length: 12 }, (_, k) => truth.S.data[k * 1000 + j]);
      expect(col.every((v) => v >= 0)).toBe(true);
      expect(col.filter((v) => v > 0).length).toBe(3);
      expect(col.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    }
    expect(truth.E.data.every((v) => v >= 0.05 && v <= 1)).toBe(true);
  });

  test('without noise or outliers, Y = E S; outlier pixels break it only where placed', () => {
    const clean = gen({ snrDb: 'inf', outlierPixels: 0 });
    const o = clean.observation, S = clean.truth.S;
    for (let i = 0; i < 40; i += 7)
      for (let j = 0; j < 100; j += 9) {
        let v = 0;
        for (let k = 0; k < 6; k++) v += o.E!.data[i * 6 + k] * S.data[k * 100 + j];
        expect(o.Y.data[i * 100 + j]).toBeCloseTo(v, 12);
      }
    const dirty = gen({ snrDb: 'inf', outlierPixels: 0.1 }).observation;
    let changed = 0;
    for (let j = 0; j < 100; j++) if (Array.from({ length: 40 }, (_, i) => dirty.Y.data[i * 100 + j] !== o.Y.data[i * 100 + j]).some(Boolean)) changed++;
    expect(changed).toBe(10);
  });

  test('outlier bands: half are zeroed', () => {
    const { observation: o } = gen({ outlierBands: 0.1 });
    const zeroRows = Matrix.toRows(o.Y).filter((r) => r.every((v) => v === 0)).length;
    expect(zeroRows).toBe(2);
  });

  test('regions: a square image of nearly pure and mixed pixels; blind hides E', () => {
    const { observation: o, truth } = gen({ abundances: 'regions', N: 144, blind: true, endmembers: 4 });
    expect(o.imageShape).toEqual([12, 12]);
    expect(o.E).toBeUndefined();
    const maxes = Array.from({ length: 144 }, (_, j) => Math.max(...Array.from({ length: 4 }, (_, k) => truth.S.data[k * 144 + j])));
    expect(maxes.filter((m) => m > 0.9).length).toBeGreaterThan(10);
    expect(maxes.filter((m) => m < 0.8).length).toBeGreaterThan(10);
    assertObservation(spectralUnmixing, o);
  });

  test('bad params are errors naming the param', () => {
    expect(() => gen({ active: 7 })).toThrow('spectral-unmixing: params.active = 7 exceeds the 6 endmembers');
    expect(() => gen({ abundances: 'regions', N: 99 })).toThrow("params.N = 99 must be a perfect square (image side²) for abundances 'regions'");
    expect(() => gen({ outlierPixels: 2 })).toThrow(/params.outlierPixels must be <= 1/);
  });

  test('presets: quick is the default; the scale ladder grows', () => {
    expect(spectralUnmixing.presets.quick).toEqual({ bands: 100, endmembers: 12, active: 3, N: 1000 });
    const ns = spectralUnmixing.presets.scale.map((p) => p.N!);
    expect(ns.length).toBeGreaterThanOrEqual(4);
    expect(ns).toEqual([...ns].sort((a, b) => a - b));
  });
});

describe('spectral-unmixing scoring', () => {
  const { observation, truth } = gen({});

  test('the true abundances score abundance_rmse 0; equal abundances score worse', () => {
    expect(metrics(scoreSolution(spectralUnmixing, observation, truth, { S: truth.S }))).toEqual({ abundance_rmse: 0, sre_db: 300, sad: 0 });
    const flat = metrics(scoreSolution(spectralUnmixing, observation, truth, spectralUnmixing.trivialSolution!(observation)));
    expect(flat.abundance_rmse).toBeGreaterThan(0.1);
    expect(flat.sre_db).toBeLessThan(5);
  });

  test('blind: endmembers are matched by spectral angle before the abundances are compared', () => {
    const blind = gen({ blind: true });
    const perm = [3, 0, 5, 1, 4, 2];
    const E = permuteCols(blind.truth.E, perm), S = permuteRows(blind.truth.S, perm);
    expect(metrics(scoreSolution(spectralUnmixing, blind.observation, blind.truth, { S, E }))).toEqual({ abundance_rmse: 0, sre_db: 300, sad: 0 });
    const unmatched = metrics(scoreSolution(spectralUnmixing, blind.observation, blind.truth, { S, E: blind.truth.E }));
    expect(unmatched.abundance_rmse).toBeGreaterThan(0.1);
    const trivial = metrics(scoreSolution(spectralUnmixing, blind.observation, blind.truth, spectralUnmixing.trivialSolution!(blind.observation)));
    expect(trivial.sad).toBeGreaterThan(0);
  });

  test('scoring does not mutate its inputs', () => {
    const sol = { S: Matrix.clone(truth.S) };
    const before = toJsonText([observation, truth, sol]);
    scoreSolution(spectralUnmixing, observation, truth, sol);
    expect(toJsonText([observation, truth, sol])).toBe(before);
  });

  test('invalid solutions are invalid with a reason naming the field', () => {
    expect(scoreSolution(spectralUnmixing, observation, truth, { S: Matrix.zeros(5, 100) })).toMatchObject({
      status: 'invalid',
      field: 'solution.S',
      reason: 'solution.S is 5x100, expected 6x100',
    });
    const S = Matrix.clone(truth.S);
    S.data[3] = -Infinity;
    expect(scoreSolution(spectralUnmixing, observation, truth, { S })).toMatchObject({ status: 'invalid', field: 'solution.S' });
    const blind = gen({ blind: true });
    expect(scoreSolution(spectralUnmixing, blind.observation, blind.truth, { S: truth.S })).toMatchObject({ status: 'invalid', field: 'solution.E' });
    expect(scoreSolution(spectralUnmixing, blind.observation, blind.truth, { S: truth.S, E: Matrix.zeros(40, 5) })).toMatchObject({ status: 'invalid', field: 'solution.E' });
  });

  test('the observation schema and checks reject a malformed observation, naming the field', () => {
    expect(() => assertObservation(spectralUnmixing, { ...observation, E: Matrix.zeros(39, 6) })).toThrow('observation.E has 39 rows (bands), Y has 40');
    expect(() => assertObservation(spectralUnmixing, { ...observation, endmembers: 5 })).toThrow('observation.endmembers = 5, E has 6 columns');
    expect(() => assertObservation(spectralUnmixing, { ...observation, Y: { rows: 40, cols: 100, data: [] } })).toThrow(/observation.Y .data must be a Float64Array/);
  });
});
