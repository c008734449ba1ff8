import { describe, expect, test } from 'vitest';
import {
  Matrix,
  assertObservation,
  cloneMlp,
  compressionSolutionFromMlp,
  createRng,
  generateInstance,
  parseJson,
  resolveFamilyParams,
  initMlp,
  scoreSolution,
  toJsonText,
  weightCompression,
  type WeightCompressionSolution,
} from '../../src/index.js';
import { nmIndexBits } from '../../src/families/weight-compression/index.js';

const gen = (params: object, seed = 1) => generateInstance(weightCompression, params, [seed]);
const metrics = (r: ReturnType<typeof scoreSolution>) => {
  if (r.status !== 'ok') throw new Error(`expected ok, got invalid: ${r.reason}`);
  return r.metrics;
};
const small = { dOut: 32, dIn: 64, nCalib: 128, nTest: 128 };

/** Keeps the largest |w| of each group of `m` along rows (n per group), or of each row (fraction keep). */
function pruneRows(W: Matrix, keepPerGroup: number, group: number, rowsToPrune = W.rows): Matrix {
  const out = Matrix.clone(W);
  for (let i = 0; i < rowsToPrune; i++)
    for (let c0 = 0; c0 < W.cols; c0 += group) {
      const idx = Array.from({ length: group }, (_, k) => c0 + k).sort((a, b) => Math.abs(W.data[i * W.cols + b]) - Math.abs(W.data[i * W.cols + a]));
      for (const j of idx.slice(keepPerGroup)) out.data[i * W.cols + j] = 0;
    }
  return out;
}

/** Asymmetric round-to-nearest quantization with `bits` per group of `g` along rows. */
function rtn(W: Matrix, bits: number, g: number): Matrix {
  const out = Matrix.clone(W);
  const q = 2 ** bits - 1;
  for (let i = 0; i < W.rows; i++)
    for (let c0 = 0; c0 < W.cols; c0 += g) {
      const v = W.data.subarray(i * W.cols + c0, i * W.cols + c0 + g);
      const lo = Math.min(...v), hi = Math.max(...v);
      const s = (hi - lo) / q || 1;
      for (let k = 0; k < g; k++) out.data[i * W.cols + c0 + k] = lo + s * Math.round((v[k] - lo) / s);
    }
  return out;
}

describe('weight-compression generator', () => {
  test('same seed: byte-identical observation and truth; another seed differs', () => {
    for (const params of [{ ...small, weights: 'power-law' }, { variant: 'kv-cache', tokens: 64, heads: 2, headDim: 16, queries: 8, denseWindow: 8 }]) {
      const a = gen(params, 7), b = gen(params, 7), c = gen(params, 8);
      expect(toJsonText(a.observation)).toBe(toJsonText(b.observation));
      expect(toJsonText(a.truth)).toBe(toJsonText(b.truth));
      expect(toJsonText(a.observation)).not.toBe(toJsonText(c.observation));
    }
  });

  test('defaults are the quick size: one 256 x 512 layer, 512 calibration inputs with outlier channels, 50% sparsity', () => {
    const { observation: o, truth } = gen({});
    assertObservation(weightCompression, o);
    expect([o.layers.length, o.layers[0].W.rows, o.layers[0].W.cols, o.layers[0].X!.rows, truth.outputs[0].X.rows]).toEqual([1, 256, 512, 512, 512]);
    expect(o.budget).toEqual({ sparsity: 0.5 });
    const X = o.layers[0].X!;
    const rms = Array.from({ length: 512 }, (_, j) => Math.sqrt(Array.from({ length: 512 }, (_, i) => X.data[i * 512 + j] ** 2).reduce((a, b) => a + b) / 512)).sort((a, b) => b - a);
    expect(rms[0] / rms[256]).toBeGreaterThan(5);
  });

  test('bad params are errors naming the param', () => {
    expect(() => gen({ ...small, budget: { pattern: 'n:m', n: 2, m: 3 } })).toThrow('params.budget.m = 3 must divide every row length (d_in = 64)');
    expect(() => gen({ ...small, budget: { pattern: 'n:m', n: 2 } })).toThrow('params.budget.pattern "n:m" needs both params.budget.n and params.budget.m');
    expect(() => gen({ ...small, budget: {} })).toThrow('params.budget sets no constraint');
    expect(() => gen({ ...small, budget: { sparsity: 1 } })).toThrow('params.budget.sparsity must be < 1 (got 1)');
    expect(() => gen({ variant: 'kv-cache', tokens: 16, denseWindow: 16 })).toThrow('params.denseWindow = 16 must be below tokens = 16');
  });
});

