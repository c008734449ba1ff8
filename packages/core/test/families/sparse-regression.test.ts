import { describe, expect, test } from 'vitest';
import { ParsimonyError, assertObservation, generateInstance, matvec, scoreSolution, sparseRegression, toJsonText } from '../../src/index.js';
import { sparseRegressionObjective } from '../../src/families/sparse-regression/index.js';

const small = { N: 60, d: 80, k: 4, nTest: 100 };
const gen = (params: object, seed = 1) => generateInstance(sparseRegression, { ...small, ...params }, [seed]);
const metrics = (r: ReturnType<typeof scoreSolution>) => {
  if (r.status !== 'ok') throw new Error(`expected ok, got ${r.reason}`);
  return r.metrics;
};

describe('sparse-regression generator', () => {
  test('same seed: byte-identical observation and truth; another seed differs', () => {
    const a = gen({}, 7), b = gen({}, 7), c = gen({}, 8);
    expect(toJsonText(a.observation)).toBe(toJsonText(b.observation));
    expect(toJsonText(a.truth)).toBe(toJsonText(b.truth));
    expect(toJsonText(a.observation)).not.toBe(toJsonText(c.observation));
  });

  test('defaults are the quick size: X 200x500, w 10-sparse with ±1 entries', () => {
    const { observation: o, truth } = generateInstance(sparseRegression, {}, [1]);
    expect([o.X.rows, o.X.cols, o.y.length, o.k, o.loss]).toEqual([200, 500, 200, 10, 'squared']);
    expect(truth.w.filter((v) => v !== 0).length).toBe(10);
    expect(truth.w.every((v) => v === 0 || Math.abs(v) === 1)).toBe(true);
    expect([truth.Xtest.rows, truth.Xtest.cols, truth.ytest.length]).toEqual([500, 500, 500]);
    assertObservation(sparseRegression, o);
  });

  test('squared loss: y - X w is the noise, with the requested std', () => {
    const { observation: o, truth } = gen({ N: 2000, d: 10, k: 3, noiseStd: 0.5 });
    const r = matvec(o.X, truth.w).map((v, i) => o.y[i] - v);
    const std = Math.sqrt(r.reduce((s, v) => s + v * v, 0) / r.length);
    expect(std).toBeGreaterThan(0.45);
    expect(std).toBeLessThan(0.55);
  });

  test('rho correlates neighbouring features', () => {
    const { observation: o } = gen({ N: 3000, d: 4, k: 1, rho: 0.8 });
    let c = 0;
    for (let i = 0; i < o.X.rows; i++) c += o.X.data[i * 4] * o.X.data[i * 4 + 1];
    expect(c / o.X.rows).toBeCloseTo(0.8, 1);
  });

  test('logistic loss gives ±1 labels that agree with the sign of xᵀw most of the time', () => {
    const { observation: o, truth } = gen({ loss: 'logistic', N: 500 });
    expect(o.y.every((v) => v === 1 || v === -1)).toBe(true);
    const z = matvec(o.X, truth.w);
    const agree = z.filter((v, i) => Math.sign(v) === o.y[i]).length / z.length;
    expect(agree).toBeGreaterThan(0.7);
    assertObservation(sparseRegression, o);
  });

  test('epsilon: the solver sees clipped, privatized data; the test set stays clean', () => {
    const clean = gen({}, 3), priv = gen({ epsilon: 2 }, 3);
    expect(priv.observation.epsilon).toBe(2);
    expect(priv.observation.privacy).toMatchObject({ mechanism: 'gaussian-input', delta: 1e-5 });
    const p = priv.observation.privacy!;
    // Gaussian mechanism: σ = 2√(d τx² + τy²)·√(2 ln(1.25/δ)) / ε
    expect(p.noiseStd).toBeCloseTo((2 * Math.sqrt(80 * p.clipX ** 2 + p.clipY ** 2) * Math.sqrt(2 * Math.log(1.25e5))) / 2, 9);
    expect(toJsonText(priv.truth)).toBe(toJsonText(clean.truth));
    expect(toJsonText(priv.observation.X)).not.toBe(toJsonText(clean.observation.X));
    assertObservation(sparseRegression, priv.observation);
  });

  test('bad params are errors naming the param', () => {
    expect(() => gen({ k: 81 })).toThrow('sparse-regression: params.k = 81 exceeds d = 80');
    expect(() => gen({ loss: 'hinge' })).toThrow(/params.loss must be/);
    expect(() => gen({ rho: 1 })).toThrow(/params.rho must be < 1/);
    expect(() => gen({ epsilon: 0 })).toThrow(ParsimonyError);
  });

  test('presets: quick is the default; the scale ladder grows', () => {
    expect(sparseRegression.presets.quick).toEqual({ N: 200, d: 500, k: 10 });
    const ds = sparseRegression.presets.scale.map((p) => p.d!);
    expect(ds.length).toBeGreaterThanOrEqual(4);
    expect(ds).toEqual([...ds].sort((a, b) => a - b));
  });
});

