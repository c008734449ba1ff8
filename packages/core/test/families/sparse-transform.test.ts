import { describe, expect, test } from 'vitest';
import {
  NoParams,
  ParsimonyError,
  allFamilies,
  assertObservation,
  createRegistry,
  defineSolver,
  fwht,
  generateInstance,
  resolveFamilyParams,
  scoreSolution,
  solveService,
  sparseTransform,
  sparseTransformOracle,
  toJsonText,
  type SolverContext,
} from '../../src/index.js';
import { describeSolverConformance } from '../../src/testing/index.js';
import { holds, reachable } from './interactive-helpers.js';

const gen = (params: object, seed = 1) => generateInstance(sparseTransform, params, [seed]);
const metrics = (r: ReturnType<typeof scoreSolution>) => {
  if (r.status !== 'ok') throw new Error(`expected ok, got ${r.reason}`);
  return r.metrics;
};
const open = (inst: ReturnType<typeof gen>) => sparseTransform.interaction!.open(inst.observation, inst.truth);
const fieldOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof ParsimonyError) return e.field;
    throw e;
  }
  return undefined;
};
const all = (N: number) => Int32Array.from({ length: N }, (_, t) => t);

describe('sparse-transform generator and oracle', () => {
  test('same seed: byte-identical observation and truth; another seed differs', () => {
    const a = gen({}, 7), b = gen({}, 7), c = gen({}, 8);
    expect(toJsonText(a.observation)).toBe(toJsonText(b.observation));
    expect(toJsonText(a.truth)).toBe(toJsonText(b.truth));
    expect(toJsonText(a.truth)).not.toBe(toJsonText(c.truth));
  });

  test('defaults are the quick size: n = 16, K = 20 unit coefficients, 20 dB, so σ² = K / 100', () => {
    expect(resolveFamilyParams(sparseTransform, {})).toMatchObject({ n: 16, K: 20, snrDb: 20, amplitudes: 'unit' });
    const { observation, truth } = gen({});
    expect(observation).toEqual({ n: 16, K: 20, noiseStd: Math.sqrt(20 / 100) });
    expect(truth.support.length).toBe(20);
    expect(Array.from(truth.support)).toEqual(Array.from(truth.support).sort((a, b) => a - b));
    expect(truth.values.every((v) => Math.abs(v) === 1)).toBe(true);
  });

  test('noiseless: the samples are H X, so the FWHT of all of them is N·X exactly', () => {
    const inst = gen({ n: 8, K: 5, snrDb: 'inf' });
    expect(inst.observation.noiseStd).toBe(0);
    const x = open(inst).handle('query', [all(256)]) as Float64Array;
    const X = fwht(x.slice()).map((v) => v / 256);
    const dense = new Float64Array(256);
    inst.truth.support.forEach((k, i) => (dense[k] = inst.truth.values[i]));
    X.forEach((v, k) => expect(v).toBeCloseTo(dense[k], 12));
  });

  test('noise is a fixed function of t: asking again gives the same value; its spread is σ', () => {
    const inst = gen({ n: 12, K: 8, snrDb: 10 });
    const s = open(inst);
    const clean = open(gen({ n: 12, K: 8, snrDb: 'inf' })).handle('query', [all(4096)]) as Float64Array;
    const a = s.handle('query', [all(4096)]) as Float64Array;
    const b = s.handle('query', [Int32Array.of(17, 4095, 17)]) as Float64Array;
    expect(Array.from(b)).toEqual([a[17], a[4095], a[17]]);
    let ss = 0;
    for (let t = 0; t < 4096; t++) ss += (a[t] - clean[t]) ** 2;
    expect(Math.sqrt(ss / 4096) / inst.observation.noiseStd).toBeGreaterThan(0.95);
    expect(Math.sqrt(ss / 4096) / inst.observation.noiseStd).toBeLessThan(1.05);
  });

  test('small requests (summed directly) and large ones (one FWHT) give the same samples', () => {
    const inst = gen({ n: 10, K: 40, snrDb: 20 });
    const few = open(inst).handle('query', [Int32Array.of(3, 999, 512)]) as Float64Array;
    const many = open(inst).handle('query', [all(1024)]) as Float64Array;
    expect(few[0]).toBeCloseTo(many[3], 12);
    expect(few[1]).toBeCloseTo(many[999], 12);
    expect(few[2]).toBeCloseTo(many[512], 12);
  });

  test('inconsistent params are errors naming the param; presets grow n', () => {
    expect(() => gen({ n: 3, K: 9 })).toThrow('sparse-transform: params.K = 9 exceeds N = 2^n = 8');
    expect(() => gen({ n: 25 })).toThrow(/params.n must be <= 24/);
    expect(sparseTransform.presets.quick).toEqual({ n: 16, K: 20, snrDb: 20 });
    const ns = sparseTransform.presets.scale.map((p) => p.n!);
    expect(ns.length).toBeGreaterThanOrEqual(4);
    expect(ns).toEqual([...ns].sort((a, b) => a - b));
  });
});