describe('weight-compression layer scoring', () => {
  const { observation: o, truth } = gen({ ...small, layers: 2 });
  const W = o.layers.map((l) => l.W);

  test('unpruned weights give out_err = 0 and 16 bits per weight (sparsity 0 budget)', () => {
    const r = metrics(scoreSolution(weightCompression, { ...o, budget: { sparsity: 0 } }, truth, { layers: W.map((w) => ({ W: w })) }));
    expect(r).toMatchObject({ out_err: 0, test_loss: 0, test_acc: 1, budget_ok: 1, bits_per_weight: 16, sparsity: 0 });
  });

  test('magnitude pruning meets 50% sparsity and beats zeroing random half of the weights', () => {
    const mag = metrics(scoreSolution(weightCompression, o, truth, { layers: W.map((w) => ({ W: pruneRows(w, 32, 64) })) }));
    const rnd = W.map((w, l) => {
      const out = Matrix.clone(w);
      for (const j of createRng(l).sampleWithoutReplacement(w.data.length, w.data.length / 2)) out.data[j] = 0;
      return { W: out };
    });
    const random = metrics(scoreSolution(weightCompression, o, truth, { layers: rnd }));
    expect(mag.sparsity).toBe(0.5);
    expect(mag.out_err).toBeLessThan(random.out_err);
    expect(mag.out_err).toBeLessThan(0.6);
    expect(mag.bits_per_weight).toBe(9);
    const zero = metrics(scoreSolution(weightCompression, o, truth, weightCompression.trivialSolution!(o)));
    expect(zero.out_err).toBe(1);
  });

  test('over the sparsity budget is invalid, naming the layer and the budget', () => {
    const r = scoreSolution(weightCompression, o, truth, { layers: [{ W: pruneRows(W[0], 32, 64) }, { W: pruneRows(W[1], 33, 64) }] });
    expect(r).toMatchObject({ status: 'invalid', field: 'solution.layers[1].W' });
    expect(r.status === 'invalid' && r.reason).toBe('solution.layers[1] keeps 1056 of 2048 weights (sparsity 0.4844); observation.budget.sparsity = 0.5 allows at most 1024');
  });

  test('a global budget lets layers differ', () => {
    const uneven = { layers: [{ W: pruneRows(W[0], 16, 64) }, { W: pruneRows(W[1], 48, 64) }] };
    expect(scoreSolution(weightCompression, o, truth, uneven).status).toBe('invalid');
    expect(metrics(scoreSolution(weightCompression, { ...o, budget: { sparsity: 0.5, scope: 'global' } }, truth, uneven)).sparsity).toBe(0.5);
    const over = { layers: [{ W: pruneRows(W[0], 17, 64) }, { W: pruneRows(W[1], 48, 64) }] };
    expect(scoreSolution(weightCompression, { ...o, budget: { sparsity: 0.5, scope: 'global' } }, truth, over)).toMatchObject({ status: 'invalid', field: 'solution.layers' });
  });

  test('n:m: a valid 2:4 pattern scores, one extra nonzero is invalid with the group named', () => {
    const nm = { ...o, budget: { pattern: 'n:m' as const, n: 2, m: 4 } };
    const good = W.map((w) => ({ W: pruneRows(w, 2, 4) }));
    const r = metrics(scoreSolution(weightCompression, nm, truth, { layers: good }));
    expect(r.sparsity).toBe(0.5);
    expect(r.bits_per_weight).toBe(8 + nmIndexBits(2, 4) / 4);
    const bad = { layers: good.map((l) => ({ W: Matrix.clone(l.W) })) };
    bad.layers[0].W.data[3 * 64 + 9] = 0.5;
    bad.layers[0].W.data[3 * 64 + 10] = 0.5;
    bad.layers[0].W.data[3 * 64 + 11] = 0.5;
    const inv = scoreSolution(weightCompression, nm, truth, bad);
    expect(inv).toMatchObject({ status: 'invalid', field: 'solution.layers[0].W' });
    expect(inv.status === 'invalid' && inv.reason).toMatch(/^solution.layers\[0\].W row 3, columns 8..11 have [34] nonzeros; observation.budget n:m = 2:4 allows 2$/);
  });

  test('bits: 4-bit RTN in groups of 16 is valid; an understated bit count or a missing one is invalid', () => {
    const q = { ...o, budget: { bits: 4, groupSize: 16 } };
    const sol: WeightCompressionSolution = { layers: W.map((w) => ({ W: rtn(w, 4, 16), bits: 4 })) };
    const r = metrics(scoreSolution(weightCompression, q, truth, sol));
    expect(r.bits_per_weight).toBe(4 + 32 / 16);
    expect(r.out_err).toBeLessThan(0.2);
    const lie = scoreSolution(weightCompression, q, truth, { layers: sol.layers.map((l) => ({ ...l, bits: 3 })) });
    expect(lie).toMatchObject({ status: 'invalid', field: 'solution.layers[0].W' });
    expect(lie.status === 'invalid' && lie.reason).toMatch(/row 0, columns 0..15 hold \d+ distinct values; 3 bits allow 8/);
    expect(scoreSolution(weightCompression, q, truth, { layers: W.map((w) => ({ W: rtn(w, 4, 16) })) })).toMatchObject({ status: 'invalid', field: 'solution.layers[0].bits' });
    expect(scoreSolution(weightCompression, q, truth, { layers: W.map((w) => ({ W: rtn(w, 5, 16), bits: 5 })) })).toMatchObject({ status: 'invalid', field: 'solution.layers[0].bits' });
  });

  test('factored layers count nnz of the factors; an inconsistent factorization is invalid', () => {
    const left = Matrix.zeros(32, 4), right = Matrix.zeros(4, 64);
    createRng(3).fillNormal(left.data);
    createRng(4).fillNormal(right.data);
    const prod = Matrix.zeros(32, 64);
    for (let i = 0; i < 32; i++) for (let j = 0; j < 64; j++) for (let k = 0; k < 4; k++) prod.data[i * 64 + j] += left.data[i * 4 + k] * right.data[k * 64 + j];
    const layer = { W: prod, factors: { left, right } };
    const r = metrics(scoreSolution(weightCompression, o, truth, { layers: [layer, layer] }));
    expect(r.sparsity).toBeCloseTo(1 - (32 * 4 + 4 * 64) / (32 * 64), 12);
    const broken = { W: Matrix.clone(prod), factors: { left, right } };
    broken.W.data[0] += 1;
    expect(scoreSolution(weightCompression, o, truth, { layers: [broken, layer] })).toMatchObject({ status: 'invalid', field: 'solution.layers[0].factors' });
  });

  test('shapes, counts and non-finite values are checked; scoring does not mutate its inputs', () => {
    expect(scoreSolution(weightCompression, o, truth, { layers: [{ W: W[0] }] })).toMatchObject({ status: 'invalid', field: 'solution.layers' });
    expect(scoreSolution(weightCompression, o, truth, { layers: [{ W: Matrix.zeros(32, 63) }, { W: W[1] }] })).toMatchObject({ status: 'invalid', field: 'solution.layers[0].W' });
    const nan = Matrix.zeros(32, 64);
    nan.data[4] = NaN;
    expect(scoreSolution(weightCompression, o, truth, { layers: [{ W: nan }, { W: nan }] })).toMatchObject({ status: 'invalid', field: 'solution.layers[0].W' });
    const sol = { layers: W.map((w) => ({ W: pruneRows(w, 32, 64) })) };
    const before = [toJsonText(o), toJsonText(truth), toJsonText(sol)];
    scoreSolution(weightCompression, o, truth, sol);
    expect([toJsonText(o), toJsonText(truth), toJsonText(sol)]).toEqual(before);
  });

  test('malformed observations are rejected with a message naming the field', () => {
    expect(() => assertObservation(weightCompression, { ...o, layers: [{ W: W[0], X: Matrix.zeros(4, 63) }] })).toThrow('observation.layers[0].X has 63 columns, W has 64');
    expect(() => assertObservation(weightCompression, { ...o, budget: { pattern: 'n:m', m: 4 } })).toThrow('observation.budget.pattern "n:m" needs both observation.budget.n and observation.budget.m');
    expect(() => assertObservation(weightCompression, { ...o, budget: { sparsity: 0.5, extra: 1 } })).toThrow("observation.budget has an unknown field 'extra'");
  });
});

