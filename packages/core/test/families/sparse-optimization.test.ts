import { describe, expect, test } from 'vitest';
import { assertObservation, generateInstance, matvec, scoreSolution, sparseOptimization, toJsonText, type SparseOptimizationObservation } from '../../src/index.js';
import { penaltyAt, prox1d, sparseOptimizationObjective } from '../../src/families/sparse-optimization/index.js';

const small = { m: 40, n: 100, targetNonzeros: 5 };
const gen = (params: object, seed = 1) => generateInstance(sparseOptimization, { ...small, ...params }, [seed]);
const metrics = (r: ReturnType<typeof scoreSolution>) => {
  if (r.status !== 'ok') throw new Error(`expected ok, got ${r.reason}`);
  return r.metrics;
};
/** ∇f(x) for either form. */
function gradient(o: SparseOptimizationObservation, x: Float64Array): Float64Array {
  if (o.A && o.b) return matvec(o.A, matvec(o.A, x).map((v, i) => v - o.b![i]), true);
  const H = o.H!, g = new Float64Array(H.rows);
  for (let i = 0; i < H.rows; i++) {
    let s = -o.c![i];
    for (let t = H.indptr[i]; t < H.indptr[i + 1]; t++) s += H.data[t] * x[H.indices[t]];
    g[i] = s;
  }
  return g;
}
/** Largest violation of the Lasso optimality conditions, relative to λ. */
function kktViolation(o: SparseOptimizationObservation, x: Float64Array): number {
  const g = gradient(o, x), l = o.penalty.lambda;
  let worst = 0;
  x.forEach((v, j) => (worst = Math.max(worst, v === 0 ? Math.max(0, Math.abs(g[j]) - l) / l : Math.abs(g[j] + l * Math.sign(v)) / l)));
  return worst;
}

describe('sparse-optimization generator', () => {
  test('same seed: byte-identical observation and truth; another seed differs', () => {
    const a = gen({}, 7), b = gen({}, 7), c = gen({}, 8);
    expect(toJsonText(a.observation)).toBe(toJsonText(b.observation));
    expect(toJsonText(a.truth)).toBe(toJsonText(b.truth));
    expect(toJsonText(a.observation)).not.toBe(toJsonText(c.observation));
  });

  test('l1: x* satisfies the Lasso optimality conditions and has about targetNonzeros nonzeros', () => {
    const { observation: o, truth } = gen({});
    expect([o.A!.rows, o.A!.cols, o.penalty.kind]).toEqual([40, 100, 'l1']);
    expect(kktViolation(o, truth.xstar)).toBeLessThan(1e-9);
    const k = truth.xstar.filter((v) => v !== 0).length;
    expect(Math.abs(k - 5)).toBeLessThanOrEqual(1);
    expect(truth.Fstar).toBe(sparseOptimizationObjective(o, truth.xstar));
  });

  test('an explicit lambda is used as given', () => {
    const { observation: o, truth } = gen({ lambda: 0.05, columnScales: 'lognormal' });
    expect(o.penalty.lambda).toBe(0.05);
    expect(kktViolation(o, truth.xstar)).toBeLessThan(1e-9);
  });

  test('lambdaRatio sets λ = ratio·||∇f(0)||∞ with no search (paper 21 (c))', () => {
    const { observation: o, truth } = gen({ lambdaRatio: 0.1, columnScales: 'lognormal' });
    const lmax = Math.max(...matvec(o.A!, o.b!, true).map(Math.abs));
    expect(o.penalty.lambda).toBe(0.1 * lmax);
    expect(kktViolation(o, truth.xstar)).toBeLessThan(1e-9);
    const q = gen({ form: 'quadratic', n: 64, lambdaRatio: 0.5 }).observation;
    expect(q.penalty.lambda).toBe(0.5 * Math.max(...q.c!.map(Math.abs)));
    expect(() => gen({ lambda: 0.1, lambdaRatio: 0.1 })).toThrow('sparse-optimization: params.lambdaRatio cannot be combined with params.lambda');
    expect(() => gen({ lambdaRatio: 1.5 })).toThrow(/params.lambdaRatio must be <= 1/);
  });

  test.each(['scad', 'mcp'] as const)('%s: x* is a coordinate-wise minimum', (penalty) => {
    const { observation: o, truth } = gen({ penalty });
    expect(o.penalty).toMatchObject({ kind: penalty, shape: penalty === 'scad' ? 3.7 : 3 });
    const g = gradient(o, truth.xstar);
    const A = o.A!;
    truth.xstar.forEach((v, j) => {
      let d = 0;
      for (let i = 0; i < A.rows; i++) d += A.data[i * A.cols + j] ** 2;
      expect(prox1d(o.penalty, v - g[j] / d, d)).toBeCloseTo(v, 9);
    });
  });

  test('quadratic form: a symmetric grid operator H, and x* optimal for it', () => {
    const { observation: o, truth } = gen({ form: 'quadratic', n: 64, targetNonzeros: 6 });
    const H = o.H!;
    expect([H.rows, H.cols, o.c!.length, o.A]).toEqual([64, 64, 64, undefined]);
    const dense = new Float64Array(64 * 64);
    for (let i = 0; i < 64; i++) for (let t = H.indptr[i]; t < H.indptr[i + 1]; t++) dense[i * 64 + H.indices[t]] = H.data[t];
    for (let i = 0; i < 64; i++) for (let j = 0; j < 64; j++) expect(dense[i * 64 + j]).toBe(dense[j * 64 + i]);
    expect(kktViolation(o, truth.xstar)).toBeLessThan(1e-9);
    assertObservation(sparseOptimization, o);
  });

  test('bad params are errors naming the param', () => {
    expect(() => gen({ penalty: 'scad', shape: 2 })).toThrow('sparse-optimization: params.shape = 2 must be > 2 for SCAD');
    expect(() => gen({ form: 'quadratic', n: 50 })).toThrow("params.n = 50 must be a perfect square (grid side²) for form 'quadratic'");
    expect(() => gen({ targetNonzeros: 101 })).toThrow('params.targetNonzeros = 101 exceeds n = 100');
    expect(() => gen({ penalty: 'l0' })).toThrow(/params.penalty must be/);
  });

  test('presets: quick is the default; the scale ladder grows', () => {
    expect(sparseOptimization.presets.quick).toEqual({ m: 200, n: 500, targetNonzeros: 20 });
    const ns = sparseOptimization.presets.scale.map((p) => p.n!);
    expect(ns.length).toBeGreaterThanOrEqual(4);
    expect(ns).toEqual([...ns].sort((a, b) => a - b));
  });
});

