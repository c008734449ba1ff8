import { describe, expect, test } from 'vitest';
import { Matrix, assertObservation, generateInstance, matmul, orthogonalAlignment, scoreSolution, svd, toJsonText } from '../../src/index.js';
import { orthDefect } from '../../src/families/orthogonal-alignment/index.js';

const small = { N: 200, d: 8, nTest: 100 };
const gen = (params: object, seed = 1) => generateInstance(orthogonalAlignment, { ...small, ...params }, [seed]);
const metrics = (r: ReturnType<typeof scoreSolution>) => {
  if (r.status !== 'ok') throw new Error(`expected ok, got ${r.reason}`);
  return r.metrics;
};
/** Orthogonal Procrustes: Q = U Vᵀ for Xaᵀ Xb = U S Vᵀ. */
function procrustes(Xa: Matrix, Xb: Matrix): Matrix {
  const { U, V } = svd(matmul(Xa, Xb, { transA: true }));
  return matmul(U, V, { transB: true });
}

describe('orthogonal-alignment generator', () => {
  test('same seed: byte-identical observation and truth; another seed differs', () => {
    const a = gen({}, 7), b = gen({}, 7), c = gen({}, 8);
    expect(toJsonText(a.observation)).toBe(toJsonText(b.observation));
    expect(toJsonText(a.truth)).toBe(toJsonText(b.truth));
    expect(toJsonText(a.observation)).not.toBe(toJsonText(c.observation));
  });

  test('defaults are the quick size: 1000 pairs of dimension 64, an orthogonal map', () => {
    const { observation: o, truth } = generateInstance(orthogonalAlignment, {}, [1]);
    expect([o.Xa.rows, o.Xa.cols, o.Xb.rows, o.constraint, truth.XaTest.rows]).toEqual([1000, 64, 1000, 'orthogonal', 500]);
    expect(orthDefect(truth.Q)).toBeLessThan(1e-12);
  });

  test('noiseless targets are Xa T exactly; permutation maps move whole columns', () => {
    const { observation: o, truth } = gen({ noise: 0, constraint: 'permutation' });
    const P = matmul(o.Xa, truth.Q);
    expect(Array.from(P.data)).toEqual(Array.from(o.Xb.data));
    expect(truth.Q.data.filter((v) => v === 1).length).toBe(8);
  });

  test('relaxed: the true map is not orthogonal, and λ defaults to its defect (rounded up)', () => {
    const { observation: o, truth } = gen({ constraint: 'relaxed' });
    const defect = orthDefect(truth.Q);
    expect(defect).toBeGreaterThan(0.1);
    expect(o.lambda).toBe(Math.ceil(defect * 100) / 100);
    expect(gen({ constraint: 'relaxed', lambda: 0.2 }).observation.lambda).toBe(0.2);
  });

  test('trainRank puts the training rows near a low-dimensional subspace', () => {
    const { observation: o } = gen({ trainRank: 3, noise: 0 });
    const { s } = svd(o.Xa);
    expect(s[3] / s[0]).toBeLessThan(0.05);
    assertObservation(orthogonalAlignment, o);
  });

  test('bad params are errors naming the param', () => {
    expect(() => gen({ trainRank: 9 })).toThrow('orthogonal-alignment: params.trainRank = 9 exceeds d = 8');
    expect(() => gen({ constraint: 'unitary' })).toThrow(/params.constraint must be/);
    expect(() => gen({ noise: -1 })).toThrow(/params.noise must be >= 0/);
  });

  test('presets: quick is the default; the scale ladder grows', () => {
    expect(orthogonalAlignment.presets.quick).toEqual({ N: 1000, d: 64 });
    const ds = orthogonalAlignment.presets.scale.map((p) => p.d!);
    expect(ds.length).toBeGreaterThanOrEqual(4);
    expect(ds).toEqual([...ds].sort((a, b) => a - b));
  });
});