describe('weight-compression kv-cache', () => {
  const { observation: o, truth } = gen({ variant: 'kv-cache', tokens: 256, heads: 2, headDim: 32, queries: 16, denseWindow: 16, kvTarget: 'keys', budget: { sparsity: 0.5 } });

  test('key/value pairs per head, values frozen for a keys-only budget; the dense cache scores perfectly', () => {
    expect(o.layers.map((l) => [l.role, l.head, l.frozen ?? false])).toEqual([['key', 0, false], ['value', 0, true], ['key', 1, false], ['value', 1, true]]);
    const dense = scoreSolution(weightCompression, { ...o, budget: { sparsity: 0 } }, truth, { layers: o.layers.map((l) => ({ W: l.W })) });
    expect(metrics(dense)).toMatchObject({ out_err: 0, test_acc: 1 });
  });

  test('per-token magnitude pruning of keys outside the dense window is valid and beats per-channel zeroing', () => {
    const perToken = metrics(scoreSolution(weightCompression, o, truth, { layers: o.layers.map((l) => ({ W: l.frozen ? l.W : pruneRows(l.W, 16, 32, 256 - 16) })) }));
    expect(perToken.sparsity).toBe(0.5);
    const halfChannels = o.layers.map((l) => {
      if (l.frozen) return { W: l.W };
      const out = Matrix.clone(l.W);
      for (let i = 0; i < out.rows; i++) for (let j = 0; j < 16; j++) out.data[i * 32 + j] = 0;
      return { W: out };
    });
    const channel = metrics(scoreSolution(weightCompression, o, truth, { layers: halfChannels }));
    expect(perToken.out_err).toBeLessThan(channel.out_err);
    expect(perToken.test_acc).toBeGreaterThan(channel.test_acc);
  });

  test('changing a frozen cache is invalid', () => {
    const layers = o.layers.map((l) => ({ W: pruneRows(l.W, 16, 32, 240) }));
    expect(scoreSolution(weightCompression, o, truth, { layers })).toMatchObject({ status: 'invalid', field: 'solution.layers[1].W' });
  });
});

