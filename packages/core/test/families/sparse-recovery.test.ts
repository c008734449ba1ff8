import { describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import {
  Matrix,
  ParsimonyError,
  assertObservation,
  generateInstance,
  kronMatvec,
  matvec,
  nrm2,
  parseJson,
  scoreSolution,
  sparseRecovery,
  sparseRecoveryFamily,
  toJsonText,
} from '../../src/index.js';

const gen = (params: object, seed = 1) => generateInstance(sparseRecovery, params, [seed]);

describe('sparse-recovery generator', () => {
  test('same seed: byte-identical observation and truth; another seed differs', () => {
    const a = gen({}, 7), b = gen({}, 7), c = gen({}, 8);
    expect(toJsonText(a.observation)).toBe(toJsonText(b.observation));
    expect(toJsonText(a.truth)).toBe(toJsonText(b.truth));
    expect(toJsonText(a.observation)).not.toBe(toJsonText(c.observation));
  });

  test('defaults are the quick size: A 128x256, x 12-sparse, 30 dB SNR', () => {
    const { observation: o, truth } = gen({});
    expect([o.A.rows, o.A.cols, o.y.length, o.k]).toEqual([128, 256, 128, 12]);
    expect(truth.x.filter((v) => v !== 0).length).toBe(12);
    const clean = matvec(o.A, truth.x);
    const noise = o.y.map((v, i) => v - clean[i]);
    const snr = 20 * Math.log10(nrm2(clean) / nrm2(noise));
    expect(snr).toBeGreaterThan(27);
    expect(snr).toBeLessThan(33);
  });

  test('noiseless instances satisfy y = A x exactly', () => {
    const { observation: o, truth } = gen({ snrDb: 'inf', m: 30, n: 60, k: 4 });
    expect(o.noiseStd).toBe(0);
    expect(Array.from(matvec(o.A, truth.x))).toEqual(Array.from(o.y));
  });

  test.each(['gaussian', 'bernoulli', 'partial-dct', 'kronecker'] as const)('%s ensemble has unit-norm columns on average and passes the schema', (matrix) => {
    const { observation: o } = gen({ matrix, m: 64, n: 128, k: 4, kroneckerM1: 8, kroneckerN1: 16 });
    assertObservation(sparseRecovery, o);
    let s = 0;
    for (let j = 0; j < o.A.cols; j++) s += nrm2(Matrix.column(o.A, j)) ** 2;
    // A Kronecker column's norm is a product of two factor-column norms, so it varies more.
    const [lo, hi] = matrix === 'kronecker' ? [0.5, 2] : [0.8, 1.2];
    expect(s / o.A.cols).toBeGreaterThan(lo);
    expect(s / o.A.cols).toBeLessThan(hi);
  });

  test('kronecker instances carry their factors, and A is their Kronecker product', () => {
    const { observation: o } = gen({ matrix: 'kronecker', m: 12, n: 20, k: 2, kroneckerM1: 3, kroneckerN1: 4 });
    expect(o.structure?.kind).toBe('kronecker');
    if (o.structure?.kind !== 'kronecker') return;
    const [f1, f2] = o.structure.factors;
    expect(Matrix.get(o.A, 1 * f2.rows + 2, 3 * f2.cols + 1)).toBe(Matrix.get(f1, 1, 3) * Matrix.get(f2, 2, 1));
  });

  test('block supports come in whole blocks', () => {
    const { truth, observation } = gen({ blockSize: 4, k: 8, snrDb: 'inf' });
    expect(observation.structure).toEqual({ kind: 'blocks', size: 4 });
    const supp = Array.from(truth.x.keys()).filter((i) => truth.x[i] !== 0);
    const blocks = new Set(supp.map((i) => Math.floor(i / 4)));
    expect(blocks.size).toBe(2);
  });

  test('nonnegative instances have positive nonzeros and say so', () => {
    const { truth, observation } = gen({ nonnegative: true });
    expect(observation.nonnegative).toBe(true);
    expect(truth.x.every((v) => v >= 0)).toBe(true);
  });

  test('inconsistent params are errors naming the param', () => {
    expect(() => gen({ k: 300 })).toThrow('sparse-recovery: params.k = 300 exceeds n = 256');
    expect(() => gen({ matrix: 'kronecker', kroneckerM1: 5 })).toThrow('params.kroneckerM1 = 5 must divide m = 128');
    expect(() => gen({ matrix: 'sparse' })).toThrow(/params.matrix must be/);
    expect(() => gen({ blockSize: 3 })).toThrow(ParsimonyError);
  });

  test('presets: quick is the default; the scale ladder grows', () => {
    expect(sparseRecovery.presets.quick).toMatchObject({ m: 128, n: 256, k: 12 });
    const ns = sparseRecovery.presets.scale.map((p) => p.n!);
    expect(ns.length).toBeGreaterThanOrEqual(4);
    expect(ns).toEqual([...ns].sort((a, b) => a - b));
  });
});

describe('sparse-recovery scoring', () => {
  const { observation, truth } = gen({});

  test('the truth scores ideally, a wrong support scores worse', () => {
    const ideal = scoreSolution(sparseRecovery, observation, truth, { x: truth.x });
    const shifted = new Float64Array(256);
    truth.x.forEach((v, i) => (shifted[(i + 1) % 256] = v));
    const wrong = scoreSolution(sparseRecovery, observation, truth, { x: shifted });
    expect(ideal).toMatchObject({ status: 'ok', metrics: { nmse_db: -300, support_f1: 1, exact_recovery: 1 } });
    expect(wrong.status === 'ok' && wrong.metrics.nmse_db).toBeGreaterThan(0);
    expect(wrong.status === 'ok' && wrong.metrics.support_f1).toBeLessThan(0.5);
  });

  test('support_f1 counts only the k largest entries', () => {
    const x = truth.x.slice();
    const extra = x.findIndex((v) => v === 0);
    x[extra] = 1e-9; // tiny spurious entry: not among the top k
    const r = scoreSolution(sparseRecovery, observation, truth, { x });
    expect(r.status === 'ok' && r.metrics.support_f1).toBe(1);
  });

  test('the observation schema rejects a malformed observation, naming the field', () => {
    expect(() => assertObservation(sparseRecovery, { ...observation, A: { rows: 128, cols: 256, data: new Float64Array(5) } })).toThrow(
      'observation.A .data has 5 entries; expected rows*cols = 128*256 = 32768',
    );
    expect(() => assertObservation(sparseRecovery, { ...observation, k: -1 })).toThrow('observation.k must be >= 0 (got -1)');
  });
});

describe('sparse-recovery: instances without the new Kronecker params are unchanged', () => {
  // sha256 of toJsonText(observation) + toJsonText(truth), recorded before the I-factor /
  // Kronecker-signal params were added: existing suites keep byte-identical instances.
  test.each([
    [{}, 'cc6dad9f4d60cf76'],
    [{ matrix: 'kronecker' }, '00120a06f1cfc01b'],
    [{ matrix: 'kronecker', m: 12, n: 20, k: 2, kroneckerM1: 3, kroneckerN1: 4, snrDb: 'inf' }, '4c01dd34a6bcbee2'],
    [{ matrix: 'kronecker', m: 100, n: 256, k: 9, kroneckerM1: 10, kroneckerN1: 16, snrDb: 20, amplitudes: 'unit', nonnegative: true }, '27913a3f4323a42b'],
    [{ blockSize: 4, k: 8 }, '97f43380bb4082ae'],
  ] as const)('%j', (params, hash) => {
    const { observation, truth } = generateInstance(sparseRecovery, params, ['golden', 1]);
    const h = createHash('sha256').update(toJsonText(observation)).update(toJsonText(truth)).digest('hex');
    expect(h.slice(0, 16)).toBe(hash);
  });
});

describe('sparse-recovery: Kronecker-structured signals and I-factor dictionaries (paper 03)', () => {
  const two = { matrix: 'kronecker', m: 100, n: 256, k: 9, kroneckerM1: 10, kroneckerN1: 16, kroneckerSparsity: [3, 3], snrDb: 20 } as const;
  const three = { matrix: 'kronecker', m: 60, n: 216, k: 8, kroneckerRows: [3, 4, 5], kroneckerCols: [6, 6, 6], kroneckerSparsity: [2, 2, 2], snrDb: 'inf' } as const;

  test('x = x_1 ⊗ x_2: read as a 16 x 16 matrix it has rank one, with 3 nonzero rows and 3 nonzero columns', () => {
    const { observation: o, truth } = gen(two, 3);
    assertObservation(sparseRecovery, o);
    expect(o.structure).toMatchObject({ kind: 'kronecker', sparsity: [3, 3] });
    expect(truth.x.filter((v) => v !== 0).length).toBe(9);
    const X = Matrix.from(16, 16, truth.x);
    const rows = new Set<number>(), cols = new Set<number>();
    truth.x.forEach((v, i) => v !== 0 && (rows.add(Math.floor(i / 16)), cols.add(i % 16)));
    expect([rows.size, cols.size]).toEqual([3, 3]);
    // rank one: every 2 x 2 minor vanishes
    const [r0, r1] = [...rows], [c0, c1] = [...cols];
    const g = (i: number, j: number) => Matrix.get(X, i, j);
    expect(Math.abs(g(r0, c0) * g(r1, c1) - g(r0, c1) * g(r1, c0))).toBeLessThan(1e-12);
  });

  test('three factors: A = A_1 ⊗ A_2 ⊗ A_3, supp(x) = S_1 × S_2 × S_3, y = A x when noiseless', () => {
    const { observation: o, truth } = gen(three, 4);
    assertObservation(sparseRecovery, o);
    if (o.structure?.kind !== 'kronecker') throw new Error('no structure');
    const f = o.structure.factors;
    expect(f.map((a) => [a.rows, a.cols])).toEqual([[3, 6], [4, 6], [5, 6]]);
    const dense = sparseRecoveryFamily.kron(sparseRecoveryFamily.kron(f[0], f[1]), f[2]);
    expect(Array.from(o.A.data)).toEqual(Array.from(dense.data));
    expect(truth.x.filter((v) => v !== 0).length).toBe(8);
    const modes = [new Set<number>(), new Set<number>(), new Set<number>()];
    truth.x.forEach((v, i) => v !== 0 && (modes[0].add(Math.floor(i / 36)), modes[1].add(Math.floor(i / 6) % 6), modes[2].add(i % 6)));
    expect(modes.map((s) => s.size)).toEqual([2, 2, 2]);
    const y = kronMatvec(f, truth.x);
    y.forEach((v, i) => expect(v).toBeCloseTo(o.y[i], 12));
  });

  test('the SNR is ||Ax||² / (m σ²), as for the other ensembles', () => {
    const { observation: o, truth } = gen(two, 5);
    const clean = matvec(o.A, truth.x);
    expect(o.noiseStd).toBeCloseTo(nrm2(clean) / Math.sqrt(100) / 10, 12);
  });

  test('kronecker observations with their factors survive a JSON round trip', () => {
    const { observation: o } = gen(three, 6);
    const back = parseJson(toJsonText(o), sparseRecovery.schemas.observation, 'observation', 'PARSIMONY_BAD_OBSERVATION');
    expect(back.structure?.kind === 'kronecker' && back.structure.factors[2].data).toBeInstanceOf(Float64Array);
    expect(toJsonText(back)).toBe(toJsonText(o));
  });

  test('inconsistent Kronecker params are errors naming the param', () => {
    expect(() => gen({ ...two, kroneckerSparsity: [3, 4] })).toThrow('params.k = 9 must equal the product of kroneckerSparsity (3·4 = 12)');
    expect(() => gen({ ...two, kroneckerSparsity: [3, 3, 1] })).toThrow('params.kroneckerSparsity has 3 entries; expected one per factor (2)');
    expect(() => gen({ ...two, k: 17 * 1, kroneckerSparsity: [17, 1] })).toThrow('params.kroneckerSparsity[0] = 17 exceeds the 16 columns of factor 0');
    expect(() => gen({ m: 100, n: 256, k: 9, kroneckerSparsity: [3, 3] })).toThrow("params.kroneckerSparsity needs matrix = 'kronecker' (got 'gaussian')");
    expect(() => gen({ ...three, kroneckerRows: [3, 4, 6] })).toThrow('params.kroneckerRows multiply to 3·4·6 = 72, not m = 60');
    expect(() => gen({ ...three, kroneckerCols: [6, 36] })).toThrow('params.kroneckerCols has 2 entries, kroneckerRows has 3');
    expect(() => gen({ ...three, kroneckerCols: undefined })).toThrow('params.kroneckerCols is missing');
    expect(() => gen({ ...two, blockSize: 4 })).toThrow('params.blockSize = 4: a Kronecker-structured signal');
  });

  test('the observation check compares I factors with A, and the sparsity with the factors', () => {
    const { observation: o } = gen(three, 7);
    if (o.structure?.kind !== 'kronecker') throw new Error('no structure');
    const f = o.structure.factors;
    expect(() => assertObservation(sparseRecovery, { ...o, structure: { kind: 'kronecker', factors: [f[0], f[1]] } })).toThrow('kronecker factors 3x6 ⊗ 4x6 do not match A (60x216)');
    expect(() => assertObservation(sparseRecovery, { ...o, structure: { ...o.structure, sparsity: [2, 2] } })).toThrow('observation.structure.sparsity has 2 entries');
    expect(() => assertObservation(sparseRecovery, { ...o, structure: { ...o.structure, sparsity: [2, 7, 2] } })).toThrow('sparsity[1] = 7 exceeds the 6 columns of factor 1');
  });
});