describe('sparse-optimization penalties', () => {
  test('prox1d is the exact minimizer of ½v(x - z)² + p(|x|), also for small curvature', () => {
    const pens = [
      { kind: 'l1' as const, lambda: 0.7 },
      { kind: 'scad' as const, lambda: 0.7, shape: 3.7 },
      { kind: 'mcp' as const, lambda: 0.7, shape: 3 },
    ];
    for (const pen of pens)
      for (const v of [0.1, 0.3, 1, 4])
        for (const z of [-5, -2.1, -0.6, 0, 0.3, 0.8, 1.5, 2.6, 7]) {
          const f = (x: number) => 0.5 * v * (x - z) ** 2 + penaltyAt(pen, Math.abs(x));
          let best = Infinity;
          for (let x = -8; x <= 8; x += 2e-3) best = Math.min(best, f(x));
          expect(f(prox1d(pen, z, v))).toBeLessThanOrEqual(best + 1e-9);
        }
  });

  test('SCAD and MCP are continuous and flat beyond aλ / γλ', () => {
    const scad = { kind: 'scad' as const, lambda: 1, shape: 3.7 }, mcp = { kind: 'mcp' as const, lambda: 1, shape: 3 };
    expect(penaltyAt(scad, 1 + 1e-12)).toBeCloseTo(1, 9);
    expect(penaltyAt(scad, 3.7)).toBeCloseTo(4.7 / 2, 12);
    expect(penaltyAt(scad, 100)).toBe(4.7 / 2);
    expect(penaltyAt(mcp, 3)).toBeCloseTo(1.5, 12);
    expect(penaltyAt(mcp, 100)).toBe(1.5);
  });
});

describe('sparse-optimization scoring', () => {
  const { observation, truth } = gen({});

  test('the optimum scores rel_gap 0; zero and perturbed iterates score worse', () => {
    expect(metrics(scoreSolution(sparseOptimization, observation, truth, { x: truth.xstar, iterations: 12 }))).toEqual({ rel_gap: 0, iterations: 12, support_f1: 1 });
    const zero = metrics(scoreSolution(sparseOptimization, observation, truth, sparseOptimization.trivialSolution!(observation)));
    expect(zero.rel_gap).toBeGreaterThan(1e-3);
    expect(zero.support_f1).toBe(0);
    const x = truth.xstar.slice();
    x[x.findIndex((v) => v === 0)] = 0.1;
    const off = metrics(scoreSolution(sparseOptimization, observation, truth, { x, iterations: 1 }));
    expect(off.rel_gap).toBeGreaterThan(0);
    expect(off.support_f1).toBeLessThan(1);
  });

  test('scoring does not mutate its inputs', () => {
    const sol = { x: truth.xstar.slice(), iterations: 3 };
    const before = toJsonText([observation, truth, sol]);
    scoreSolution(sparseOptimization, observation, truth, sol);
    expect(toJsonText([observation, truth, sol])).toBe(before);
  });

  test('invalid solutions are invalid with a reason naming the field', () => {
    expect(scoreSolution(sparseOptimization, observation, truth, { x: new Float64Array(99), iterations: 1 })).toMatchObject({
      status: 'invalid',
      field: 'solution.x',
      reason: 'solution.x has 99 entries, expected n = 100',
    });
    const x = truth.xstar.slice();
    x[0] = Infinity;
    expect(scoreSolution(sparseOptimization, observation, truth, { x, iterations: 1 })).toMatchObject({ status: 'invalid', field: 'solution.x' });
    expect(scoreSolution(sparseOptimization, observation, truth, { x: truth.xstar })).toMatchObject({ status: 'invalid', field: 'solution.iterations' });
    expect(scoreSolution(sparseOptimization, observation, truth, { x: truth.xstar, iterations: Infinity })).toMatchObject({ status: 'invalid', field: 'solution.iterations' });
  });

  test('the observation schema and checks reject a malformed observation, naming the field', () => {
    expect(() => assertObservation(sparseOptimization, { ...observation, b: new Float64Array(39) })).toThrow('observation.b has 39 entries, expected the rows of A = 40');
    expect(() => assertObservation(sparseOptimization, { ...observation, c: new Float64Array(100) })).toThrow(/either A and b .* or H and c/);
    expect(() => assertObservation(sparseOptimization, { ...observation, penalty: { kind: 'mcp', lambda: 1, shape: 0.5 } })).toThrow('observation.penalty.shape = 0.5 must be > 1 for mcp');
    expect(() => assertObservation(sparseOptimization, { ...observation, penalty: { kind: 'l1', lambda: -1 } })).toThrow(/observation.penalty.lambda must be > 0/);
  });
});
