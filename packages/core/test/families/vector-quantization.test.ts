import { describe, expect, test } from 'vitest';
import { Matrix, assertObservation, generateInstance, nrm2, scoreSolution, toJsonText, vectorQuantization } from '../../src/index.js';

const small = { N: 300, d: 32, nQueries: 40 };
const gen = (params: object, seed = 1) => generateInstance(vectorQuantization, { ...small, ...params }, [seed]);
const metrics = (r: ReturnType<typeof scoreSolution>) => {
  if (r.status !== 'ok') throw new Error(`expected ok, got ${r.reason}`);
  return r.metrics;
};
/** 1-bit sign quantizer for unit vectors: x̂_j = sign(x_j)·E|x_j|, E|x_j| ≈ √(2/(π d)). */
function signQuantize(X: Matrix): Matrix {
  const c = Math.sqrt(2 / (Math.PI * X.cols));
  return { rows: X.rows, cols: X.cols, data: X.data.map((v) => (v < 0 ? -c : c)) };
}

describe('vector-quantization generator', () => {
  test('same seed: byte-identical observation and truth; another seed differs', () => {
    const a = gen({}, 7), b = gen({}, 7), c = gen({}, 8);
    expect(toJsonText(a.observation)).toBe(toJsonText(b.observation));
    expect(toJsonText(a.truth)).toBe(toJsonText(b.truth));
    expect(toJsonText(a.observation)).not.toBe(toJsonText(c.observation));
  });

  test('defaults are the quick size: 2000 unit vectors of dimension 128, b = 2, queries hidden for mse', () => {
    const { observation: o, truth } = generateInstance(vectorQuantization, {}, [1]);
    expect([o.X.rows, o.X.cols, o.bits, o.target, o.online, o.queries]).toEqual([2000, 128, 2, 'mse', true, undefined]);
    expect(nrm2(Matrix.row(o.X, 5))).toBeCloseTo(1, 12);
    expect([truth.queries.rows, truth.queries.cols]).toEqual([200, 128]);
  });

  test('inner-product tasks show the queries; kv vectors have 4 outlier channels', () => {
    const { observation: o, truth } = gen({ target: 'inner-product', distribution: 'kv', N: 2000 });
    expect(toJsonText(o.queries)).toBe(toJsonText(truth.queries));
    assertObservation(vectorQuantization, o);
    const power = new Float64Array(32);
    for (let i = 0; i < o.X.rows; i++) for (let j = 0; j < 32; j++) power[j] += o.X.data[i * 32 + j] ** 2;
    const sorted = Array.from(power).sort((a, b) => b - a);
    expect(sorted[3] / sorted[4]).toBeGreaterThan(30);
  });

  test('bad params are errors naming the param', () => {
    expect(() => gen({ bits: 0 })).toThrow(/params.bits must be >= 1/);
    expect(() => gen({ target: 'cosine' })).toThrow(/params.target must be/);
    expect(() => gen({ d: 1 })).toThrow(/params.d must be >= 2/);
  });

  test('presets: quick is the default; the scale ladder grows', () => {
    expect(vectorQuantization.presets.quick).toEqual({ N: 2000, d: 128, bits: 2 });
    const ds = vectorQuantization.presets.scale.map((p) => p.d!);
    expect(ds.length).toBeGreaterThanOrEqual(4);
    expect(ds).toEqual([...ds].sort((a, b) => a - b));
  });
});

