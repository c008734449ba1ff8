import { describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { ParsimonyError, assertObservation, generateInstance, matvec, scoreSolution, sparseRegression, svd, toJsonText } from '../../src/index.js';
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

describe('sparse-regression: instances without the factor-design params are unchanged', () => {
  // sha256 of toJsonText(observation) + toJsonText(truth), recorded before `design`, `factors`,
  // `factorNoise` and amplitudes 'cancelling' were added: existing suites keep byte-identical instances.
  test.each([
    [{}, 'fe3d78b6372c22d9'],
    [{ N: 60, d: 80, k: 4, nTest: 100, rho: 0.5, amplitudes: 'gaussian' }, '677837a4d3a9e78c'],
    [{ N: 60, d: 80, k: 4, nTest: 50, loss: 'logistic' }, 'f470154849b0224c'],
    [{ N: 60, d: 80, k: 4, nTest: 50, epsilon: 2 }, 'dded7ece7436c70c'],
  ] as const)('%j', (params, hash) => {
    const { observation, truth } = generateInstance(sparseRegression, params, ['golden', 1]);
    const h = createHash('sha256').update(toJsonText(observation)).update(toJsonText(truth)).digest('hex');
    expect(h.slice(0, 16)).toBe(hash);
  });
});

describe("sparse-regression: design 'factor' and amplitudes 'cancelling' (paper 30)", () => {
  const factor = { N: 200, d: 400, k: 8, nTest: 300, design: 'factor', factors: 2, factorNoise: 0.01, noiseStd: 0.1 } as const;
  /** ‖Û Ûᵀ v‖ / ‖v‖ with Û the top-r left singular vectors of X. */
  const topShare = (X: Parameters<typeof svd>[0], v: Float64Array, r: number) => {
    const { U } = svd(X);
    let s = 0;
    for (let t = 0; t < r; t++) {
      let ip = 0;
      for (let i = 0; i < X.rows; i++) ip += U.data[i * U.cols + t] * v[i];
      s += ip * ip;
    }
    return Math.sqrt(s) / Math.hypot(...v);
  };

  test('features have unit variance and r = factors dominant singular values (ill-conditioned)', () => {
    const { observation: o } = generateInstance(sparseRegression, { ...factor, N: 2000, d: 50, k: 3 }, [1]);
    for (let j = 0; j < 50; j++) {
      let s = 0;
      for (let i = 0; i < 2000; i++) s += o.X.data[i * 50 + j] ** 2;
      expect(s / 2000).toBeGreaterThan(0.85);
      expect(s / 2000).toBeLessThan(1.15);
    }
    const { s } = svd(generateInstance(sparseRegression, factor, [1]).observation.X);
    expect(s[1] / s[100]).toBeGreaterThan(100); // two dominant directions far above the bulk
    expect(s[0] / s[199]).toBeGreaterThan(1000);
  });

  test("'cancelling': w is k-sparse, (1/N)‖Xw‖² = 1, and Xw has (almost) nothing along the dominant directions", () => {
    const { observation: o, truth } = generateInstance(sparseRegression, { ...factor, amplitudes: 'cancelling' }, [2]);
    expect(truth.w.filter((v) => v !== 0).length).toBe(8);
    const z = matvec(o.X, truth.w);
    expect(z.reduce((s, v) => s + v * v, 0) / 200).toBeCloseTo(1, 12);
    expect(topShare(o.X, z, 2)).toBeLessThan(0.3); // a random vector of ℝ²⁰⁰ has √(2/200) = 0.1 there; gaussian amplitudes > 0.95
    // The held-out design shares the loadings, so the signal cancels there too: its power stays near 1.
    const zt = matvec(truth.Xtest, truth.w);
    const power = zt.reduce((s, v) => s + v * v, 0) / 300;
    expect(power).toBeGreaterThan(0.5);
    expect(power).toBeLessThan(2);
    // Large cancelling coefficients: ‖w‖₁ ~ 1/factorNoise.
    expect(truth.w.reduce((s, v) => s + Math.abs(v), 0)).toBeGreaterThan(50);
    assertObservation(sparseRegression, o);
  });

  test("gaussian amplitudes on the factor design: Xw lies mostly along the dominant directions (the control)", () => {
    const { observation: o, truth } = generateInstance(sparseRegression, { ...factor, amplitudes: 'gaussian' }, [2]);
    expect(topShare(o.X, matvec(o.X, truth.w), 2)).toBeGreaterThan(0.95);
  });

  test('same seed: byte-identical; bad combinations are errors naming the param', () => {
    const a = generateInstance(sparseRegression, { ...factor, amplitudes: 'cancelling' }, [3]);
    const b = generateInstance(sparseRegression, { ...factor, amplitudes: 'cancelling' }, [3]);
    expect(toJsonText(a)).toBe(toJsonText(b));
    expect(() => gen({ amplitudes: 'cancelling' })).toThrow("sparse-regression: params.amplitudes = 'cancelling' needs design = 'factor'");
    expect(() => gen({ design: 'factor', factors: 4, amplitudes: 'cancelling' })).toThrow('sparse-regression: params.k = 4 must exceed factors = 4');
    expect(() => gen({ design: 'factor', rho: 0.5 })).toThrow("sparse-regression: params.rho = 0.5 applies to design 'ar1' only");
    expect(() => gen({ design: 'factor', factorNoise: 0 })).toThrow(/params.factorNoise must be > 0/);
  });
});
