import { describe, expect, test } from 'vitest';
import {
  Matrix,
  NoParams,
  ParsimonyError,
  allFamilies,
  assertObservation,
  createRegistry,
  defineSolver,
  eigenvectorStreaming,
  eigh,
  generateInstance,
  matvec,
  nrm2,
  resolveFamilyParams,
  rowStream,
  scoreSolution,
  solveService,
  toJsonText,
  type SolverContext,
} from '../../src/index.js';
import { describeSolverConformance } from '../../src/testing/index.js';
import { holds, reachable } from './interactive-helpers.js';

const small = { T: 600, n: 20, gap: 0.3, maxBatch: 100 };
const gen = (params: object, seed = 1) => generateInstance(eigenvectorStreaming, { ...small, ...params }, [seed]);
const metrics = (r: ReturnType<typeof scoreSolution>) => {
  if (r.status !== 'ok') throw new Error(`expected ok, got ${r.reason}`);
  return r.metrics;
};
const open = (inst: ReturnType<typeof gen>) => eigenvectorStreaming.interaction!.open(inst.observation, inst.truth);
/** The field a ParsimonyError names, or the error itself when it is not one. */
const fieldOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof ParsimonyError) return e.field;
    throw e;
  }
  return undefined;
};
const unit = (v: Float64Array) => v.map((x) => x / nrm2(v));

describe('eigenvector-streaming generator', () => {
  test('same seed: byte-identical observation and truth; another seed differs', () => {
    const a = gen({}, 7), b = gen({}, 7), c = gen({}, 8);
    expect(toJsonText(a.observation)).toBe(toJsonText(b.observation));
    expect(toJsonText(a.truth)).toBe(toJsonText(b.truth));
    expect(toJsonText(a.truth)).not.toBe(toJsonText(c.truth));
  });

  test('defaults are the quick size: T = 5000 rows, n = 100, gap 0.2, and the observation holds sizes only', () => {
    expect(resolveFamilyParams(eigenvectorStreaming, {})).toMatchObject({ T: 5000, n: 100, gap: 0.2, model: 'spiked' });
    const { observation } = generateInstance(eigenvectorStreaming, {}, [1]);
    expect(observation).toEqual({ n: 100, T: 5000, maxBatch: 1000 });
  });

  test('truth: v₁ is the unit top eigenvector of AᵀA, λ and the gap are exact, the spiked gap is near the planted one', () => {
    const { truth } = gen({ T: 3000, n: 20, gap: 0.3 });
    expect(nrm2(truth.v1)).toBeCloseTo(1, 12);
    const Av = matvec(truth.A, truth.v1);
    expect(nrm2(Av) ** 2 / truth.lambda[0]).toBeCloseTo(1, 10);
    expect(truth.gap).toBeCloseTo(1 - truth.lambda[1] / truth.lambda[0], 14);
    expect(truth.gap).toBeGreaterThan(0.2);
    expect(truth.gap).toBeLessThan(0.4);
    expect(truth.heavy.length).toBe(0);
  });

  test('heavy-top (paper 35): h heavy rows, shuffled into the stream, carry v₁; the measured ratio is about 1.04 R', () => {
    const { truth } = gen({ model: 'heavy-top', T: 2000, n: 32, heavyRows: 8, ratio: 2 });
    expect(truth.heavy.length).toBe(8);
    expect(Array.from(truth.heavy)).not.toEqual([1992, 1993, 1994, 1995, 1996, 1997, 1998, 1999]);
    const h = unit(Matrix.row(truth.A, truth.heavy[0]).slice());
    let dot = 0;
    for (let j = 0; j < 32; j++) dot += h[j] * truth.v1[j];
    expect(dot * dot).toBeGreaterThan(0.95);
    const ratio = truth.lambda[0] / truth.lambda[1];
    expect(ratio).toBeGreaterThan(1.6);
    expect(ratio).toBeLessThan(2.6);
  });

  test('light-top: the same kind of rows with v₁ orthogonal to the heavy direction', () => {
    const { truth } = gen({ model: 'light-top', T: 2000, n: 32, heavyRows: 8, ratio: 4 });
    const h = unit(Matrix.row(truth.A, truth.heavy[0]).slice());
    let dot = 0;
    for (let j = 0; j < 32; j++) dot += h[j] * truth.v1[j];
    expect(dot * dot).toBeLessThan(0.05);
  });

  test('inconsistent params are errors naming the param', () => {
    expect(() => gen({ model: 'heavy-top', T: 10, heavyRows: 10 })).toThrow('eigenvector-streaming: params.heavyRows = 10 must be < T = 10');
    expect(() => gen({ gap: 1 })).toThrow(/params.gap/);
    expect(() => gen({ n: 1 })).toThrow(/params.n must be >= 2/);
  });

  test('presets: quick is the default; the scale ladder grows T', () => {
    expect(eigenvectorStreaming.presets.quick).toMatchObject({ T: 5000, n: 100 });
    const Ts = eigenvectorStreaming.presets.scale.map((p) => p.T!);
    expect(Ts.length).toBeGreaterThanOrEqual(4);
    expect(Ts).toEqual([...Ts].sort((a, b) => a - b));
  });
});

