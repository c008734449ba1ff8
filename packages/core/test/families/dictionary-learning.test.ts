import { describe, expect, test } from 'vitest';
import { Matrix, assertObservation, createRng, dictionaryLearning, generateInstance, scoreSolution, toJsonText } from '../../src/index.js';
import { l4Err, ompCode } from '../../src/families/dictionary-learning/index.js';

const small = { n: 8, K: 12, N: 200, k: 2 };
const gen = (params: object, seed = 1) => generateInstance(dictionaryLearning, { ...small, ...params }, [seed]);
const metrics = (r: ReturnType<typeof scoreSolution>) => {
  if (r.status !== 'ok') throw new Error(`expected ok, got ${r.reason}`);
  return r.metrics;
};
const col = (A: Matrix, j: number) => Matrix.column(A, j);
const dotv = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i], 0);

describe('dictionary-learning generator', () => {
  test('same seed: byte-identical observation and truth; another seed differs', () => {
    const a = gen({}, 7), b = gen({}, 7), c = gen({}, 8);
    expect(toJsonText(a.observation)).toBe(toJsonText(b.observation));
    expect(toJsonText(a.truth)).toBe(toJsonText(b.truth));
    expect(toJsonText(a.observation)).not.toBe(toJsonText(c.observation));
  });

  test('defaults are the quick size: Y 32 x 2000, 64 unit atoms, 3 nonzeros per code', () => {
    const { observation: o, truth } = generateInstance(dictionaryLearning, {}, [1]);
    expect([o.Y.rows, o.Y.cols, o.atoms, o.k, truth.D.cols]).toEqual([32, 2000, 64, 3, 64]);
    for (let a = 0; a < 64; a += 9) expect(dotv(col(truth.D, a), col(truth.D, a))).toBeCloseTo(1, 12);
    for (let j = 0; j < 2000; j += 97) expect(col(truth.X, j).filter((v) => v !== 0).length).toBe(3);
  });

  test('noiseless data is Y = D X exactly', () => {
    const { observation: o, truth } = gen({ snrDb: 'inf' });
    const j = 17;
    const y = new Float64Array(8);
    for (let a = 0; a < 12; a++) for (let i = 0; i < 8; i++) y[i] += truth.D.data[i * 12 + a] * truth.X.data[a * 200 + j];
    y.forEach((v, i) => expect(o.Y.data[i * 200 + j]).toBeCloseTo(v, 12));
  });

  test('orthogonal: D is orthogonal with K = n; theta gives Bernoulli-Gaussian codes', () => {
    const { observation: o, truth } = gen({ orthogonal: true, K: undefined, theta: 0.3 });
    expect([o.atoms, o.orthogonal]).toEqual([8, true]);
    for (let a = 0; a < 8; a++) for (let b = 0; b < 8; b++) expect(dotv(col(truth.D, a), col(truth.D, b))).toBeCloseTo(a === b ? 1 : 0, 12);
    const density = truth.X.data.filter((v) => v !== 0).length / truth.X.data.length;
    expect(density).toBeGreaterThan(0.2);
    expect(density).toBeLessThan(0.4);
  });

  test('hierarchical: parents with mutually exclusive children at 60°, atoms chosen by the solver', () => {
    const { observation: o, truth } = gen({ variant: 'hierarchical', K: undefined, n: 32, atoms: 32, k: 4, N: 400 });
    expect([truth.D.cols, o.atoms]).toEqual([20, 32]);
    expect(truth.parent!.slice(0, 6)).toEqual([-1, -1, -1, -1, 0, 0]);
    expect(dotv(col(truth.D, 4), col(truth.D, 0))).toBeCloseTo(0.5, 12);
    expect(dotv(col(truth.D, 4), col(truth.D, 5))).toBeCloseTo(0.25, 12);
    for (let j = 0; j < 400; j++) {
      const x = col(truth.X, j);
      for (let i = 0; i < 4; i++) {
        const kids = x.slice(4 + 4 * i, 8 + 4 * i).filter((v) => v !== 0).length;
        expect(kids).toBe(x[i] !== 0 ? 1 : 0);
      }
    }
  });

  test('coding-only: the dictionary is given', () => {
    const { observation: o, truth } = gen({ variant: 'coding-only' });
    expect(toJsonText(o.D)).toBe(toJsonText(truth.D));
    assertObservation(dictionaryLearning, o);
  });

  test('bad params are errors naming the param', () => {
    expect(() => gen({ orthogonal: true })).toThrow('dictionary-learning: params.K = 12 must equal n = 8 for an orthogonal dictionary');
    expect(() => gen({ variant: 'hierarchical', K: undefined })).toThrow('params.n = 8 is too small for 4 parents with 4 children each; need n >= 20');
    expect(() => gen({ k: 13 })).toThrow('params.k = 13 exceeds the 12 atoms');
    expect(() => gen({ variant: 'coding-only', atoms: 10 })).toThrow("params.atoms = 10 must equal K = 12 for variant 'coding-only'");
  });

  test('presets: quick is the default; the scale ladder grows', () => {
    expect(dictionaryLearning.presets.quick).toEqual({ n: 32, K: 64, N: 2000, k: 3 });
    const ns = dictionaryLearning.presets.scale.map((p) => p.n!);
    expect(ns.length).toBeGreaterThanOrEqual(4);
    expect(ns).toEqual([...ns].sort((a, b) => a - b));
  });
});