describe('orthogonal-alignment scoring', () => {
  const { observation, truth } = gen({});

  test('the true map scores at the noise level; Procrustes is as good; the identity is far worse', () => {
    const ideal = metrics(scoreSolution(orthogonalAlignment, observation, truth, { Q: truth.Q }));
    expect(ideal.map_err).toBe(0);
    expect(ideal.match_acc).toBe(1);
    expect(ideal.orth_defect).toBeLessThan(1e-12);
    expect(ideal.align_err).toBeLessThan(0.15);
    const pro = metrics(scoreSolution(orthogonalAlignment, observation, truth, { Q: procrustes(observation.Xa, observation.Xb) }));
    expect(pro.align_err).toBeLessThan(ideal.align_err * 1.1);
    const id = metrics(scoreSolution(orthogonalAlignment, observation, truth, orthogonalAlignment.trivialSolution!(observation)));
    expect(id.align_err).toBeGreaterThan(1);
  });

  test('permutation: the true permutation scores match_acc 1, a shifted one 0', () => {
    const p = gen({ constraint: 'permutation' });
    expect(metrics(scoreSolution(orthogonalAlignment, p.observation, p.truth, { Q: p.truth.Q })).match_acc).toBe(1);
    const rows = Matrix.toRows(p.truth.Q);
    const shifted = Matrix.fromRows(rows.map((_, i) => rows[(i + 1) % 8]));
    const r = metrics(scoreSolution(orthogonalAlignment, p.observation, p.truth, { Q: shifted }));
    expect(r.match_acc).toBe(0);
    expect(r.align_err).toBeGreaterThan(1);
  });

  test('scoring does not mutate its inputs', () => {
    const sol = { Q: Matrix.clone(truth.Q) };
    const before = toJsonText([observation, truth, sol]);
    scoreSolution(orthogonalAlignment, observation, truth, sol);
    expect(toJsonText([observation, truth, sol])).toBe(before);
  });

  test('invalid solutions break the constraint or the shape, with a reason naming the field', () => {
    expect(scoreSolution(orthogonalAlignment, observation, truth, { Q: Matrix.zeros(8, 7) })).toMatchObject({ status: 'invalid', field: 'solution.Q', reason: 'solution.Q is 8x7, expected 8x8' });
    const Q = Matrix.clone(truth.Q);
    Q.data[0] *= 1.01;
    expect(scoreSolution(orthogonalAlignment, observation, truth, { Q })).toMatchObject({ status: 'invalid', field: 'solution.Q', reason: expect.stringContaining("constraint 'orthogonal'") });
    Q.data[1] = NaN;
    expect(scoreSolution(orthogonalAlignment, observation, truth, { Q })).toMatchObject({ status: 'invalid', field: 'solution.Q' });
    const p = gen({ constraint: 'permutation' });
    expect(scoreSolution(orthogonalAlignment, p.observation, p.truth, { Q: truth.Q })).toMatchObject({ status: 'invalid', field: expect.stringMatching(/^solution.Q/) });
    const two = Matrix.eye(8);
    two.data[1] = 1;
    expect(scoreSolution(orthogonalAlignment, p.observation, p.truth, { Q: two })).toMatchObject({ status: 'invalid', reason: 'solution.Q row 0 has 2 ones; a permutation matrix has exactly one per row and column' });
    const r = gen({ constraint: 'relaxed', lambda: 0.01 });
    expect(scoreSolution(orthogonalAlignment, r.observation, r.truth, { Q: r.truth.Q })).toMatchObject({ status: 'invalid', reason: expect.stringContaining('> λ = 0.01') });
  });

  test('the observation schema and checks reject a malformed observation, naming the field', () => {
    expect(() => assertObservation(orthogonalAlignment, { ...observation, Xb: Matrix.zeros(199, 8) })).toThrow('observation.Xb is 199x8, expected 200x8');
    expect(() => assertObservation(orthogonalAlignment, { ...observation, constraint: 'relaxed' })).toThrow("observation.lambda is required when constraint is 'relaxed'");
  });
});