describe('eigenvector-streaming scoring', () => {
  const inst = gen({});
  const { observation, truth } = inst;

  test('v₁ (either sign) scores alignment 1; an orthogonal unit vector scores about 0', () => {
    expect(metrics(scoreSolution(eigenvectorStreaming, observation, truth, { v: truth.v1 })).alignment).toBeCloseTo(1, 12);
    expect(metrics(scoreSolution(eigenvectorStreaming, observation, truth, { v: truth.v1.map((x) => -x) })).alignment).toBeCloseTo(1, 12);
    // Gram-Schmidt e₁ against v₁.
    const w = new Float64Array(20);
    w[0] = 1;
    const c = truth.v1[0];
    for (let j = 0; j < 20; j++) w[j] -= c * truth.v1[j];
    expect(metrics(scoreSolution(eigenvectorStreaming, observation, truth, { v: unit(w) })).alignment).toBeLessThan(1e-20);
  });

  test('the trivial solution (e₁) is valid and scores badly; without usage the memory charged is the whole stream', () => {
    const m = metrics(scoreSolution(eigenvectorStreaming, observation, truth, eigenvectorStreaming.trivialSolution!(observation)));
    expect(m.alignment).toBeCloseTo(truth.v1[0] ** 2, 12);
    expect(m.memory_floats).toBe(20 + 600 * 20);
    expect(m.rows_read).toBe(600);
  });

  test('invalid solutions are invalid, with a reason naming the field', () => {
    expect(scoreSolution(eigenvectorStreaming, observation, truth, { v: truth.v1.map((x) => 2 * x) })).toMatchObject({
      status: 'invalid',
      field: 'solution.v',
      reason: expect.stringContaining('must be a unit vector'),
    });
    expect(scoreSolution(eigenvectorStreaming, observation, truth, { v: new Float64Array(19).fill(1 / Math.sqrt(19)) })).toMatchObject({
      status: 'invalid',
      reason: 'solution.v has 19 entries, expected n = 20',
    });
    const nan = truth.v1.slice();
    nan[3] = NaN;
    expect(scoreSolution(eigenvectorStreaming, observation, truth, { v: nan })).toMatchObject({ status: 'invalid', reason: expect.stringContaining('solution.v') });
    expect(scoreSolution(eigenvectorStreaming, observation, truth, { v: new Float64Array(20) })).toMatchObject({ status: 'invalid', field: 'solution.v' });
  });

  test('scoring does not mutate its inputs', () => {
    const before = toJsonText({ observation, truth });
    const v = truth.v1.slice();
    scoreSolution(eigenvectorStreaming, observation, truth, { v }, { memory_floats: 5, rows_delivered: 1 });
    expect(toJsonText({ observation, truth })).toBe(before);
    expect(v).toEqual(truth.v1);
  });

  test('the observation schema rejects a malformed observation, naming the field', () => {
    expect(() => assertObservation(eigenvectorStreaming, { ...observation, maxBatch: 601 })).toThrow('eigenvector-streaming: observation.maxBatch = 601 exceeds T = 600');
    expect(() => assertObservation(eigenvectorStreaming, { ...observation, n: 0 })).toThrow('observation.n must be >= 1');
    expect(() => assertObservation(eigenvectorStreaming, { ...observation, rows: truth.A })).toThrow(/unknown field 'rows'/);
  });
});

