import { describe, expect, test } from 'vitest';
import { Matrix, assertObservation, generateInstance, lowRankApproximation, resolveFamilyParams, scoreSolution, toJsonText } from '../../src/index.js';
import { svd } from '../../src/index.js';
import { sharedGroups } from '../../src/families/low-rank-approximation/index.js';

const small = { m: 40, n: 30, rank: 3, decay: 0.7 };
const gen = (params: object, seed = 1) => generateInstance(lowRankApproximation, { ...small, ...params }, [seed]);
const metrics = (r: ReturnType<typeof scoreSolution>) => {
  if (r.status !== 'ok') throw new Error(`expected ok, got ${r.reason}`);
  return r.metrics;
};
/** Rank-k truncated SVD factors U_k diag(s_k), V_k of M. */
function svdFactors(M: Matrix, k: number): { U: Matrix; V: Matrix } {
  const { U, s, V } = svd(M);
  const take = (A: Matrix, scale: boolean) => Matrix.fromRows(Matrix.toRows(A).map((r) => r.slice(0, k).map((v, j) => (scale ? v * s[j] : v))));
  return { U: take(U, true), V: take(V, false) };
}
/** Columns concatenated side by side. */
const hcat = (ms: Matrix[]) => Matrix.fromRows(Matrix.toRows(ms[0]).map((_, i) => ms.flatMap((m) => Matrix.toRows(m)[i])));

describe('low-rank-approximation generator', () => {
  test('same seed: byte-identical observation and truth; another seed differs', () => {
    const a = gen({}, 7), b = gen({}, 7), c = gen({}, 8);
    expect(toJsonText(a.observation)).toBe(toJsonText(b.observation));
    expect(toJsonText(a.truth)).toBe(toJsonText(b.truth));
    expect(toJsonText(a.observation)).not.toBe(toJsonText(c.observation));
  });

  test('defaults are the quick size: 300 x 200, r = 10 (checked on the params: an SVD of that size is slow for a unit test)', () => {
    expect(resolveFamilyParams(lowRankApproximation, {})).toMatchObject({ variant: 'single', m: 300, n: 200, rank: 10, weights: 'none' });
  });

  test('singular values decay geometrically; svdError is the Eckart-Young tail', () => {
    const { observation: o, truth } = gen({ decay: 0.8 });
    const { s } = svd(o.M!);
    expect(s[1] / s[0]).toBeCloseTo(0.8, 2);
    expect(s[2] / s[1]).toBeCloseTo(0.8, 2);
    expect(truth.svdError).toBeCloseTo(Math.sqrt(s.slice(3).reduce((a, v) => a + v * v, 0)), 12);
  });

  test('weights: entrywise or by row, positive', () => {
    const e = gen({ weights: 'elementwise' }).observation, r = gen({ weights: 'rows' }).observation;
    expect(e.weights!.data.every((v) => v > 0)).toBe(true);
    expect(r.rowWeights!.length).toBe(40);
    assertObservation(lowRankApproximation, e);
    assertObservation(lowRankApproximation, r);
  });

  test('set: blocks of equal row count from latent groups, each of rank <= groupDim', () => {
    const { observation: o, truth } = gen({ variant: 'set', m: 24, blocks: 10, blockCols: 5, groups: 3, groupDim: 3, rank: 6 });
    expect(o.Ms!.length).toBe(10);
    expect(o.Ms!.every((A) => A.rows === 24 && A.cols === 5)).toBe(true);
    expect(truth.groups!.length).toBe(10);
    const { s } = svd(o.Ms![0]);
    expect(s[3] / s[0]).toBeLessThan(0.1);
  });

  test('bad params are errors naming the param', () => {
    expect(() => gen({ rank: 31 })).toThrow('low-rank-approximation: params.rank = 31 exceeds min(m, n) = 30');
    expect(() => gen({ variant: 'set', weights: 'rows' })).toThrow("params.weights = 'rows' is only available for variant 'single'");
    expect(() => gen({ variant: 'set', m: 10 })).toThrow('params.m = 10 is too small for 6 groups of dimension 4');
    expect(() => gen({ decay: 1 })).toThrow(/params.decay must be < 1/);
  });

  test('presets: quick is the default; the scale ladder grows', () => {
    expect(lowRankApproximation.presets.quick).toEqual({ m: 300, n: 200, rank: 10 });
    const ns = lowRankApproximation.presets.scale.map((p) => p.n!);
    expect(ns.length).toBeGreaterThanOrEqual(4);
    expect(ns).toEqual([...ns].sort((a, b) => a - b));
  });
});

