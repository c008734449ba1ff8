import { describe, expect, test } from 'vitest';
import { CsrMatrix, Matrix, assertObservation, generateInstance, gram, linearSystem, matvec, nrm2, scoreSolution, toJsonText } from '../../src/index.js';
import { applySystem, linearSystems, poisson2d, relativeResiduals, stoppingResidual, systemQuadratic } from '../../src/families/linear-system/index.js';

const small = { grid: 6, count: 4 };
const gen = (params: object, seed = 1) => generateInstance(linearSystem, { ...small, ...params }, [seed]);
const metrics = (r: ReturnType<typeof scoreSolution>) => {
  if (r.status !== 'ok') throw new Error(`expected ok, got ${r.reason}`);
  return r.metrics;
};

describe('linear-system generator', () => {
  test('same seed: byte-identical observation and truth; another seed differs', () => {
    const a = gen({}, 7), b = gen({}, 7), c = gen({}, 8);
    expect(toJsonText(a.observation)).toBe(toJsonText(b.observation));
    expect(toJsonText(a.truth)).toBe(toJsonText(b.truth));
    expect(toJsonText(a.observation)).not.toBe(toJsonText(c.observation));
  });

  test('defaults are the quick size: 50 shifted Poisson systems of order 1024 in CSR, each x* exact to 1e-12', () => {
    const { observation: o, truth } = generateInstance(linearSystem, {}, [1]);
    expect([o.kind, o.sequence!.length, o.sequence![0].Acsr!.rows, o.tol]).toEqual(['sequence', 50, 1024, 1e-8]);
    expect(Math.max(...relativeResiduals(o, truth.xstar))).toBeLessThan(1e-12);
  });

  test('sequence: A_t = A + c_t I with c_t in the paper-25 range, scaled to the grid', () => {
    const { observation: o } = gen({ context: true, count: 30 });
    const base = poisson2d(6);
    const lmin = (g: number) => 4 - 4 * Math.cos(Math.PI / (g + 1));
    const s = lmin(6) / lmin(10);
    for (const sys of o.sequence!) {
      const c = sys.context!;
      expect(c).toBeGreaterThanOrEqual(-0.15 * s);
      expect(c).toBeLessThanOrEqual(0.45 * s);
      expect(sys.Acsr!.data.length).toBe(base.data.length);
      expect(sys.Acsr!.data[0]).toBeCloseTo(4 + c, 14);
    }
    expect(gen({}).observation.sequence![0].context).toBeUndefined();
  });

  test.each(['poisson', 'dense-spd', 'dense-general'] as const)('single %s: x* solves the system', (matrix) => {
    const { observation: o, truth } = gen({ variant: 'single', matrix, n: 30 });
    expect(o.kind).toBe('single');
    expect(relativeResiduals(o, truth.xstar)[0]).toBeLessThan(1e-13);
    assertObservation(linearSystem, o);
  });

  test.each(['gaussian', 'coherent'] as const)('least squares (%s): x* satisfies the normal equations', (design) => {
    const { observation: o, truth } = gen({ variant: 'least-squares', rows: 80, cols: 6, design });
    const A = o.A!;
    const r = o.b!.map((v, i) => v - matvec(A, truth.xstar[0])[i]);
    expect(nrm2(matvec(A, r, true)) / (nrm2(o.b!) * 10)).toBeLessThan(1e-12);
    expect(o.tol).toBeUndefined();
  });

  test('single label-propagation (paper 21 (b)): H = 2(L + 10 D_lab + 1e-3 I) in CSR on the grid, b = 20 y_lab with y = ±1', () => {
    const { observation: o, truth } = gen({ variant: 'single', matrix: 'label-propagation', grid: 7 });
    const H = o.Acsr!;
    expect([o.kind, H.rows, o.grid, o.tol]).toEqual(['single', 49, { rows: 7, cols: 7 }, 1e-8]);
    const D = CsrMatrix.toDense(H).data;
    for (let i = 0; i < 49; i++) for (let j = 0; j < 49; j++) expect(D[i * 49 + j]).toBe(D[j * 49 + i]);
    // Interior node 24 = (3, 3): four unit edges give 2·4 + 2e-3 (+ 20 when labelled), -2 to each neighbour.
    expect(D[24 * 49 + 24] - (o.b![24] !== 0 ? 20 : 0)).toBeCloseTo(8.002, 12);
    expect([D[24 * 49 + 23], D[24 * 49 + 25], D[24 * 49 + 17], D[24 * 49 + 31], D[24 * 49 + 26]]).toEqual([-2, -2, -2, -2, 0]);
    const labelled = Array.from(o.b!).filter((v) => v !== 0);
    expect(labelled.length).toBe(Math.round(0.1 * 49));
    expect(labelled.every((v) => Math.abs(v) === 20)).toBe(true);
    expect(relativeResiduals(o, truth.xstar)[0]).toBeLessThan(1e-13);
    assertObservation(linearSystem, o);
    expect(() => assertObservation(linearSystem, { ...o, grid: { rows: 7, cols: 6 } })).toThrow('observation.grid is 7x6 = 42 nodes, A has 49 unknowns');
  });

  test("least squares 'scaled' (paper 21 (a)): column norms spread by exp(N(0, 1)), b ~ N(0, I), x* solves the normal equations", () => {
    const { observation: o, truth } = gen({ variant: 'least-squares', rows: 200, cols: 40, design: 'scaled' });
    const L = Array.from(gram(o.A!).data.filter((_, k) => k % 41 === 0));
    expect(Math.max(...L) / Math.min(...L)).toBeGreaterThan(50);
    expect(stoppingResidual(linearSystems(o)[0], truth.xstar[0], true)).toBeLessThan(1e-12);
    expect(o.tol).toBeUndefined();
  });

  test('least squares with gradTol: the normal-equation residual must reach it, else the solution is invalid', () => {
    const { observation: o, truth } = gen({ variant: 'least-squares', rows: 60, cols: 8, design: 'scaled', gradTol: 1e-6 });
    expect(o.tol).toBe(1e-6);
    expect(scoreSolution(linearSystem, o, truth, { x: truth.xstar[0], iterations: 7 })).toMatchObject({ status: 'ok', metrics: { iterations: 7 } });
    const off = truth.xstar[0].map((v, i) => v + (i === 0 ? 1e-3 * Math.abs(v) + 1e-3 : 0));
    expect(scoreSolution(linearSystem, o, truth, { x: off, iterations: 7 })).toMatchObject({
      status: 'invalid',
      field: 'solution.x',
      reason: expect.stringMatching(/^solution.x has relative normal-equation residual .* > tol = 0.000001/),
    });
  });

  test('systemQuadratic: a symmetric system is its own quadratic (aliased); least squares and nonsymmetric systems give normal equations', () => {
    const sym = gen({ variant: 'single', matrix: 'poisson', grid: 5 }).observation;
    const q = systemQuadratic(linearSystems(sym)[0], false);
    expect([q.Hcsr === sym.Acsr, q.c === sym.b, q.normal, q.n]).toEqual([true, true, false, 25]);
    const spd = gen({ variant: 'single', matrix: 'dense-spd', n: 12 }).observation;
    expect(systemQuadratic(linearSystems(spd)[0], false).H === spd.A).toBe(true);
    const gen_ = gen({ variant: 'single', matrix: 'dense-general', n: 12 }).observation;
    const qn = systemQuadratic(linearSystems(gen_)[0], false);
    expect(qn.normal).toBe(true);
    expect(Array.from(qn.H!.data)).toEqual(Array.from(gram(gen_.A!).data));
    expect(Array.from(qn.c)).toEqual(Array.from(matvec(gen_.A!, gen_.b!, true)));
    const ls = gen({ variant: 'least-squares', rows: 30, cols: 4 }).observation;
    expect(systemQuadratic(linearSystems(ls)[0], true)).toMatchObject({ n: 4, normal: true });
    // The stopping residual of a square system is the family's relative residual.
    const x = new Float64Array(25).fill(0.1);
    expect(stoppingResidual(linearSystems(sym)[0], x, false)).toBeCloseTo(relativeResiduals(sym, [x])[0], 14);
  });

  test('bad params are errors naming the param', () => {
    expect(() => gen({ matrix: 'label-propagation' })).toThrow("params.matrix = 'label-propagation' is not available for variant 'sequence'");
    expect(() => gen({ variant: 'least-squares', gradTol: 0 })).toThrow(/params.gradTol must be > 0/);
    expect(() => gen({ matrix: 'dense-spd' })).toThrow("linear-system: params.matrix = 'dense-spd' is not available for variant 'sequence'; use 'poisson'");
    expect(() => gen({ variant: 'least-squares', rows: 5, cols: 6 })).toThrow('params.rows = 5 must be >= cols = 6');
    expect(() => gen({ tol: 0 })).toThrow(/params.tol must be > 0/);
    expect(() => gen({ variant: 'double' })).toThrow(/params.variant must be/);
  });

  test('presets: quick is the default; the scale ladder grows', () => {
    expect(linearSystem.presets.quick).toEqual({ variant: 'sequence', grid: 32, count: 50 });
    const gs = linearSystem.presets.scale.map((p) => p.grid!);
    expect(gs.length).toBeGreaterThanOrEqual(4);
    expect(gs).toEqual([...gs].sort((a, b) => a - b));
  });
});