describe('sparse-regression scoring', () => {
  const { observation, truth } = gen({});

  test('the truth scores ideally; zero and shifted weights score worse', () => {
    const ideal = metrics(scoreSolution(sparseRegression, observation, truth, { w: truth.w, iterations: 3 }));
    expect(ideal).toMatchObject({ pred_mse: 0, est_err: 0, support_f1: 1, iterations: 3 });
    const shifted = new Float64Array(80);
    truth.w.forEach((v, i) => (shifted[(i + 1) % 80] = v));
    const wrong = metrics(scoreSolution(sparseRegression, observation, truth, { w: shifted }));
    expect(wrong.pred_mse).toBeGreaterThan(1);
    expect(wrong.support_f1).toBeLessThan(0.5);
    expect(wrong.iterations).toBe(0);
    const zero = metrics(scoreSolution(sparseRegression, observation, truth, sparseRegression.trivialSolution!(observation)));
    expect(zero.est_err).toBe(1);
  });

  test('an intercept enters pred_mse and the objective', () => {
    const r = metrics(scoreSolution(sparseRegression, observation, truth, { w: truth.w, b: 2 }));
    expect(r.pred_mse).toBeCloseTo(4, 12);
    expect(r.objective).toBeGreaterThan(sparseRegressionObjective(observation, truth.w));
  });

  test('objective is the Lasso objective at ŵ', () => {
    const zero = new Float64Array(80);
    const yy = observation.y.reduce((s, v) => s + v * v, 0);
    expect(sparseRegressionObjective(observation, zero)).toBeCloseTo(yy / (2 * 60), 12);
    const logistic = gen({ loss: 'logistic' }).observation;
    expect(sparseRegressionObjective(logistic, zero)).toBeCloseTo(Math.log(2), 12);
  });

  test('absurd but finite solutions score badly, never non-finite', () => {
    const w = new Float64Array(80).fill(1e200);
    const r = metrics(scoreSolution(sparseRegression, observation, truth, { w }));
    expect(r.pred_mse).toBe(1e300);
    expect(Number.isFinite(r.est_err)).toBe(true);
  });

  test('scoring does not mutate its inputs', () => {
    const w = truth.w.slice();
    const before = toJsonText([observation, truth, w]);
    scoreSolution(sparseRegression, observation, truth, { w, b: 1 });
    expect(toJsonText([observation, truth, w])).toBe(before);
  });

  test('invalid solutions are invalid with a reason naming the field', () => {
    const short = scoreSolution(sparseRegression, observation, truth, { w: new Float64Array(79) });
    expect(short).toMatchObject({ status: 'invalid', field: 'solution.w', reason: 'solution.w has 79 entries, expected d = 80' });
    const nan = new Float64Array(80);
    nan[3] = NaN;
    expect(scoreSolution(sparseRegression, observation, truth, { w: nan })).toMatchObject({ status: 'invalid', field: 'solution.w' });
    expect(scoreSolution(sparseRegression, observation, truth, { w: truth.w, b: Infinity })).toMatchObject({ status: 'invalid', field: 'solution.b' });
    expect(scoreSolution(sparseRegression, observation, truth, { w: truth.w, iterations: -1 })).toMatchObject({ status: 'invalid', field: 'solution.iterations' });
  });

  test('the observation schema and checks reject a malformed observation, naming the field', () => {
    expect(() => assertObservation(sparseRegression, { ...observation, y: new Float64Array(59) })).toThrow('observation.y has 59 entries, X has 60 rows');
    expect(() => assertObservation(sparseRegression, { ...observation, lambda: 0 })).toThrow(/observation.lambda must be > 0/);
    expect(() => assertObservation(sparseRegression, { ...observation, loss: 'logistic' })).toThrow(/observation.y\[0\] = .*logistic labels must be -1 or \+1/);
  });
});

test('observations from elsewhere may omit loss and lambda: squared loss and the default λ rule apply', () => {
  const { observation } = generateInstance(sparseRegression, { N: 60, d: 80, k: 4, nTest: 10 }, [1]);
  const { loss: _l, lambda: _λ, ...bare } = observation;
  assertObservation(sparseRegression, bare);
  const w = new Float64Array(80).fill(0.1);
  expect(sparseRegressionObjective(bare, w)).toBeCloseTo(sparseRegressionObjective(observation, w), 12);
});