describe('low-rank-approximation scoring', () => {
  const { observation, truth } = gen({});
  const M = observation.M!;

  test('the truncated SVD scores ey_ratio 1; rank r - 1 and zero factors score worse', () => {
    const best = metrics(scoreSolution(lowRankApproximation, observation, truth, svdFactors(M, 3)));
    expect(best.ey_ratio).toBeCloseTo(1, 9);
    expect(best).toMatchObject({ rank_used: 3, memory_floats: 3 * (40 + 30) });
    expect(best.rel_err).toBeGreaterThan(0);
    const short = metrics(scoreSolution(lowRankApproximation, observation, truth, svdFactors(M, 2)));
    expect(short.ey_ratio).toBeGreaterThan(1.1);
    expect(short.rank_used).toBe(2);
    const zero = metrics(scoreSolution(lowRankApproximation, observation, truth, lowRankApproximation.trivialSolution!(observation)));
    expect(zero.rel_err).toBe(1);
  });

  test('row weights: the weighted SVD (paper 42) beats the plain SVD, which scores 1', () => {
    const { observation: o, truth: t } = gen({ weights: 'rows' });
    const w = o.rowWeights!;
    expect(metrics(scoreSolution(lowRankApproximation, o, t, svdFactors(o.M!, 3))).ey_ratio).toBeCloseTo(1, 9);
    const scaled = Matrix.fromRows(Matrix.toRows(o.M!).map((r, i) => r.map((v) => v * w[i])));
    const f = svdFactors(scaled, 3);
    const U = Matrix.fromRows(Matrix.toRows(f.U).map((r, i) => r.map((v) => v / w[i])));
    expect(metrics(scoreSolution(lowRankApproximation, o, t, { U, V: f.V })).ey_ratio).toBeLessThan(0.999);
  });

  test('set: per-block SVDs score 1; a shared basis is counted once in memory_floats', () => {
    const set = gen({ variant: 'set', m: 24, blocks: 6, blockCols: 5, groups: 3, groupDim: 3, rank: 6 });
    const Ms = set.observation.Ms!;
    const own = metrics(scoreSolution(lowRankApproximation, set.observation, set.truth, { factors: Ms.map((A) => svdFactors(A, 5)) }));
    expect(own.ey_ratio).toBeCloseTo(1, 6);
    expect(own.memory_floats).toBe(6 * 5 * (24 + 5));
    // All blocks share one rank-6 basis: U = top left singular vectors of [M_1 ... M_6], V_i = M_iᵀ U.
    const { U } = svdFactors(hcat(Ms), 6);
    const Uo = Matrix.fromRows(Matrix.toRows(svd(hcat(Ms)).U).map((r) => r.slice(0, 6)));
    const factors = Ms.map((A) => ({ U: Uo, V: Matrix.fromRows(Matrix.toRows(A).length ? Array.from({ length: A.cols }, (_, j) => Array.from({ length: 6 }, (_, c) => Matrix.toRows(A).reduce((s, row, i) => s + row[j] * Uo.data[i * 6 + c], 0))) : []) }));
    expect(sharedGroups(factors)).toEqual([[0, 1, 2, 3, 4, 5]]);
    const shared = metrics(scoreSolution(lowRankApproximation, set.observation, set.truth, { factors }));
    expect(shared.ey_ratio).toBeCloseTo(1, 6);
    expect(shared.memory_floats).toBe(24 * 6 + 6 * 5 * 6);
    expect(U.rows).toBe(24);
  });

  test('errorBound: a group above the bound is invalid, below it is scored', () => {
    const bounded = gen({ errorBound: 0.4 });
    expect(scoreSolution(lowRankApproximation, bounded.observation, bounded.truth, svdFactors(bounded.observation.M!, 3)).status).toBe('ok');
    expect(scoreSolution(lowRankApproximation, bounded.observation, bounded.truth, svdFactors(bounded.observation.M!, 1))).toMatchObject({
      status: 'invalid',
      field: 'solution.U',
      reason: expect.stringMatching(/^solution.U has relative error .* > errorBound = 0.4$/),
    });
  });

  test('scoring does not mutate its inputs', () => {
    const sol = svdFactors(M, 3);
    const before = toJsonText([observation, truth, sol]);
    scoreSolution(lowRankApproximation, observation, truth, sol);
    expect(toJsonText([observation, truth, sol])).toBe(before);
  });

  test('invalid solutions are invalid with a reason naming the field', () => {
    const f = svdFactors(M, 4);
    expect(scoreSolution(lowRankApproximation, observation, truth, f)).toMatchObject({ status: 'invalid', field: 'solution.U', reason: 'solution.U has 4 columns; the rank must be 1..r = 3' });
    const g = svdFactors(M, 3);
    expect(scoreSolution(lowRankApproximation, observation, truth, { U: g.U, V: Matrix.zeros(29, 3) })).toMatchObject({ status: 'invalid', field: 'solution.V', reason: 'solution.V is 29x3, expected 30x3' });
    expect(scoreSolution(lowRankApproximation, observation, truth, { U: g.U })).toMatchObject({ status: 'invalid', field: 'solution.V' });
    const U = Matrix.clone(g.U);
    U.data[2] = NaN;
    expect(scoreSolution(lowRankApproximation, observation, truth, { U, V: g.V })).toMatchObject({ status: 'invalid', field: 'solution.U' });
    const set = gen({ variant: 'set', m: 24, blocks: 3, blockCols: 4, groups: 3, groupDim: 3, rank: 6 });
    expect(scoreSolution(lowRankApproximation, set.observation, set.truth, { factors: [] })).toMatchObject({ status: 'invalid', field: 'solution.factors' });
  });

  test('the observation schema and checks reject a malformed observation, naming the field', () => {
    expect(() => assertObservation(lowRankApproximation, { ...observation, rank: 0 })).toThrow('observation.rank must be >= 1 (got 0)');
    expect(() => assertObservation(lowRankApproximation, { ...observation, rowWeights: new Float64Array(39) })).toThrow('observation.rowWeights has 39 entries, expected the rows of M = 40');
    expect(() => assertObservation(lowRankApproximation, { rank: 2 })).toThrow('observation must hold either M or Ms (exactly one)');
  });
});