describe('sparse-transform scoring', () => {
  const { observation, truth } = gen({});

  test('the true spectrum scores ideally; a wrong or partial one scores worse; zero values do not count', () => {
    const ideal = metrics(scoreSolution(sparseTransform, observation, truth, { indices: truth.support, values: truth.values }));
    expect(ideal).toMatchObject({ support_f1: 1, coef_nmse_db: -300, exact_support: 1, samples: 65536, sample_fraction: 1 });
    const shifted = metrics(scoreSolution(sparseTransform, observation, truth, { indices: truth.support.map((k) => k ^ 1), values: truth.values }));
    expect(shifted.support_f1).toBeLessThan(0.2);
    expect(shifted.coef_nmse_db).toBeGreaterThan(0);
    const half = metrics(scoreSolution(sparseTransform, observation, truth, { indices: truth.support.slice(0, 10), values: truth.values.slice(0, 10) }));
    expect(half.support_f1).toBeCloseTo(2 * 10 / 30, 12);
    expect(half.coef_nmse_db).toBeCloseTo(10 * Math.log10(0.5), 10);
    expect(half.exact_support).toBe(0);
    const withZero = metrics(scoreSolution(sparseTransform, observation, truth, { indices: Int32Array.of(...truth.support, truth.support[0] ^ 1), values: Float64Array.of(...truth.values, 0) }));
    expect(withZero.support_f1).toBe(1);
  });

  test('the trivial (empty) solution is valid and scores F1 0, 0 dB', () => {
    expect(metrics(scoreSolution(sparseTransform, observation, truth, sparseTransform.trivialSolution!(observation), { samples: 0, queries: 0 }))).toMatchObject({
      support_f1: 0,
      coef_nmse_db: 0,
      samples: 0,
    });
  });

  test('invalid solutions are invalid, with a reason naming the field', () => {
    const sc = (s: unknown) => scoreSolution(sparseTransform, observation, truth, s);
    expect(sc({ indices: Int32Array.of(1, 2), values: Float64Array.of(1) })).toMatchObject({ status: 'invalid', field: 'solution.values' });
    expect(sc({ indices: Int32Array.of(1, 65536), values: Float64Array.of(1, 1) })).toMatchObject({
      status: 'invalid',
      field: 'solution.indices[1]',
      reason: 'solution.indices[1] = 65536 is out of range; frequencies are in 0..65535 (n = 16)',
    });
    expect(sc({ indices: Int32Array.of(-1), values: Float64Array.of(1) })).toMatchObject({ status: 'invalid', field: 'solution.indices[0]' });
    expect(sc({ indices: Int32Array.of(4, 4), values: Float64Array.of(1, 1) })).toMatchObject({ status: 'invalid', reason: expect.stringContaining('listed twice') });
    expect(sc({ indices: Int32Array.of(4), values: Float64Array.of(NaN) })).toMatchObject({ status: 'invalid', reason: expect.stringContaining('solution.values') });
    expect(sc({ indices: Float64Array.of(4), values: Float64Array.of(1) })).toMatchObject({ status: 'invalid', reason: expect.stringContaining('solution.indices') });
  });

  test('scoring is robust (huge values stay finite) and does not mutate its inputs', () => {
    const before = toJsonText({ observation, truth });
    const sol = { indices: truth.support.slice(), values: truth.values.map(() => 1e300) };
    const m = metrics(scoreSolution(sparseTransform, observation, truth, sol));
    expect(Number.isFinite(m.coef_nmse_db)).toBe(true);
    expect(toJsonText({ observation, truth })).toBe(before);
    expect(sol.values[0]).toBe(1e300);
  });

  test('the observation schema rejects a malformed observation, naming the field', () => {
    expect(() => assertObservation(sparseTransform, { ...observation, K: 70000 })).toThrow('sparse-transform: observation.K = 70000 exceeds N = 2^n = 65536');
    expect(() => assertObservation(sparseTransform, { ...observation, noiseStd: -1 })).toThrow('observation.noiseStd must be >= 0');
    expect(() => assertObservation(sparseTransform, { ...observation, support: truth.support })).toThrow(/unknown field 'support'/);
  });
});