describe('eigenvector-streaming heavy rows in the solution (paper 35)', () => {
  const inst = gen({ model: 'heavy-top', T: 600, n: 20, heavyRows: 5, ratio: 2 });
  const { observation, truth } = inst;
  const score = (heavy?: number[]) => scoreSolution(eigenvectorStreaming, observation, truth, heavy ? { v: truth.v1, heavy: Int32Array.from(heavy) } : { v: truth.v1 });
  const planted = Array.from(truth.heavy);

  test('heavy_errors counts planted rows missed plus rows listed that are not heavy', () => {
    expect(planted.length).toBe(5);
    expect(metrics(score(planted)).heavy_errors).toBe(0);
    expect(metrics(score(planted.slice(1))).heavy_errors).toBe(1);
    const light = [0, 1, 2].find((p) => !planted.includes(p))!;
    expect(metrics(score([light, ...planted].sort((a, b) => a - b))).heavy_errors).toBe(1);
    expect(metrics(score([])).heavy_errors).toBe(5);
  });

  test("a solution without 'heavy' misses every planted row; spiked instances have none to miss", () => {
    expect(metrics(score()).heavy_errors).toBe(5);
    const spiked = gen({});
    expect(metrics(scoreSolution(eigenvectorStreaming, spiked.observation, spiked.truth, { v: spiked.truth.v1 })).heavy_errors).toBe(0);
  });

  test('heavy must list stream positions in 0..T-1, strictly ascending; anything else is invalid and names solution.heavy', () => {
    for (const bad of [[-1], [600], [5, 5], [7, 3]]) {
      expect(score(bad)).toMatchObject({ status: 'invalid', field: 'solution.heavy', reason: expect.stringContaining('strictly ascending') });
    }
    expect(scoreSolution(eigenvectorStreaming, observation, truth, { v: truth.v1, heavy: new Float64Array([1.5]) })).toMatchObject({ status: 'invalid' });
  });
});

describe('eigenvector-streaming session', () => {
  const inst = gen({});
  const { truth } = inst;

  test('bad requests are ParsimonyErrors naming the argument', () => {
    const s = open(inst);
    expect(fieldOf(() => s.handle('next', [10]))).toBe('open.stateFloats');
    expect(() => s.handle('next', [10])).toThrow('next(batch) before open(stateFloats)');
    expect(fieldOf(() => s.handle('open', [-1]))).toBe('open.stateFloats');
    expect(fieldOf(() => s.handle('open', [1.5]))).toBe('open.stateFloats');
    expect(fieldOf(() => s.handle('open', ['20']))).toBe('open.stateFloats');
    expect(fieldOf(() => s.handle('open', [600 * 20 + 1]))).toBe('open.stateFloats');
    expect(s.handle('open', [40])).toBe(600);
    expect(() => s.handle('open', [40])).toThrow('open(stateFloats) was already called');
    expect(() => s.handle('next', [0])).toThrow('next(batch): batch = 0 is out of range; ask for at least 1 row and at most observation.maxBatch (an integer in 1..100)');
    expect(fieldOf(() => s.handle('next', [101]))).toBe('next.batch');
    expect(fieldOf(() => s.handle('next', [NaN]))).toBe('next.batch');
    expect(fieldOf(() => s.handle('next', []))).toBe('next.batch');
    expect(fieldOf(() => s.handle('next', [1, 2]))).toBe('next.batch');
    expect(fieldOf(() => s.handle('rewind', []))).toBe('method');
    expect(() => s.handle('rewind', [])).toThrow("unknown request 'rewind'; the session answers open, next");
    // Rejected requests deliver nothing.
    expect(s.usage()).toMatchObject({ rows_delivered: 0, peak_batch_rows: 0 });
  });

  test('one pass in delivery order; the session counts rows, the peak batch and memory; rows are copies', () => {
    const s = open(inst);
    s.handle('open', [40]);
    const first = s.handle('next', [30]) as Matrix;
    expect([first.rows, first.cols]).toEqual([30, 20]);
    expect(Array.from(first.data)).toEqual(Array.from(truth.A.data.subarray(0, 600)));
    first.data.fill(0);
    expect(truth.A.data[0]).not.toBe(0);
    let got = 30;
    for (;;) {
      const b = s.handle('next', [100]) as Matrix;
      if (b.rows === 0) break;
      expect(b.data[0]).toBe(truth.A.data[got * 20]);
      got += b.rows;
    }
    expect(got).toBe(600);
    expect((s.handle('next', [5]) as Matrix).rows).toBe(0);
    expect(s.usage()).toEqual({ rows_delivered: 600, peak_batch_rows: 100, state_floats: 40, memory_floats: 20 + 40 + 100 * 20, requests: 10 });
  });

  test('the client declares the state once, even when its first requests overlap', async () => {
    const s = open(inst);
    const stream = rowStream({ interact: async (m, ...a) => s.handle(m, a) }, { stateFloats: 7 });
    const [a, b] = await Promise.all([stream.next(3), stream.next(4)]);
    expect([a.rows + b.rows, stream.received]).toEqual([7, 7]);
    expect(s.usage()).toMatchObject({ state_floats: 7, rows_delivered: 7, peak_batch_rows: 4 });
  });

  test('each session is a fresh pass; a solver reading twice in one session is charged every row', () => {
    const s = open(inst);
    s.handle('open', [0]);
    s.handle('next', [50]);
    s.handle('next', [50]);
    expect(s.usage().rows_delivered).toBe(100);
    expect(open(inst).usage().rows_delivered).toBe(0);
  });
});