describe('dictionary-learning scoring', () => {
  const { observation, truth } = gen({ snrDb: 'inf' });

  test('the true dictionary scores ideally, in any order and sign; a random one scores worse', () => {
    expect(metrics(scoreSolution(dictionaryLearning, observation, truth, { D: truth.D, X: truth.X }))).toMatchObject({ atom_recovery: 1, atom_err: 0, rep_err: 0 });
    const perm = [5, 2, 11, 0, 7, 1, 3, 10, 4, 9, 6, 8];
    const D = Matrix.fromRows(Matrix.toRows(truth.D).map((r) => perm.map((a, t) => (t % 2 ? -1 : 1) * r[a])));
    const r = metrics(scoreSolution(dictionaryLearning, observation, truth, { D }));
    expect(r.atom_recovery).toBe(1);
    expect(r.atom_err).toBeLessThan(1e-12);
    expect(r.rep_err).toBeLessThan(0.3);
    expect(r.density).toBeLessThanOrEqual(2 / 12);
    const rng = createRng(5);
    const R = Matrix.zeros(8, 12);
    rng.fillNormal(R.data as Float64Array);
    const bad = metrics(scoreSolution(dictionaryLearning, observation, truth, { D: R }));
    expect(bad.atom_recovery).toBe(0);
    expect(bad.atom_err).toBeGreaterThan(0.1);
  });

  test('OMP codes with the true dictionary reconstruct noiseless data well', () => {
    const X = ompCode(truth.D, observation.Y, 2);
    expect(X.data.filter((v) => v !== 0).length).toBeLessThanOrEqual(400);
    const r = metrics(scoreSolution(dictionaryLearning, observation, truth, { D: truth.D }));
    expect(r.rep_err).toBeLessThan(0.3);
  });

  test('coding-only: codes above the matched density are invalid; the true codes score well', () => {
    const c = gen({ variant: 'coding-only' });
    const ok = metrics(scoreSolution(dictionaryLearning, c.observation, c.truth, { X: c.truth.X }));
    expect(ok.atom_recovery).toBe(1);
    expect(ok.rep_err).toBeLessThan(0.05);
    const dense = Matrix.clone(c.truth.X);
    dense.data.fill(0.01);
    expect(scoreSolution(dictionaryLearning, c.observation, c.truth, { X: dense })).toMatchObject({
      status: 'invalid',
      field: 'solution.X',
      reason: 'solution.X has 2400 nonzeros; the matched code density allows k·N = 2·200 = 400',
    });
    expect(scoreSolution(dictionaryLearning, c.observation, c.truth, { D: c.truth.D })).toMatchObject({ status: 'invalid', field: 'solution.X' });
  });

  test('orthogonal tasks reject a non-orthogonal dictionary', () => {
    const o = gen({ orthogonal: true, K: undefined });
    expect(scoreSolution(dictionaryLearning, o.observation, o.truth, { D: o.truth.D }).status).toBe('ok');
    const D = Matrix.clone(o.truth.D);
    D.data[0] += 1e-3;
    expect(scoreSolution(dictionaryLearning, o.observation, o.truth, { D })).toMatchObject({ status: 'invalid', field: 'solution.D', reason: expect.stringContaining('is not orthogonal') });
    expect(scoreSolution(dictionaryLearning, o.observation, o.truth, dictionaryLearning.trivialSolution!(o.observation)).status).toBe('ok');
  });

  test('child_cos averages the matched cosines of the leaves; fvu is the unexplained variance', () => {
    const h = gen({ variant: 'hierarchical', K: undefined, n: 32, atoms: 32, k: 4, N: 400, snrDb: 'inf' });
    const D = Matrix.zeros(32, 32);
    for (let i = 0; i < 32; i++) for (let a = 0; a < 20; a++) D.data[i * 32 + a] = h.truth.D.data[i * 20 + a];
    const X = Matrix.zeros(32, 400);
    X.data.set(h.truth.X.data);
    const ideal = metrics(scoreSolution(dictionaryLearning, h.observation, h.truth, { D, X }));
    expect(ideal.child_cos).toBeCloseTo(1, 12);
    expect(ideal.fvu).toBeLessThan(1e-20);
    // Children replaced by their parents (absorption): each child then matches at best cos 60° = 0.5.
    const P = Matrix.clone(D);
    for (let i = 0; i < 32; i++) for (let a = 4; a < 20; a++) P.data[i * 32 + a] = 0;
    const absorbed = metrics(scoreSolution(dictionaryLearning, h.observation, h.truth, { D: P }));
    expect(absorbed.child_cos).toBeLessThan(0.51);
    expect(absorbed.fvu).toBeGreaterThan(0.05);
    // Without a tree every atom is a leaf: child_cos = 1 - atom_err.
    const flat = metrics(scoreSolution(dictionaryLearning, observation, truth, { D: truth.D, X: truth.X }));
    expect(flat.child_cos).toBeCloseTo(1 - flat.atom_err, 12);
    expect(flat.fvu).toBe(0);
  });

  test('inferenceK: passed to the solver, bounds the codes per column, and sets the OMP budget of scoring', () => {
    const base = gen({});
    expect(base.observation.inferenceK).toBeUndefined();
    const a = gen({ inferenceK: 4 });
    expect(a.observation.inferenceK).toBe(4);
    expect(toJsonText(a.observation.Y)).toBe(toJsonText(base.observation.Y));
    expect(toJsonText(a.truth)).toBe(toJsonText(base.truth));
    expect(scoreSolution(dictionaryLearning, a.observation, a.truth, { D: a.truth.D, X: a.truth.X }).status).toBe('ok');
    const X = Matrix.clone(a.truth.X);
    for (let r = 0; r < 5; r++) X.data[r * 200 + 3] = 1;
    expect(scoreSolution(dictionaryLearning, a.observation, a.truth, { D: a.truth.D, X })).toMatchObject({ status: 'invalid', field: 'solution.X', reason: expect.stringContaining('column 3 has') });
    const one = gen({ inferenceK: 1, snrDb: 'inf' }), two = gen({ inferenceK: 2, snrDb: 'inf' });
    const d1 = metrics(scoreSolution(dictionaryLearning, one.observation, one.truth, { D: one.truth.D })).density;
    const d2 = metrics(scoreSolution(dictionaryLearning, two.observation, two.truth, { D: two.truth.D })).density;
    expect(d1).toBeCloseTo(1 / 12, 12);
    expect(d2).toBeCloseTo(2 / 12, 12);
  });

  test('l4_err is 1 - ||D̂ᵀD||₄⁴ / n for orthogonal dictionaries: 0 at any signed permutation, larger away from it', () => {
    const o = gen({ orthogonal: true, K: undefined, theta: 0.3 });
    const D = o.truth.D;
    expect(l4Err(D, D)).toBeLessThan(1e-12);
    const perm = [3, 0, 7, 1, 6, 2, 5, 4];
    const P = Matrix.fromRows(Matrix.toRows(D).map((r) => perm.map((a, t) => (t % 3 ? 1 : -1) * r[a])));
    const r = metrics(scoreSolution(dictionaryLearning, o.observation, o.truth, { D: P }));
    expect(r.l4_err).toBeLessThan(1e-12);
    // The identity against a Haar-random D: 1 - Σ D_ij⁴ / n, computed by hand.
    let s = 0;
    for (const v of D.data) s += v ** 4;
    const eye = metrics(scoreSolution(dictionaryLearning, o.observation, o.truth, dictionaryLearning.trivialSolution!(o.observation)));
    expect(eye.l4_err).toBeCloseTo(1 - s / 8, 12);
    expect(eye.l4_err).toBeGreaterThan(0.3);
  });

  test('scoring does not mutate its inputs', () => {
    const sol = { D: Matrix.clone(truth.D) };
    const before = toJsonText([observation, truth, sol]);
    scoreSolution(dictionaryLearning, observation, truth, sol);
    expect(toJsonText([observation, truth, sol])).toBe(before);
  });

  test('invalid solutions are invalid with a reason naming the field', () => {
    expect(scoreSolution(dictionaryLearning, observation, truth, { D: Matrix.zeros(8, 11) })).toMatchObject({ status: 'invalid', field: 'solution.D', reason: 'solution.D is 8x11, expected 8x12' });
    expect(scoreSolution(dictionaryLearning, observation, truth, { D: truth.D, X: Matrix.zeros(12, 199) })).toMatchObject({ status: 'invalid', field: 'solution.X' });
    expect(scoreSolution(dictionaryLearning, observation, truth, {})).toMatchObject({ status: 'invalid', field: 'solution.D' });
    const D = Matrix.clone(truth.D);
    D.data[5] = Infinity;
    expect(scoreSolution(dictionaryLearning, observation, truth, { D })).toMatchObject({ status: 'invalid', field: 'solution.D' });
  });

  test('the observation schema and checks reject a malformed observation, naming the field', () => {
    expect(() => assertObservation(dictionaryLearning, { ...observation, atoms: 0 })).toThrow('observation.atoms must be >= 1 (got 0)');
    expect(() => assertObservation(dictionaryLearning, { ...observation, D: Matrix.zeros(8, 5) })).toThrow('observation.D is 8x5, expected 8x12');
    expect(() => assertObservation(dictionaryLearning, { ...observation, orthogonal: true })).toThrow('observation.atoms = 12 must equal n = 8 for an orthogonal dictionary');
  });
});