describe('low-rank-approximation: paper 08 clustering metrics and the soft error bound', () => {
  const setParams = { variant: 'set', m: 24, blocks: 6, blockCols: 5, groups: 3, groupDim: 3, rank: 6, errorBound: 0.05 };
  /** Blocks sharing one rank-k basis per group of indices: U = top-k left singular vectors of the concatenation, V_i = M_iᵀ U. */
  const sharedFactors = (Ms: Matrix[], parts: number[][], k: number) => {
    const factors: { U: Matrix; V: Matrix }[] = new Array(Ms.length);
    for (const part of parts) {
      const U = Matrix.fromRows(Matrix.toRows(svd(hcat(part.map((i) => Ms[i]))).U).map((r) => r.slice(0, k)));
      for (const i of part) factors[i] = { U, V: Matrix.fromRows(Array.from({ length: Ms[i].cols }, (_, j) => Array.from({ length: k }, (_, c) => Matrix.toRows(Ms[i]).reduce((s, row, t) => s + row[j] * U.data[t * k + c], 0)))) };
    }
    return factors;
  };

  test("a hard bound (the default) adds no field: the instance is byte-identical to one without errorBoundMode; 'soft' adds only the flag", () => {
    const hard = gen(setParams, 3), implicit = gen({ ...setParams, errorBoundMode: 'hard' }, 3), soft = gen({ ...setParams, errorBoundMode: 'soft' }, 3);
    expect(toJsonText(hard.observation)).toBe(toJsonText(implicit.observation));
    expect('errorBoundMode' in hard.observation).toBe(false);
    expect(soft.observation.errorBoundMode).toBe('soft');
    const { errorBoundMode, ...rest } = soft.observation;
    expect(errorBoundMode).toBe('soft');
    expect(toJsonText(rest)).toBe(toJsonText(hard.observation));
    assertObservation(lowRankApproximation, soft.observation);
  });

  test("errorBoundMode 'soft' without errorBound is an error naming the param", () => {
    expect(() => gen({ variant: 'set', m: 24, groups: 3, groupDim: 3, errorBoundMode: 'soft' })).toThrow("params.errorBoundMode = 'soft' needs params.errorBound");
  });

  test('per-block SVDs: clusters = number of blocks, compression_ratio = memory / entries, no violation', () => {
    const { observation: o, truth } = gen(setParams);
    const r = metrics(scoreSolution(lowRankApproximation, o, truth, { factors: o.Ms!.map((A) => svdFactors(A, 5)) }));
    expect(r).toMatchObject({ clusters: 6, violation_rate: 0, memory_floats: 6 * 5 * (24 + 5) });
    expect(r.compression_ratio).toBeCloseTo((6 * 5 * 29) / (6 * 24 * 5), 12);
    expect(r.max_group_err).toBeLessThan(1e-12);
  });

  test('one basis shared by all blocks: clusters 1; above the bound it is invalid when hard and scored with violation_rate 1 when soft', () => {
    const hard = gen(setParams), soft = gen({ ...setParams, errorBoundMode: 'soft' });
    const factors = sharedFactors(hard.observation.Ms!, [[0, 1, 2, 3, 4, 5]], 2);
    expect(scoreSolution(lowRankApproximation, hard.observation, hard.truth, { factors })).toMatchObject({ status: 'invalid', field: 'solution.factors[0]' });
    const r = metrics(scoreSolution(lowRankApproximation, soft.observation, soft.truth, { factors }));
    expect(r.clusters).toBe(1);
    expect(r.violation_rate).toBe(1);
    expect(r.max_group_err).toBeGreaterThan(0.05);
    expect(r.max_group_err).toBeCloseTo(r.rel_err, 12);
    expect(r.compression_ratio).toBeCloseTo((24 * 2 + 6 * 5 * 2) / (6 * 24 * 5), 12);
  });

  test('violation_rate counts the groups above the bound; max_group_err is the worst group', () => {
    const soft = gen({ ...setParams, errorBoundMode: 'soft' });
    const Ms = soft.observation.Ms!;
    // Group {0} at its own rank 5 is exact; group {1..5} at rank 1 misses the bound.
    const factors = [...sharedFactors(Ms, [[0]], 5).slice(0, 1), ...sharedFactors(Ms, [[1, 2, 3, 4, 5]], 1).slice(1)];
    const r = metrics(scoreSolution(lowRankApproximation, soft.observation, soft.truth, { factors }));
    expect(r.clusters).toBe(2);
    expect(r.violation_rate).toBe(0.5);
    const [num, den] = [1, 2, 3, 4, 5].reduce(([a, b], i) => {
      const P = Matrix.toRows(Ms[i]);
      const { U, V } = factors[i];
      let e = 0, n = 0;
      P.forEach((row, t) => row.forEach((v, j) => ((e += (v - U.data[t] * V.data[j]) ** 2), (n += v * v))));
      return [a + e, b + n];
    }, [0, 0]);
    expect(r.max_group_err).toBeCloseTo(Math.sqrt(num / den), 10);
  });

  test('a single M: clusters 1, compression_ratio r(m + n)/(mn), max_group_err = rel_err', () => {
    const { observation: o, truth } = gen({});
    const r = metrics(scoreSolution(lowRankApproximation, o, truth, svdFactors(o.M!, 3)));
    expect(r).toMatchObject({ clusters: 1, violation_rate: 0 });
    expect(r.compression_ratio).toBeCloseTo((3 * 70) / (40 * 30), 12);
    expect(r.max_group_err).toBeCloseTo(r.rel_err, 12);
  });
});