/** Exact (full-memory) reference: accumulate AᵀA from the stream, then eigh. */
const exactSolver = defineSolver({
  id: 'test/exact-covariance',
  family: eigenvectorStreaming,
  title: 'Exact covariance',
  params: NoParams,
  solve: async (obs, _p, ctx) => {
    const n = obs.n;
    const C = Matrix.zeros(n, n);
    for await (const B of rowStream(ctx, { stateFloats: n * n }).batches(50)) {
      ctx.signal.throwIfAborted();
      for (let t = 0; t < B.rows; t++)
        for (let i = 0; i < n; i++) {
          const ai = B.data[t * n + i];
          for (let j = 0; j < n; j++) C.data[i * n + j] += ai * B.data[t * n + j];
        }
    }
    return { v: Matrix.column(eigh(C).vectors, n - 1) };
  },
});

/** Block power with one vector (paper 35's simple variant without heavy rows): z ← normalize(Σ_block a aᵀ z). */
let seenCtx: SolverContext | undefined;
let seenClient: unknown;
const blockPowerSolver = defineSolver({
  id: 'test/block-power',
  family: eigenvectorStreaming,
  title: 'Block power',
  params: NoParams,
  solve: async (obs, _p, ctx) => {
    seenCtx = ctx;
    const n = obs.n;
    const stream = rowStream(ctx, { stateFloats: n });
    seenClient = stream;
    let z = new Float64Array(n).map(() => ctx.rng.normal());
    const y = new Float64Array(n);
    for await (const B of stream.batches(Math.min(obs.maxBatch, Math.ceil(obs.T / 10)))) {
      ctx.signal.throwIfAborted();
      for (let t = 0; t < B.rows; t++) {
        let az = 0;
        for (let j = 0; j < n; j++) az += B.data[t * n + j] * z[j];
        for (let j = 0; j < n; j++) y[j] += az * B.data[t * n + j];
      }
      z = y.map((v) => v / nrm2(y));
      y.fill(0);
    }
    return { v: z };
  },
});

describe('eigenvector-streaming end to end (SolveService + session)', () => {
  const service = solveService(createRegistry(allFamilies));

  test('exact covariance reaches alignment 1 and is charged n + n² + batch·n floats', async () => {
    const inst = gen({});
    const session = open(inst);
    const { solution } = await service.solve(exactSolver, inst.observation, {}, { interact: (m, a) => session.handle(m, a) });
    const m = metrics(scoreSolution(eigenvectorStreaming, inst.observation, inst.truth, solution, session.usage()));
    expect(m.alignment).toBeGreaterThan(1 - 1e-10);
    expect(m.memory_floats).toBe(20 + 400 + 50 * 20);
    expect(m.rows_read).toBe(600);
  });

  test('block power scores sensibly and is charged n + n + batch·n; the hidden rows and v₁ are not reachable from ctx or the client', async () => {
    // A steep spectrum, so ten power steps from a random start converge.
    const inst = gen({ T: 3000, gap: 0.5, decay: 0.5, maxBatch: 1000 });
    const session = open(inst);
    const { solution } = await service.solve(blockPowerSolver, inst.observation, {}, { seed: [1], interact: (m, a) => session.handle(m, a) });
    const m = metrics(scoreSolution(eigenvectorStreaming, inst.observation, inst.truth, solution, session.usage()));
    expect(m.alignment).toBeGreaterThan(0.95);
    expect(m.memory_floats).toBe(20 + 20 + 300 * 20);
    // The walk does see what ctx holds (its rng state, its methods), and would see a leaked array.
    expect(reachable(seenCtx).keys).toEqual(expect.arrayContaining(['interact', 'rng', 'signal']));
    expect(holds({ leaked: { rows: inst.truth.A.data.slice() } }, inst.truth.A.data)).toBe(true);
    for (const root of [seenCtx, seenClient]) {
      expect(holds(root, inst.truth.A.data)).toBe(false);
      expect(holds(root, inst.truth.v1)).toBe(false);
      expect(reachable(root).arrays.some((a) => a.byteLength >= inst.truth.A.data.byteLength)).toBe(false);
    }
    expect(Object.keys(seenClient as object).sort()).toEqual(['batches', 'next', 'received']);
    expect(JSON.stringify(seenClient)).toBe('{"received":3000}');
  });
});

// The conformance kit opens a session per run for interactive families.
describeSolverConformance(blockPowerSolver, { instance: { T: 600, n: 20, gap: 0.5, decay: 0.5, maxBatch: 100 } });