describe('sparse-transform session', () => {
  const inst = gen({ n: 10, K: 6 });

  test('bad requests are ParsimonyErrors naming the argument, and are not counted', () => {
    const s = open(inst);
    expect(fieldOf(() => s.handle('sample', [Int32Array.of(1)]))).toBe('method');
    expect(() => s.handle('sample', [])).toThrow("unknown request 'sample'; the session answers query");
    expect(fieldOf(() => s.handle('query', []))).toBe('query.indices');
    expect(fieldOf(() => s.handle('query', [[1, 2]]))).toBe('query.indices');
    expect(() => s.handle('query', [new Int32Array(0)])).toThrow('indices has 0 entries; ask for 1..N = 1024 indices per request');
    expect(fieldOf(() => s.handle('query', [new Int32Array(1025)]))).toBe('query.indices');
    expect(() => s.handle('query', [Int32Array.of(0, 1024)])).toThrow('query(indices): indices[1] = 1024 is out of range; indices are in 0..N-1 = 0..1023 (n = 10)');
    expect(fieldOf(() => s.handle('query', [Int32Array.of(-3)]))).toBe('query.indices[0]');
    expect(s.usage()).toEqual({ samples: 0, queries: 0, requests: 0 });
  });

  test('the session counts distinct samples (paper 19) and every query', () => {
    const s = open(inst);
    s.handle('query', [Int32Array.of(1, 2, 3)]);
    s.handle('query', [Int32Array.of(1, 2, 3)]);
    expect(s.usage()).toEqual({ samples: 3, queries: 6, requests: 2 });
    s.handle('query', [Int32Array.of(3, 4, 4)]);
    expect(s.usage()).toEqual({ samples: 4, queries: 9, requests: 3 });
    expect(open(inst).usage().samples).toBe(0);
  });

  test('the client converts integer arrays and rejects others, naming the index', async () => {
    const s = open(inst);
    const oracle = sparseTransformOracle({ interact: async (m, ...a) => s.handle(m, a) });
    expect((await oracle.query([5, 6])).length).toBe(2);
    await expect(oracle.query([1, 2.5])).rejects.toThrow('query(indices): indices[1] = 2.5 is not a non-negative integer');
    expect(s.usage().samples).toBe(2);
  });
});

let seenCtx: SolverContext | undefined;
let seenClient: unknown;
/** Reference: every sample, one FWHT, then the K largest coefficients (the paper's accuracy baseline). */
const fullFwhtSolver = defineSolver({
  id: 'test/full-fwht',
  family: sparseTransform,
  title: 'Full FWHT + top-K',
  params: NoParams,
  solve: async (obs, _p, ctx) => {
    seenCtx = ctx;
    const oracle = sparseTransformOracle(ctx);
    seenClient = oracle;
    const N = 2 ** obs.n;
    const X = fwht(await oracle.query(all(N)));
    ctx.signal.throwIfAborted();
    const top = Array.from(X.keys()).sort((a, b) => Math.abs(X[b]) - Math.abs(X[a]) || a - b).slice(0, obs.K);
    return { indices: Int32Array.from(top), values: Float64Array.from(top, (k) => X[k] / N) };
  },
});

describe('sparse-transform end to end (SolveService + session)', () => {
  test('full FWHT + top-K recovers the support of the quick instance with N samples; the spectrum is not reachable from ctx or the client', async () => {
    const inst = gen({});
    const session = open(inst);
    const service = solveService(createRegistry(allFamilies));
    const { solution } = await service.solve(fullFwhtSolver, inst.observation, {}, { interact: (m, a) => session.handle(m, a) });
    const m = metrics(scoreSolution(sparseTransform, inst.observation, inst.truth, solution, session.usage()));
    expect(m).toMatchObject({ support_f1: 1, exact_support: 1, samples: 65536, sample_fraction: 1 });
    // The estimate averages N samples: its error is about σ/√N per coefficient.
    expect(m.coef_nmse_db).toBeLessThan(-40);
    expect(Object.keys(seenClient as object)).toEqual(['query']);
    expect(JSON.stringify(seenClient)).toBe('{}');
    expect(reachable(seenCtx).keys).toEqual(expect.arrayContaining(['interact', 'rng']));
    for (const root of [seenCtx, seenClient]) {
      expect(holds(root, inst.truth.support)).toBe(false);
      expect(holds(root, inst.truth.values)).toBe(false);
      expect(reachable(root).keys).not.toContain('noiseKey');
    }
  });
});

// The conformance kit opens a session per run for interactive families.
describeSolverConformance(fullFwhtSolver, { instance: { n: 10, K: 8, snrDb: 20 } });