describe('linear-system scoring', () => {
  const { observation, truth } = gen({});

  test('x* scores ideally; a solution just inside the tolerance scores worse', () => {
    const ideal = metrics(scoreSolution(linearSystem, observation, truth, { xs: truth.xstar, iterations: 40 }));
    expect(ideal.iterations).toBe(40);
    expect(ideal.linf_err).toBe(0);
    expect(ideal.residual).toBeLessThan(1e-13);
    const rough = truth.xstar.map((x) => x.map((v, i) => v * (1 + 1e-10 * Math.cos(i))));
    const r = metrics(scoreSolution(linearSystem, observation, truth, { xs: rough, iterations: 10 }));
    expect(r.linf_err).toBeGreaterThan(0);
    expect(r.residual).toBeGreaterThan(ideal.residual);
  });

  test('least squares: x* scores linf_err 0, zero scores worse, no tolerance applies', () => {
    const ls = gen({ variant: 'least-squares', rows: 60, cols: 5 });
    expect(metrics(scoreSolution(linearSystem, ls.observation, ls.truth, { x: ls.truth.xstar[0], iterations: 0 })).linf_err).toBe(0);
    const zero = metrics(scoreSolution(linearSystem, ls.observation, ls.truth, { x: new Float64Array(5), iterations: 0 }));
    expect(zero.linf_err).toBeGreaterThan(0.1);
    expect(zero.residual).toBe(1);
  });

  test('scoring does not mutate its inputs', () => {
    const sol = { xs: truth.xstar.map((x) => x.slice()), iterations: 3 };
    const before = toJsonText([observation, truth, sol]);
    scoreSolution(linearSystem, observation, truth, sol);
    expect(toJsonText([observation, truth, sol])).toBe(before);
  });

  test('invalid solutions are invalid with a reason naming the field', () => {
    const xs = truth.xstar.map((x) => x.slice());
    xs[2] = xs[2].map((v) => v * (1 + 1e-4));
    expect(scoreSolution(linearSystem, observation, truth, { xs, iterations: 1 })).toMatchObject({
      status: 'invalid',
      field: 'solution.xs[2]',
      reason: expect.stringMatching(/^solution.xs\[2\] has relative residual .* > tol = 1e-8/),
    });
    expect(scoreSolution(linearSystem, observation, truth, { xs: truth.xstar.slice(1), iterations: 1 })).toMatchObject({
      status: 'invalid',
      field: 'solution.xs',
      reason: 'solution.xs has 3 solutions, the sequence has 4 systems',
    });
    expect(scoreSolution(linearSystem, observation, truth, { x: truth.xstar[0], iterations: 1 })).toMatchObject({ status: 'invalid', field: 'solution.xs' });
    expect(scoreSolution(linearSystem, observation, truth, { xs: [...truth.xstar.slice(0, 3), new Float64Array(35)], iterations: 1 })).toMatchObject({ status: 'invalid', field: 'solution.xs[3]' });
    const nan = truth.xstar.map((x) => x.slice());
    nan[0][0] = NaN;
    expect(scoreSolution(linearSystem, observation, truth, { xs: nan, iterations: 1 })).toMatchObject({ status: 'invalid', field: 'solution.xs[0]' });
    expect(scoreSolution(linearSystem, observation, truth, { xs: truth.xstar })).toMatchObject({ status: 'invalid', field: 'solution.iterations' });
  });

  test('the observation schema and checks reject a malformed observation, naming the field', () => {
    const seq = observation.sequence!.map((s) => ({ ...s }));
    seq[1] = { ...seq[1], b: new Float64Array(35) };
    expect(() => assertObservation(linearSystem, { ...observation, sequence: seq })).toThrow('observation.sequence[1].b has 35 entries, expected the rows of A = 36');
    expect(() => assertObservation(linearSystem, { kind: 'single', A: Matrix.zeros(3, 4), b: new Float64Array(3), tol: 1e-6 })).toThrow('observation.A is 3x4; a square system is expected');
    expect(() => assertObservation(linearSystem, { kind: 'single', A: Matrix.eye(3), b: new Float64Array(3) })).toThrow('observation.tol is required for square systems');
    expect(() => assertObservation(linearSystem, { ...observation, kind: 'cubic' })).toThrow(/observation.kind must be/);
  });

  test('linearSystems and applySystem give a uniform view of every variant', () => {
    const s = linearSystems(observation);
    expect(s.length).toBe(4);
    expect(applySystem(s[0], truth.xstar[0]).length).toBe(36);
  });
});