describe('vector-quantization scoring', () => {
  const { observation, truth } = gen({ bits: 1, N: 1000 });

  test('exact vectors score 0, zeros score mse 1, a 1-bit sign quantizer scores 1 - 2/π', () => {
    expect(metrics(scoreSolution(vectorQuantization, observation, truth, { Xhat: observation.X, codeBits: 32_000 }))).toEqual({
      mse: 0,
      ip_err: 0,
      ip_bias: 0,
      ratio_to_lower_bound: 0,
      bits_per_coord: 1,
    });
    const zero = metrics(scoreSolution(vectorQuantization, observation, truth, vectorQuantization.trivialSolution!(observation)));
    expect(zero).toMatchObject({ mse: 1, ip_bias: 1, ratio_to_lower_bound: 4, bits_per_coord: 0 });
    const sign = metrics(scoreSolution(vectorQuantization, observation, truth, { Xhat: signQuantize(observation.X), codeBits: 32_000 }));
    expect(sign.mse).toBeCloseTo(1 - 2 / Math.PI, 1);
    expect(sign.ratio_to_lower_bound).toBeGreaterThan(1);
    expect(sign.ip_bias).toBeCloseTo(1 - 2 / Math.PI, 1);
    expect(sign.ip_err).toBeGreaterThan(0);
  });

  test('scoring does not mutate its inputs', () => {
    const sol = { Xhat: signQuantize(observation.X), codeBits: 10 };
    const before = toJsonText([observation, truth, sol]);
    scoreSolution(vectorQuantization, observation, truth, sol);
    expect(toJsonText([observation, truth, sol])).toBe(before);
  });

  test('invalid solutions are invalid with a reason naming the field', () => {
    expect(scoreSolution(vectorQuantization, observation, truth, { Xhat: observation.X, codeBits: 32_001 })).toMatchObject({
      status: 'invalid',
      field: 'solution.codeBits',
      reason: 'solution.codeBits = 32001 exceeds the budget b·N·d = 1·1000·32 = 32000',
    });
    expect(scoreSolution(vectorQuantization, observation, truth, { Xhat: Matrix.zeros(999, 32), codeBits: 0 })).toMatchObject({ status: 'invalid', field: 'solution.Xhat' });
    const Xhat = Matrix.clone(observation.X);
    Xhat.data[7] = NaN;
    expect(scoreSolution(vectorQuantization, observation, truth, { Xhat, codeBits: 0 })).toMatchObject({ status: 'invalid', field: 'solution.Xhat' });
    expect(scoreSolution(vectorQuantization, observation, truth, { Xhat: observation.X, codeBits: Infinity })).toMatchObject({ status: 'invalid', field: 'solution.codeBits' });
  });

  test('the observation schema and checks reject a malformed observation, naming the field', () => {
    expect(() => assertObservation(vectorQuantization, { ...observation, target: 'inner-product' })).toThrow('observation.queries is required when target is "inner-product"');
    expect(() => assertObservation(vectorQuantization, { ...observation, bits: 0.5 })).toThrow(/observation.bits must be integer/);
  });
});

describe('vector-quantization fractional budgets (paper 37: 2.5 and 3.5 bits)', () => {
  test('b = 2.5: observation.bits is ⌊b⌋ and bitBudget carries b; integer b has no bitBudget', () => {
    const { observation: o } = gen({ bits: 2.5 });
    expect([o.bits, o.bitBudget]).toEqual([2, 2.5]);
    assertObservation(vectorQuantization, o);
    expect('bitBudget' in gen({ bits: 3 }).observation).toBe(false);
  });

  test('the instance is the same as at the integer budget: only the budget changes', () => {
    const a = gen({ bits: 3.5 }, 4).observation, b = gen({ bits: 3 }, 4).observation;
    expect(toJsonText(a.X)).toBe(toJsonText(b.X));
  });

  test('the budget is ⌊b·N·d⌋ bits and the lower-bound ratio uses b', () => {
    const { observation, truth } = gen({ bits: 2.5, N: 10, d: 3, nQueries: 5 });
    expect(metrics(scoreSolution(vectorQuantization, observation, truth, { Xhat: observation.X, codeBits: 75 })).bits_per_coord).toBe(2.5);
    expect(scoreSolution(vectorQuantization, observation, truth, { Xhat: observation.X, codeBits: 76 })).toMatchObject({
      status: 'invalid',
      field: 'solution.codeBits',
      reason: 'solution.codeBits = 76 exceeds the budget b·N·d = 2.5·10·3 = 75',
    });
    const zero = metrics(scoreSolution(vectorQuantization, observation, truth, vectorQuantization.trivialSolution!(observation)));
    expect(zero.ratio_to_lower_bound).toBeCloseTo(Math.pow(4, 2.5), 12);
  });

  test('bits must be a multiple of 1/2; a bitBudget inconsistent with bits is refused', () => {
    expect(() => gen({ bits: 2.25 })).toThrow(/params.bits must be multiple of 0.5/);
    const { observation } = gen({ bits: 2.5 });
    expect(() => assertObservation(vectorQuantization, { ...observation, bits: 3 })).toThrow('observation.bitBudget = 2.5 must be fractional with bits = ⌊bitBudget⌋ (bits is 3)');
    expect(() => assertObservation(vectorQuantization, { ...observation, bitBudget: 3 })).toThrow(/observation.bitBudget = 3 must be fractional/);
  });
});