describe('weight-compression network', () => {
  const params = { variant: 'network', inputDim: 16, hidden: [32], outputs: 4, nTrain: 512, nTest: 512, nCalib: 64 };
  const { observation: o, truth } = gen(params);

  test('the dense model is the teacher: out_err 0 and the lowest test loss; pruning costs accuracy, random weights more', () => {
    const model = o.network!.model;
    const dense = metrics(scoreSolution(weightCompression, { ...o, budget: { sparsity: 0 } }, truth, compressionSolutionFromMlp(model)));
    const pruned = cloneMlp(model);
    pruned.layers.forEach((l) => l.W.data.set(pruneRows(l.W, l.W.cols / 2, l.W.cols).data));
    const mag = metrics(scoreSolution(weightCompression, o, truth, compressionSolutionFromMlp(pruned)));
    const rnd = initMlp([16, 32, 4], 'relu', createRng(9));
    rnd.layers.forEach((l) => l.W.data.set(pruneRows(l.W, l.W.cols / 2, l.W.cols).data));
    const random = metrics(scoreSolution(weightCompression, o, truth, compressionSolutionFromMlp(rnd)));
    expect(dense).toMatchObject({ out_err: 0, test_acc: 1 });
    expect(mag.test_loss).toBeGreaterThan(dense.test_loss);
    expect(random.test_loss).toBeGreaterThan(mag.test_loss);
    expect(random.out_err).toBeGreaterThan(mag.out_err);
    expect(o.layers[1].X!.cols).toBe(32);
  });

  test('from scratch: the model is a random init and the calibration activations are withheld', () => {
    const s = gen({ ...params, networkInit: 'scratch' });
    expect(s.observation.network!.fromScratch).toBe(true);
    expect(s.observation.layers[0].X).toBeUndefined();
    expect(toJsonText(s.observation.network!.model)).not.toBe(toJsonText(s.truth.network!.teacher));
  });

  test('biases of the wrong length are invalid', () => {
    const sol = compressionSolutionFromMlp(o.network!.model);
    expect(scoreSolution(weightCompression, { ...o, budget: { sparsity: 0 } }, truth, { ...sol, biases: [new Float64Array(3), sol.biases![1]] })).toMatchObject({
      status: 'invalid',
      field: 'solution.biases[0]',
    });
  });
});

describe('weight-compression data', () => {
  test('observation, truth and the trivial solution survive a JSON round trip', () => {
    const { observation, truth } = gen({ variant: 'kv-cache', tokens: 64, heads: 1, headDim: 8, queries: 4, denseWindow: 4 });
    const sol = weightCompression.trivialSolution!(observation);
    for (const [label, schema, value] of [
      ['observation', weightCompression.schemas.observation, observation],
      ['truth', weightCompression.schemas.truth, truth],
      ['solution', weightCompression.schemas.solution, sol],
    ] as const) {
      expect(toJsonText(parseJson(toJsonText(value), schema, label, 'PARSIMONY_BAD_INPUT'))).toBe(toJsonText(value));
    }
    expect(scoreSolution(weightCompression, observation, truth, sol).status).toBe('ok');
  });

  test('every preset validates against the params schema', () => {
    for (const p of [weightCompression.presets.quick, weightCompression.presets.default, ...weightCompression.presets.scale]) expect(() => resolveFamilyParams(weightCompression, p)).not.toThrow();
  });
});
